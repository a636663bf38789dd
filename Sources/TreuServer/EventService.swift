import Crypto
import Foundation
import TreuCore
import TreuStore

/// An event as the API and the importer hand it over, checked and in the domain's terms.
public enum IncomingEvent: Sendable {
    case order(Order, member: MemberReference)
    case `return`(Return)
    case action(Action, member: MemberReference)
    /// Points for one side of a referral, once its friend's first order is past its window.
    case referralReward(ReferralReward)
    /// A member's level dropping at a window's end (the tier service).
    case tierDowngrade(TierDowngrade)
    /// A member joining or renewing a paid level.
    case membership(Membership, member: MemberReference)

    public var reference: String {
        switch self {
        case .order(let order, _): order.reference
        case .return(let ret): ret.reference
        case .action(let action, _): action.reference
        case .referralReward(let reward): reward.reference
        case .tierDowngrade(let downgrade): downgrade.reference
        case .membership(let membership, _): membership.reference
        }
    }
}

/// What one side of a referral gets, recorded as an event of kind `referral` under a reference
/// made of the referral's id and the side: a second server, or a second run, recording it again
/// gets the first answer and credits nothing.
public struct ReferralReward: Sendable, JSONWritable {
    public enum Side: String, Sendable { case referrer, referred }
    public var referral: UUID
    public var side: Side
    public var member: UUID
    /// The other member of the referral.
    public var other: UUID
    public var points: Int
    /// The end of the qualifying order's return window.
    public var at: Date

    public var reference: String { "referral:\(referral.uuidString.lowercased()):\(side.rawValue)" }
    /// The name on the ledger entry.
    public var rule: String { side == .referrer ? "referral: a friend joined" : "referral: welcome from a friend" }

    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("at", at)
            w.field("member_id", member.uuidString.lowercased())
            w.field("other_member_id", other.uuidString.lowercased())
            w.field("points", points)
            w.field("referral_id", referral.uuidString.lowercased())
            w.field("side", side.rawValue)
        }
    }
}

/// Whose event: a member id, or identities (the first one anybody holds decides).
public enum MemberReference: Sendable {
    case id(UUID)
    case identities([Identity])
}

/// What the API and the importer do with events, over any `Store`: each event becomes a draft
/// for the store and a pure evaluation (the earning rules) that runs inside the store's
/// transaction on the member's ledger; a batch is one transaction. The answer of each recorded
/// event is stored with it, so a replay gets the same bytes.
public struct EventService: Sendable {
    let store: any Store
    let clock: TreuClock
    let ids: IDGenerator
    /// The program's versions: an event is evaluated by the one in force at its time.
    let programs: ProgramService
    /// An order or action for an identity nobody holds yet enrols its customer, so a shop never calls twice.
    let enrolUnknown: Bool
    /// Whether each event's answer is made and stored for replays. An import stores none: its
    /// rows' fingerprints are not an API call's, so a stored answer would only ever be read by
    /// the import run again, which counts it and reads nothing of it.
    let storesAnswers: Bool

    public init(store: any Store, clock: TreuClock, ids: IDGenerator, programs: ProgramService, enrolUnknown: Bool = true,
                storesAnswers: Bool = true) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.programs = programs
        self.enrolUnknown = enrolUnknown
        self.storesAnswers = storesAnswers
    }

    /// The same service for an import: no answers made or stored.
    public func importing() -> EventService {
        EventService(store: store, clock: clock, ids: ids, programs: programs, enrolUnknown: enrolUnknown, storesAnswers: false)
    }

    /// A fingerprint of the bytes an event came as: a retry sends the same; other bytes under one reference are a conflict.
    public static func fingerprint(_ bytes: some DataProtocol) -> String { Hex.encode(SHA256.hash(data: bytes)) }

    /// Records events in order, in one transaction; one outcome per event. A dry run evaluates
    /// them exactly so and writes nothing.
    public func record(_ events: [(event: IncomingEvent, fingerprint: String)], dryRun: Bool = false) async throws -> [EventOutcome] {
        let now = clock.now()
        let book = try await programs.book()
        var drafts: [EventDraft] = []
        var evaluations: [@Sendable (inout MemberLedger, EventContext) throws -> EventAnswer] = []
        drafts.reserveCapacity(events.count)
        evaluations.reserveCapacity(events.count)
        for (event, fingerprint) in events {
            let (draft, evaluation) = try prepare(event, fingerprint: fingerprint, now: now, book: book)
            drafts.append(draft)
            evaluations.append(evaluation)
        }
        let evaluate = evaluations
        return try await store.recordEvents(drafts, at: now, dryRun: dryRun) { ledger, context in
            try evaluate[context.index](&ledger, context)
        }
    }

    private func member(_ reference: MemberReference, now: Date) throws -> EventMember {
        switch reference {
        case .id(let id): return .id(id)
        case .identities(let identities):
            guard !identities.isEmpty else {
                throw ValidationError(code: "member_required", field: "member",
                                      message: "an event names its member: member_id, or member with an email, phone, card or customer_id")
            }
            guard enrolUnknown else { return .holder(of: identities, enrol: nil) }
            let ids = self.ids
            return .holder(of: identities, enrol: { try Enrolment(identities: identities).makeMember(id: ids.next(), now: now) })
        }
    }

    private func prepare(_ event: IncomingEvent, fingerprint: String, now: Date, book: ProgramBook) throws
        -> (EventDraft, @Sendable (inout MemberLedger, EventContext) throws -> EventAnswer) {
        switch event {
        case let .order(order, reference):
            let version = book.version(at: order.at)
            let draft = EventDraft(reference: order.reference, kind: "order", member: try member(reference, now: now),
                                   fingerprint: fingerprint, payload: Self.payload(StoredOrder(order)), occurredAt: order.at, tally: "order",
                                   readsTally: version.program.readsOrderHistory, amount: order.netOfDiscounts.minorUnits)
            let ids = self.ids
            return (draft, { ledger, context in
                let effects = context.memberActive
                    ? version.program.effects(of: order, history: MemberHistory(earlier: context.tallied), counters: &ledger.counters) : []
                try ledger.apply(effects, event: order.reference, at: order.at, policy: .clawBack)
                let tier = version.program.recordTier(at: now, counters: &ledger.counters)
                let coupons = Self.nextOrderCoupons(effects, of: order, member: context.member, program: version.program, ids: ids)
                return EventAnswer(self.answer(order.reference, "order", context, effects, ledger, version, tier, coupons: coupons), coupons: coupons)
            })
        case let .return(ret):
            let draft = EventDraft(reference: ret.reference, kind: "return", member: .ofSource, source: ret.orderReference,
                                   fingerprint: fingerprint, payload: Self.payload(StoredReturn(ret)), occurredAt: ret.at)
            return (draft, { ledger, context in
                guard let source = context.source, source.kind == "order" else { throw EventRefusal.sourceNotFound(ret.orderReference) }
                let decoder = JSONDecoder.treu
                let order = try decoder.decode(StoredOrder.self, from: Data(source.payload.utf8)).order
                let earlier = try context.earlier.map { try decoder.decode(StoredReturn.self, from: Data($0.utf8)).value }
                let earned = ledger.lots.filter { $0.source == order.reference }.reduce(0) { $0 + $1.points }
                let effects = try ret.pointsTakenBack(from: order, earlier: earlier, earned: earned,
                                                      reversedSoFar: ledger.reversedSoFar(order.reference))
                try ledger.apply(effects, event: ret.reference, at: ret.at, policy: .clawBack)
                let version = book.version(at: ret.at)
                version.program.countQualifying(return: ret, of: order, earlier: earlier, pointsTakenBack: effects.takenBack, counters: &ledger.counters)
                let tier = version.program.recordTier(at: now, counters: &ledger.counters)
                return EventAnswer(self.answer(ret.reference, "return", context, effects, ledger, version, tier))
            })
        case let .action(action, reference):
            let version = book.version(at: action.at)
            let draft = EventDraft(reference: action.reference, kind: "action", member: try member(reference, now: now),
                                   fingerprint: fingerprint, payload: Self.payload(StoredAction(action)), occurredAt: action.at,
                                   tally: "action:\(action.name)", readsTally: version.program.readsHistory(of: action))
            return (draft, { ledger, context in
                let effects = context.memberActive ? version.program.effects(of: action, history: MemberHistory(earlier: context.tallied)) : []
                try ledger.apply(effects, event: action.reference, at: action.at, policy: .clawBack)
                version.program.countQualifying(points: effects.credited, at: action.at, counters: &ledger.counters)
                let tier = version.program.recordTier(at: now, counters: &ledger.counters)
                return EventAnswer(self.answer(action.reference, "action", context, effects, ledger, version, tier))
            })
        case let .referralReward(reward):
            let version = book.version(at: reward.at)
            let draft = EventDraft(reference: reward.reference, kind: "referral", member: .id(reward.member), fingerprint: fingerprint,
                                   payload: Self.payload(reward), occurredAt: reward.at)
            return (draft, { ledger, context in
                let program = version.program
                let effects: [Effect] = context.memberActive && reward.points > 0
                    ? [.credit(points: reward.points, rule: reward.rule, availableAt: reward.at, expiresAt: program.expiryDate(earnedAt: reward.at))] : []
                try ledger.apply(effects, event: reward.reference, at: reward.at, policy: .clawBack)
                program.countQualifying(points: effects.credited, at: reward.at, counters: &ledger.counters)
                let tier = program.recordTier(at: now, counters: &ledger.counters)
                return EventAnswer(self.answer(reward.reference, "referral", context, effects, ledger, version, tier))
            })
        case let .membership(membership, reference):
            let version = book.version(at: membership.at)
            let draft = EventDraft(reference: membership.reference, kind: "membership", member: try member(reference, now: now),
                                   fingerprint: fingerprint, payload: Self.payload(StoredMembership(membership: membership)),
                                   occurredAt: membership.at)
            return (draft, { ledger, context in
                _ = try version.program.join(membership, counters: &ledger.counters)
                let tier = version.program.recordTier(at: now, counters: &ledger.counters)
                return EventAnswer(self.answer(membership.reference, "membership", context, [], ledger, version, tier))
            })
        case let .tierDowngrade(downgrade):
            let version = book.version(at: downgrade.at)
            let draft = EventDraft(reference: downgrade.reference, kind: "tier", member: .id(downgrade.member), fingerprint: fingerprint,
                                   payload: Self.payload(downgrade), occurredAt: downgrade.at)
            return (draft, { ledger, context in
                guard let tier = version.program.recordDowngrade(at: downgrade.at, counters: &ledger.counters) else { throw TierDowngrade.NotDue() }
                return EventAnswer(self.answer(downgrade.reference, "tier", context, [], ledger, version, tier))
            })
        }
    }

    private static func payload(_ value: some JSONWritable) -> String {
        String(decoding: value.jsonData, as: UTF8.self)
    }

    /// The coupons an order's coupon effects issue: one each, valid `coupon_days` from the
    /// order's day, free, and never for the order that earned them.
    static func nextOrderCoupons(_ effects: [Effect], of order: Order, member: UUID, program: Program, ids: IDGenerator) -> [Coupon] {
        effects.compactMap { effect in
            guard case let .coupon(rewardID, _) = effect, let reward = program.reward(rewardID) else { return nil }
            return Coupon(code: ShortCode.coupon(from: ids.next()), rewardID: reward.id, member: member, points: 0, issuedAt: order.at,
                          expiresAt: program.midnight(ending: reward.couponDays, after: order.at), earnedBy: order.reference)
        }
    }

    /// The answer to store with an event; `coupons` are those its coupon effects issued, in their order.
    private func answer(_ reference: String, _ type: String, _ context: EventContext, _ effects: [Effect], _ ledger: MemberLedger,
                        _ version: ProgramBook.Version, _ tierChange: TierChange?, coupons: [Coupon] = []) -> Data {
        guard storesAnswers else { return Data() }
        var issued = coupons.makeIterator()
        let resources = effects.map { effect in
            if case .coupon = effect { return EffectResource(effect: effect, coupon: issued.next()) }
            return EffectResource(effect: effect)
        }
        return EventResult(reference: reference, type: type, memberID: context.member, enrolled: context.enrolled,
                           effects: resources, balance: BalanceResource(ledger, timeZone: version.program.timeZone),
                           programVersion: version.number, tierChange: tierChange).jsonData
    }
}

/// A member's level dropping with time, recorded as an event of kind `tier` under a reference
/// made of the member and the day (program's zone): a second server, or a second run that day,
/// records nothing more. Refused (and so leaving no trace) when nothing is due.
public struct TierDowngrade: Sendable, JSONWritable {
    public var member: UUID
    public var at: Date
    public var day: CalendarDate

    public var reference: String { "tier:\(member.uuidString.lowercased()):\(day)" }

    struct NotDue: Error {}

    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("day", day.description)
            w.field("member_id", member.uuidString.lowercased())
        }
    }
}
