import ArgumentParser
import Foundation
import TreuDemo
import TreuServer

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill an empty database with a made-up fashion shop: members and two years of orders, returns and reviews.",
        discussion: "Repeat purchases follow the BG/NBD model and spend Gamma-Gamma; the same --seed gives the same shop. "
            + "With --out, only writes members.csv and orders.csv (for 'treu members import' and 'treu import').")
    @OptionGroup var common: CommonOptions
    @Option(help: "How many members.")
    var members = 2_000
    @Option(help: "Years of history, ending now.")
    var years = 2
    @Option(help: "Seed of the random choices.")
    var seed: UInt64 = 1
    @Option(help: "Write the CSV files into this folder instead of importing them.")
    var out: String?

    func run() async throws {
        guard members >= 1, (1...20).contains(years) else { throw ValidationError(message: "--members is at least 1 and --years 1 to 20") }
        let shop = DemoShop(members: members, end: Date(), years: years, seed: seed)
        if let out {
            let folder = URL(fileURLWithPath: out)
            try cliResult { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
            let files = try cliResult { try shop.write(to: folder) }
            print("wrote \(files.members.path) (\(members) members) and \(files.orders.path) (\(files.events) events)")
            return
        }
        try await withEnvironment(common, load: .bulk) { environment in
            try await Demo.load(shop, into: environment)
        }
    }

    /// Loads the shop with a progress bar on a terminal and a summary line.
    static func load(_ shop: DemoShop, into environment: TreuEnvironment) async throws {
        let bar = ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
        let started = Date()
        let loaded = try await cliResult { () async throws -> DemoShop.Loaded in
            try await shop.load(into: environment) { title, done, total in bar.update(title, done, total) }
        }
        bar.finish()
        print("demo shop: \(loaded.members) members, \(loaded.events.recorded) events (orders, returns, reviews, sign-ups) "
              + "in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        print(try await cliResult { try await LedgerCatchUp.run(environment) }.line)
    }
}
