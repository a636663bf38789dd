import Crypto
import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// POST /v1/events: orders and returns. Each event is recorded once per reference with what it
/// did to the member's points, in one transaction; a replay gets the first answer and changes
/// nothing; the same reference with another content is a 409.
struct EventController: Sendable {
    let environment: TreuEnvironment
    /// Earning until the program document replaces it (issue 4).
    let earning = DefaultEarning()
    /// An order for an identity nobody has yet enrols its customer, so a shop never calls twice.
    let enrolOnOrder = true

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .post, "events", .writeMembers) { _, _, body in
            let event = try RequestBody.decode(EventBody.self, from: body)
            switch event.type {
            case "order": return try await order(event, fingerprint: Self.fingerprint(body))
            case "return": return try await returned(event, fingerprint: Self.fingerprint(body))
            default:
                throw Problem(.unprocessableContent, code: "unknown_event_type", detail: "type is order or return, not '\(event.type)'", field: "type")
            }
        }
    }

    func order(_ body: EventBody, fingerprint: String) async throws -> APIResponse {
        let now = environment.clock.now()
        let order = try body.order(now: now)
        // A reference seen before is a replay or a conflict: answered from the stored event, with
        // its member, so that a refused retry never looks up or enrols anyone.
        let (member, enrolled) = if let seen = try await environment.store.event(reference: order.reference) {
            (try await environment.members.member(id: seen.member), false)
        } else {
            try await member(of: body)
        }
        let payload = String(decoding: try TreuJSON.encode(StoredOrder(order)), as: UTF8.self)
        let effects = member.status == .active ? earning.effects(of: order) : []
        let record = NewEvent(reference: order.reference, kind: "order", member: member.id, source: nil,
                              fingerprint: fingerprint, payload: payload, occurredAt: order.at, now: now)
        return try await answer(environment.store.recordEvent(record) { ledger, _ in
            try ledger.apply(effects, event: order.reference, at: order.at, policy: .clawBack)
            return try TreuJSON.encode(EventResult(reference: order.reference, type: "order", memberID: member.id, enrolled: enrolled,
                                                   effects: effects.map(EffectResource.init), balance: BalanceResource(ledger)))
        })
    }

    func returned(_ body: EventBody, fingerprint: String) async throws -> APIResponse {
        let now = environment.clock.now()
        let ret = try body.returned(now: now)
        guard let stored = try await environment.store.event(reference: ret.orderReference), stored.kind == "order" else {
            throw Problem(.notFound, code: "order_not_found", detail: "no order has the reference \(ret.orderReference)", field: "order_reference")
        }
        let order = try JSONDecoder.treu.decode(StoredOrder.self, from: Data(stored.payload.utf8)).order
        let payload = String(decoding: try TreuJSON.encode(StoredReturn(ret)), as: UTF8.self)
        let record = NewEvent(reference: ret.reference, kind: "return", member: stored.member, source: order.reference,
                              fingerprint: fingerprint, payload: payload, occurredAt: ret.at, now: now)
        let earning = self.earning
        return try await answer(environment.store.recordEvent(record) { ledger, earlierPayloads in
            let earlier = try earlierPayloads.map { try JSONDecoder.treu.decode(StoredReturn.self, from: Data($0.utf8)).value }
            let earned = ledger.lots.filter { $0.source == order.reference }.reduce(0) { $0 + $1.points }
            let effects = try earning.effects(of: ret, order: order, earlier: earlier, earned: earned,
                                              reversedSoFar: ledger.reversedSoFar(order.reference))
            try ledger.apply(effects, event: ret.reference, at: ret.at, policy: .clawBack)
            return try TreuJSON.encode(EventResult(reference: ret.reference, type: "return", memberID: stored.member, enrolled: false,
                                                   effects: effects.map(EffectResource.init), balance: BalanceResource(ledger)))
        })
    }

    func answer(_ outcome: EventOutcome) throws -> APIResponse {
        switch outcome {
        case .recorded(let body): return APIResponse(status: .created, contentType: "application/json", body: body)
        case .replay(let body): return APIResponse(status: .ok, contentType: "application/json", body: body)
        case .mismatch:
            throw Problem(.conflict, code: "reference_reused", detail: "an event with this reference and another content was recorded before", field: "reference")
        }
    }

    /// The member an order is for: by id, or by any identity; enrolled on the fly when new.
    func member(of body: EventBody) async throws -> (Member, enrolled: Bool) {
        let members = environment.members
        if let id = body.memberID { return (try await members.member(id: id), false) }
        let identities = try body.member?.identities(defaultCountryCode: environment.configuration.defaultCountryCode) ?? []
        guard !identities.isEmpty else {
            throw Problem(.unprocessableContent, code: "member_required", detail: "an order names its member: member_id, or member with an email, phone, card or customer_id", field: "member")
        }
        if let found = try await environment.store.member(holdingAnyOf: identities) { return (found, false) }
        guard enrolOnOrder else { throw Problem.memberNotFound }
        do {
            return (try await members.enrol(Enrolment(identities: identities)), true)
        } catch StoreError.identityTaken {
            // Enrolled a moment ago by a concurrent order of the same customer.
            guard let found = try await environment.store.member(holdingAnyOf: identities) else { throw Problem.memberNotFound }
            return (found, false)
        }
    }

    /// The request body's hash: a retry sends the same bytes; other bytes under one reference are a 409.
    static func fingerprint(_ body: Data) -> String { Hex.encode(SHA256.hash(data: body)) }
}

extension JSONDecoder {
    /// Reads what `TreuJSON` writes (dates in ISO 8601 with milliseconds).
    static var treu: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a time: \(text)"))
            }
            return date
        }
        return decoder
    }
}
