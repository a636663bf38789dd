import Foundation
import TreuCore

/// A request field the server does not know: refused rather than ignored, so a typo
/// (`"emial"`) is caught at once instead of silently losing data.
struct UnknownFieldError: Error {
    let path: String
}

/// A field sent as `null` that takes no null: refused rather than read as absent.
struct NullFieldError: Error {
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
    /// Throws `UnknownFieldError` if the object being decoded has a key outside `Keys`, and
    /// `NullFieldError` for a key sent as `null` that is not among `nullable`.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type, nullable: [Keys] = []) throws {
        // Each key asked of `Keys` itself (a switch over its cases): no set of names built per object.
        let container = try container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys {
            guard let known = Keys(stringValue: key.stringValue) else {
                throw UnknownFieldError(path: (codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))
            }
            if try container.decodeNil(forKey: key), !nullable.contains(where: { $0.stringValue == known.stringValue }) {
                throw NullFieldError(path: (codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))
            }
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
        } catch let error as NullFieldError {
            throw nullProblem(error)
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    static func nullProblem(_ error: NullFieldError) -> Problem {
        Problem(.badRequest, code: "invalid_field", detail: "the field '\(error.path)' takes no null: leave it out instead", field: error.path)
    }

    /// The values each enumerated field takes, by the name of its type, for the problem that
    /// names them (Foundation's own message names Swift types).
    static let allowedValues: [String: [String]] = [
        "MemberStatus": MemberStatus.allCases.map(\.rawValue), "MemberLocale": MemberLocale.allCases.map(\.rawValue),
        "IdentityKind": IdentityKind.allCases.map(\.rawValue), "Role": Role.allCases.map(\.rawValue),
    ]

    /// What a field of a Swift type is, in words.
    static func kind(of type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type: "a whole number"
        case is Double.Type: "a number"
        case is String.Type: "text"
        case is Bool.Type: "true or false"
        case is [Any].Type: "a list"
        case is [String: Any].Type: "an object"
        default: "\(type)".hasPrefix("Array") ? "a list" : "an object"
        }
    }

    /// The problem for any error decoding a part of a body (an event of a batch).
    static func problem(for error: any Error) -> Problem {
        switch error {
        case let error as UnknownFieldError:
            return Problem(.badRequest, code: "unknown_field", detail: "unknown field '\(error.path)'", field: error.path)
        case let error as NullFieldError: return nullProblem(error)
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
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = path(context)
            if field.isEmpty { return Problem(.badRequest, code: "invalid_field", detail: "the body is \(kind(of: type))") }
            return Problem(.badRequest, code: "invalid_field", detail: "the field '\(field)' is \(kind(of: type))", field: field)
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return Problem(.badRequest, code: "malformed_json", detail: "the body is not valid JSON")
        case .dataCorrupted(let context):
            let field = path(context)
            // "Cannot initialize MemberStatus from invalid String value erased": the allowed values instead.
            let text = context.debugDescription
            if text.hasPrefix("Cannot initialize "), let type = text.dropFirst("Cannot initialize ".count).split(separator: " ").first,
               let allowed = allowedValues[String(type)] {
                let value = text.components(separatedBy: " value ").last ?? ""
                return Problem(.badRequest, code: "invalid_field", detail: "the field '\(field)' is one of \(allowed.joined(separator: ", ")), not '\(value)'", field: field)
            }
            if text.contains("does not fit") || text.contains("not representable") {
                return Problem(.badRequest, code: "invalid_field", detail: "the field '\(field)' is a whole number in the range it takes", field: field)
            }
            return Problem(.badRequest, code: "invalid_field", detail: "the field '\(field)' is not valid", field: field)
        @unknown default:
            return Problem(.badRequest, code: "malformed_json", detail: "the body could not be read")
        }
    }
}
