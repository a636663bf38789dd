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
