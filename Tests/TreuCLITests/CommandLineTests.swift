import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The `treu` executable, run as a person would run it: in a folder of its own, with arguments,
/// reading what it prints and how it exits.
struct Treu {
    /// The executable `swift build` put beside the test bundle that runs this.
    static var executable: URL {
        var directory = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
        while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("treu").path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("treu")
    }

    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("treu-cli-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    struct Outcome { var status: Int32; var output: String; var errors: String }

    func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/bin:/bin"]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                       errors: String(decoding: err, as: UTF8.self))
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
}

@Suite("The command line")
struct CommandLineTests {
    @Test func serveInAnEmptyFolderPrintsAKeyAndAnswersHealth() async throws {
        let treu = try Treu()
        let process = Process()
        process.executableURL = Treu.executable
        process.arguments = ["serve", "--port", "0", "--log-level", "error"]
        process.currentDirectoryURL = treu.folder
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        // The first lines say where Treu listens and the first admin key.
        var text = ""
        while !text.contains("first admin key"), process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let address = try #require(text.split(separator: "\n").first { $0.hasPrefix("Treu is ready at ") }?.split(separator: " ").last)
        let key = try #require(text.split(separator: "\n").first { $0.contains("first admin key") }?.split(separator: " ").last)
        #expect(key.hasPrefix("treu_") && key.count == 48)
        let (body, response) = try await URLSession.shared.data(from: URL(string: "\(address)/health")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self) == #"{"status":"ok"}"#)
        #expect(FileManager.default.fileExists(atPath: treu.folder.appendingPathComponent("treu-data/treu.sqlite").path))
        // SIGTERM stops it gracefully, with success (background services included).
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    @Test func aBadImportSaysWhichLineInOneLineAndExitsNonZero() throws {
        let treu = try Treu()
        try treu.write("members.csv", "email,name\nana@example.com,Ana\nnot-an-email,Ben\n")
        let bad = try treu.run(["members", "import", "members.csv"])
        #expect(bad.status != 0)
        #expect(bad.errors == "Error: line 3: 'not-an-email' is not an email address\n")
        try treu.write("good.csv", "email,name\nana@example.com,Ana\nben@example.com,Ben\n")
        let good = try treu.run(["members", "import", "good.csv"])
        #expect(good.status == 0)
        #expect(good.output == "imported 2 members\n")
        // The failed import left nothing behind: the good file's Ana was not a duplicate.
    }

    /// Points of a history two years old are released and expired by the import itself, not
    /// left pending until a server runs; a second import has nothing left to do.
    @Test func anImportLeavesTheLedgerAsOfNow() throws {
        let treu = try Treu()
        try treu.write("old.csv", """
            type,reference,at,email,currency,sku,quantity,unit_price
            order,A-1,2024-01-10T10:00:00Z,ana@example.com,EUR,TEE,1,10000
            """)
        let first = try treu.run(["import", "old.csv"])
        #expect(first.status == 0, "\(first.errors)")
        // The order's 100 points released (2024-01-25) and expired with the welcome gift's 50
        // (end of January 2025): three entries.
        #expect(first.output.contains("ledger brought to now: 3 release and expiry entries, 0 members dropped a level"), "\(first.output)")
        #expect(try treu.run(["verify"]).output.contains("every balance agrees"))
        let second = try treu.run(["import", "old.csv"])
        #expect(second.output.contains("ledger brought to now: 0 release and expiry entries"), "\(second.output)")
    }

    /// The environment's names and meanings line up in two columns (the longest name once ran
    /// into its text), and there is a version.
    @Test func helpListsTheEnvironmentAndVersionIsPrinted() throws {
        let treu = try Treu()
        let help = try treu.run(["--help"]).output
        let line = try #require(help.split(separator: "\n").first { $0.contains("TREU_ANALYTICS_REFRESH_SECONDS") })
        #expect(line.contains("TREU_ANALYTICS_REFRESH_SECONDS  age at which"), "\(line)")
        #expect(help.contains("TREU_DATABASE_URL"))
        let version = try treu.run(["--version"])
        #expect(version.status == 0 && version.output.hasPrefix("treu 0."), "\(version.output)")
        #expect(try treu.run(["report", "--help"]).output.contains("clv, program or senders."))
    }

    @Test func keysAreMadeListedAndRevoked() throws {
        let treu = try Treu()
        let made = try treu.run(["keys", "create", "--role", "support", "--name", "front desk"])
        #expect(made.status == 0)
        let secret = made.output.trimmingCharacters(in: .newlines)
        #expect(secret.hasPrefix("treu_"))
        let list = try treu.run(["keys", "list"])
        #expect(list.output.contains("support") && list.output.contains("front desk") && list.output.contains("live"))
        #expect(!list.output.contains(secret))
        let id = try #require(list.output.split(separator: "\n").dropFirst().first?.split(separator: " ").first)
        #expect(try treu.run(["keys", "revoke", String(id)]).status == 0)
        #expect(try treu.run(["keys", "list"]).output.contains("revoked"))
        let again = try treu.run(["keys", "revoke", String(id)])
        #expect(again.status != 0 && again.errors.hasPrefix("Error: no live key"))
        let badRole = try treu.run(["keys", "create", "--role", "boss"])
        #expect(badRole.status != 0 && badRole.errors.split(separator: "\n").count == 1)
    }

    /// A port another program holds: a one-line error that says what to do, and no first admin
    /// key made (it used to be made, never shown, and never shown again).
    @Test func serveOnATakenPortSaysSoAndMakesNoKey() throws {
        let treu = try Treu()
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let outcome = try treu.run(["serve", "--port", "\(port)", "--log-level", "error"])
        #expect(outcome.status != 0)
        #expect(outcome.errors == "Error: 127.0.0.1:\(port) is taken by another program: stop it, or choose another port with --port or TREU_PORT\n")
        #expect(!outcome.output.contains("first admin key"))
        // No key was made: the next start that binds shows the first one.
        #expect(try treu.run(["keys", "list"]).output.split(separator: "\n").count == 1)
    }

    @Test func verifyOnANewDatabaseFindsNothingWrong() throws {
        let treu = try Treu()
        let outcome = try treu.run(["verify"])
        #expect(outcome.status == 0)
        #expect(outcome.output == "checked 0 members: every balance agrees with its entries\n")
    }

    @Test func messagesListsEmailsAndRefusesWhatIsNeitherADeliveryNorAnEmail() throws {
        let treu = try Treu()
        _ = try treu.run(["migrate"])
        #expect(try treu.run(["messages", "list", "--emails"]).output == "emails: 0 listed\n")
        let wrong = try treu.run(["messages", "list", "--emails", "--status", "dead"])
        #expect(wrong.status != 0 && wrong.errors.contains("--status is pending, sent, failed or skipped for emails, not 'dead'"))
        let neither = try treu.run(["messages", "replay", "yesterday"])
        #expect(neither.status != 0 && neither.errors.contains("'yesterday' is neither a delivery's number nor an email's id"))
        let unknown = try treu.run(["messages", "show", UUID().uuidString])
        #expect(unknown.status != 0 && unknown.errors.contains("no email has the id"))
    }

    @Test func migrateReportsAndRefusesUnknownVersions() throws {
        let treu = try Treu()
        #expect(try treu.run(["migrate"]).output == "schema version 0 → 18 (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18)\n")
        #expect(try treu.run(["migrate"]).output == "schema is at version 18; nothing to do\n")
        let unknown = try treu.run(["migrate", "--to", "19"])
        #expect(unknown.status != 0)
        #expect(unknown.errors == "Error: there is no schema version 19 (this build knows 0 to 18)\n")
    }
}
