import Foundation
import Testing

@Suite("An import killed mid-way and run again")
struct ImportKillTests {
    /// `treu import` is killed with SIGKILL after it acknowledged some batches; run again, it
    /// finds every acknowledged event there once (whole batches only: a batch is one
    /// transaction), writes the rest, and `treu verify` finds every balance right.
    @Test func aKilledImportRunAgainWritesEverythingOnce() async throws {
        let treu = try Treu()
        let demo = try treu.run(["demo", "--members", "3000", "--seed", "3", "--out", "files"])
        #expect(demo.status == 0, "\(demo.errors)")
        let total = try #require(Int(demo.output.split(separator: "(").last?.split(separator: " ").first ?? ""))
        #expect(total > 10_000)

        let process = Process()
        process.executableURL = Treu.executable
        process.arguments = ["import", "files/orders.csv", "--batch-size", "500"]
        process.currentDirectoryURL = treu.folder
        process.environment = ["PATH": "/usr/bin:/bin"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        // Wait for three acknowledged batches, then kill without warning.
        var seen = "", acknowledged = 0
        while acknowledged < 1_500 {
            let data = errors.fileHandleForReading.availableData
            guard !data.isEmpty else { break }
            seen += String(decoding: data, as: UTF8.self)
            acknowledged = seen.split(separator: "\n").compactMap { line in
                line.hasPrefix("written ") ? Int(line.dropFirst(8).split(separator: "/")[0]) : nil
            }.max() ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the import ended before it was killed: \(seen)")
        #expect(acknowledged >= 1_500 && acknowledged < total)

        let again = try treu.run(["import", "files/orders.csv", "--batch-size", "500"])
        #expect(again.status == 0, "\(again.output) \(again.errors)")
        // "imported N events in S s: R recorded, T there already, 0 refused"
        let summary = again.output.split(separator: "\n").first { $0.hasPrefix("imported ") } ?? ""
        let numbers = summary.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let (events, recorded, there) = (numbers[0], numbers[numbers.count - 3], numbers[numbers.count - 2])
        #expect(events == total && recorded + there == total && numbers.last == 0)
        #expect(there >= acknowledged && there % 500 == 0, "whole batches only: \(there) there, \(acknowledged) acknowledged")

        let verify = try treu.run(["verify"])
        #expect(verify.status == 0 && verify.output.contains("every balance agrees"), "\(verify.output)")
        let third = try treu.run(["import", "files/orders.csv"])
        #expect(third.output.contains("0 recorded, \(total) there already"), "\(third.output)")
    }
}
