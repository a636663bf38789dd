import Foundation
import Hummingbird

/// What the routes read from a request's path and query, one way for every concern.
extension TreuContext {
    /// The member named by the path's `{id}`; a malformed id is a member nobody has (404).
    func memberID() throws -> UUID {
        guard let id = parameters.get("id", as: UUID.self) else { throw Problem.memberNotFound }
        return id
    }
}

enum QueryNumber {
    /// A whole number parameter in `range`, `value` when it is left out; 400 naming it otherwise
    /// (`invalid_cursor` for a cursor).
    static func read(_ text: Substring?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problem(.badRequest, code: name == "cursor" ? "invalid_cursor" : "invalid_parameter",
                          detail: "\(name) is a number from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return number
    }
}

/// A list's query: `limit` (1 to 200, 50 when left out), `status` (one of a kind's statuses)
/// and `cursor` (the number of the last item of the page before; empty or left out: the first).
struct ListQuery<Status: RawRepresentable & CaseIterable> where Status.RawValue == String {
    var limit: Int
    var status: Status?
    var before: Int64?

    init(_ parameters: Parameters) throws {
        limit = try QueryNumber.read(parameters["limit"], name: "limit", default: 50, range: 1...200)
        if let text = parameters["status"] {
            guard let value = Status(rawValue: String(text)) else {
                let names = Status.allCases.map(\.rawValue)
                throw Problem(.badRequest, code: "invalid_parameter",
                              detail: "status is \(names.dropLast().joined(separator: ", ")) or \(names.last ?? "")", field: "status")
            }
            status = value
        }
        let cursor = parameters["cursor"].flatMap { $0.isEmpty ? nil : $0 }
        before = try cursor.map { Int64(try QueryNumber.read($0, name: "cursor", default: 0, range: 1...Int.max)) }
    }

    /// A page of `found` (fetched with `limit + 1`), its cursor the last shown item's `number`.
    func page<Item>(_ found: [Item], number: (Item) -> Int64) -> (items: [Item], nextCursor: String?) {
        let page = Array(found.prefix(limit))
        return (page, found.count > limit ? page.last.map { String(number($0)) } : nil)
    }
}
