import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// Members and their identities, alike on every engine, under concurrency.
@Suite("Store conformance: members")
struct MemberConformanceTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test(arguments: TestStores.available)
    func anEnrolledMemberReadsBackTheSame(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let member = try sampleMember(emails: ["ana@example.com"], phones: ["+49 170 1234567"])
            try await store.enrol(member)
            #expect(try await store.member(id: member.id) == member)
            let phone = try Identity(.phone, "+491701234567")
            let email = try Identity(.email, "ANA@example.com")
            let unknown = try Identity(.card, "NOCARD1")
            #expect(try await store.member(holdingAnyOf: [unknown, phone, email]) == member)
            #expect(try await store.member(holdingAnyOf: [unknown]) == nil)
            #expect(try await store.member(holdingAnyOf: []) == nil)
            #expect(try await store.member(id: UUID()) == nil)
        }
    }

    @Test(arguments: TestStores.available)
    func aLookUpPrefersTheFirstIdentityGiven(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            // "12345678" is Ana's card and Ben's customer id: the order of the question decides.
            let ana = try sampleMember(name: "Ana", emails: ["ana@example.com"])
            let ben = try sampleMember(name: "Ben", emails: ["ben@example.com"])
            try await store.enrol(ana)
            try await store.enrol(ben)
            let card = try Identity(.card, "12345678"), customer = try Identity(.customerID, "12345678")
            try await store.add(card, to: ana.id, at: now)
            try await store.add(customer, to: ben.id, at: now)
            #expect(try await store.member(holdingAnyOf: [card, customer])?.name == "Ana")
            #expect(try await store.member(holdingAnyOf: [customer, card])?.name == "Ben")
        }
    }

    @Test(arguments: TestStores.available)
    func anIdentityBelongsToOneMember(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            try await store.enrol(try sampleMember(emails: ["ana@example.com"]))
            let second = try sampleMember(name: "Other", emails: ["other@example.com", "ana@example.com"])
            await #expect(throws: StoreError.identityTaken(try Identity(.email, "ana@example.com"))) {
                try await store.enrol(second)
            }
            #expect(try await store.memberCount() == 1)
            #expect(try await store.member(holdingAnyOf: [try Identity(.email, "other@example.com")]) == nil)
        }
    }

    @Test(arguments: TestStores.available)
    func theHoldersOfManyIdentitiesAreFoundAtOnce(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ana = try sampleMember(name: "Ana", emails: ["ana@example.com", "ana@work.example"], phones: ["+4915112345678"])
            let ben = try sampleMember(name: "Ben", emails: ["ben@example.com"])
            try await store.enrol(ana)
            try await store.enrol(ben)
            let asked = try [Identity(.email, "ana@work.example"), Identity(.phone, "+4915112345678"), Identity(.email, "ben@example.com"),
                             Identity(.email, "nobody@example.com"), Identity(.email, "ben@example.com")]
            #expect(try await store.holders(of: asked) == [asked[0]: ana.id, asked[1]: ana.id, asked[2]: ben.id])
            #expect(try await store.holders(of: []) == [:])
        }
    }

    @Test(arguments: TestStores.available)
    func concurrentEnrolmentsWithOneEmailMakeOneMember(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<16 {
                    let member = try sampleMember(name: "Racer \(i)", emails: ["race@example.com"])
                    group.addTask {
                        do { try await store.enrol(member); return true } catch StoreError.identityTaken { return false }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await store.memberCount() == 1)
        }
    }

    @Test(arguments: TestStores.available)
    func updatesAreStored(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let member = try sampleMember()
            try await store.enrol(member)
            let later = now.addingTimeInterval(5)
            let written = try await store.updateMember(id: member.id) {
                try MemberChange(name: "Ana Neu", attributes: ["vip": nil], status: .suspended).applied(to: $0, now: later)
            }
            let read = try #require(try await store.member(id: member.id))
            #expect(read == written)
            #expect(read.name == "Ana Neu" && read.status == .suspended && read.attributes["vip"] == nil && read.updatedAt == later)
            let page = try await store.members(MemberQuery(search: "neu"))
            #expect(page.items.map(\.id) == [member.id])
            await #expect(throws: StoreError.notFound) { try await store.updateMember(id: UUID()) { $0 } }
        }
    }

    @Test(arguments: TestStores.available)
    func concurrentChangesToOneMemberAreNotLost(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let member = try sampleMember()
            try await store.enrol(member)
            let now = self.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        _ = try await store.updateMember(id: member.id) {
                            try MemberChange(attributes: ["k\(i)": .number(Double(i))]).applied(to: $0, now: now)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let read = try #require(try await store.member(id: member.id))
            #expect((0..<20).allSatisfy { read.attributes["k\($0)"] == .number(Double($0)) })
        }
    }

    @Test(arguments: TestStores.available)
    func identitiesAreGainedAndLostButNeverTheLast(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ana = try sampleMember(emails: ["ana@example.com"])
            let ben = try sampleMember(name: "Ben", emails: ["ben@example.com"])
            try await store.enrol(ana)
            try await store.enrol(ben)
            let card = try Identity(.card, "CARD0001")
            let withCard = try await store.add(card, to: ana.id, at: now.addingTimeInterval(9))
            #expect(withCard.identities.contains(card) && withCard.updatedAt == now.addingTimeInterval(9))
            #expect(try await store.member(id: ana.id) == withCard)
            #expect(try await store.members(MemberQuery(search: "card0001")).items.map(\.id) == [ana.id])
            await #expect(throws: StoreError.identityTaken(card)) { try await store.add(card, to: ben.id, at: now) }
            await #expect(throws: StoreError.notFound) { try await store.add(try Identity(.card, "CARD0002"), to: UUID(), at: now) }
            await #expect(throws: StoreError.identityNotHeld) { try await store.remove(card, from: ben.id, at: now) }
            try await store.remove(try Identity(.email, "ana@example.com"), from: ana.id, at: now)
            #expect(try await store.member(id: ana.id)?.identities == [card])
            await #expect(throws: StoreError.lastIdentity) { try await store.remove(card, from: ana.id, at: now) }
            #expect(try await store.member(id: ana.id)?.identities == [card])
        }
    }

    @Test(arguments: TestStores.available)
    func listsPageInEnrolmentOrderAndSearch(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            let ids = IDGenerator.sequential()
            var enrolled: [Member] = []
            for (name, email) in [("Anna", "anna@a.de"), ("Bernd", "bernd@b.de"), ("Chi", "chi@c.vn"), ("Dora", "dora@d.de"), ("Emil", "emil@e.de")] {
                let member = try sampleMember(id: ids.next(), name: name, emails: [email])
                try await store.enrol(member)
                enrolled.append(member)
            }
            var seen: [UUID] = []
            var query = MemberQuery(limit: 2)
            var pages = 0
            while true {
                let page = try await store.members(query)
                pages += 1
                seen += page.items.map(\.id)
                guard let cursor = page.nextCursor else { break }
                query.after = try Cursor.decode(cursor)
            }
            #expect(pages == 3)
            #expect(seen == enrolled.map(\.id))
            #expect(try await store.members(MemberQuery(search: "C.VN")).items.map(\.name) == ["Chi"])
            #expect(try await store.members(MemberQuery(search: "%")).items.isEmpty)
            #expect(try await store.members(MemberQuery(status: .suspended)).items.isEmpty)
        }
    }

    @Test(arguments: TestStores.available)
    func anImportIsAllOrNothing(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            try await store.enrol(try sampleMember(emails: ["taken@example.com"]))
            let batch = try (0..<2_500).map { try sampleMember(name: "M\($0)", emails: ["m\($0)@example.com"]) }
                + [try sampleMember(emails: ["taken@example.com"])]
            await #expect(throws: StoreError.identityTaken(try Identity(.email, "taken@example.com"))) {
                try await store.importMembers(batch, progress: nil)
            }
            #expect(try await store.memberCount() == 1)
            try await store.importMembers(Array(batch.dropLast()), progress: nil)
            #expect(try await store.memberCount() == 2_501)
        }
    }
}
