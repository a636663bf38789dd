import Foundation
import TreuCore

/// Where a shop's systems are told what happened: a URL, the notice types it wants, the secret
/// its deliveries are signed with.
public struct WebhookEndpoint: Sendable, Equatable {
    public var id: UUID
    public var url: String
    public var description: String?
    /// What it subscribes to, in name order.
    public var types: [NoticeType]
    /// `whsec_` and the base64 of the signing key. Kept as it is: a signature needs the key
    /// itself, so it cannot be hashed like an API key.
    public var secret: String
    /// The secret before the last rotation, still signed with until `previousUntil`.
    public var previousSecret: String?
    public var previousUntil: Date?
    public var enabled: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, url: String, description: String?, types: [NoticeType], secret: String, previousSecret: String? = nil,
                previousUntil: Date? = nil, enabled: Bool, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.url = url
        self.description = description
        self.types = Array(Set(types)).sorted()
        self.secret = secret
        self.previousSecret = previousSecret
        self.previousUntil = previousUntil
        self.enabled = enabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The secrets a delivery at `now` is signed with: the current one, and the previous one while it lasts.
    public func secrets(at now: Date) -> [String] {
        Self.secrets(secret, previous: previousSecret, until: previousUntil, at: now)
    }

    /// The secrets that sign at `now`: `secret`, and `previous` while `until` has not come.
    static func secrets(_ secret: String, previous: String?, until: Date?, at now: Date) -> [String] {
        guard let previous, let until, until > now else { return [secret] }
        return [secret, previous]
    }
}

public enum DeliveryStatus: String, Sendable, CaseIterable, Codable {
    /// Not delivered yet: due at `nextAt` (or out with a server until then).
    case pending
    case delivered
    /// Failed as often as allowed; waits for an admin's replay.
    case dead
}

/// A delivery claimed for sending: the notice, where it goes, and which attempt this is.
public struct DueDelivery: Sendable, Equatable {
    public var id: Int64
    /// This attempt's number, counting every attempt since the delivery was made (from 1).
    public var attempt: Int
    /// The attempts made before the last replay: attempt − this is the count towards the limit.
    public var replayedAfter: Int
    public var endpoint: UUID
    public var url: String
    public var secrets: [String]
    public var notice: Notice

    public init(id: Int64, attempt: Int, replayedAfter: Int, endpoint: UUID, url: String, secrets: [String], notice: Notice) {
        self.id = id
        self.attempt = attempt
        self.replayedAfter = replayedAfter
        self.endpoint = endpoint
        self.url = url
        self.secrets = secrets
        self.notice = notice
    }
}

/// One notice to one endpoint, as listed to an admin.
public struct DeliveryRecord: Sendable, Equatable {
    public var id: Int64
    public var notice: UUID
    public var type: NoticeType
    public var member: UUID?
    public var endpoint: UUID
    public var status: DeliveryStatus
    public var attempts: Int
    public var nextAt: Date?
    public var createdAt: Date
    public var deliveredAt: Date?
    public var lastStatus: Int?
    public var lastError: String?
}

/// What one attempt got back.
public struct DeliveryAttempt: Sendable, Equatable {
    public var delivery: Int64
    public var number: Int
    public var at: Date
    public var milliseconds: Int
    /// The receiver's HTTP status, if it answered.
    public var status: Int?
    /// Why it failed, in words (a refused connection, a timeout, a status outside 2xx).
    public var error: String?
    /// The first bytes of the answer.
    public var response: String?

    public init(delivery: Int64, number: Int, at: Date, milliseconds: Int, status: Int?, error: String?, response: String?) {
        self.delivery = delivery
        self.number = number
        self.at = at
        self.milliseconds = milliseconds
        self.status = status
        self.error = error
        self.response = response
    }
}

/// What happens to a delivery after an attempt.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered
    case retry(at: Date)
    case dead
}

extension DeliveryOutcome {
    /// The delivery's status, next time and delivery time as both engines store them after this outcome.
    func columns(at: Date) -> (status: String, nextAt: Int64?, deliveredAt: Int64?) {
        switch self {
        case .delivered: (DeliveryStatus.delivered.rawValue, nil, Millis.from(at))
        case .retry(let next): (DeliveryStatus.pending.rawValue, Millis.from(next), nil)
        case .dead: (DeliveryStatus.dead.rawValue, nil, nil)
        }
    }
}

/// How many deliveries wait, and how many are done or dead.
public struct OutboxCounts: Sendable, Equatable {
    public var pending: Int
    public var delivered: Int
    public var dead: Int

    public init(pending: Int, delivered: Int, dead: Int) {
        self.pending = pending
        self.delivered = delivered
        self.dead = dead
    }
}

/// The outbox and the webhooks it feeds. Notices are written by the change that causes them
/// (a ledger's `notices`, an enrolment's), each with one delivery per enabled endpoint that
/// wants it, in the same transaction; a delivery service claims due deliveries for a while (a lease, so a
/// server that dies mid-send leaves them to the next), sends them and records each attempt.
public protocol WebhookStore: Sendable {
    func addWebhookEndpoint(_ endpoint: WebhookEndpoint) async throws
    /// Every endpoint, oldest first.
    func webhookEndpoints() async throws -> [WebhookEndpoint]
    func webhookEndpoint(id: UUID) async throws -> WebhookEndpoint?
    /// - Throws: `StoreError.notFound`, or what `change` throws (then nothing is written).
    func updateWebhookEndpoint(id: UUID, _ change: @Sendable (WebhookEndpoint) throws -> WebhookEndpoint) async throws -> WebhookEndpoint
    /// Removes the endpoint with its deliveries. - Returns: false if there was none.
    func removeWebhookEndpoint(id: UUID) async throws -> Bool
    /// The types the enabled endpoints subscribe to: what changes need to write notices for.
    func noticeInterest() async throws -> NoticeInterest
    /// Writes notices that no other change carries.
    func addNotices(_ notices: [Notice]) async throws
    /// Writes `notice` with one delivery to `endpoint`, due at `now` (a ping).
    /// - Throws: `StoreError.notFound` if there is no such endpoint.
    func addDelivery(of notice: Notice, to endpoint: UUID, at now: Date) async throws -> Int64
    /// Takes up to `limit` pending deliveries due at `now` to enabled endpoints, soonest first:
    /// each counts an attempt and is due again only at `now + lease` (if its sender dies, another
    /// takes it then). Rows another server is claiming are skipped.
    func claimDeliveries(at now: Date, lease: TimeInterval, limit: Int) async throws -> [DueDelivery]
    /// Records attempts and what follows from each, in one transaction (a round's). An attempt
    /// whose delivery was claimed again since (its lease ran out) is recorded, and changes nothing else.
    func finishDeliveries(_ results: [(attempt: DeliveryAttempt, outcome: DeliveryOutcome)]) async throws
    /// Deliveries newest first, before `before` (an id), filtered by endpoint and status.
    func deliveries(endpoint: UUID?, status: DeliveryStatus?, before: Int64?, limit: Int) async throws -> [DeliveryRecord]
    func delivery(id: Int64) async throws -> (DeliveryRecord, [DeliveryAttempt])?
    /// Makes a delivery pending again, due at `now`, with a fresh count of attempts (same notice, same id).
    /// - Returns: false if there is no such delivery.
    func replayDelivery(id: Int64, at now: Date) async throws -> Bool
    func outboxCounts() async throws -> OutboxCounts
}

extension WebhookStore {
    /// Records one attempt and what follows from it.
    public func finishDelivery(_ attempt: DeliveryAttempt, outcome: DeliveryOutcome) async throws {
        try await finishDeliveries([(attempt, outcome)])
    }
}
