import Foundation
import Hummingbird
import Logging
import TreuCore
import TreuStore

/// Everything a running Treu needs, built once and shared by the routes.
public struct TreuEnvironment: Sendable {
    public let configuration: AppConfiguration
    public let store: any Store
    public let clock: TreuClock
    public let ids: IDGenerator
    public let logger: Logger

    /// Single events from the API, written in groups (one per server).
    let eventWriter: EventGroupCommit
    /// The program's versions, cached (one per server).
    public let programs: ProgramService
    /// Members' RFM segments and predicted values, kept for a while (one per server).
    let memberAnalytics: MemberAnalyticsService
    /// Rewards and checkout (one per server: it keeps the campaign an unknown code reads).
    public let rewards: RewardService
    /// API keys found lately (one per server).
    let keyCache = KeyCache()
    /// Which notices the webhook endpoints and the messages want (one per server).
    public let notices: NoticeBoard
    /// The message settings and templates (one per server).
    public let messageBook: MessageBook
    /// What a notice says to its member.
    let composer: MessageComposer

    public init(configuration: AppConfiguration, store: any Store, clock: TreuClock = .system,
                ids: IDGenerator = .live, logger: Logger = Logger(label: "treu")) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.ids = ids
        self.logger = logger
        programs = ProgramService(store: store)
        let book = MessageBook(store: store)
        messageBook = book
        composer = MessageComposer(book: book, linkBase: configuration.linkBase, ids: ids, token: MessageComposer.randomToken)
        let notices = NoticeBoard(store: store, ids: ids, book: book)
        self.notices = notices
        memberAnalytics = MemberAnalyticsService(store: store, programs: programs, clock: clock,
                                                 maxAge: TimeInterval(configuration.analyticsRefreshSeconds))
        rewards = RewardService(store: store, clock: clock, ids: ids, programs: programs, notices: notices)
        eventWriter = EventGroupCommit(service: EventService(store: store, clock: clock, ids: ids, programs: programs, notices: notices))
    }

    public var members: MemberService {
        MemberService(store: store, clock: clock, ids: ids, defaultCountryCode: configuration.defaultCountryCode, signups: eventWriter,
                      notices: notices)
    }

    public var events: EventService { EventService(store: store, clock: clock, ids: ids, programs: programs, notices: notices) }

    public var webhooks: WebhookService {
        WebhookService(store: store, board: notices, clock: clock, ids: ids, allowPrivate: configuration.webhookAllowPrivate)
    }

    public var points: PointsService { PointsService(store: store, clock: clock, programs: programs, notices: notices) }

    public var reports: ReportService { ReportService(store: store, programs: programs, clock: clock) }

    public var keys: APIKeyService { APIKeyService(store: store, clock: clock, ids: ids, cache: keyCache) }

    public var referrals: ReferralService { ReferralService(store: store, clock: clock, ids: ids, programs: programs, notices: notices) }

    public var tierDowngrades: TierDowngrades { TierDowngrades(store: store, clock: clock, ids: ids, programs: programs, notices: notices) }

    public var campaigns: CampaignService { CampaignService(store: store, clock: clock, ids: ids) }

    public var messageAdmin: MessageAdmin {
        MessageAdmin(store: store, book: messageBook, board: notices, programs: programs, clock: clock)
    }
}

/// The router with every route; `buildApplication` and the tests use the same one.
public func buildRouter(_ environment: TreuEnvironment) -> Router<TreuContext> {
    RequestMetrics.bootstrap()
    let routes = RouteIndex()
    let router = Router(context: TreuContext.self)
    // Hummingbird's own request metrics (swift-metrics; Prometheus behind it), and a log line each.
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ProblemMiddleware(routes: routes))

    router.get("health") { _, _ in
        try APIResponse.json(["status": "ok"]).response
    }
    router.get("ready") { _, _ in
        do {
            try await environment.store.ping()
            let version = try await environment.store.schemaVersion()
            return try APIResponse.json(ReadyResource(status: "ready", database: environment.store.backendName, schemaVersion: version)).response
        } catch {
            environment.logger.warning("not ready", metadata: ["error": "\(error)"])
            return APIResponse.problem(Problem(.serviceUnavailable, code: "not_ready", detail: "the database does not answer")).response
        }
    }
    router.get("metrics") { _, _ in
        APIResponse(status: .ok, contentType: "text/plain; version=0.0.4", body: Data(RequestMetrics.render().utf8)).response
    }
    router.get("openapi.json") { _, _ in
        APIResponse(status: .ok, contentType: "application/json", body: Data(OpenAPIDocument.json.utf8)).response
    }

    let v1 = router.group("v1").add(middleware: AuthMiddleware(keys: environment.keys))
    let endpoints = Endpoints(store: environment.store, clock: environment.clock,
                              maxBodyBytes: environment.configuration.maxBodyBytes)
    MemberController(members: environment.members, analytics: environment.memberAnalytics, referrals: environment.referrals)
        .register(v1, endpoints)
    let currency: @Sendable () async throws -> String = {
        try await environment.programs.book().version(at: environment.clock.now()).program.currency
    }
    ReferralController(referrals: environment.referrals, currency: currency).register(v1, endpoints)
    RewardController(rewards: environment.rewards, currency: currency).register(v1, endpoints)
    CampaignController(campaigns: environment.campaigns).register(v1, endpoints)
    AnalyticsController(reports: environment.reports).register(v1, endpoints)
    KeyController(keys: environment.keys).register(v1, endpoints)
    WebhookController(webhooks: environment.webhooks).register(v1, endpoints)
    MessageController(admin: environment.messageAdmin).register(v1, endpoints)
    UnsubscribePage(store: environment.store, members: environment.members, programs: environment.programs, clock: environment.clock)
        .register(router)
    let points = environment.points
    PointsController(points: points).register(v1, endpoints)
    TierController(tiers: TierService(store: environment.store, clock: environment.clock, programs: environment.programs, ids: environment.ids,
                             notices: environment.notices))
        .register(v1, endpoints)
    TransferController(points: points, defaultCountryCode: environment.configuration.defaultCountryCode).register(v1, endpoints)
    ProgramController(environment: environment).register(v1, endpoints)
    EventController(environment: environment).register(v1, endpoints)
    routes.load(router.routes.map { ($0.path.description, $0.method.rawValue) })
    return router
}

struct ReadyResource: Encodable {
    var status: String
    var database: String
    var schemaVersion: Int
    enum CodingKeys: String, CodingKey { case status, database, schemaVersion = "schema_version" }
}

/// The application: the router on an HTTP server at the configured address, with the background services.
public func buildApplication(_ environment: TreuEnvironment, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
    -> some ApplicationProtocol {
    var application = Application(
        router: buildRouter(environment),
        configuration: .init(address: .hostname(environment.configuration.host, port: environment.configuration.port),
                             serverName: "treu"),
        services: [
            IdempotencyJanitor(store: environment.store, clock: environment.clock, logger: environment.logger),
            PointsRelease(store: environment.store, clock: environment.clock, logger: environment.logger, notices: environment.notices),
            ExpiryReminders(store: environment.store, programs: environment.programs, board: environment.notices,
                            clock: environment.clock, logger: environment.logger),
            CouponReminders(store: environment.store, programs: environment.programs, board: environment.notices,
                            clock: environment.clock, logger: environment.logger),
            DeliveryService(store: environment.store, board: environment.notices, clock: environment.clock,
                            policy: environment.configuration.delivery, allowPrivate: environment.configuration.webhookAllowPrivate,
                            logger: environment.logger),
            MessageService(environment: environment),
            ReferralSettlement(service: environment.referrals, clock: environment.clock, logger: environment.logger),
            TierDowngradeWatch(downgrades: environment.tierDowngrades, programs: environment.programs, clock: environment.clock,
                      logger: environment.logger),
        ],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: environment.logger)
    // Who listens is known before the first request: a change in the first second makes its notices too.
    application.beforeServerStarts { try await environment.notices.refresh() }
    return application
}
