import ArgumentParser
import Foundation
import TreuServer

struct Members: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Work with members.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import members from a CSV file: all rows or, if one is bad, none.",
            discussion: """
                Header columns: email, phone, card, customer_id, name, locale, birthday, \
                marketing_email, marketing_sms, attr.NAME. Each row needs one identity at least.
                """)
        @OptionGroup var common: CommonOptions
        @Argument(help: "The CSV file.")
        var file: String

        func run() async throws {
            try await withEnvironment(common) { environment in
                let bar = ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
                let count = try await cliResult { () async throws -> Int in
                    try await MemberImport.run(path: file, environment: environment) { phase, done, total in
                        bar.update(phase == .reading ? "reading" : "writing", done, total)
                    }
                }
                bar.finish()
                print("imported \(count) members")
            }
        }
    }
}

/// A progress bar on standard error, drawn only on a terminal, at most once per percent.
final class ProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private var lastDrawn = -1
    private let lock = NSLock()

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ title: String, _ done: Int, _ total: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let percent = total > 0 ? done * 100 / total : 0
        guard percent != lastDrawn || done == 0 else { return }
        lastDrawn = percent
        let width = 30
        let filled = total > 0 ? done * width / total : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\(title.padding(toLength: 8, withPad: " ", startingAt: 0)) [\(bar)] \(percent)% \(done)/\(total)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
