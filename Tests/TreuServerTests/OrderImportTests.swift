import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport
import TreuDemo
@testable import TreuServer

@Suite("Importing a shop's history of orders, returns and actions")
struct OrderImportTests {
    func file(_ text: String) throws -> String { try ImportFiles.file(text) }
    func environment(_ store: any Store) -> TreuEnvironment { ImportFiles.environment(store) }

    /// Ana's order of the earning tests (€41.90 net: 41 points), its shirt returned (26 back),
    /// her review (25), and a new customer by phone (€19.99: 19 points).
    static let history = """
        type,reference,at,email,phone,currency,sku,quantity,unit_price,discount,order_discount,shipping,order_reference,name,prop.stars
        order,A-1,2026-01-10T10:00:00Z,Ana@Example.com,,EUR,SHIRT,1,2990,,500,490,,,
        order,A-1,,,,,SOCKS,2,900,100,,,,,
        return,R-1,2026-01-12T10:00:00Z,,,,SHIRT,1,,,,,A-1,,
        action,V-1,2026-01-13,ana@example.com,,,,,,,,,,review,5
        order,B-1,2026-02-01T09:00:00+01:00,,0170 1234567,EUR,CAP,1,1999,,,,,,

        """

    @Test(arguments: TestStores.available)
    func aHistoryEarnsAsTheAPIWouldAndASecondRunChangesNothing(backend: Backend) async throws {
        let path = try file(Self.history)
        try await TestStores.with(backend) { store in
            let environment = environment(store)
            let first = try await OrderImport.run(path: path, environment: environment, batchSize: 2)
            #expect(first.events == 4 && first.recorded == 4 && first.replayed == 0 && first.refused.isEmpty)
            let ana = try await environment.members.lookUp("ana@example.com")
            let points = try await store.points(of: ana.id, loadingLotsOf: nil)
            // As the API would: her first order enrolled her, with the standard welcome gift (50).
            #expect(points.totals.earned == 116 && points.totals.reversed == 26)
            #expect(points.balance.available == 75 && points.balance.pending == 15)
            let ben = try await environment.members.lookUp("+491701234567")
            #expect(try await store.points(of: ben.id, loadingLotsOf: nil).balance.pending == 19)
            let order = try #require(try await store.event(reference: "B-1"))
            #expect(order.payload.contains("\"at\":\"2026-02-01T08:00:00.000Z\""))

            // Run again (an import that was interrupted is simply repeated): nothing twice.
            let second = try await OrderImport.run(path: path, environment: environment, batchSize: 3)
            #expect(second.recorded == 0 && second.replayed == 4)
            #expect(try await store.points(of: ana.id, loadingLotsOf: nil).totals.earned == 116)
            #expect(try await store.memberCount() == 2)

            // An imported event keeps no answer for replays: an API call under its reference (whose
            // fingerprint is never a file row's) is another event's, refused as a conflict.
            let again = Order(reference: "A-1", at: Date(timeIntervalSince1970: 1_768_039_200), channel: nil, currency: "EUR",
                              lines: [OrderLine(sku: "SHIRT", quantity: 1, unitPrice: 2990)])
            let outcome = try await environment.events.record([(.order(again, member: .id(ana.id)), "an API call's fingerprint")]).first
            if case .mismatch = outcome {} else { Issue.record("expected a conflict, got \(String(describing: outcome))") }
            // What an import records keeps no answer; what the API records keeps its answer for replays.
            func answer(_ service: EventService, _ reference: String) async throws -> Data? {
                var order = again
                order.reference = reference
                guard case .recorded(let answer) = try await service.record([(.order(order, member: .id(ana.id)), reference)]).first else { return nil }
                return answer
            }
            #expect(try await answer(environment.events.importing(), "C-1") == Data())
            #expect(try await answer(environment.events, "C-2").map { String(decoding: $0, as: UTF8.self) }?.contains("\"reference\":\"C-2\"") == true)
        }
    }

    @Test func aFileWithBadRowsIsRefusedWholeWithEachLine() async throws {
        let path = try file("""
            type,reference,at,email,currency,sku,quantity,unit_price
            order,A-1,2026-01-10T10:00:00Z,ana@example.com,EUR,SHIRT,1,2990
            order,A-2,yesterday,ana@example.com,EUR,SHIRT,1,2990
            order,A-3,2026-01-10T10:00:00Z,ana@example.com,EUR,SHIRT,one,2990
            order,A-4,2026-01-10T10:00:00Z,,EUR,SHIRT,1,2990
            gift,G-1,2026-01-10T10:00:00Z,ana@example.com,,,,
            order,A-1,2026-01-11T10:00:00Z,ana@example.com,EUR,CAP,1,990
            order,A-5,2026-01-10T10:00:00Z,ana@example.com,EUR,SHIRT,1
            """)
        try await TestStores.with(.sqlite) { store in
            do {
                _ = try await OrderImport.run(path: path, environment: environment(store))
                Issue.record("a bad file was imported")
            } catch let error as OrderImport.FileError {
                #expect(error.problems.map(\.line) == [3, 4, 5, 6, 7, 8])
                #expect(error.problems[0].message.contains("'yesterday' is not a time"))
                #expect(error.problems[1].message.contains("quantity is a whole number"))
                #expect(error.problems[2].message.contains("names its member"))
                #expect(error.problems[3].message.contains("not 'gift'"))
                #expect(error.problems[4].message.contains("was on line 2 already"))
                #expect(error.problems[5].message.contains("7 fields where the header has 8"))
            }
            #expect(try await store.memberCount() == 0)
            #expect(try await store.event(reference: "A-1") == nil)
        }
    }

    @Test func eventsRefusedWhenWrittenAreReportedByLineAndTheRestIsImported() async throws {
        let path = try file("""
            type,reference,at,email,currency,sku,quantity,unit_price,order_reference
            order,A-1,2026-01-10T10:00:00Z,ana@example.com,EUR,SHIRT,1,2990,
            return,R-1,2026-01-11T10:00:00Z,,,SHIRT,2,,A-1
            return,R-2,2026-01-11T10:00:00Z,,,,,,NOPE
            return,R-3,2026-01-12T10:00:00Z,,,SHIRT,1,,A-1
            """)
        try await TestStores.with(.sqlite) { store in
            let summary = try await OrderImport.run(path: path, environment: environment(store))
            #expect(summary.recorded == 2)
            #expect(summary.refused.map(\.line) == [3, 4])
            #expect(summary.refused[0].message.contains("2 of SHIRT cannot have come back"))
            #expect(summary.refused[1].message.contains("no order has the reference NOPE"))
        }
    }

    @Test func lanesKeepEachCustomerAndEachOrderWithItsReturnsTogether() throws {
        // Ana by email, then by email and phone, then by that phone alone; her return with her
        // order; Eve's email is held by Ben in the database; Cleo and the phone 0170 1 alone.
        let path = try file("""
            type,reference,at,email,phone,currency,sku,quantity,unit_price,order_reference,name
            order,A-1,2026-01-10,ana@example.com,,EUR,SHIRT,1,2990,,
            order,B-1,2026-01-10,ben@example.com,,EUR,SHIRT,1,2990,,
            order,C-1,2026-01-11,,0170 1111111,EUR,CAP,1,990,,
            return,R-1,2026-01-12,,,,SHIRT,1,,A-1,
            order,A-2,2026-01-13,ana@example.com,0170 2222222,EUR,CAP,1,990,,
            order,D-1,2026-01-14,,0170 2222222,EUR,CAP,1,990,,
            action,V-1,2026-01-15,cleo@example.com,,,,,,,review
            order,E-1,2026-01-16,eve@example.com,,EUR,CAP,1,990,,
            """)
        let rows = try OrderImport.read(path: path, defaultCountryCode: "49")
        let ben = UUID()
        let holders = [try Identity(.email, "ben@example.com"): ben, try Identity(.email, "eve@example.com"): ben]
        #expect(OrderImport.lanes(of: rows, count: 3, holders: holders) == [[0, 3, 4, 5], [1, 7], [2, 6]])
        #expect(OrderImport.lanes(of: rows, count: 3, holders: [:]) == [[0, 3, 4, 5], [1, 6], [2, 7]])
        #expect(OrderImport.lanes(of: rows, count: 1, holders: holders) == [Array(0..<8)])
        // A return of an order the file does not hold (imported before): whose it is, only the
        // store knows, so the file is written in one lane.
        let later = try OrderImport.read(path: try file("""
            type,reference,at,email,currency,sku,quantity,unit_price,order_reference
            order,F-1,2026-02-10,ana@example.com,EUR,CAP,1,990,
            order,G-1,2026-02-10,ben@example.com,EUR,CAP,1,990,
            return,R-9,2026-02-11,,,CAP,1,,A-1
            """), defaultCountryCode: "49")
        #expect(OrderImport.lanes(of: later, count: 3, holders: holders) == [[0, 1, 2]])
    }

    /// PostgreSQL writes an import in four lanes at once, SQLite in one: every customer ends with
    /// the same points either way.
    @Test(.enabled(if: TestStores.postgresEnabled, "needs TREU_TEST_POSTGRES_URL"))
    func aDemoShopEarnsTheSameInFourLanesAsInOne() async throws {
        let shop = DemoShop(members: 150, end: Date(timeIntervalSince1970: 1_795_629_739), seed: 11)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lanes-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = try shop.write(to: folder)
        let emails = try String(contentsOf: files.members, encoding: .utf8)
            .split(separator: "\n").dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[3]) }
        #expect(emails.count == 150)
        // The file does split: four lanes of customers, none empty, none holding most of it.
        let lanes = OrderImport.lanes(of: try OrderImport.read(path: files.orders.path, defaultCountryCode: "49"), count: 4, holders: [:])
        #expect(lanes.count == 4 && lanes.allSatisfy { $0.count > files.events / 8 })
        var results: [Backend: [String]] = [:]
        for backend in [Backend.sqlite, .postgres] {
            try await TestStores.with(backend) { store in
                #expect(store.concurrentWriters == (backend == .sqlite ? 1 : 4))
                let environment = environment(store)
                let loaded = try await shop.load(into: environment)
                #expect(loaded.events.refused.isEmpty)
                var lines: [String] = []
                for (n, email) in emails.enumerated() {
                    let member = try await environment.members.lookUp(email)
                    let points = try await store.points(of: member.id, loadingLotsOf: nil)
                    lines.append("\(n): \(points.balance.available) available, \(points.balance.pending) pending, "
                                 + "\(points.totals.earned) earned, \(points.totals.reversed) reversed, \(points.totals.expired) expired")
                }
                #expect(try await PointsVerification.run(store).differences.isEmpty)
                results[backend] = lines
            }
        }
        #expect(results[.sqlite]?.count == 150)
        #expect(results[.sqlite] == results[.postgres])
        #expect(Set(results[.sqlite] ?? []).count > 100, "members differ from each other")
    }

    @Test func theDemoShopIsTheSameForTheSameSeedAndImportsCleanly() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let end = Date(timeIntervalSince1970: 1_795_629_739)
        let shop = DemoShop(members: 300, end: end, seed: 7)
        let files = try shop.write(to: folder)
        let again = try String(contentsOf: files.orders, encoding: .utf8)
        let other = folder.appendingPathComponent("again")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        #expect(try String(contentsOf: shop.write(to: other).orders, encoding: .utf8) == again)
        try await TestStores.with(.sqlite) { store in
            let loaded = try await shop.load(into: environment(store))
            #expect(loaded.members == 300)
            #expect(loaded.events.refused.isEmpty && loaded.events.recorded == files.events)
            // Every member signed up and bought at least once; some came back (repeat buyers), some returned goods.
            let orders = again.split(separator: "\n").filter { $0.hasPrefix("order,") && !$0.contains(",,,,,,,") }
            #expect(Set(orders.map { $0.split(separator: ",")[3] }).count == 300)
            #expect(orders.count > 300)
            #expect(again.contains("\nreturn,") && again.contains(",review,"))
            await #expect(throws: DemoError.self) { try await shop.load(into: environment(store)) }
        }
    }
}
