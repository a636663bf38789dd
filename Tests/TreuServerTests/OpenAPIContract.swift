import Foundation
import Testing
import TreuCore
@testable import TreuServer

/// Holds answers to the OpenAPI document: the operation exists, the status is declared for it,
/// the content type is the declared one, and the body matches the declared schema; and holds a
/// request the server accepted to its operation's request body schema.
/// A small JSON Schema checker: type, enum, const, required, properties, additionalProperties,
/// items, $ref, oneOf, anyOf, pattern, format (date-time, date, uuid), minimum, maximum,
/// exclusiveMinimum, minLength, maxLength.
struct OpenAPIContract: @unchecked Sendable {
    let document: [String: Any]

    static let shared = OpenAPIContract()

    init() {
        document = (try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))) as? [String: Any] ?? [:]
    }

    var paths: [String: Any] { document["paths"] as? [String: Any] ?? [:] }

    /// Every (method, path template) the document describes, as "GET /v1/members/{id}".
    var operations: Set<String> {
        var result = Set<String>()
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                result.insert("\(method.uppercased()) \(path)")
            }
        }
        return result
    }

    /// The template that a concrete path matches, preferring literal segments (`lookup` over `{id}`).
    func template(for path: String) -> String? {
        let segments = path.split(separator: "?").first.map { $0.split(separator: "/") } ?? []
        var best: (String, Int)?
        for template in paths.keys {
            let parts = template.split(separator: "/")
            guard parts.count == segments.count else { continue }
            var literal = 0
            var matches = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{") { continue }
                if part == segment { literal += 1 } else { matches = false; break }
            }
            if matches, literal > (best?.1 ?? -1) { best = (template, literal) }
        }
        return best?.0
    }

    /// The problems with this answer, none if it is as documented.
    func violations(method: String, path: String, status: Int, contentType: String?, body: Data) -> [String] {
        guard let template = template(for: path),
              let operation = (paths[template] as? [String: Any])?[method.lowercased()] as? [String: Any] else {
            return ["\(method) \(path) is not in the document"]
        }
        guard let declared = (operation["responses"] as? [String: Any])?[String(status)] as? [String: Any] else {
            return ["\(method) \(template) answered \(status), which the document does not declare"]
        }
        let response = resolve(declared)
        guard let content = response["content"] as? [String: Any] else {
            return body.isEmpty ? [] : ["\(method) \(template) \(status) has a body the document does not describe"]
        }
        let type = (contentType ?? "").split(separator: ";").first.map(String.init) ?? ""
        guard let media = content[type] as? [String: Any] else {
            return ["\(method) \(template) \(status) answered \(type), the document says \(content.keys.sorted())"]
        }
        guard type.hasSuffix("json"), let schema = media["schema"] else { return [] }
        guard let value = JSON.parse(body) else {
            return ["\(method) \(template) \(status): the body is not JSON"]
        }
        return check(value, against: schema, at: "$")
    }

    /// The problems with a request body the server accepted (a 2xx answer): a request the
    /// document says is wrong must not be taken.
    func requestViolations(method: String, path: String, body: Data) -> [String] {
        guard !body.isEmpty, let template = template(for: path),
              let operation = (paths[template] as? [String: Any])?[method.lowercased()] as? [String: Any],
              let content = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any],
              let schema = (content["application/json"] as? [String: Any])?["schema"] else { return [] }
        guard let value = JSON.parse(body) else { return ["\(method) \(template): the accepted request is not JSON"] }
        return check(value, against: schema, at: "request")
    }

    func resolve(_ schema: Any) -> [String: Any] {
        guard let schema = schema as? [String: Any] else { return [:] }
        if let ref = schema["$ref"] as? String {
            // "#/components/schemas/Member", "#/components/responses/Unauthorized"
            let parts = ref.split(separator: "/").map(String.init)
            guard parts.count == 4 else { return [:] }
            return resolve(((document["components"] as? [String: Any])?[parts[2]] as? [String: Any])?[parts[3]] ?? [:])
        }
        return schema
    }

    func check(_ value: JSON, against rawSchema: Any, at path: String) -> [String] {
        let schema = resolve(rawSchema)
        var problems: [String] = []
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }) {
            guard types.contains(where: value.isType) else { return ["\(path): \(value) is not of type \(types)"] }
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { JSON.from($0) == value }) {
            problems.append("\(path): \(value) is not one of \(allowed.map { JSON.from($0)?.description ?? "?" })")
        }
        if let constant = schema["const"], JSON.from(constant) != value {
            problems.append("\(path): \(value) is not \(JSON.from(constant)?.description ?? "?")")
        }
        if let choices = schema["oneOf"] as? [Any] {
            let matching = choices.filter { check(value, against: $0, at: path).isEmpty }.count
            if matching != 1 { problems.append("\(path): \(value) matches \(matching) of oneOf's \(choices.count) schemas, not exactly one") }
        }
        if let choices = schema["anyOf"] as? [Any], !choices.contains(where: { check(value, against: $0, at: path).isEmpty }) {
            problems.append("\(path): \(value) matches none of anyOf's schemas")
        }
        if case .string(let text) = value {
            if let pattern = schema["pattern"] as? String,
               (try? NSRegularExpression(pattern: pattern))?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                problems.append("\(path): '\(text)' does not match \(pattern)")
            }
            if let format = schema["format"] as? String, !Self.hasFormat(text, format) {
                problems.append("\(path): '\(text)' is not a \(format)")
            }
            if let least = schema["minLength"] as? Int, text.count < least { problems.append("\(path): '\(text)' is shorter than \(least)") }
            if let most = schema["maxLength"] as? Int, text.count > most { problems.append("\(path): '\(text)' is longer than \(most)") }
        }
        if case .number(let number) = value {
            if let least = (schema["minimum"] as? NSNumber)?.doubleValue, number < least { problems.append("\(path): \(number) is below \(least)") }
            if let most = (schema["maximum"] as? NSNumber)?.doubleValue, number > most { problems.append("\(path): \(number) is above \(most)") }
            if let bound = (schema["exclusiveMinimum"] as? NSNumber)?.doubleValue, number <= bound { problems.append("\(path): \(number) is not above \(bound)") }
        }
        if case .object(let object) = value {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): '\(key)' is required")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, element) in object {
                if let property = properties[key] {
                    problems += check(element, against: property, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] {
                    if let allowed = additional as? Bool, !allowed {
                        problems.append("\(path): '\(key)' is not in the document")
                    } else if additional is [String: Any] {
                        problems += check(element, against: additional, at: "\(path).\(key)")
                    }
                }
            }
        }
        if case .array(let array) = value, let items = schema["items"] {
            for (index, element) in array.enumerated() { problems += check(element, against: items, at: "\(path)[\(index)]") }
        }
        return problems
    }
}

extension OpenAPIContract {
    /// JSON Schema's formats the document uses: RFC 3339 times and days, UUIDs.
    static func hasFormat(_ text: String, _ format: String) -> Bool {
        switch format {
        case "date-time": return Timestamp.parse(text) != nil
        case "date": return (try? CalendarDate(text)) != nil
        case "uuid": return UUID(uuidString: text) != nil
        default: return true
        }
    }
}

/// A JSON value, read strictly (true is never a number), for checking and for test assertions.
enum JSON: Decodable, Equatable, CustomStringConvertible {
    case null, bool(Bool), number(Double), string(String), array([JSON]), object([String: JSON])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let v = try? c.decode(Bool.self) { self = .bool(v) }
        else if let v = try? c.decode(Double.self) { self = .number(v) }
        else if let v = try? c.decode(String.self) { self = .string(v) }
        else if let v = try? c.decode([JSON].self) { self = .array(v) }
        else { self = .object(try c.decode([String: JSON].self)) }
    }

    static func parse(_ data: Data) -> JSON? { try? JSONDecoder().decode(JSON.self, from: data) }

    /// A value of the document as JSONSerialization read it.
    static func from(_ any: Any) -> JSON? {
        switch any {
        case is NSNull: return .null
        case let number as NSNumber:
            return String(cString: number.objCType) == "c" ? .bool(number.boolValue) : .number(number.doubleValue)
        case let text as String: return .string(text)
        case let list as [Any]: return .array(list.compactMap(from))
        case let object as [String: Any]: return .object(object.compactMapValues(from))
        default: return nil
        }
    }

    func isType(_ type: String) -> Bool {
        switch (self, type) {
        case (.null, "null"), (.bool, "boolean"), (.number, "number"), (.string, "string"), (.array, "array"), (.object, "object"): true
        case (.number(let n), "integer"): n.rounded() == n
        default: false
        }
    }

    subscript(key: String) -> JSON? { if case .object(let o) = self { o[key] } else { nil } }
    subscript(index: Int) -> JSON? { if case .array(let a) = self, a.indices.contains(index) { a[index] } else { nil } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var array: [JSON]? { if case .array(let a) = self { a } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var double: Double? { if case .number(let n) = self { n } else { nil } }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .number(let n): "\(n)"
        case .string(let s): "\"\(s)\""
        case .array(let a): "\(a)"
        case .object(let o): "\(o)"
        }
    }
}
