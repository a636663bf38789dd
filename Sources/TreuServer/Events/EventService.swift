import Crypto
import Foundation
import TreuCore
import TreuStore

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
    /// Who wants to hear of what the events do (an import tells nobody: it records history).
    let notices: NoticeBoard

    public init(store: any Store, clock: TreuClock, ids: IDGenerator, programs: ProgramService, enrolUnknown: Bool = true,
                storesAnswers: Bool = true, notices: NoticeBoard = .silent) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.programs = programs
        self.enrolUnknown = enrolUnknown
        self.storesAnswers = storesAnswers
        self.notices = notices
    }

    /// The same service for an import: no answers made or stored, no notices.
    public func importing() -> EventService {
        EventService(store: store, clock: clock, ids: ids, programs: programs, enrolUnknown: enrolUnknown, storesAnswers: false)
    }

    /// A fingerprint of the bytes an event came as: a retry sends the same; other bytes under one reference are a conflict.
    public static func fingerprint(_ bytes: some DataProtocol) -> String { Hex.encode(SHA256.hash(data: bytes)) }

    /// How far ahead of the server's clock an event's time may be (a till's clock running fast).
    public static let clockSkew: TimeInterval = 300

    /// Records events in order, in one transaction; one outcome per event. An event refused
    /// before it reaches the store (no member, a time in the future, another currency) gets
    /// its own refusal: the others of its batch or group are recorded as if it were not there.
    /// A dry run evaluates them exactly so and writes nothing.
    public func record(_ events: [(event: IncomingEvent, fingerprint: String)], dryRun: Bool = false) async throws -> [EventOutcome] {
        let now = clock.now()
        let book = try await programs.book()
        // Answers give expiry days in the zone of the program in force now, as GET /balance
        // does, whatever version evaluated a back-dated event: one zone for the whole batch.
        let zoneNow = book.version(at: now).program.timeZone
        // Who listens, read once for the batch (every event of it tells the same endpoints).
        let interest = notices.interest
        var outcomes = [EventOutcome?](repeating: nil, count: events.count)
        var drafts: [EventDraft] = []
        var positions: [Int] = []
        var evaluations: [@Sendable (inout MemberLedger, EventContext) throws -> EventAnswer] = []
        drafts.reserveCapacity(events.count)
        evaluations.reserveCapacity(events.count)
        for (index, (event, fingerprint)) in events.enumerated() {
            do {
                let (draft, evaluation) = try prepare(event, fingerprint: fingerprint, now: now, book: book, zoneNow: zoneNow, dryRun: dryRun, interest: interest)
                drafts.append(draft)
                evaluations.append(evaluation)
                positions.append(index)
            } catch {
                outcomes[index] = .refused(error)
            }
        }
        if !drafts.isEmpty {
            let evaluate = evaluations, ids = notices.ids, told = drafts, programNow = book.version(at: now).program
            let recorded = try await store.recordEvents(drafts, at: now, dryRun: dryRun) { ledger, context in
                // Only the recorded tier is kept from before (a copy of all counters would cost every event).
                let tierBefore = ledger.counters[Program.recordedTierKey]
                let answer = try evaluate[context.index](&ledger, context)
                if !interest.isEmpty {
                    EventNotices.note(&ledger, draft: told[context.index], context: context, answer: answer, tierBefore: tierBefore,
                                      program: programNow, interest: interest, ids: ids, at: now)
                }
                return answer
            }
            for (position, outcome) in zip(positions, recorded) { outcomes[position] = outcome }
        }
        return outcomes.map { $0! }
    }

    /// Refuses a time further ahead than the clock skew allows.
    static func checkTime(_ at: Date, now: Date) throws(ValidationError) {
        guard at <= now.addingTimeInterval(clockSkew) else {
            throw ValidationError(code: "time_in_future", field: "at",
                                  message: "'\(TreuJSON.timestamp(at))' is more than \(Int(clockSkew / 60)) minutes ahead of the server's clock (\(TreuJSON.timestamp(now)))")
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

    private func prepare(_ event: IncomingEvent, fingerprint: String, now: Date, book: ProgramBook, zoneNow: TimeZone, dryRun: Bool,
                         interest: NoticeInterest) throws
        -> (EventDraft, @Sendable (inout MemberLedger, EventContext) throws -> EventAnswer) {
        switch event {
        case let .order(order, reference):
            try Self.checkTime(order.at, now: now)
            let version = book.version(at: order.at)
            let program = version.program
            guard order.currency == program.currency else {
                throw ValidationError(code: "currency_mismatch", field: "currency",
                                      message: "the program earns on \(program.currency); this order is in \(order.currency) (send orders in \(program.currency), converted by the shop)")
            }
            let draft = EventDraft(reference: order.reference, kind: "order", member: try member(reference, now: now),
                                   fingerprint: fingerprint, payload: Self.payload(StoredOrder(order)), occurredAt: order.at, tally: "order",
                                   readsTally: program.readsOrderHistory, amount: order.netOfDiscounts.minorUnits)
            let ids = self.ids
            return (draft, { ledger, context in
                var evaluation = OrderEvaluation(effects: [], parts: [], notes: [Self.suspendedNote])
                if context.memberActive {
                    evaluation = program.evaluate(order, history: MemberHistory(earlier: context.tallied), counters: &ledger.counters)
                }
                try Self.checkPoints(evaluation.effects)
                try ledger.apply(evaluation.effects, event: order.reference, at: order.at, policy: .clawBack)
                var effects = evaluation.effects
                var companions: [CompanionEvent] = []
                if context.enrolled, let welcome = try self.welcome(member: context.member, at: order.at, program: program, ledger: &ledger) {
                    effects += welcome.effects
                    companions.append(welcome.event)
                }
                let tier = program.recordTier(at: now, counters: &ledger.counters)
                let coupons = Self.nextOrderCoupons(evaluation.effects, of: order, member: context.member, program: program, ids: ids)
                var stored = StoredOrder(order)
                stored.earned = evaluation.parts.map(StoredOrder.Part.init)
                let response = self.answer(order.reference, "order", context, effects, ledger, version, zoneNow, tier,
                                           coupons: dryRun ? [] : coupons, notes: evaluation.notes)
                return EventAnswer(response, coupons: coupons, payload: Self.payload(stored), companions: companions)
            })
        case let .return(ret):
            try Self.checkTime(ret.at, now: now)
            let draft = EventDraft(reference: ret.reference, kind: "return", member: .ofSource, source: ret.orderReference,
                                   fingerprint: fingerprint, payload: Self.payload(StoredReturn(ret)), occurredAt: ret.at)
            return (draft, { ledger, context in
                guard let source = context.source, source.kind == "order" else { throw EventRefusal.sourceNotFound(ret.orderReference) }
                let decoder = JSONDecoder.treu
                let stored = try decoder.decode(StoredOrder.self, from: Data(source.payload.utf8))
                let order = stored.order
                let earlierStored = try context.earlier.map { try decoder.decode(StoredReturn.self, from: Data($0.utf8)) }
                let earlier = earlierStored.map(\.value)
                let earned = ledger.lots.filter { $0.source == order.reference }.reduce(0) { $0 + $1.points }
                var returned = StoredReturn(ret)
                let effects: [Effect]
                if let parts = stored.earned {
                    // Which lines earned what is known: each rule's points come back with what earned them.
                    let earlierTaken = earlierStored.allSatisfy { $0.taken != nil }
                        ? earlierStored.reduce(into: [String: Int]()) { $0.merge($1.taken ?? [:], uniquingKeysWith: +) } : nil
                    let back = try Program.takeBack(ret, of: order, parts: parts.map(\.part), earlier: earlier, earlierTaken: earlierTaken,
                                                    earned: earned, reversedSoFar: ledger.reversedSoFar(order.reference), counters: &ledger.counters)
                    effects = back.effects
                    returned.taken = back.byRule
                } else {
                    effects = try ret.pointsTakenBack(from: order, earlier: earlier, earned: earned, reversedSoFar: ledger.reversedSoFar(order.reference))
                }
                try ledger.apply(effects, event: ret.reference, at: ret.at, policy: .clawBack)
                let version = book.version(at: ret.at)
                version.program.countQualifying(return: ret, of: order, earlier: earlier, pointsTakenBack: effects.takenBack, counters: &ledger.counters)
                let tier = version.program.recordTier(at: now, counters: &ledger.counters)
                // The whole order back: the coupons it issued and nobody used are cancelled; those
                // it was paid with come back where their reward says so (`on_return`).
                var cancelled: [String] = [], reissued: [String] = []
                if try ret.share(of: order, after: earlier).completes {
                    for coupon in context.sourceCoupons {
                        if coupon.earnedBy == order.reference, coupon.status == .issued { cancelled.append(coupon.code) }
                        if coupon.order == order.reference, coupon.status == .used,
                           book.rewardAnyVersion(coupon.rewardID)?.onReturn == .reissue { reissued.append(coupon.code) }
                    }
                }
                let response = self.answer(ret.reference, "return", context, effects, ledger, version, zoneNow, tier,
                                           couponChanges: cancelled.map { ($0, "cancelled") } + reissued.map { ($0, "reissued") })
                return EventAnswer(response, payload: Self.payload(returned), cancelCoupons: cancelled, reissueCoupons: reissued)
            })
        case let .action(action, reference):
            try Self.checkTime(action.at, now: now)
            let version = book.version(at: action.at)
            let draft = EventDraft(reference: action.reference, kind: "action", member: try member(reference, now: now),
                                   fingerprint: fingerprint, payload: Self.payload(StoredAction(action)), occurredAt: action.at,
                                   tally: "action:\(action.name)", readsTally: version.program.readsHistory(of: action))
            return (draft, { ledger, context in
                let program = version.program
                var (effects, notes) = ([Effect](), [Self.suspendedNote])
                if context.memberActive {
                    if action.name == "birthday", let note = Self.birthdayNote(action, birthday: context.birthday, program: program) {
                        notes = [note]
                    } else {
                        (effects, notes) = program.evaluate(action, history: MemberHistory(earlier: context.tallied))
                    }
                }
                try ledger.apply(effects, event: action.reference, at: action.at, policy: .clawBack)
                program.countQualifying(points: effects.credited, at: action.at, counters: &ledger.counters)
                var companions: [CompanionEvent] = []
                if context.enrolled, action.name != "signup",
                   let welcome = try self.welcome(member: context.member, at: action.at, program: program, ledger: &ledger) {
                    effects += welcome.effects
                    companions.append(welcome.event)
                }
                let tier = program.recordTier(at: now, counters: &ledger.counters)
                var answer = EventAnswer(self.answer(action.reference, "action", context, effects, ledger, version, zoneNow, tier, notes: notes),
                                         companions: companions)
                // Limits count the actions that were rewarded, not those refused (past a limit, not a birthday, suspended).
                answer.counts = effects.contains { if case let .credit(_, rule, _, _) = $0 { program.actions.contains { $0.name == rule && $0.action == action.name } } else { false } }
                return answer
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
                ledger.note(.referralRewarded, ReferralNoticeFields(reward, credited: effects.credited), interest: interest, at: now,
                            ids: self.notices.ids)
                let tier = program.recordTier(at: now, counters: &ledger.counters)
                return EventAnswer(self.answer(reward.reference, "referral", context, effects, ledger, version, zoneNow, tier))
            })
        case let .membership(membership, reference):
            try Self.checkTime(membership.at, now: now)
            let version = book.version(at: membership.at)
            let draft = EventDraft(reference: membership.reference, kind: "membership", member: try member(reference, now: now),
                                   fingerprint: fingerprint, payload: Self.payload(StoredMembership(membership: membership)),
                                   occurredAt: membership.at)
            return (draft, { ledger, context in
                _ = try version.program.join(membership, counters: &ledger.counters)
                let tier = version.program.recordTier(at: now, counters: &ledger.counters)
                return EventAnswer(self.answer(membership.reference, "membership", context, [], ledger, version, zoneNow, tier))
            })
        case let .tierDowngrade(downgrade):
            let version = book.version(at: downgrade.at)
            let draft = EventDraft(reference: downgrade.reference, kind: "tier", member: .id(downgrade.member), fingerprint: fingerprint,
                                   payload: Self.payload(downgrade), occurredAt: downgrade.at)
            return (draft, { ledger, context in
                guard let tier = version.program.recordDowngrade(at: downgrade.at, counters: &ledger.counters) else { throw TierDowngrade.NotDue() }
                return EventAnswer(self.answer(downgrade.reference, "tier", context, [], ledger, version, zoneNow, tier))
            })
        case let .tierOverride(change):
            let version = book.version(at: now)
            guard let tiers = version.program.tiers else {
                throw ValidationError(code: "no_tiers", field: "level", message: "the program in force (version \(version.number)) has no tiers")
            }
            let rank = try change.level.map { name throws(ValidationError) -> Int in
                guard let index = tiers.levels.firstIndex(where: { $0.name == name }) else {
                    throw ValidationError(code: "unknown_level", field: "level",
                                          message: "'\(name)' is not a level of the program in force: \(tiers.levels.map(\.name).joined(separator: ", "))")
                }
                return index + 1
            }
            if let until = change.until, until <= now {
                throw ValidationError(code: "invalid_time", field: "until", message: "until is in the future")
            }
            let draft = EventDraft(reference: change.reference, kind: "tier_override", member: try member(.id(change.member), now: now),
                                   fingerprint: fingerprint, payload: Self.payload(change), occurredAt: now)
            return (draft, { ledger, context in
                TierOverride.write(rank.map { TierOverride(rank: $0, mode: change.mode, until: change.until) }, to: &ledger.counters)
                let tier = version.program.recordTier(at: now, counters: &ledger.counters)
                return EventAnswer(self.answer(change.reference, "tier_override", context, [], ledger, version, zoneNow, tier))
            })
        case let .signup(member, at):
            let version = book.version(at: at)
            let draft = EventDraft(reference: Self.signupReference(member.id), kind: "action", member: .new(member),
                                   fingerprint: fingerprint, payload: Self.payload(StoredAction(Self.signupAction(member.id, at: at))),
                                   occurredAt: at, tally: "action:signup")
            return (draft, { ledger, context in
                let program = version.program
                var (effects, notes) = ([Effect](), [Self.suspendedNote])
                if context.memberActive { (effects, notes) = program.evaluate(Self.signupAction(member.id, at: at), history: MemberHistory()) }
                try ledger.apply(effects, event: Self.signupReference(member.id), at: at, policy: .clawBack)
                program.countQualifying(points: effects.credited, at: at, counters: &ledger.counters)
                let tier = program.recordTier(at: now, counters: &ledger.counters)
                var answer = EventAnswer(self.answer(Self.signupReference(member.id), "action", context, effects, ledger, version, zoneNow, tier, notes: notes))
                answer.counts = !effects.isEmpty
                return answer
            })
        }
    }

    static let suspendedNote = EarningNote(code: "member_suspended", detail: "the member is suspended: the event is recorded and earns nothing")

    /// The sign-up that enrolling a member records (its reference: `signup:<member id>`).
    static func signupReference(_ member: UUID) -> String { "signup:\(member.uuidString.lowercased())" }
    static func signupAction(_ member: UUID, at: Date) -> Action { Action(reference: signupReference(member), name: "signup", at: at) }

    /// A member enrolled by an event gets the program's sign-up rule at once, recorded as their
    /// `signup` action with the event (so the rule's limit counts it, and a `signup` sent later
    /// earns nothing more).
    private func welcome(member: UUID, at: Date, program: Program, ledger: inout MemberLedger) throws
        -> (effects: [Effect], event: CompanionEvent)? {
        let signup = Self.signupAction(member, at: at)
        let effects = program.evaluate(signup, history: MemberHistory()).effects
        try ledger.apply(effects, event: signup.reference, at: at, policy: .clawBack)
        program.countQualifying(points: effects.credited, at: at, counters: &ledger.counters)
        return (effects, CompanionEvent(reference: signup.reference, kind: "action", payload: Self.payload(StoredAction(signup)),
                                        occurredAt: at, tally: effects.isEmpty ? nil : "action:signup"))
    }

    /// Why a birthday action earns nothing, if it does not: the member has no birthday on their
    /// profile, or the action's day (program's zone) is not within a week of it.
    static func birthdayNote(_ action: Action, birthday: CalendarDate?, program: Program) -> EarningNote? {
        guard let birthday else {
            return EarningNote(code: "no_birthday", detail: "the member's profile has no birthday: a birthday action earns nothing")
        }
        let day = CalendarDate(action.at, in: program.timeZone)
        let distances = [day.year - 1, day.year, day.year + 1].map { year in
            abs(CalendarDate(year: year, month: birthday.month, day: min(birthday.day, CalendarDate.days(inMonth: birthday.month, year: year))).daysSince1970
                - day.daysSince1970)
        }
        guard distances.min()! > 7 else { return nil }
        return EarningNote(code: "not_birthday",
                           detail: "a birthday action counts within 7 days of the member's birthday (\(birthday.month)-\(birthday.day)); \(day) is not")
    }

    /// Refuses an evaluation that would credit more than one event may.
    static func checkPoints(_ effects: [Effect]) throws(ValidationError) {
        let credited = effects.reduce(0) { if case let .credit(p, _, _, _) = $1 { $0.saturatingAdd(p) } else { $0 } }
        guard credited <= Limits.points else {
            throw ValidationError(code: "points_out_of_range", field: "lines",
                                  message: "the event would earn more than the \(Limits.points.grouped) points one event may earn")
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
                        _ version: ProgramBook.Version, _ zone: TimeZone, _ tierChange: TierChange?, coupons: [Coupon] = [], notes: [EarningNote] = [],
                        couponChanges: [(code: String, status: String)] = []) -> Data {
        guard storesAnswers else { return Data() }
        var issued = coupons.makeIterator()
        let resources = effects.map { effect in
            if case .coupon = effect { return EffectResource(effect: effect, coupon: issued.next()) }
            return EffectResource(effect: effect)
        }
        return EventResult(reference: reference, type: type, memberID: context.member, enrolled: context.enrolled,
                           effects: resources, balance: BalanceResource(ledger, timeZone: zone),
                           programVersion: version.number, tierChange: tierChange, notes: notes, couponChanges: couponChanges).jsonData
    }
}
