import Foundation
import TreuCore

/// Treu's storage, described at the level of the domain (enrol this member, find the member with
/// one of these identities, claim this idempotency key), not of SQL. Two implementations:
/// `SQLiteStore` (the embedded default) and `PostgresStore`; one conformance suite proves they
/// behave the same.
///
/// Every write is one transaction: it happens whole or not at all.
public protocol Store: Sendable {
    /// Which engine this is, for logs and `/ready`.
    var backendName: String { get }
    /// How many write transactions gain from running at once: 1 for SQLite's single writer; more
    /// for PostgreSQL, where a transaction mostly waits for round trips.
    var concurrentWriters: Int { get }

    /// Applies (or, with a lower `target`, reverts) numbered migrations; returns the versions applied or reverted.
    @discardableResult
    func migrate(to target: Int?) async throws -> [Int]
    /// The highest migration applied (0 on an empty database).
    func schemaVersion() async throws -> Int
    /// Succeeds when the database answers a query.
    func ping() async throws
    /// Releases connections. The store is unusable afterwards.
    func close() async throws

    // MARK: Members

    /// Stores a new member with its identities.
    /// - Throws: `StoreError.identityTaken` if another member already holds one of the identities.
    func enrol(_ member: Member) async throws
    /// Stores many new members in one transaction: all of them or, on any error, none.
    /// `progress` hears how many are written so far, now and then.
    /// - Throws: `StoreError.identityTaken` naming the first identity already held.
    func importMembers(_ members: [Member], progress: (@Sendable (Int) -> Void)?) async throws
    func member(id: UUID) async throws -> Member?
    /// The member holding the first of `identities` (in the order given) that anyone holds, in one read.
    func member(holdingAnyOf identities: [Identity]) async throws -> Member?
    /// The holder of each of `identities` that someone holds, for any number of them in one call
    /// (PostgreSQL reads 10,000 a statement; SQLite one each, a read without a round trip).
    func holders(of identities: [Identity]) async throws -> [Identity: UUID]
    /// Changes the profile, consents or status of a member (not its identities): `change` gets
    /// the member as stored, under a lock, and returns it changed; the result is written in the
    /// same transaction, so two concurrent changes never lose one another.
    /// - Returns: the member as written.
    /// - Throws: `StoreError.notFound` if there is no such member, or what `change` throws.
    func updateMember(id: UUID, _ change: @Sendable (Member) throws -> Member) async throws -> Member
    /// - Returns: the member with the identity.
    /// - Throws: `StoreError.identityTaken`, `StoreError.notFound`.
    @discardableResult
    func add(_ identity: Identity, to memberID: UUID, at now: Date) async throws -> Member
    /// - Throws: `StoreError.lastIdentity` rather than leave a member with none; `StoreError.notFound`.
    /// - Returns: the member without the identity.
    @discardableResult
    func remove(_ identity: Identity, from memberID: UUID, at now: Date) async throws -> Member
    /// Members in enrolment order, filtered and paginated by `query`.
    func members(_ query: MemberQuery) async throws -> Page<Member>
    func memberCount() async throws -> Int

    // MARK: Points

    /// A member's points as stored: the figures and the open lots (and, for a return, the lots
    /// the event `source` created, open or not).
    func points(of member: UUID, loadingLotsOf source: String?) async throws -> MemberLedger
    /// Changes a member's points in one transaction, one change per member at a time: `change`
    /// gets the ledger as `points(of:loadingLotsOf:)` gives it; the entries it appends are stored
    /// with the new lots and figures; if it throws, nothing is written and the error is rethrown.
    /// - Throws: `StoreError.notFound` if there is no such member.
    func changePoints<T: Sendable>(of member: UUID, loadingLotsOf source: String?,
                                   _ change: @Sendable (inout MemberLedger) throws -> T) async throws -> T
    /// Changes two members' points in one transaction (a transfer): both ledgers are locked and
    /// loaded, `change` changes them, both are written, or neither if it throws.
    /// - Throws: `StoreError.notFound` if either member does not exist, `sameMember` if they are one.
    func changePoints<T: Sendable>(of first: UUID, and second: UUID,
                                   _ change: @Sendable (inout MemberLedger, inout MemberLedger) throws -> T) async throws -> T
    /// A member's entries in order, those after `sequence`, at most `limit`.
    func ledgerEntries(of member: UUID, after sequence: Int, limit: Int) async throws -> [LedgerEntry]
    /// Every lot of a member, open or not, for verification.
    func allLots(of member: UUID) async throws -> [Lot]
    /// Changes, in one transaction, up to `limit` members with pending points whose release date
    /// has come or points whose expiry date has: `change` gets each one's ledger (under its
    /// lock) and says how many entries it made. Members another transaction holds are skipped
    /// (PostgreSQL: `FOR UPDATE SKIP LOCKED`), so several servers share the work without waiting
    /// on each other; what one did, the other no longer finds due.
    /// - Returns: how many members were changed, and the sum of what `change` returned.
    func changeDuePoints(at now: Date, limit: Int, _ change: @Sendable (inout MemberLedger) -> Int) async throws -> (members: Int, entries: Int)
    /// Members that have points, in id order after `after`, with the figures cached for them.
    func pointAccounts(after: UUID?, limit: Int) async throws -> [CachedPoints]
    /// Members whose counter `name` is above zero, in id order after `after` (those with a
    /// recorded tier, for the downgrade at a window's end).
    func members(withCounter name: String, after: UUID?, limit: Int) async throws -> [UUID]
    /// Members' rule counters (those with a points account), in id order after `after`.
    func counters(after: UUID?, limit: Int) async throws -> [(member: UUID, counters: [String: Int])]
    /// Changes the counters of `members` in one transaction, each under its member's lock (as an
    /// event takes it, so none is lost to an event recorded at the same time): `change` gets a
    /// member's counters and returns new ones, or nil to keep them. A member without a points
    /// account gets one.
    /// - Returns: how many members' counters changed.
    func changeCounters(of members: [UUID], _ change: @Sendable (UUID, [String: Int]) -> [String: Int]?) async throws -> Int
    /// Writes each member's `new` counters where they still hold `old` (as read before), in one
    /// transaction; returns the members whose counters had changed meanwhile, left as they are.
    func replaceCounters(_ changes: [(member: UUID, old: [String: Int], new: [String: Int])]) async throws -> [UUID]

    // MARK: Figures

    /// The points of every ledger entry before `end`, summed by kind and quarter hour (UTC): the
    /// quarter hours let a report put them in the days and months of any time zone.
    func ledgerTotals(before end: Date) async throws -> [LedgerTotal]
    /// Recorded orders and returns in reference order, those after `reference`, at most `limit`:
    /// an order with its amount (its document only if it was recorded before amounts were kept),
    /// a return with its document.
    func purchases(after reference: String?, limit: Int) async throws -> [StoredPurchase]
    /// Credits and reversals of every member, by member and sequence, after `position`, at most
    /// `limit` (points earned, for tiers over the whole shop).
    func pointsEarned(after position: PointsPosition?, limit: Int) async throws -> [PointsMovement]
    /// These members' orders and returns, in time order, as `purchases(after:limit:)` reads them.
    func purchases(of members: [UUID]) async throws -> [StoredPurchase]
    /// The documents of the events with these references (those recorded).
    func payloads(of references: [String]) async throws -> [String: String]
    /// The members enrolled before `end`, counted by quarter hour (UTC). A member counts from
    /// their enrolment or their first recorded event, whichever is earlier (a shop's imported
    /// history has customers from before Treu).
    func enrolments(before end: Date) async throws -> [Enrolments]

    // MARK: Events

    /// The event with this reference, if one was recorded.
    func event(reference: String) async throws -> StoredEvent?
    /// Recorded events in reference order, those after `reference`, at most `limit` (the shop's
    /// own history, for a simulation).
    func events(after reference: String?, limit: Int) async throws -> [StoredEvent]
    /// Records events in order, in one transaction, each once per reference, with its change to its
    /// member's points: `change` gets the member's ledger (with the lots the event's `source`
    /// created) and the event's context, and returns the answer to store with the event (and
    /// coupons to write with it). An event
    /// whose reference was recorded before changes nothing and gets `.replay` with the first answer
    /// (or `.mismatch` if its fingerprint differs); one that `change` refuses gets `.refused` and
    /// leaves no trace. Later events of a batch see the earlier ones (a return of an order sent
    /// just before it). A storage error fails the whole batch; nothing of it is written. With
    /// `dryRun`, everything is done and the transaction rolled back: the outcomes say what would happen.
    func recordEvents(_ events: [EventDraft], at now: Date, dryRun: Bool,
                      _ change: @Sendable (inout MemberLedger, EventContext) throws -> EventAnswer) async throws -> [EventOutcome]

    // MARK: Referrals

    /// The member's referral code: the one stored or, on the first ask, one of `propose` (asked
    /// again while its proposal belongs to another member).
    /// - Throws: `StoreError.notFound` if there is no such member.
    func referralCode(of member: UUID, at now: Date, propose: @Sendable () -> String) async throws -> String
    /// The member a code belongs to.
    func member(referralCode code: String) async throws -> UUID?
    /// Records that the holder of `code` brought `referred`: under the referrer's lock (two
    /// referrals with one code at once see each other) the facts are read and `decide` refuses or
    /// accepts; the referral is stored either way, a refused one with its reason.
    /// - Throws: `StoreError.notFound` if the code or the friend is unknown.
    func refer(id: UUID, code: String, referred: UUID, at now: Date,
               _ decide: @Sendable (ReferralFacts) -> ReferralRefusal?) async throws -> Referral
    /// The referrals a member made (as referrer), oldest first.
    func referrals(by referrer: UUID) async throws -> [Referral]
    /// The referral that brought a member (not a refused one).
    func referral(of referred: UUID) async throws -> Referral?
    /// Every referral in id order after `id`, at most `limit`.
    func referrals(after id: UUID?, limit: Int) async throws -> [Referral]
    /// Referrals with something to decide, at most `limit`: pending ones whose friend has more
    /// orders than when they were last looked at, qualified ones whose window has ended.
    func referralsToSettle(at now: Date, limit: Int) async throws -> [(referral: Referral, ordersSeen: Int)]
    /// Writes `referral`'s status, reason, order and dates, and how many of the friend's orders
    /// were looked at, if it is still in `expected`'s status (another server may have moved it).
    /// - Returns: whether it was written.
    func updateReferral(_ referral: Referral, expected: ReferralStatus, ordersSeen: Int) async throws -> Bool

    // MARK: Rewards and coupons

    /// Redeems a reward for `coupon.member`, all or nothing, in one transaction under the
    /// member's lock: `change` gets the member's ledger and how many coupons of the reward they
    /// were issued since `countingSince` (not cancelled), and debits the points or throws; the
    /// reward's stock is taken (`CouponRefusal.outOfStock` once `stock` coupons were issued,
    /// however many redeem at once); the coupon is stored. A coupon with an `origin` (a prize: a
    /// referral's side) is issued once: if one with that origin exists, it is returned and
    /// nothing changes.
    /// - Throws: `StoreError.notFound` for an unknown member, what `change` throws.
    func redeem(_ coupon: Coupon, origin: String?, stock: Int?, countingSince: Date?,
                _ change: @Sendable (inout MemberLedger, _ issuedSince: Int) throws -> Void) async throws -> Coupon
    func coupon(code: String) async throws -> Coupon?
    /// A member's coupons, newest first.
    func coupons(of member: UUID) async throws -> [Coupon]
    /// Coupons of these rewards with `status`, by code after `after` (a shop's list of gifts to hand over, or handed over).
    func coupons(ofRewards rewards: [String], status: CouponStatus, after: String?, limit: Int) async throws -> [Coupon]
    /// Per reward: its coupons not cancelled, their points and the members holding them (a cause's running total).
    func rewardTotals(_ rewards: [String]) async throws -> [String: RewardTotal]
    /// Donations members made to a cause they named (not a reward of the catalog), by the
    /// ledger entry's reason ("donation to Trees for Hanoi"): how many, their points, the members.
    func namedDonations() async throws -> [String: RewardTotal]
    /// Uses the coupon on `order` if `check` accepts it as stored: at most one order ever gets
    /// it, whatever the concurrency; the same order again gets the same answer.
    /// - Returns: the coupon as used, or why not (`couponNotFound` for an unknown code).
    /// `check` also sees the other codes used on the order so far (for the stacking rules),
    /// read under a lock of the order: two codes for one order are used one after the other.
    func useCoupon(code: String, order: String, at now: Date,
                   _ check: @Sendable (Coupon, _ others: [CodeOnOrder]) -> CouponRefusal?) async throws -> Result<Coupon, CouponRefusal>
    /// The order a coupon was used on was cancelled: the coupon is usable again (once).
    /// - Returns: the coupon, or why not (`couponNotFound`, or `used` if used on another order).
    func voidCoupon(code: String, order: String) async throws -> Result<Coupon, CouponRefusal>
    /// Cancels a coupon in one transaction (its redemption undone): `check` may refuse it; else
    /// it becomes cancelled (with `order`, when an order's cancellation voided it), its reward's
    /// unit goes back to the stock, and `refund` gets the member's ledger and the points its
    /// redemption took, lot by lot with their expiry dates. A coupon already cancelled for the
    /// same non-nil `order` is returned as it is.
    func cancelCoupon(code: String, order: String?, at now: Date, _ check: @Sendable (Coupon) -> CouponRefusal?,
                      refund: @Sendable (inout MemberLedger, _ spent: [(points: Int, expiresAt: Date?)]) -> Void) async throws -> Result<Coupon, CouponRefusal>

    /// Stores a new campaign (without codes).
    func createCampaign(_ campaign: CouponCampaign) async throws
    func campaign(id: UUID) async throws -> CouponCampaign?
    /// Adds codes to a campaign in one transaction; a code stored before (in any campaign) is
    /// skipped. - Returns: how many were added.
    func addCampaignCodes(_ codes: [String], to campaign: UUID) async throws -> Int
    /// A campaign's codes in code order after `after`, at most `limit` (for an export).
    func campaignCodes(of campaign: UUID, after: String?, limit: Int) async throws -> [CampaignCode]
    func campaignCode(_ code: String) async throws -> CampaignCode?
    /// Uses a campaign code on `order`, taking `discount` (minor units) from the campaign's
    /// budget, all at once: at most one order gets a code and the budget is never exceeded,
    /// whatever the concurrency; the same order again gets the same answer. `check` sees the
    /// campaign as stored (its expiry).
    func useCampaignCode(_ code: String, order: String, discount: Int, at now: Date,
                         _ check: @Sendable (CouponCampaign, _ others: [CodeOnOrder]) -> CouponRefusal?) async throws -> Result<CampaignCode, CouponRefusal>
    /// The member coupons and campaign codes used on `order`, but `code`, by code.
    func codes(onOrder order: String, except code: String) async throws -> [CodeOnOrder]
    /// The order was cancelled: the code is usable again and its use goes back to the budget.
    func voidCampaignCode(_ code: String, order: String) async throws -> Result<CampaignCode, CouponRefusal>

    // MARK: Program

    /// Every stored version of the program, oldest first.
    func programVersions() async throws -> [StoredProgram]
    /// Stores a new version (numbered one above the highest) and returns it.
    func addProgramVersion(document: String, effectiveFrom: Date, createdAt: Date, createdBy: String?) async throws -> StoredProgram

    // MARK: API keys

    func insert(_ key: APIKey) async throws
    /// The key with this hash, revoked or not.
    func apiKey(hash: String) async throws -> APIKey?
    func apiKeys() async throws -> [APIKey]
    /// Marks a key revoked, unless it is the last live admin key (nobody could make keys
    /// then), in one step however many revoke at once.
    func revokeAPIKey(id: UUID, at now: Date) async throws -> KeyRevocation

    // MARK: Idempotency

    /// Claims `key` for a request so that a retry returns the first answer instead of acting twice.
    func claimIdempotencyKey(_ claim: IdempotencyClaim) async throws -> IdempotencyOutcome
    /// Records the answer given to the request that holds the claim.
    func completeIdempotencyKey(scope: String, key: String, response: StoredResponse) async throws
    /// Gives a claim up (the request failed in a way a retry may fix).
    func releaseIdempotencyKey(scope: String, key: String) async throws
    /// Forgets keys claimed before `cutoff`; returns how many. A retry after that acts anew.
    @discardableResult
    func purgeIdempotencyKeys(claimedBefore cutoff: Date) async throws -> Int
}

/// What revoking a key did.
public enum KeyRevocation: Sendable, Equatable {
    case revoked
    /// No live key has the id (none, or revoked already).
    case notFound
    /// It is the last live admin key: kept.
    case lastAdmin
}

/// A member's point figures as cached in storage, for `treu verify` to check against the entries.
public struct CachedPoints: Sendable, Equatable {
    public var member: UUID
    public var available: Int
    public var pending: Int
}

/// Quarter hours are counted from 1970 in UTC: every zone's offset is a whole number of them.
public let quarterHourMilliseconds = 900_000

/// The sum of the ledger entries of one kind in one quarter hour.
public struct LedgerTotal: Sendable, Equatable {
    public var kind: String
    /// Quarter hours since 1970 (UTC).
    public var quarterHour: Int
    /// The sum of the entries' signed points.
    public var points: Int
    public var entries: Int

    public init(kind: String, quarterHour: Int, points: Int, entries: Int) {
        self.kind = kind
        self.quarterHour = quarterHour
        self.points = points
        self.entries = entries
    }

    public var start: Date { Date(timeIntervalSince1970: Double(quarterHour) * Double(quarterHourMilliseconds) / 1000) }
}

/// Members enrolled in one quarter hour.
public struct Enrolments: Sendable, Equatable {
    public var quarterHour: Int
    public var members: Int

    public init(quarterHour: Int, members: Int) {
        self.quarterHour = quarterHour
        self.members = members
    }

    public var start: Date { Date(timeIntervalSince1970: Double(quarterHour) * Double(quarterHourMilliseconds) / 1000) }
}

/// Where a read of `pointsEarned` stopped.
public struct PointsPosition: Sendable, Equatable {
    public var member: UUID
    public var sequence: Int
    public init(member: UUID, sequence: Int) {
        self.member = member
        self.sequence = sequence
    }
}

/// A ledger entry that earned points or took earned points back.
public struct PointsMovement: Sendable, Equatable {
    public var member: UUID
    public var sequence: Int
    /// `credit` or `reversal`.
    public var kind: String
    public var points: Int
    public var at: Date
    public var event: String?
    /// A reversal: the event whose points it took back.
    public var reverses: String?
    public var position: PointsPosition { PointsPosition(member: member, sequence: sequence) }
}

/// An order or a return as the reports read it.
public struct StoredPurchase: Sendable, Equatable {
    public var reference: String
    public var kind: String
    public var member: UUID
    public var occurredAt: Date
    /// An order's net, minor units (nil: recorded before amounts were kept; read `payload`).
    public var amount: Int?
    public var payload: String?
}

public struct StoredEvent: Sendable, Equatable {
    public var reference: String
    public var kind: String
    public var member: UUID
    public var payload: String
}

/// What the store refuses, in the domain's words.
public enum StoreError: Error, Equatable, Sendable {
    case identityTaken(Identity)
    case notFound
    case lastIdentity
    case identityNotHeld
    /// A transfer from a member to the same member.
    case sameMember
}

/// A request's claim on an idempotency key. `scope` keeps keys of different API keys apart;
/// `fingerprint` is a hash of method, path and body, so the same key with another body is caught.
public struct IdempotencyClaim: Sendable {
    public var scope: String
    public var key: String
    public var fingerprint: String
    public var now: Date
    /// A claim older than this whose request never answered (a crash) may be taken over.
    public var staleAfter: TimeInterval

    public init(scope: String, key: String, fingerprint: String, now: Date, staleAfter: TimeInterval = 60) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
        self.now = now
        self.staleAfter = staleAfter
    }
}

/// A response kept for replay.
public struct StoredResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: Data
    public init(status: Int, contentType: String, body: Data) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

public enum IdempotencyOutcome: Sendable, Equatable {
    /// This request holds the key now: act, then complete or release it.
    case claimed
    /// The key was used by an identical request that answered this.
    case replay(StoredResponse)
    /// The key was used by a request with another method, path or body.
    case mismatch
    /// The identical request is still running.
    case inProgress
}
