import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// POST /v1/members/{id}/transfers and /donations: a member gives points to another member
/// (who keeps their expiry dates) or to a cause. Both sides of a transfer change in one
/// transaction or not at all.
struct TransferController: Sendable {
    let points: PointsService
    let defaultCountryCode: String?

    struct TransferBody: Decodable {
        var points: Int
        var toMemberID: UUID?
        var to: EventBody.MemberIdentities?
        var note: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case points, toMemberID = "to_member_id", to, note }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            points = try c.decode(Int.self, forKey: .points)
            toMemberID = try c.decodeIfPresent(UUID.self, forKey: .toMemberID)
            to = try c.decodeIfPresent(EventBody.MemberIdentities.self, forKey: .to)
            note = try c.decodeIfPresent(String.self, forKey: .note)
        }
    }

    struct DonationBody: Decodable {
        var points: Int
        var cause: String
        enum CodingKeys: String, CodingKey, CaseIterable { case points, cause }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            points = try c.decode(Int.self, forKey: .points)
            cause = try c.decode(String.self, forKey: .cause)
        }
    }

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .post, "members/:id/transfers", .spendPoints) { _, context, body in
            let from = try context.memberID()
            let request = try RequestBody.decode(TransferBody.self, from: body)
            try PointsService.check(points: request.points)
            let note = request.note?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (note?.count ?? 0) <= 500 else {
                throw Problem(.unprocessableContent, code: "invalid_note", detail: "a note has at most 500 characters", field: "note")
            }
            let to = try await recipient(request)
            let cause = Cause(event: nil, actor: context.principal.map { "\($0.name) (\($0.prefix)…)" }, reason: note.flatMap { $0.isEmpty ? nil : $0 })
            let (sender, receiver, made) = try await points.transfer(request.points, from: from, to: to, cause: cause)
            let zone = try await points.timeZone()
            return try .json(TransferResource(from: Side(memberID: from, entries: [EntryResource(made.out)], balance: BalanceResource(sender, timeZone: zone)),
                                              to: Side(memberID: to, entries: made.in.map(EntryResource.init), balance: BalanceResource(receiver, timeZone: zone))),
                             status: .created)
        }
        endpoints.register(v1, .post, "members/:id/donations", .spendPoints) { _, context, body in
            let request = try RequestBody.decode(DonationBody.self, from: body)
            let (ledger, entry) = try await points.donate(request.points, from: try context.memberID(), to: request.cause,
                                                         actor: context.principal.map { "\($0.name) (\($0.prefix)…)" })
            return try .json(AdjustmentResource(entry: EntryResource(entry), balance: BalanceResource(ledger, timeZone: try await points.timeZone())), status: .created)
        }
    }

    /// The member who receives: by id, or by any identity (never enrolled on the fly: points go to someone who exists).
    func recipient(_ request: TransferBody) async throws -> UUID {
        if let id = request.toMemberID { return id }
        let identities = try request.to?.identities(defaultCountryCode: defaultCountryCode) ?? []
        guard !identities.isEmpty else {
            throw Problem(.unprocessableContent, code: "recipient_required", detail: "a transfer names its recipient: to_member_id, or to with an email, phone, card or customer_id", field: "to")
        }
        guard let member = try await points.holder(of: identities) else {
            throw Problem(.notFound, code: "recipient_not_found", detail: "no member has this identity", field: "to")
        }
        return member
    }

    struct Side: Encodable {
        var memberID: UUID
        var entries: [EntryResource]
        var balance: BalanceResource
        enum CodingKeys: String, CodingKey { case memberID = "member_id", entries, balance }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(memberID.uuidString.lowercased(), forKey: .memberID)
            try c.encode(entries, forKey: .entries)
            try c.encode(balance, forKey: .balance)
        }
    }

    struct TransferResource: Encodable {
        var from: Side
        var to: Side
    }
}
