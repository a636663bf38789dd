import Foundation
import TreuCore

/// A request field the server does not know: refused rather than ignored, so a typo
/// (`"emial"`) is caught at once instead of silently losing data.
struct UnknownFieldError: Error {
    let path: String
}

/// Any key at all, to list the keys a JSON object really has.
struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int? = nil
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws `UnknownFieldError` if the object being decoded has a key outside `Keys`.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        // Each key asked of `Keys` itself (a switch over its cases): no set of names built per object.
        let container = try container(keyedBy: AnyCodingKey.self)
        if let unknown = container.allKeys.first(where: { Keys(stringValue: $0.stringValue) == nil }) {
            let path = (codingPath.map(\.stringValue) + [unknown.stringValue]).joined(separator: ".")
            throw UnknownFieldError(path: path)
        }
    }
}

/// Decodes a request body, turning every way it can be wrong into a `Problem` with its own code.
enum RequestBody {
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as UnknownFieldError {
            throw Problem(.badRequest, code: "unknown_field", detail: "unknown field '\(error.path)'", field: error.path)
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    /// The problem for any error decoding a part of a body (an event of a batch).
    static func problem(for error: any Error) -> Problem {
        switch error {
        case let error as UnknownFieldError:
            return Problem(.badRequest, code: "unknown_field", detail: "unknown field '\(error.path)'", field: error.path)
        case let error as DecodingError: return problem(for: error)
        case is ValidationError, is Problem: return Problem.from(error)
        default:
            // Foundation's decoder throws its own (internal) error for a number no Swift integer
            // holds when it decodes part of a document: a request's fault, said without its internals.
            let text = "\(error)"
            if text.contains("numberIsNotRepresentable"), let start = text.range(of: "parsed: \""), let end = text.range(of: "\"", range: start.upperBound..<text.endIndex) {
                return Problem(.badRequest, code: "invalid_field",
                               detail: "'\(text[start.upperBound..<end.lowerBound])' is not a whole number in the range of its field")
            }
            return Problem(.badRequest, code: "malformed_json", detail: "this part of the body could not be read")
        }
    }

    static func problem(for error: DecodingError) -> Problem {
        func path(_ context: DecodingError.Context, _ extra: CodingKey? = nil) -> String {
            (context.codingPath + (extra.map { [$0] } ?? [])).map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context, key)
            return Problem(.badRequest, code: "missing_field", detail: "the field '\(field)' is required", field: field)
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = path(context)
            return Problem(.badRequest, code: "invalid_field",
                           detail: "the field '\(field)' has the wrong type: \(context.debugDescription)", field: field)
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return Problem(.badRequest, code: "malformed_json", detail: "the body is not valid JSON")
        case .dataCorrupted(let context):
            let field = path(context)
            return Problem(.badRequest, code: "invalid_field", detail: "the field '\(field)' is not valid: \(context.debugDescription)", field: field)
        @unknown default:
            return Problem(.badRequest, code: "malformed_json", detail: "the body could not be read")
        }
    }
}
