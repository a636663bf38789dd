/// A request that Treu refuses because of what it says, with a stable `code` that clients can
/// switch on (it becomes the `code` of an RFC 9457 problem over HTTP) and the field it concerns.
public struct ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: String
    public let field: String?
    public let message: String

    public init(code: String, field: String? = nil, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { message }

    /// An event's reference that is empty or longer than 128 characters; nil for a good one.
    public static func reference(_ reference: String) -> ValidationError? {
        guard reference.isEmpty || reference.count > 128 else { return nil }
        return ValidationError(code: "invalid_reference", field: "reference", message: "a reference has 1 to 128 characters")
    }
}
