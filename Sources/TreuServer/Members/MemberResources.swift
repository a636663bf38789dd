import Foundation
import TreuCore

/// An identity as the API reads and writes it: `{"kind": "phone", "value": "+4917012345678"}`.
struct IdentityBody: Codable, Sendable {
    var kind: IdentityKind
    var value: String

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, value }

    init(_ identity: Identity) {
        kind = identity.kind
        value = identity.value
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(IdentityKind.self, forKey: .kind)
        value = try container.decode(String.self, forKey: .value)
    }
}

struct ConsentsBody: Codable, Sendable {
    var marketingEmail: Bool?
    var marketingSMS: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case marketingEmail = "marketing_email", marketingSMS = "marketing_sms"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        marketingEmail = try container.decodeIfPresent(Bool.self, forKey: .marketingEmail)
        marketingSMS = try container.decodeIfPresent(Bool.self, forKey: .marketingSMS)
    }
}

/// POST /v1/members. Identities come as `email`, `phone`, `card`, `customer_id` (one each, the
/// common case) and/or an `identities` list (several of a kind, such as two cards).
struct EnrolBody: Decodable, Sendable {
    var name: String?
    var locale: MemberLocale?
    var birthday: CalendarDate?
    var attributes: [String: AttributeValue]?
    var consents: ConsentsBody?
    var email: String?
    var phone: String?
    var card: String?
    var customerID: String?
    var identities: [IdentityBody]?
    /// The code of the member who brought this one.
    var referralCode: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, locale, birthday, attributes, consents, email, phone, card
        case customerID = "customer_id", identities, referralCode = "referral_code"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        locale = try c.decodeIfPresent(MemberLocale.self, forKey: .locale)
        birthday = try c.decodeIfPresent(CalendarDate.self, forKey: .birthday)
        attributes = try c.decodeIfPresent([String: AttributeValue].self, forKey: .attributes)
        consents = try c.decodeIfPresent(ConsentsBody.self, forKey: .consents)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        card = try c.decodeIfPresent(String.self, forKey: .card)
        customerID = try c.decodeIfPresent(String.self, forKey: .customerID)
        identities = try c.decodeIfPresent([IdentityBody].self, forKey: .identities)
        referralCode = try c.decodeIfPresent(String.self, forKey: .referralCode)
    }

    /// The enrolment, with every identity normalised.
    func enrolment(defaultCountryCode: String?) throws(ValidationError) -> Enrolment {
        var raw: [(IdentityKind, String)] = []
        if let email { raw.append((.email, email)) }
        if let phone { raw.append((.phone, phone)) }
        if let card { raw.append((.card, card)) }
        if let customerID { raw.append((.customerID, customerID)) }
        raw += (identities ?? []).map { ($0.kind, $0.value) }
        var normalized: [Identity] = []
        for (kind, value) in raw { normalized.append(try Identity(kind, value, defaultCountryCode: defaultCountryCode)) }
        return Enrolment(name: name, locale: locale ?? .en, birthday: birthday, attributes: attributes ?? [:],
                         marketingEmail: consents?.marketingEmail, marketingSMS: consents?.marketingSMS,
                         identities: normalized)
    }
}

/// PATCH /v1/members/{id}: a field left out stays; `null` clears `name`, `birthday` or one attribute.
struct MemberPatchBody: Decodable, Sendable {
    var change = MemberChange()

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, locale, birthday, attributes, consents, status
    }

    init(from decoder: any Decoder) throws {
        // A name or birthday sent as null is removed.
        try decoder.rejectUnknownKeys(CodingKeys.self, nullable: [.name, .birthday])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.name) { change.name = .some(try c.decodeIfPresent(String.self, forKey: .name)) }
        if c.contains(.birthday) { change.birthday = .some(try c.decodeIfPresent(CalendarDate.self, forKey: .birthday)) }
        change.locale = try c.decodeIfPresent(MemberLocale.self, forKey: .locale)
        change.attributes = try c.decodeIfPresent([String: AttributeValue?].self, forKey: .attributes)
        let consents = try c.decodeIfPresent(ConsentsBody.self, forKey: .consents)
        change.marketingEmail = consents?.marketingEmail
        change.marketingSMS = consents?.marketingSMS
        change.status = try c.decodeIfPresent(MemberStatus.self, forKey: .status)
    }
}

/// A member as the API shows it.
struct MemberResource: Encodable, Sendable {
    struct ConsentsResource: Encodable, Sendable {
        var marketingEmail: Bool
        var marketingEmailChangedAt: Date?
        var marketingSMS: Bool
        var marketingSMSChangedAt: Date?
        enum CodingKeys: String, CodingKey {
            case marketingEmail = "marketing_email", marketingEmailChangedAt = "marketing_email_changed_at"
            case marketingSMS = "marketing_sms", marketingSMSChangedAt = "marketing_sms_changed_at"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(marketingEmail, forKey: .marketingEmail)
            try c.encode(marketingEmailChangedAt, forKey: .marketingEmailChangedAt)
            try c.encode(marketingSMS, forKey: .marketingSMS)
            try c.encode(marketingSMSChangedAt, forKey: .marketingSMSChangedAt)
        }
    }

    var member: Member
    /// On GET /v1/members/{id}: the member's RFM segment, P(alive) and predicted value (null
    /// before their first order). Other answers leave the key out.
    var analytics: MemberFigures??
    /// On an enrolment with a referral code: the referral it made (or its refusal).
    var referral: ReferralResource?

    init(member: Member) { self.init(member: member, analytics: nil) }
    init(member: Member, analytics: MemberFigures??, referral: ReferralResource? = nil) {
        self.member = member
        self.analytics = analytics
        self.referral = referral
    }

    enum CodingKeys: String, CodingKey {
        case id, name, locale, birthday, attributes, consents, status, identities, analytics, referral
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(member.id.uuidString.lowercased(), forKey: .id)
        try c.encode(member.name, forKey: .name)
        try c.encode(member.locale, forKey: .locale)
        try c.encode(member.birthday, forKey: .birthday)
        try c.encode(member.attributes, forKey: .attributes)
        try c.encode(ConsentsResource(
            marketingEmail: member.consents.marketingEmail, marketingEmailChangedAt: member.consents.marketingEmailChangedAt,
            marketingSMS: member.consents.marketingSMS, marketingSMSChangedAt: member.consents.marketingSMSChangedAt),
                     forKey: .consents)
        try c.encode(member.status, forKey: .status)
        try c.encode(member.identities.map(IdentityBody.init), forKey: .identities)
        try c.encode(member.createdAt, forKey: .createdAt)
        try c.encode(member.updatedAt, forKey: .updatedAt)
        if let analytics { try c.encode(analytics, forKey: .analytics) }
        if let referral { try c.encode(referral, forKey: .referral) }
    }
}

/// A page of a list: `{"items": [...], "next_cursor": "…" | null}`.
struct PageResource<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    var nextCursor: String?
    enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(nextCursor, forKey: .nextCursor)
    }
}
