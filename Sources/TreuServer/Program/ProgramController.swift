import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// /v1/program: the program document in versions. PUT checks a draft and stores it as a new
/// version in force from its effective date (an invalid one is refused with every problem and
/// its path, and nothing changes); GET shows the version in force, the versions, and what
/// changed between two. Version 0 is Treu's standard program, in force until the first.
struct ProgramController: Sendable {
    let environment: TreuEnvironment

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .get, "program", .readProgram) { _, _, _ in
            let versions = try await all()
            let inForce = try await environment.programs.book().version(at: environment.clock.now()).number
            return .json(writing: versions.first { $0.version == inForce }.map { VersionResource(stored: $0, inForce: true) }!)
        }
        endpoints.register(v1, .get, "program/versions", .readProgram) { _, _, _ in
            let inForce = try await environment.programs.book().version(at: environment.clock.now()).number
            let items = try await all().map { VersionResource(stored: $0, inForce: $0.version == inForce) }
            var w = JSONWriter()
            w.object { w in
                w.key("items")
                w.array(items) { w, item in item.write(to: &w) }
            }
            return APIResponse(status: .ok, contentType: "application/json", body: w.data)
        }
        endpoints.register(v1, .get, "program/versions/:version", .readProgram) { _, context, _ in
            let number = try version(context.parameters.get("version"), "version")
            guard let stored = try await all().first(where: { $0.version == number }) else {
                throw Problem(.notFound, code: "version_not_found", detail: "there is no program version \(number)")
            }
            let inForce = try await environment.programs.book().version(at: environment.clock.now()).number
            return .json(writing: VersionResource(stored: stored, inForce: stored.version == inForce))
        }
        endpoints.register(v1, .get, "program/diff", .readProgram) { request, _, _ in
            let query = request.uri.queryParameters
            let from = try version(query["from"].map(String.init), "from"), to = try version(query["to"].map(String.init), "to")
            let versions = try await all()
            guard let a = versions.first(where: { $0.version == from }), let b = versions.first(where: { $0.version == to }) else {
                throw Problem(.notFound, code: "version_not_found", detail: "there is no program version \(versions.contains { $0.version == from } ? to : from)")
            }
            let changes = try ProgramDiff.changes(from: Data(a.document.utf8), to: Data(b.document.utf8))
            var w = JSONWriter()
            w.object { w in
                w.key("changes")
                w.array(changes) { w, change in
                    w.object { w in
                        w.key("after")
                        if let after = change.after { w.raw(after) } else { w.value(nil as String?) }
                        w.key("before")
                        if let before = change.before { w.raw(before) } else { w.value(nil as String?) }
                        w.field("path", change.path)
                    }
                }
                w.field("from", from)
                w.field("to", to)
            }
            return APIResponse(status: .ok, contentType: "application/json", body: w.data)
        }
        endpoints.register(v1, .put, "program", .manageProgram) { _, context, body in
            let (document, effectiveFrom) = try Self.draft(body)
            let now = environment.clock.now()
            let actor = context.principal.map { "\($0.name) (\($0.prefix)…)" }
            let (stored, created) = try await environment.programs.publish(document, effectiveFrom: effectiveFrom ?? now, now: now, by: actor)
            let inForce = try await environment.programs.book().version(at: now).number
            return .json(writing: VersionResource(stored: stored, inForce: stored.version == inForce), status: created ? .created : .ok)
        }
    }

    /// The stored versions with the standard program as version 0.
    func all() async throws -> [StoredProgram] {
        let standard = StoredProgram(version: 0, effectiveFrom: .distantPast, document: try Self.canonical(Data(Program.standardDocument.utf8)),
                                     createdAt: .distantPast, createdBy: nil)
        return [standard] + (try await environment.programs.versions())
    }

    func version(_ text: String?, _ name: String) throws -> Int {
        guard let text, let number = Int(text), number >= 0 else {
            throw Problem(.badRequest, code: "invalid_parameter", detail: "\(name) is a program version number (0, 1, 2, …)", field: name)
        }
        return number
    }

    /// `{"effective_from": "…", "document": {…}}`: the document in canonical form (keys sorted, no spaces).
    static func draft(_ body: Data) throws -> (Data, Date?) {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw Problem(.badRequest, code: "malformed_json", detail: "the body is a JSON object with a document")
        }
        if let unknown = object.keys.sorted().first(where: { !["document", "effective_from"].contains($0) }) {
            throw Problem(.badRequest, code: "unknown_field", detail: "unknown field '\(unknown)'", field: unknown)
        }
        guard let document = object["document"] as? [String: Any] else {
            throw Problem(.unprocessableContent, code: "missing_field", detail: "the field 'document' (the program, an object) is required", field: "document")
        }
        var effectiveFrom: Date?
        if let value = object["effective_from"] {
            guard let text = value as? String, let date = Timestamp.parse(text) else {
                throw Problem(.unprocessableContent, code: "invalid_time", detail: "effective_from is a time such as 2027-01-01T00:00:00+01:00", field: "effective_from")
            }
            effectiveFrom = date
        }
        return (try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes]), effectiveFrom)
    }

    static func canonical(_ document: Data) throws -> String {
        let object = try JSONSerialization.jsonObject(with: document)
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    struct VersionResource: JSONWritable {
        var stored: StoredProgram
        var inForce: Bool

        func write(to w: inout JSONWriter) {
            w.object { w in
                w.field("created_at", stored.version == 0 ? nil : stored.createdAt)
                w.field("created_by", stored.createdBy)
                w.key("document")
                w.raw(stored.document)
                w.field("effective_from", stored.version == 0 ? nil : stored.effectiveFrom)
                w.field("in_force", inForce)
                w.field("version", stored.version)
            }
        }
    }
}

extension APIResponse {
    static func json(writing value: some JSONWritable, status: HTTPResponse.Status = .ok) -> APIResponse {
        APIResponse(status: status, contentType: "application/json", body: value.jsonData)
    }
}
