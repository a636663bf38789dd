import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport
@testable import TreuServer

@Suite("Importing members from CSV: all or nothing, bad rows named by line")
struct MemberImportTests {
    func file(_ text: String) throws -> String { try ImportFiles.file(text) }
    func environment(_ store: any Store) -> TreuEnvironment { ImportFiles.environment(store) }

    @Test(arguments: TestStores.available)
    func aGoodFileImportsEveryRow(backend: Backend) async throws {
        let path = try file("""
            email,phone,name,locale,birthday,marketing_email,attr.store
            Ana@Example.com,0170 1234567,Ana,de,1990-04-02,yes,Berlin
            ben@example.com,,"Ben, the second",en,,no,
            ,+84 90 123 45 67,Chi,vi,,,Hanoi
            """)
        try await TestStores.with(backend) { store in
            let count = try await MemberImport.run(path: path, environment: environment(store))
            #expect(count == 3)
            let service = environment(store).members
            let ana = try await service.lookUp("ana@example.com")
            #expect(ana.name == "Ana" && ana.locale == .de && ana.consents.marketingEmail)
            #expect(ana.attributes == ["store": .string("Berlin")])
            #expect(ana.identities.map(\.value) == ["ana@example.com", "+491701234567"])
            #expect(try await service.lookUp("+84901234567").name == "Chi")
            #expect(try await service.lookUp("ben@example.com").name == "Ben, the second")
        }
    }

    @Test func aBadRowIsReportedWithItsLineAndNothingIsImported() async throws {
        let path = try file("""
            email,name,notes_field_that_spans
            ana@example.com,Ana,"two
            lines"
            not-an-email,Ben,x
            """.replacingOccurrences(of: "notes_field_that_spans", with: "attr.notes"))
        try await TestStores.with(.sqlite) { store throws in
            await #expect(throws: MemberImport.RowError(line: 4, message: "'not-an-email' is not an email address")) {
                try await MemberImport.run(path: path, environment: environment(store))
            }
            #expect(try await store.memberCount() == 0)
        }
    }

    @Test func duplicatesInTheFileAndUnknownColumnsAreRefused() throws {
        let duplicate = try file("email,name\na@b.de,A\nc@d.de,C\nA@B.DE,A again\n")
        #expect(throws: MemberImport.RowError(line: 4, message: "email a@b.de is also on line 2")) {
            try MemberImport.read(path: duplicate, defaultCountryCode: nil, ids: .live, now: Date())
        }
        let unknown = try file("email,nickname\na@b.de,A\n")
        #expect(throws: MemberImport.RowError.self) {
            try MemberImport.read(path: unknown, defaultCountryCode: nil, ids: .live, now: Date())
        }
        let noIdentity = try file("email,name\n,Nobody\n")
        #expect(throws: MemberImport.RowError(line: 2, message: "a member needs at least one identity (email, phone, card or customer_id)")) {
            try MemberImport.read(path: noIdentity, defaultCountryCode: nil, ids: .live, now: Date())
        }
    }

    @Test(arguments: TestStores.available)
    func anIdentityAlreadyHeldStopsTheWholeImport(backend: Backend) async throws {
        let path = try file("email,name\nnew1@example.com,New 1\ntaken@example.com,Taken\nnew2@example.com,New 2\n")
        try await TestStores.with(backend) { store in
            try await store.enrol(try sampleMember(emails: ["taken@example.com"]))
            await #expect(throws: MemberImport.RowError(line: 3, message: "email taken@example.com already belongs to a member; nothing was imported")) {
                try await MemberImport.run(path: path, environment: environment(store))
            }
            #expect(try await store.memberCount() == 1)
        }
    }
}
