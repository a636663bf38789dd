import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// POST /v1/members/{id}/transfers and /donations: a member gives points to another member
/// (who keeps their expiry dates) or to a cause. Both sides of a transfer change in one
/// transaction or not at all.
struct TransferController: Sendable {
    let environment: TreuEnvironment

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
            try Self.check(points: request.points)
            let note = request.note?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (note?.count ?? 0) <= 500 else {
                throw Problem(.unprocessableContent, code: "invalid_note", detail: "a note has at most 500 characters", field: "note")
            }
            let to = try await recipient(request)
            let now = environment.clock.now()
            let cause = Cause(event: nil, actor: context.principal.map { "\($0.name) (\($0.prefix)…)" }, reason: note.flatMap { $0.isEmpty ? nil : $0 })
            let (sender, receiver, made) = try await environment.store.changePoints(of: from, and: to) { sender, receiver in
                let made = try sender.transfer(request.points, to: &receiver, at: now, cause: cause)
                return (sender, receiver, made)
            }
            let zone = try await environment.programs.book().version(at: now).program.timeZone
            return try .json(TransferResource(from: Side(memberID: from, entries: [EntryResource(made.out)], balance: BalanceResource(sender, timeZone: zone)),
                                              to: Side(memberID: to, entries: made.in.map(EntryResource.init), balance: BalanceResource(receiver, timeZone: zone))),
                             status: .created)
        }
        endpoints.register(v1, .post, "members/:id/donations", .spendPoints) { _, context, body in
            let id = try context.memberID()
            let request = try RequestBody.decode(DonationBody.self, from: body)
            try Self.check(points: request.points)
            let cause = request.cause.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...200).contains(cause.count) else {
                throw Problem(.unprocessableContent, code: "cause_required", detail: "a donation names its cause in 1 to 200 characters", field: "cause")
            }
            let actor = context.principal.map { "\($0.name) (\($0.prefix)…)" }
            let now = environment.clock.now()
            let (ledger, entry) = try await environment.store.changePoints(of: id, loadingLotsOf: nil) { ledger in
                let entry = try ledger.donate(request.points, to: cause, at: now, actor: actor)
                return (ledger, entry)
            }
            let zone = try await environment.programs.book().version(at: now).program.timeZone
            return try .json(AdjustmentResource(entry: EntryResource(entry), balance: BalanceResource(ledger, timeZone: zone)), status: .created)
        }
    }

    static func check(points: Int) throws {
        guard (1...10_000_000).contains(points) else {
            throw Problem(.unprocessableContent, code: "invalid_points", detail: "points are a whole number from 1 to 10,000,000", field: "points")
        }
    }

    /// The member who receives: by id, or by any identity (never enrolled on the fly: points go to someone who exists).
    func recipient(_ request: TransferBody) async throws -> UUID {
        if let id = request.toMemberID { return id }
        let identities = try request.to?.identities(defaultCountryCode: environment.configuration.defaultCountryCode) ?? []
        guard !identities.isEmpty else {
            throw Problem(.unprocessableContent, code: "recipient_required", detail: "a transfer names its recipient: to_member_id, or to with an email, phone, card or customer_id", field: "to")
        }
        guard let member = try await environment.store.member(holdingAnyOf: identities) else {
            throw Problem(.notFound, code: "recipient_not_found", detail: "no member has this identity", field: "to")
        }
        return member.id
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
