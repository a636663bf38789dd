import Foundation
import Testing
import TreuCore
import TreuTestSupport
@testable import TreuServer

@Suite("Transfers and donations over HTTP")
struct TransferAPITests {
    /// Two members with 100 available points each: the standard welcome gift (50) and a manual credit of 50.
    func twoMembers(_ api: API) async throws -> (ana: String, ben: String) {
        var ids: [String] = []
        for email in ["ana@example.com", "ben@example.com"] {
            let id = try #require(try await api.call(.post, "/v1/members", json: #"{"email": "\#(email)"}"#).json["id"]?.string)
            try await api.call(.post, "/v1/members/\(id)/adjustments", json: #"{"points": 50, "reason": "welcome"}"#)
            ids.append(id)
        }
        return (ids[0], ids[1])
    }

    @Test(arguments: TestStores.available)
    func pointsMoveBetweenMembersAndToCauses(backend: Backend) async throws {
        try await API.run(backend) { api in
            let (ana, ben) = try await twoMembers(api)
            let transfer = try await api.call(.post, "/v1/members/\(ana)/transfers", json: #"{"points": 30, "to": {"email": "BEN@example.com"}, "note": "for your birthday"}"#)
            #expect(transfer.status == 201)
            #expect(transfer.json["from"]?["balance"]?["available"] == .number(70))
            #expect(transfer.json["to"]?["balance"]?["available"] == .number(130))
            #expect(transfer.json["to"]?["entries"]?[0]?["kind"]?.string == "transfer_in")
            #expect(transfer.json["from"]?["entries"]?[0]?["reason"]?.string == "for your birthday")

            let donation = try await api.call(.post, "/v1/members/\(ben)/donations", json: #"{"points": 130, "cause": "Trees for Hanoi"}"#)
            #expect(donation.status == 201 && donation.json["balance"]?["available"] == .number(0))
            #expect(donation.json["entry"]?["kind"]?.string == "donation" && donation.json["entry"]?["reason"]?.string == "donation to Trees for Hanoi")
            // A cause a member names shows among the causes with what it was given.
            let causes = try await api.call(.get, "/v1/causes").json
            #expect(causes["named_causes"] == .array([.object(["cause": .string("Trees for Hanoi"), "points": .number(130),
                                                               "donations": .number(1), "members": .number(1)])]))

            let cases: [(String, String, Int, String)] = [
                (ana, #"{"points": 71, "to_member_id": "\#(ben)"}"#, 409, "insufficient_points"),
                (ana, #"{"points": 0, "to_member_id": "\#(ben)"}"#, 422, "invalid_points"),
                (ana, #"{"points": 5, "to_member_id": "\#(ana)"}"#, 422, "same_member"),
                (ana, #"{"points": 5}"#, 422, "recipient_required"),
                (ana, #"{"points": 5, "to": {"email": "nobody@example.com"}}"#, 404, "recipient_not_found"),
                (ana, #"{"points": 5, "to_member_id": "\#(UUID().uuidString)"}"#, 404, "member_not_found"),
            ]
            for (from, body, status, code) in cases {
                let answer = try await api.call(.post, "/v1/members/\(from)/transfers", json: body)
                #expect(answer.status == status && answer.code == code, "\(code): \(answer.status) \(answer.code ?? "")")
            }
            #expect(try await api.call(.post, "/v1/members/\(ana)/donations", json: #"{"points": 5, "cause": " "}"#).code == "cause_required")
            // Nothing of the refused ones changed a point.
            #expect(try await api.call(.get, "/v1/members/\(ana)/balance").json["available"] == .number(70))
            let analyst = try await api.key(.analyst)
            #expect(try await api.call(.post, "/v1/members/\(ana)/transfers", key: analyst, json: #"{"points": 1, "to_member_id": "\#(ben)"}"#).status == 403)
        }
    }

    /// 40 transfers of 1 point each way at once: none waits forever on the other (locks are
    /// taken in id order), and the points add up to what they were.
    @Test(arguments: TestStores.available)
    func transfersBothWaysAtOnceConservePoints(backend: Backend) async throws {
        try await API.run(backend, transport: .live) { api in
            let (ana, ben) = try await twoMembers(api)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<40 {
                    let (from, to) = n % 2 == 0 ? (ana, ben) : (ben, ana)
                    group.addTask { try await api.call(.post, "/v1/members/\(from)/transfers", json: #"{"points": 1, "to_member_id": "\#(to)"}"#).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 201, count: 40))
            let a = try await api.call(.get, "/v1/members/\(ana)/balance").json["available"]
            let b = try await api.call(.get, "/v1/members/\(ben)/balance").json["available"]
            #expect(a == .number(100) && b == .number(100))
        }
    }
}
