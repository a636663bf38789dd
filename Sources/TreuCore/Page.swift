import Foundation

/// A query for a page of members: newest last, resumed after `after`.
public struct MemberQuery: Sendable, Equatable {
    public var search: String?
    public var status: MemberStatus?
    public var after: UUID?
    public var limit: Int

    public static let maxLimit = 200

    public init(search: String? = nil, status: MemberStatus? = nil, after: UUID? = nil, limit: Int = 50) {
        self.search = search.map { $0.trimmingSpaces().lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        self.status = status
        self.after = after
        self.limit = min(max(limit, 1), Self.maxLimit)
    }
}

/// One page of a list and the cursor that continues it (`nil` on the last page).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?
    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// Opaque cursors: the id of the last item seen, base64url so clients do not build them.
public enum Cursor {
    public static func encode(_ id: UUID) -> String {
        Data(id.uuidString.lowercased().utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) throws(ValidationError) -> UUID {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let string = String(data: data, encoding: .utf8),
              let id = UUID(uuidString: string) else {
            throw ValidationError(code: "invalid_cursor", field: "cursor", message: "the cursor is not one this server gave")
        }
        return id
    }
}
