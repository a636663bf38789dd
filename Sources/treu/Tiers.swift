import ArgumentParser
import Foundation
import TreuServer

struct Tiers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Work with the program's tiers.", subcommands: [Recompute.self])

    struct Recompute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record every member's level anew under the tiers of the program in force.",
            discussion: """
                After a change of tier definitions, levels follow at once. With --recount the qualifying \
                counters (spend, orders and points per year, and per month under a rolling window) are first \
                rebuilt from the recorded orders, returns and ledger: for history recorded before Treu kept \
                them, or a rolling window added to a running program. Members change 2,000 a transaction, \
                each under its lock; a running server may keep recording events.
                """)

        @OptionGroup var common: CommonOptions
        @Flag(help: "Rebuild the qualifying counters from the history first.") var recount = false

        func run() async throws {
            let started = Date()
            let summary = try await withEnvironment(common) { environment in
                do {
                    // Endpoints and messages that want tier.changed hear of every level the run changes.
                    try await environment.notices.refresh()
                    return try await TierRecompute(store: environment.store, programs: environment.programs, notices: environment.notices)
                        .run(at: environment.clock.now(), recount: recount)
                } catch let problem as Problem {
                    throw ValidationError(message: problem.detail)
                }
            }
            let levels = summary.levels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("\(summary.recounted ? "recounted and " : "")recorded the level of \(summary.members) members in "
                  + String(format: "%.1f s", Date().timeIntervalSince(started))
                  + ": \(summary.upgrades) up, \(summary.downgrades) down, \(summary.changed) changed; \(levels)")
        }
    }
}
