import Foundation
import TreuServer
import TreuStore

extension DemoShop {
    public struct Loaded: Sendable {
        public var members: Int
        public var events: OrderImport.Summary
    }

    /// Writes the shop's files to a temporary folder and imports them: members, then the history.
    /// - Throws: if the database has members already (a demo fills an empty one).
    public func load(into environment: TreuEnvironment,
                     progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in }) async throws -> Loaded {
        guard try await environment.store.memberCount() == 0 else { throw DemoError.notEmpty }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("treu-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        progress("generating", 0, 0)
        let files = try write(to: folder)
        let members = try await MemberImport.run(path: files.members.path, environment: environment) { _, done, total in
            progress("members", done, total)
        }
        let events = try await OrderImport.run(path: files.orders.path, environment: environment) { phase, done, total in
            progress(phase == .reading ? "reading" : "orders", done, total)
        }
        return Loaded(members: members, events: events)
    }
}

public enum DemoError: Error, CustomStringConvertible {
    case notEmpty
    public var description: String { "the database has members already: a demo fills an empty one (give --database another file)" }
}
