import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TreuTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `treu serve` processes with a real receiver: a server killed with SIGKILL while 1,000
/// deliveries are due loses none of them, and two servers on one PostgreSQL never both deliver one.
@Suite("Deliveries survive a killed server and are shared by two", .serialized)
struct DeliveryKillTests {
    /// A `treu serve` on its own port, with what it printed when it became ready.
    final class Server: @unchecked Sendable {
        let process = Process()
        let address: String
        let firstKey: String?

        init(folder: URL, database: String, timeout: Double = 1) throws {
            process.executableURL = Treu.executable
            process.arguments = ["serve", "--port", "0", "--log-level", "error"]
            process.currentDirectoryURL = folder
            process.environment = ["PATH": "/usr/bin:/bin", "TREU_DATABASE_URL": database, "TREU_WEBHOOK_ALLOW_PRIVATE": "true",
                                   "TREU_WEBHOOK_TIMEOUT_SECONDS": "\(timeout)", "TREU_WEBHOOK_RETRY_SECONDS": "0.2"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Everything it prints on start comes in one write that ends with the key's lines, if any.
            var text = ""
            while !text.contains("metrics:") || (text.contains("first admin key") && !text.contains("try:")), process.isRunning {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            let lines = text.split(separator: "\n")
            address = String(lines.first { $0.hasPrefix("Treu is ready at ") }?.split(separator: " ").last ?? "")
            firstKey = lines.first { $0.contains("first admin key") }?.split(separator: " ").last.map(String.init)
        }

        func kill() {
            Glibc.kill(process.processIdentifier, SIGKILL)
            for _ in 0..<500 where process.isRunning { usleep(10_000) }
        }

        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            for _ in 0..<1_000 where process.isRunning { usleep(10_000) }
        }

        func call(_ method: String, _ path: String, key: String, json: String? = nil) async throws -> (Int, [String: Any]) {
            var request = URLRequest(url: URL(string: address + path)!)
            request.httpMethod = method
            request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
            if let json {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(json.utf8)
            }
            request.timeoutInterval = 120
            let (data, response) = try await URLSession.shared.data(for: request)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
        }
    }

    /// A new database for one test: a SQLite file, or a PostgreSQL database of its own (dropped after).
    static func database(_ backend: Backend, in folder: URL) throws -> (url: String, drop: () -> Void) {
        guard backend == .postgres, let base = TestStores.postgresURL, var components = URLComponents(string: base) else {
            return (folder.appendingPathComponent("treu.sqlite").path, {})
        }
        let name = "treu_cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        func psql(_ sql: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["psql", base, "-v", "ON_ERROR_STOP=1", "-qc", sql]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }
        try psql("CREATE DATABASE \(name)")
        components.path = "/" + name
        return (components.string!, { try? psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") })
    }

    /// 1,000 orders of 1,000 customers, one batch: 1,000 points.earned notices.
    static let orders: String = {
        let events = (1...1_000).map { n in
            """
            {"type": "order", "reference": "K-\(n)", "at": "2026-11-20T10:00:00Z", "member": {"email": "c\(n)@example.com"},
             "currency": "EUR", "lines": [{"sku": "TEA", "quantity": 1, "unit_price": 1000}]}
            """
        }
        return #"{"events": ["# + events.joined(separator: ",") + "]}"
    }()

    static func subscribe(_ server: Server, key: String, receiver: WebhookReceiver) async throws {
        let (status, endpoint) = try await server.call("POST", "/v1/webhooks", key: key,
                                                       json: #"{"url": "\#(receiver.url)", "types": ["points.earned"]}"#)
        #expect(status == 201)
        try await receiver.control(secrets: [try #require(endpoint["secret"] as? String)])
    }

    @Test(arguments: TestStores.available)
    func aServerKilledWhileAThousandAreDueDeliversEveryOneWhenStartedAgain(backend: Backend) async throws {
        let treu = try Treu()
        let (database, drop) = try Self.database(backend, in: treu.folder)
        defer { drop() }
        // Slow enough that the kill comes mid-way: 64 at a time, 150 ms each.
        let receiver = try WebhookReceiver(delayMilliseconds: 150)
        let first = try Server(folder: treu.folder, database: database)
        let key = try #require(first.firstKey)
        try await Self.subscribe(first, key: key, receiver: receiver)
        let (status, _) = try await first.call("POST", "/v1/events/batch", key: key, json: Self.orders)
        #expect(status == 200)
        let before = try await receiver.wait(seconds: 60) { $0.count >= 100 }
        first.kill()
        let atKill = try await receiver.received().count
        #expect(before.count >= 100 && atKill < 1_000, "killed after \(atKill) of 1,000")

        let again = try Server(folder: treu.folder, database: database)
        defer { again.stop() }
        let all = try await receiver.wait(seconds: 120) { Set($0.compactMap(\.id)).count >= 1_000 }
        let ids = Set(all.compactMap(\.id))
        #expect(ids.count == 1_000, "every notice delivered: \(ids.count) of 1,000")
        // A request the kill cut short (headers sent, body not) is no delivery; every whole one verifies.
        let unverified = all.filter { !$0.verified && $0.complete }
        #expect(unverified.isEmpty, "every delivery verifies: \(unverified.prefix(3).map { "\($0.error ?? "") \($0.body.prefix(80))" })")
        #expect(all.filter { !$0.complete }.count <= 64)
        // Those out with the killed server when it died may come twice, under the same id; none else.
        #expect(all.count - ids.count <= 64 * 2, "\(all.count - ids.count) twins")
        // Those out with the killed server stay with it until their lease ends, then go again.
        for _ in 0..<300 {
            let (_, pending) = try await again.call("GET", "/v1/deliveries?status=pending&limit=1", key: key)
            if (pending["items"] as? [Any])?.isEmpty == true { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        again.stop()
        // The command line tells the same: every one delivered, none pending or dead.
        let listed = try treu.run(["messages", "list", "--status", "delivered", "--limit", "1", "--database", database])
        #expect(listed.status == 0 && listed.output.hasPrefix("outbox: 0 pending, 1000 delivered, 0 dead\n"), "\(listed.output)\(listed.errors)")
        #expect(listed.output.contains("points.earned"))
        let id = try #require(listed.output.split(separator: "\n").last?.split(separator: " ").first.map(String.init))
        let shown = try treu.run(["messages", "show", id, "--database", database])
        #expect(shown.output.contains("answered 200"), "\(shown.output)")
        let replayed = try treu.run(["messages", "replay", id, "--database", database])
        #expect(replayed.status == 0 && replayed.output.contains("due again"))
        let unknown = try treu.run(["messages", "replay", "99999999", "--database", database])
        #expect(unknown.status != 0 && unknown.errors == "Error: no delivery has the id 99999999\n")
    }

    @Test(.enabled(if: TestStores.postgresEnabled, "needs PostgreSQL"))
    func twoServersOnOnePostgresNeverDeliverOneNoticeTwice() async throws {
        let treu = try Treu()
        let (database, drop) = try Self.database(.postgres, in: treu.folder)
        defer { drop() }
        let receiver = try WebhookReceiver(delayMilliseconds: 20)
        // A loaded machine can hold one request past a second; then it goes again, rightly (a timeout is no answer).
        let a = try Server(folder: treu.folder, database: database, timeout: 5)
        defer { a.stop() }
        let key = try #require(a.firstKey)
        let b = try Server(folder: treu.folder, database: database, timeout: 5)
        defer { b.stop() }
        #expect(b.firstKey == nil && !b.address.isEmpty)
        // Subscribed through A; B hears of the endpoint within a second.
        try await Self.subscribe(a, key: key, receiver: receiver)
        try await Task.sleep(for: .seconds(2))
        let (status, _) = try await b.call("POST", "/v1/events/batch", key: key, json: Self.orders)
        #expect(status == 200)
        let all = try await receiver.wait(seconds: 120) { Set($0.compactMap(\.id)).count >= 1_000 }
        try await Task.sleep(for: .seconds(1))
        let final = try await receiver.received()
        let ids = final.compactMap(\.id)
        #expect(Set(ids).count == 1_000, "\(Set(ids).count) of 1,000 notices")
        #expect(final.allSatisfy { $0.verified })
        // A notice that came twice went again after an attempt Treu recorded as failed (a timeout),
        // never because both servers claimed it: its record shows the failure before the success.
        let twins = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys
        if !twins.isEmpty {
            var retried: [String: [[String: Any]]] = [:]
            var cursor = ""
            repeat {
                let (_, page) = try await a.call("GET", "/v1/deliveries?limit=200&cursor=\(cursor)", key: key)
                for item in page["items"] as? [[String: Any]] ?? [] where twins.contains(item["webhook_id"] as? String ?? "") {
                    let (_, one) = try await a.call("GET", "/v1/deliveries/\(item["id"] ?? "")", key: key)
                    retried[item["webhook_id"] as? String ?? ""] = one["history"] as? [[String: Any]] ?? []
                }
                cursor = page["next_cursor"] as? String ?? ""
            } while !cursor.isEmpty
            for twin in twins {
                let attempts = retried[twin] ?? []
                let failedFirst = attempts.count >= 2 && attempts.dropLast().allSatisfy { ($0["status"] as? Int).map { !(200..<300).contains($0) } ?? true }
                #expect(failedFirst, "\(twin) came \(ids.filter { $0 == twin }.count) times; its attempts: \(attempts)")
            }
        }
        #expect(all.count >= 1_000)
    }
}
