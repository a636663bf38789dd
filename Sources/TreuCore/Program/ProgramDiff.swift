import Foundation

/// What changed between two program documents: every leaf (a value, or an empty list or
/// object) by its path, with its JSON before and after (nil where it is absent).
public enum ProgramDiff {
    public struct Change: Equatable, Sendable {
        public var path: String
        public var before: String?
        public var after: String?
        public init(path: String, before: String?, after: String?) {
            self.path = path
            self.before = before
            self.after = after
        }
    }

    public static func changes(from old: Data, to new: Data) throws -> [Change] {
        let a = flatten(try JSONSerialization.jsonObject(with: old)), b = flatten(try JSONSerialization.jsonObject(with: new))
        return Set(a.keys).union(b.keys).sorted().compactMap { path in
            a[path] == b[path] ? nil : Change(path: path, before: a[path], after: b[path])
        }
    }

    static func flatten(_ value: Any, _ path: String = "", into leaves: inout [String: String]) {
        if let object = value as? [String: Any], !object.isEmpty {
            for (key, child) in object { flatten(child, path.isEmpty ? key : "\(path).\(key)", into: &leaves) }
        } else if let list = value as? [Any], !list.isEmpty {
            for (index, child) in list.enumerated() { flatten(child, "\(path)[\(index)]", into: &leaves) }
        } else {
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
            leaves[path] = data.map { String(decoding: $0, as: UTF8.self) } ?? "null"
        }
    }

    static func flatten(_ value: Any) -> [String: String] {
        var leaves: [String: String] = [:]
        flatten(value, into: &leaves)
        return leaves
    }
}
