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

    /// An event's reference that is empty, longer than 128 characters or holds a control
    /// character (a NUL, a line break); nil for a good one.
    public static func reference(_ reference: String, field: String = "reference") -> ValidationError? {
        guard reference.isEmpty || reference.count > 128 || reference.containsControlCharacter else { return nil }
        return ValidationError(code: "invalid_reference", field: field, message: "a reference has 1 to 128 characters and no control characters")
    }
}

extension String {
    /// Whether the text holds a control character (U+0000–U+001F, U+007F–U+009F): never part of
    /// an identifier, and a NUL cannot be stored in PostgreSQL's text at all.
    public var containsControlCharacter: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// The text with control characters written as escapes (`\u{0}`), for a terminal or a log.
    public var escapingControlCharacters: String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar.properties.generalCategory == .control {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
