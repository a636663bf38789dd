import Foundation
import Synchronization
import TreuCore
import TreuStore

/// Runs the reports of `GET /v1/analytics/…` and `treu report`: reads the shop's orders and the
/// ledger's totals, then computes in memory with the program in force now (its currency, and its
/// time zone for days and months).
public struct ReportService: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case retention, cohorts, rfm, clv, program, senders }

    /// A report, as the API's JSON and as tables for the command line.
    public struct Report: Sendable {
        public var json: Data
        public var tables: [ReportTable]
    }

    let store: any Store
    let programs: ProgramService
    let clock: TreuClock

    public init(store: any Store, programs: ProgramService, clock: TreuClock) {
        self.store = store
        self.programs = programs
        self.clock = clock
    }

    /// - Throws: `Problem` `invalid_parameter` for a parameter it cannot use.
    public func report(_ kind: Kind, _ parameters: [String: String]) async throws -> Report {
        let now = clock.now()
        let program = try await programs.book().version(at: now).program
        let query = try ReportQuery.parse(parameters, today: CalendarDate(now, in: program.timeZone))
        if let member = query.member {
            guard kind == .clv else { throw ReportQuery.invalid("member_id", "is for the clv report") }
            guard try await store.member(id: member) != nil else { throw Problem.memberNotFound }
        }
        let log = try await PurchaseLog.read(store)
        // What each report reads besides the orders, read first; then the figures are computed
        // on a thread of their own (a fit over a large shop takes seconds).
        var tiers: (TierProgram, [UUID: [QualifyingActivity]])?
        var ledger: [LedgerTotal] = [], enrolments: [Enrolments] = [], referrals: [Referral] = []
        switch kind {
        case .retention where query.byTier:
            guard let definition = program.tiers else {
                throw Problem(.badRequest, code: "no_tiers", detail: "by tier: the program in force has no tiers", field: "by")
            }
            tiers = (definition, try await QualifyingHistory.everyone(log, metric: definition.metric, store: store))
        case .program:
            let end = CalendarDate(daysSince1970: query.to.daysSince1970 + 1).start(in: program.timeZone)
            ledger = try await store.ledgerTotals(before: end)
            enrolments = try await store.enrolments(before: end)
        case .senders:
            while true {
                let page = try await store.referrals(after: referrals.last?.id, limit: 10_000)
                guard !page.isEmpty else { break }
                referrals += page
            }
        default: break
        }
        let (read, ledgerTotals, enrolled, referred) = (tiers, ledger, enrolments, referrals)
        return try await ComputeThreads.run {
            switch kind {
            case .retention:
                let report = RetentionReport(log, query, program: program, tiers: read)
                return Report(json: try TreuJSON.encode(report), tables: [report.table])
            case .cohorts:
                let report = CohortReport(log, query, program: program)
                return Report(json: try TreuJSON.encode(report), tables: [report.table])
            case .rfm:
                let report = RFMReport(RFMScores(log, days: log.days(in: program.timeZone), on: query.to), query, program: program)
                return Report(json: try TreuJSON.encode(report), tables: report.tables)
            case .clv:
                let report = LifetimeReport(log, query, program: program)
                return Report(json: try TreuJSON.encode(report), tables: report.tables)
            case .program:
                let report = ProgramReport(log, ledger: ledgerTotals, enrolments: enrolled, query, program: program)
                return Report(json: try TreuJSON.encode(report), tables: report.tables)
            case .senders:
                let report = SendersReport(log, referrals: referred, limit: query.limit, program: program)
                return Report(json: try TreuJSON.encode(report), tables: report.tables)
            }
        }
    }
}

/// One member's figures from the last analytics snapshot, shown on the member resource.
struct MemberFigures: Encodable, Sendable {
    var asOf: Date
    var segment: String
    var recency: Int
    var frequency: Int
    var monetary: Int
    var orders: Int
    var historicValue: Int
    @OrNull var pAlive: Double?
    @OrNull var expectedPurchases: Double?
    @OrNull var predictedValue: Double?
    var horizonMonths: Int

    enum CodingKeys: String, CodingKey {
        case segment, recency, frequency, monetary, orders
        case asOf = "as_of", historicValue = "historic_value", pAlive = "p_alive", expectedPurchases = "expected_purchases"
        case predictedValue = "predicted_value", horizonMonths = "horizon_months"
    }
}

/// Every member's RFM scores, P(alive) and predicted value as of a moment, computed over the
/// whole shop (quintiles and model fits need everyone) and kept; once older than the configured
/// age (`TREU_ANALYTICS_REFRESH_SECONDS`) the snapshot is still served while a new one is
/// computed in the background, so a member's read never waits for a refit (only the very
/// first, before any snapshot exists, waits for one).
public final class MemberAnalyticsService: Sendable {
    let store: any Store
    let programs: ProgramService
    let clock: TreuClock
    let maxAge: TimeInterval
    private struct State {
        var figures: [UUID: MemberFigures] = [:]
        var builtAt: Date?
        /// The build under way: requests that find the snapshot old wait for it rather than start their own.
        var building: Task<([UUID: MemberFigures], Date), any Error>?
    }
    private let state = Mutex(State())

    init(store: any Store, programs: ProgramService, clock: TreuClock, maxAge: TimeInterval) {
        self.store = store
        self.programs = programs
        self.clock = clock
        self.maxAge = maxAge
    }

    /// The member's figures, or nil if they have not bought anything.
    func figures(of member: UUID) async throws -> MemberFigures? {
        let now = clock.now()
        let (known, task): (MemberFigures??, Task<([UUID: MemberFigures], Date), any Error>?) = state.withLock { state in
            let fresh = state.builtAt.map { now >= $0 && now.timeIntervalSince($0) < maxAge } ?? false
            var task = state.building
            if !fresh, task == nil {
                task = Task { (try await self.build(at: now), now) }
                state.building = task
                let service = self
                // Whoever started it, the snapshot is kept when it is done.
                Task { await service.keep(task!) }
            }
            return (state.builtAt == nil ? .none : .some(state.figures[member]), task)
        }
        // Stale or fresh, a snapshot is served at once; only the first ever is waited for.
        if let known { return known }
        return try await task?.value.0[member] ?? nil
    }

    /// Keeps what a build made (or forgets the build if it failed: the next read starts another).
    private func keep(_ task: Task<([UUID: MemberFigures], Date), any Error>) async {
        let result = await task.result
        state.withLock { state in
            if case .success(let (figures, builtAt)) = result, state.builtAt.map({ $0 < builtAt }) ?? true {
                (state.figures, state.builtAt) = (figures, builtAt)
            }
            state.building = nil
        }
    }

    func build(at now: Date) async throws -> [UUID: MemberFigures] {
        let program = try await programs.book().version(at: now).program
        let log = try await PurchaseLog.read(store)
        return try await ComputeThreads.run { Self.figures(log, program: program, at: now) }
    }

    static func figures(_ log: PurchaseLog, program: Program, at now: Date) -> [UUID: MemberFigures] {
        let today = CalendarDate(now, in: program.timeZone)
        let days = log.days(in: program.timeZone)
        let horizon = 12
        var figures: [UUID: MemberFigures] = [:]
        for member in RFMScores(log, days: days, on: today).members {
            figures[member.id] = MemberFigures(asOf: now, segment: member.score.segment.rawValue, recency: member.score.recency,
                                               frequency: member.score.frequency, monetary: member.score.monetary,
                                               orders: member.customer.orders, historicValue: member.customer.spend, horizonMonths: horizon)
        }
        let data = CustomerHistories(log, days: days, through: today.daysSince1970)
        if let models = LifetimeModels(data, kind: .bgnbd) {
            for i in data.histories.indices {
                let prediction = models.predict(data.histories[i], repeatMean: data.repeatMeans[i], months: horizon, discountRate: 0.01)
                let id = log.members[data.members[i]]
                figures[id]?.pAlive = prediction.pAlive
                figures[id]?.expectedPurchases = prediction.purchases
                figures[id]?.predictedValue = prediction.value
            }
        }
        return figures
    }
}
