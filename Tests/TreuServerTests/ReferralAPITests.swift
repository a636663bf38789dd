import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

/// Referrals over HTTP, on every engine. A Berlin shop (14-day return window): 500 points for
/// the member who brings a friend, 250 for the friend, once the friend's first order of at
/// least €20 is past its window. The clock is moved by hand; the timed work is run by hand.
@Suite("Referrals over HTTP")
struct ReferralAPITests {
    static let start = Timestamp.parse("2026-03-01T10:00:00Z")!

    static func program(limit: String = #"{"count": 10, "per": "year"}"#) -> String {
        let referrals = #"""
            "referrals": {"referrer": {"points": 500}, "referred": {"points": 250}, "minimum_order": 2000,
                          "limit": \#(limit), "link": "https://shop.example/r/{code}"}
            """#
        let document = Program.standardDocument.replacingOccurrences(of: #""time_zone": "UTC""#, with: #""time_zone": "Europe/Berlin""#)
            .replacingOccurrences(of: #""name": "Treu standard program","#, with: #""name": "with referrals", \#(referrals),"#)
        return #"{"effective_from": "2026-03-01T10:00:00Z", "document": \#(document)}"#
    }

    static func order(_ reference: String, _ member: String, _ at: String, euros: Int) -> String {
        #"{"type": "order", "reference": "\#(reference)", "at": "\#(at)", "member_id": "\#(member)", "currency": "EUR", "lines": [{"sku": "COAT", "quantity": 1, "unit_price": \#(euros * 100)}]}"#
    }

    func enrol(_ api: API, _ email: String, code: String? = nil) async throws -> API.Answer {
        let referral = code.map { #", "referral_code": "\#($0)""# } ?? ""
        return try await api.call(.post, "/v1/members", json: #"{"email": "\#(email)"\#(referral)}"#)
    }

    func available(_ api: API, _ member: String) async throws -> JSON? {
        try await api.call(.get, "/v1/members/\(member)/balance").json["available"]
    }

    @Test(arguments: TestStores.available)
    func bothAreRewardedOnceTheFriendsFirstOrderIsPastItsWindow(backend: Backend) async throws {
        let hands = Hands(Self.start)
        try await API.run(backend, clock: hands.clock) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program()).status == 201)
            let ana = try #require(try await enrol(api, "ana@example.com").json["id"]?.string)
            let mine = try await api.call(.get, "/v1/members/\(ana)/referrals").json
            let code = try #require(mine["code"]?.string)
            #expect(code.count == 8 && mine["link"]?.string == "https://shop.example/r/\(code)")
            #expect(mine["counts"]?["brought"] == .number(0) && mine["referred_by"] == .null)
            #expect(try await api.call(.get, "/v1/members/\(ana)/referrals").json["code"]?.string == code)

            // Ben enrols with Ana's code as a person might type it.
            let typed = code.lowercased().prefix(4) + "-" + code.lowercased().dropFirst(4)
            let enrolled = try await enrol(api, "ben@example.com", code: String(typed))
            #expect(enrolled.status == 201 && enrolled.json["referral"]?["status"]?.string == "pending")
            let ben = try #require(enrolled.json["id"]?.string)

            // €15 does not qualify; €40 on 3 March does: its window ends as 18 March begins in Berlin.
            hands.set("2026-03-03T09:00:00Z")
            #expect(try await api.call(.post, "/v1/events", json: Self.order("B1", ben, "2026-03-02T12:00:00Z", euros: 15)).status == 201)
            #expect(try await api.call(.post, "/v1/events", json: Self.order("B2", ben, "2026-03-03T09:00:00Z", euros: 40)).status == 201)
            try await api.environment.referrals.settle(at: hands.clock.now())
            var referral = try await api.call(.get, "/v1/members/\(ana)/referrals").json["referrals"]?[0]
            #expect(referral?["status"]?.string == "qualified" && referral?["order_reference"]?.string == "B2")
            #expect(referral?["due_at"]?.string == "2026-03-17T23:00:00.000Z" && referral?["referred_id"]?.string == ben)
            // Ana has her welcome gift (50) and nothing for Ben yet.
            #expect(try await available(api, ana) == .number(50))

            // A moment before the window ends: nothing yet.
            hands.set("2026-03-17T22:59:59.999Z")
            try await api.environment.referrals.settle(at: hands.clock.now())
            #expect(try await available(api, ana) == .number(50))

            // The window has ended: both get their points, once, however often the work runs.
            hands.set("2026-03-17T23:00:00Z")
            for _ in 0..<3 { try await api.environment.referrals.settle(at: hands.clock.now()) }
            #expect(try await available(api, ana) == .number(550))
            let entries = try await api.call(.get, "/v1/members/\(ana)/ledger").json["items"]?.array ?? []
            #expect(entries.map { $0["rule"]?.string } == ["welcome gift", "referral: a friend joined"])
            let benEntries = try await api.call(.get, "/v1/members/\(ben)/ledger").json["items"]?.array ?? []
            #expect(benEntries.filter { $0["rule"]?.string == "referral: welcome from a friend" }.map { $0["points"] } == [.number(250)])
            referral = try await api.call(.get, "/v1/members/\(ana)/referrals").json["referrals"]?[0]
            #expect(referral?["status"]?.string == "rewarded" && referral?["settled_at"]?.string == "2026-03-17T23:00:00.000Z")
            let summary = try await api.call(.get, "/v1/members/\(ana)/referrals").json
            #expect(summary["counts"]?["rewarded"] == .number(1) && summary["friends_spend"] == .number(5_500))
            #expect(try await api.call(.get, "/v1/members/\(ben)/referrals").json["referred_by"]?["referrer_id"]?.string == ana)

            // Spenders and senders: Ana brought Ben, who spent €55; Ben is the top spender.
            let senders = try await api.call(.get, "/v1/analytics/senders").json
            #expect(senders["top_senders"]?[0]?["member_id"]?.string == ana && senders["top_senders"]?[0]?["brought"] == .number(1))
            #expect(senders["top_senders"]?[0]?["friends_spend"] == .number(5_500) && senders["friends"] == .number(1))
            #expect(senders["top_spenders"]?[0]?["member_id"]?.string == ben && senders["top_spenders"]?[0]?["spend"] == .number(5_500))
        }
    }

    @Test(arguments: TestStores.available)
    func aReturnWithinTheWindowCancelsTheReward(backend: Backend) async throws {
        let hands = Hands(Self.start)
        try await API.run(backend, clock: hands.clock) { api in
            #expect(try await api.call(.put, "/v1/program", json: Self.program()).status == 201)
            let ana = try #require(try await enrol(api, "ana@example.com").json["id"]?.string)
            let code = try #require(try await api.call(.get, "/v1/members/\(ana)/referrals").json["code"]?.string)
            let carl = try #require(try await enrol(api, "carl@example.com", code: code).json["id"]?.string)
            #expect(try await api.call(.post, "/v1/events", json: Self.order("C1", carl, "2026-03-01T10:00:00Z", euros: 40)).status == 201)
            // Back on 10 March, within the window that ends as 16 March begins in Berlin.
            hands.set("2026-03-10T12:00:00Z")
            let ret = #"{"type": "return", "reference": "C1-R", "order_reference": "C1", "at": "2026-03-10T12:00:00Z"}"#
            #expect(try await api.call(.post, "/v1/events", json: ret).status == 201)
            hands.set("2026-03-20T00:00:00Z")
            try await api.environment.referrals.settle(at: hands.clock.now())
            let referral = try await api.call(.get, "/v1/members/\(ana)/referrals").json["referrals"]?[0]
            #expect(referral?["status"]?.string == "cancelled" && referral?["reason"]?.string == "returned")
            // Each keeps only the welcome gift.
            #expect(try await available(api, ana) == .number(50))
            #expect(try await available(api, carl) == .number(50))
        }
    }

    @Test(arguments: TestStores.available)
    func refusalsAreRecordedWithTheirReason(backend: Backend) async throws {
        let hands = Hands(Self.start)
        try await API.run(backend, clock: hands.clock) { api in
            // Without referrals in the program, a code is refused and nobody is enrolled.
            let ana = try #require(try await enrol(api, "anna.smith@gmail.com").json["id"]?.string)
            let code = try #require(try await api.call(.get, "/v1/members/\(ana)/referrals").json["code"]?.string)
            let off = try await enrol(api, "dora@example.com", code: code)
            #expect(off.status == 409 && off.code == "no_referrals")
            #expect(try await api.call(.put, "/v1/program", json: Self.program(limit: #"{"count": 1, "per": "year"}"#)).status == 201)

            // An unknown code: 422 and nobody is enrolled.
            let unknown = try await enrol(api, "dora@example.com", code: "ZZZZ2222")
            #expect(unknown.status == 422 && unknown.code == "referral_code_unknown")
            #expect(try await api.call(.get, "/v1/members/lookup?identity=dora@example.com").status == 404)

            // Ana under another address of hers: enrolled, the referral refused and kept.
            let alias = try await enrol(api, "AnnaSmith+deals@gmail.com", code: code)
            #expect(alias.status == 201 && alias.json["referral"]?["status"]?.string == "refused")
            #expect(alias.json["referral"]?["reason"]?.string == "self_referral")
            // Ana with her own code.
            let own = try await api.call(.post, "/v1/members/\(ana)/referral", json: #"{"referral_code": "\#(code)"}"#)
            #expect(own.status == 422 && own.code == "self_referral")

            // A customer who ordered before is not brought by a referral.
            let eve = try #require(try await enrol(api, "eve@example.com").json["id"]?.string)
            #expect(try await api.call(.post, "/v1/events", json: Self.order("E1", eve, "2026-03-01T10:00:00Z", euros: 30)).status == 201)
            let old = try await api.call(.post, "/v1/members/\(eve)/referral", json: #"{"referral_code": "\#(code)"}"#)
            #expect(old.status == 422 && old.code == "existing_customer")

            // One friend a year: the first is accepted, the second refused.
            let fred = try #require(try await enrol(api, "fred@example.com").json["id"]?.string)
            let accepted = try await api.call(.post, "/v1/members/\(fred)/referral", json: #"{"referral_code": "\#(code)"}"#)
            #expect(accepted.status == 201 && accepted.json["status"]?.string == "pending")
            let again = try await api.call(.post, "/v1/members/\(fred)/referral", json: #"{"referral_code": "\#(code)"}"#)
            #expect(again.status == 422 && again.code == "already_referred")
            let gina = try await enrol(api, "gina@example.com", code: code)
            #expect(gina.status == 201 && gina.json["referral"]?["reason"]?.string == "limit_reached")

            let summary = try await api.call(.get, "/v1/members/\(ana)/referrals").json
            #expect(summary["counts"]?["refused"] == .number(5) && summary["counts"]?["pending"] == .number(1))
            #expect(summary["counts"]?["brought"] == .number(1))
            let reasons = summary["referrals"]?.array?.compactMap { $0["reason"]?.string } ?? []
            #expect(reasons.sorted() == ["already_referred", "existing_customer", "limit_reached", "self_referral", "self_referral"])
        }
    }

    @Test(arguments: TestStores.available)
    func aPrizeFromTheCatalogIsACouponIssuedOnce(backend: Backend) async throws {
        let hands = Hands(Self.start)
        try await API.run(backend, clock: hands.clock) { api in
            // The friend gets €10 off as a coupon instead of points; the referrer 500 points.
            let program = Self.program().replacingOccurrences(of: #""referred": {"points": 250}"#, with: #""referred": {"reward": "welcome-ten"}"#)
                .replacingOccurrences(of: #""name": "with referrals","#, with: #"""
                    "name": "with referrals", "rewards": [{"id": "welcome-ten", "type": "fixed_discount", "amount": 1000, "cost": 1000,
                    "coupon_days": 30, "title": {"en": "€10 off", "de": "10 € Rabatt", "vi": "Giảm 10 €"}}],
                    """#)
            #expect(try await api.call(.put, "/v1/program", json: program).status == 201)
            let ana = try #require(try await enrol(api, "ana@example.com").json["id"]?.string)
            let code = try #require(try await api.call(.get, "/v1/members/\(ana)/referrals").json["code"]?.string)
            let ben = try #require(try await enrol(api, "ben@example.com", code: code).json["id"]?.string)
            #expect(try await api.call(.post, "/v1/events", json: Self.order("B1", ben, "2026-03-01T10:00:00Z", euros: 40)).status == 201)
            hands.set("2026-03-16T00:00:00Z")
            for _ in 0..<3 { try await api.environment.referrals.settle(at: hands.clock.now()) }
            let coupons = try await api.call(.get, "/v1/members/\(ben)/coupons").json["items"]?.array ?? []
            #expect(coupons.count == 1 && coupons.first?["reward_id"]?.string == "welcome-ten" && coupons.first?["points"] == .number(0))
            #expect(try await api.call(.get, "/v1/members/\(ana)/coupons").json["items"]?.array?.isEmpty == true)
            #expect(try await available(api, ana) == .number(550))
            let check = try await api.call(.post, "/v1/coupons/\(coupons.first?["code"]?.string ?? "")/validate",
                                           json: #"{"lines": [{"sku": "TEE", "quantity": 1, "unit_price": 3000}], "member_id": "\#(ben)"}"#).json
            #expect(check["valid"]?.bool == true && check["discount"] == .number(1000))

            // A crash after the rewards but before the referral was marked: the next run finds it
            // qualified again, and credits and issues nothing more.
            let store = api.environment.store
            let benID = try #require(UUID(uuidString: ben))
            var rewarded = try #require(try await store.referral(of: benID))
            #expect(rewarded.status == .rewarded)
            rewarded.status = .qualified
            rewarded.settledAt = nil
            #expect(try await store.updateReferral(rewarded, expected: .rewarded, ordersSeen: 1))
            try await api.environment.referrals.settle(at: hands.clock.now())
            #expect(try await store.referral(of: rewarded.referred)?.status == .rewarded)
            #expect(try await available(api, ana) == .number(550))
            #expect(try await api.call(.get, "/v1/members/\(ben)/coupons").json["items"]?.array?.count == 1)
        }
    }
}
