import Foundation
import Synchronization
import TreuCore
import TreuStore

/// Which notices anyone wants, kept in memory (one per server): every change asks it, so it
/// must cost nothing. Refreshed from the store by the delivery service every second and at
/// once when this server changes an endpoint; another server's new endpoint is heard of
/// within a second.
public final class NoticeBoard: Sendable {
    private let store: (any WebhookStore)?
    /// The message settings: a kind that is sent wants its notice too.
    let book: MessageBook?
    private let current = Mutex(NoticeInterest.none)
    private let webhooks = Mutex(NoticeInterest.none)
    let ids: IDGenerator

    public init(store: any WebhookStore, ids: IDGenerator, book: MessageBook? = nil) {
        self.store = store
        self.ids = ids
        self.book = book
    }

    private init() {
        store = nil
        book = nil
        ids = .live
    }

    /// A board that wants nothing (an import, a simulation): no notice is ever made.
    public static let silent = NoticeBoard()

    /// What the endpoints and the messages want.
    public var interest: NoticeInterest { current.withLock { $0 } }

    /// What the endpoints alone want (message.failed is told only to them).
    public var webhookInterest: NoticeInterest { webhooks.withLock { $0 } }

    /// Reads the enabled endpoints' subscriptions and the message settings again.
    public func refresh() async throws {
        guard let store else { return }
        let subscribed = try await store.noticeInterest()
        var interest = subscribed
        if let book {
            try await book.refresh()
            interest = NoticeInterest(subscribed.types, messages: book.wantedTypes)
        }
        webhooks.withLock { $0 = subscribed }
        current.withLock { $0 = interest }
    }

    /// A notice of `type` about `member` with `fields`, if anyone wants it.
    func notices(_ type: NoticeType, member: UUID? = nil, at now: Date, _ fields: some Encodable) -> [Notice] {
        let interest = self.interest
        guard interest.wants(type) else { return [] }
        return [Notice(id: ids.next(), type: type, occurredAt: now, member: member, fields: fields, interest: interest)]
    }
}
