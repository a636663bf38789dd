import Foundation
import TreuCore

/// A member's row as both engines store it, and the conversions to and from `Member`.
struct MemberRecord {
    var id: UUID
    var name: String?
    var locale: String
    var birthday: String?
    var attributes: String
    var consentEmail: Bool
    var consentEmailAt: Int64?
    var consentSMS: Bool
    var consentSMSAt: Int64?
    var status: String
    var searchText: String
    var createdAt: Int64
    var updatedAt: Int64

    init(_ member: Member) {
        id = member.id
        name = member.name
        locale = member.locale.rawValue
        birthday = member.birthday?.description
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        attributes = String(decoding: (try? encoder.encode(member.attributes)) ?? Data("{}".utf8), as: UTF8.self)
        consentEmail = member.consents.marketingEmail
        consentEmailAt = member.consents.marketingEmailChangedAt.map(Millis.from)
        consentSMS = member.consents.marketingSMS
        consentSMSAt = member.consents.marketingSMSChangedAt.map(Millis.from)
        status = member.status.rawValue
        searchText = member.searchText
        createdAt = Millis.from(member.createdAt)
        updatedAt = Millis.from(member.updatedAt)
    }

    init(id: UUID, name: String?, locale: String, birthday: String?, attributes: String,
         consentEmail: Bool, consentEmailAt: Int64?, consentSMS: Bool, consentSMSAt: Int64?,
         status: String, searchText: String, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.name = name
        self.locale = locale
        self.birthday = birthday
        self.attributes = attributes
        self.consentEmail = consentEmail
        self.consentEmailAt = consentEmailAt
        self.consentSMS = consentSMS
        self.consentSMSAt = consentSMSAt
        self.status = status
        self.searchText = searchText
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    func member(identities: [Identity]) throws -> Member {
        Member(
            id: id, name: name,
            locale: MemberLocale(rawValue: locale) ?? .en,
            birthday: try birthday.map { try CalendarDate($0) },
            attributes: try JSONDecoder().decode([String: AttributeValue].self, from: Data(attributes.utf8)),
            consents: Consents(marketingEmail: consentEmail, marketingEmailChangedAt: consentEmailAt.map(Millis.date),
                               marketingSMS: consentSMS, marketingSMSChangedAt: consentSMSAt.map(Millis.date)),
            status: MemberStatus(rawValue: status) ?? .active,
            identities: identities,
            createdAt: Millis.date(createdAt), updatedAt: Millis.date(updatedAt))
    }

    /// The SQL column list, in the order of the initialiser.
    static let columns = "id, name, locale, birthday, attributes, consent_email, consent_email_at, consent_sms, consent_sms_at, status, search_text, created_at, updated_at"
}

/// Times are stored as integer milliseconds since 1970, UTC.
enum Millis {
    static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}

extension Array where Element == Identity {
    /// Groups (member id, identity) pairs by member.
    static func grouped(_ pairs: [(UUID, Identity)]) -> [UUID: [Identity]] {
        Dictionary(grouping: pairs, by: \.0).mapValues { $0.map(\.1) }
    }
}
