import ArgumentParser
import Foundation
import TreuServer

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute every member's points from their ledger entries and list each difference (exit 1 if any).")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let differences = try await withEnvironment(common) { environment in
            let (checked, differences) = try await PointsVerification.run(environment.store)
            for difference in differences { print(difference) }
            print(differences.isEmpty ? "checked \(checked) members: every balance agrees with its entries"
                                      : "checked \(checked) members: \(differences.count) differences")
            return differences
        }
        if !differences.isEmpty { throw ExitCode.failure }
    }
}
