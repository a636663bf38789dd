import ArgumentParser
import Foundation
import TreuCore
import TreuServer

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a shop's history of orders, returns and actions from a CSV file.",
        discussion: """
            One row per order line; consecutive rows with one reference are one event. Columns: \
            type (order, return, action), reference, at, member_id or email, phone, card, customer_id, \
            currency, channel, order_discount, shipping, sku, category, quantity, unit_price, discount, \
            order_reference, name, prop.NAME. Every row is checked first: a file with a bad row is \
            refused, each bad row named by its line. Written in batches, one transaction each; an import \
            that stopped runs again and writes only what is missing. Afterwards the ledger is brought to \
            now: points past their return window released, lots past their date expired, levels \
            whose window ended dropped.
            """)
    @OptionGroup var common: CommonOptions
    @Option(help: "Events per transaction.")
    var batchSize = 2_000
    @Argument(help: "The CSV file.")
    var file: String

    func run() async throws {
        guard (1...100_000).contains(batchSize) else { throw ValidationError(message: "--batch-size is 1 to 100000") }
        try await withEnvironment(common, load: .bulk) { environment in
            let terminal = isatty(STDERR_FILENO) == 1
            let bar = ProgressBar(enabled: terminal)
            let started = Date()
            let summary = try await cliResult { () async throws -> OrderImport.Summary in
                try await OrderImport.run(path: file, environment: environment, batchSize: batchSize) { phase, done, total in
                    if terminal {
                        bar.update(phase == .reading ? "reading" : "writing", done, total)
                    } else if phase == .writing, done > 0 {
                        // Each line is a batch committed: what a log (or a test that kills the import) can rely on.
                        FileHandle.standardError.write(Data("written \(done)/\(total) events\n".utf8))
                    }
                }
            }
            bar.finish()
            let seconds = Date().timeIntervalSince(started)
            print("imported \(summary.events) events in \(String(format: "%.1f", seconds)) s: \(summary.recorded) recorded, "
                  + "\(summary.replayed) there already, \(summary.refused.count) refused")
            if !summary.refused.isEmpty {
                for (line, message) in summary.refused.prefix(20) { print("line \(line): \(message)") }
                throw ExitCode(1)
            }
            print(try await cliResult { try await LedgerCatchUp.run(environment) }.line)
        }
    }
}

extension LedgerCatchUp.Summary {
    /// What bringing the ledger to now did, in one line.
    var line: String {
        "ledger brought to now: \(entries.grouped) release and expiry entries, \(downgraded.grouped) members dropped a level"
    }
}
