import Foundation
import Testing
import TreuCore

@Suite("Members: enrolment, changes, dates, cursors, roles")
struct MemberTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let id = UUID(uuidString: "01900000-0000-7000-8000-000000000001")!

    @Test func enrolmentNeedsAnIdentity() {
        #expect(throws: ValidationError(code: "identity_required", field: "identities",
                                        message: "a member needs at least one identity (email, phone, card or customer_id)")) {
            try Enrolment(name: "Ana", identities: []).makeMember(id: id, now: now)
        }
    }

    @Test func enrolmentRefusesTheSameIdentityTwice() throws {
        let email = try Identity(.email, "a@b.de")
        #expect(throws: ValidationError.self) { try Enrolment(identities: [email, email]).makeMember(id: id, now: now) }
    }

    @Test func enrolmentStampsOnlyTheConsentsGiven() throws {
        let member = try Enrolment(marketingEmail: true, identities: [Identity(.email, "a@b.de")]).makeMember(id: id, now: now)
        #expect(member.consents.marketingEmail == true)
        #expect(member.consents.marketingEmailChangedAt == now)
        #expect(member.consents.marketingSMS == false)
        #expect(member.consents.marketingSMSChangedAt == nil)
        #expect(member.status == .active)
    }

    @Test func aChangeLeavesOutFieldsAloneAndNullClears() throws {
        let member = try Enrolment(name: "Ana", birthday: CalendarDate("1990-04-02"), attributes: ["a": .string("x"), "b": .bool(true)],
                                   identities: [Identity(.email, "a@b.de")]).makeMember(id: id, now: now)
        let later = now.addingTimeInterval(60)
        let changed = try MemberChange(birthday: .some(nil), attributes: ["a": nil, "c": .number(2)], marketingSMS: true, status: .suspended)
            .applied(to: member, now: later)
        #expect(changed.name == "Ana")
        #expect(changed.birthday == nil)
        #expect(changed.attributes == ["b": .bool(true), "c": .number(2)])
        #expect(changed.consents.marketingSMS == true && changed.consents.marketingSMSChangedAt == later)
        #expect(changed.status == .suspended)
        #expect(changed.updatedAt == later)
        let unchanged = try MemberChange(name: "Ana").applied(to: member, now: later)
        #expect(unchanged.updatedAt == now)
    }

    @Test func attributesAreLimited() throws {
        let email = try Identity(.email, "a@b.de")
        let many = Dictionary(uniqueKeysWithValues: (0...50).map { ("k\($0)", AttributeValue.bool(true)) })
        #expect(throws: ValidationError.self) { try Enrolment(attributes: many, identities: [email]).makeMember(id: id, now: now) }
        #expect(throws: ValidationError.self) { try Enrolment(attributes: ["bad key": .bool(true)], identities: [email]).makeMember(id: id, now: now) }
    }

    @Test(arguments: ["2024-02-29", "1990-12-31", "2000-02-29"])
    func realDaysAreDates(text: String) throws {
        #expect(try CalendarDate(text).description == text)
    }

    @Test(arguments: ["2023-02-29", "1990-13-01", "1990-4-2", "1900-02-29", "yesterday"])
    func otherTextIsNot(text: String) {
        #expect(throws: ValidationError.self) { try CalendarDate(text) }
    }

    @Test func cursorsRoundTripAndRefuseForgeries() throws {
        #expect(try Cursor.decode(Cursor.encode(id)) == id)
        #expect(throws: ValidationError.self) { try Cursor.decode("not-a-cursor") }
    }

    @Test func idsAreTimeOrderedVersion7() {
        let a = IDGenerator.uuidV7(milliseconds: 1_790_000_000_000, random: { .max })
        let b = IDGenerator.uuidV7(milliseconds: 1_790_000_000_001, random: { 0 })
        #expect(a.uuidString.lowercased() < b.uuidString.lowercased())
        #expect(a.uuidString.lowercased().hasPrefix("01a0c450-6c00-7"))
        let ids = IDGenerator.sequential()
        #expect(ids.next().uuidString.lowercased() < ids.next().uuidString.lowercased())
    }

    @Test func rolesAllowWhatTheySay() {
        #expect(Role.admin.allows(.manageKeys))
        #expect(!Role.integration.allows(.manageKeys))
        #expect(Role.support.allows(.writeMembers))
        #expect(Role.analyst.allows(.readMembers))
        #expect(!Role.analyst.allows(.writeMembers))
    }
}
