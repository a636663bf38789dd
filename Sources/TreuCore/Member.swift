import Foundation

/// Whether a member takes part in the program. A suspended member cannot earn or redeem.
public enum MemberStatus: String, Codable, Sendable, CaseIterable {
    case active
    case suspended
}

/// The languages member-facing texts are written in.
public enum MemberLocale: String, Codable, Sendable, CaseIterable {
    case en, de, vi
}

/// A member's marketing consents, each with the moment it last changed (proof for GDPR).
public struct Consents: Equatable, Sendable {
    public var marketingEmail: Bool
    public var marketingEmailChangedAt: Date?
    public var marketingSMS: Bool
    public var marketingSMSChangedAt: Date?

    public init(marketingEmail: Bool = false, marketingEmailChangedAt: Date? = nil,
                marketingSMS: Bool = false, marketingSMSChangedAt: Date? = nil) {
        self.marketingEmail = marketingEmail
        self.marketingEmailChangedAt = marketingEmailChangedAt
        self.marketingSMS = marketingSMS
        self.marketingSMSChangedAt = marketingSMSChangedAt
    }

    /// Sets a consent and stamps the change; setting it to what it already is changes nothing.
    mutating func set(email: Bool?, sms: Bool?, at now: Date) {
        if let email, email != marketingEmail || marketingEmailChangedAt == nil {
            marketingEmail = email
            marketingEmailChangedAt = now
        }
        if let sms, sms != marketingSMS || marketingSMSChangedAt == nil {
            marketingSMS = sms
            marketingSMSChangedAt = now
        }
    }
}

/// A customer of the shop who takes part in the program, found by any of their identities.
public struct Member: Equatable, Sendable {
    public let id: UUID
    public var name: String?
    public var locale: MemberLocale
    public var birthday: CalendarDate?
    public var attributes: [String: AttributeValue]
    public var consents: Consents
    public var status: MemberStatus
    /// Sorted by kind, then value.
    public var identities: [Identity]
    public let createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, name: String?, locale: MemberLocale, birthday: CalendarDate?,
                attributes: [String: AttributeValue], consents: Consents, status: MemberStatus,
                identities: [Identity], createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.locale = locale
        self.birthday = birthday
        self.attributes = attributes
        self.consents = consents
        self.status = status
        self.identities = identities.sorted()
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Lower-cased text that a member search matches: the name and every identity value.
    public var searchText: String {
        ([name ?? ""] + identities.map(\.value)).joined(separator: " ").lowercased()
    }
}

/// What a shop sends to enrol a member: a profile, consents and at least one identity.
public struct Enrolment: Sendable {
    public var name: String?
    public var locale: MemberLocale
    public var birthday: CalendarDate?
    public var attributes: [String: AttributeValue]
    public var marketingEmail: Bool?
    public var marketingSMS: Bool?
    public var identities: [Identity]

    public init(name: String? = nil, locale: MemberLocale = .en, birthday: CalendarDate? = nil,
                attributes: [String: AttributeValue] = [:], marketingEmail: Bool? = nil,
                marketingSMS: Bool? = nil, identities: [Identity]) {
        self.name = name
        self.locale = locale
        self.birthday = birthday
        self.attributes = attributes
        self.marketingEmail = marketingEmail
        self.marketingSMS = marketingSMS
        self.identities = identities
    }

    /// The new member, or every reason it cannot be one.
    /// - Throws: the first `ValidationError` found.
    public func makeMember(id: UUID, now: Date) throws(ValidationError) -> Member {
        guard !identities.isEmpty else {
            throw ValidationError(code: "identity_required", field: "identities",
                                  message: "a member needs at least one identity (email, phone, card or customer_id)")
        }
        guard Set(identities).count == identities.count else {
            throw ValidationError(code: "duplicate_identity", field: "identities",
                                  message: "the same identity is given twice")
        }
        try MemberRules.check(name: name)
        try MemberRules.check(attributes: attributes)
        var consents = Consents()
        consents.set(email: marketingEmail, sms: marketingSMS, at: now)
        return Member(id: id, name: name, locale: locale, birthday: birthday, attributes: attributes,
                      consents: consents, status: .active, identities: identities,
                      createdAt: now, updatedAt: now)
    }
}

/// A change to a member's profile: `nil` leaves a field as it is; `.some(nil)` clears it.
public struct MemberChange: Sendable {
    public var name: String??
    public var locale: MemberLocale?
    public var birthday: CalendarDate??
    /// Merged into the attributes; a key set to `nil` is removed.
    public var attributes: [String: AttributeValue?]?
    public var marketingEmail: Bool?
    public var marketingSMS: Bool?
    public var status: MemberStatus?

    public init(name: String?? = nil, locale: MemberLocale? = nil, birthday: CalendarDate?? = nil,
                attributes: [String: AttributeValue?]? = nil, marketingEmail: Bool? = nil,
                marketingSMS: Bool? = nil, status: MemberStatus? = nil) {
        self.name = name
        self.locale = locale
        self.birthday = birthday
        self.attributes = attributes
        self.marketingEmail = marketingEmail
        self.marketingSMS = marketingSMS
        self.status = status
    }

    /// The member after this change, stamped `now` if anything changed.
    public func applied(to member: Member, now: Date) throws(ValidationError) -> Member {
        var changed = member
        if let name { try MemberRules.check(name: name); changed.name = name }
        if let locale { changed.locale = locale }
        if let birthday { changed.birthday = birthday }
        if let attributes {
            for (key, value) in attributes { changed.attributes[key] = value }
            try MemberRules.check(attributes: changed.attributes)
        }
        changed.consents.set(email: marketingEmail, sms: marketingSMS, at: now)
        if let status { changed.status = status }
        if changed != member { changed.updatedAt = now }
        return changed
    }
}

/// Limits on a profile, so that one member cannot fill the database.
public enum MemberRules {
    public static let maxNameLength = 200
    public static let maxAttributes = 50
    public static let maxAttributeKeyLength = 64
    public static let maxAttributeStringLength = 1_000

    static func check(name: String?) throws(ValidationError) {
        guard let name else { return }
        guard name.count <= maxNameLength, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationError(code: "invalid_name", field: "name",
                                  message: "a name has at most \(maxNameLength) characters and no control characters")
        }
    }

    static func check(attributes: [String: AttributeValue]) throws(ValidationError) {
        guard attributes.count <= maxAttributes else {
            throw ValidationError(code: "too_many_attributes", field: "attributes",
                                  message: "a member has at most \(maxAttributes) attributes")
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        for (key, value) in attributes {
            guard !key.isEmpty, key.count <= maxAttributeKeyLength, key.allSatisfy(allowed.contains) else {
                throw ValidationError(code: "invalid_attribute", field: "attributes.\(key)",
                                      message: "an attribute name has 1 to \(maxAttributeKeyLength) letters, digits, '_', '-' or '.'")
            }
            if case .string(let text) = value, text.count > maxAttributeStringLength {
                throw ValidationError(code: "invalid_attribute", field: "attributes.\(key)",
                                      message: "an attribute value has at most \(maxAttributeStringLength) characters")
            }
            if case .number(let number) = value, !number.isFinite {
                throw ValidationError(code: "invalid_attribute", field: "attributes.\(key)",
                                      message: "an attribute number must be finite")
            }
        }
    }
}
