import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// A small shop for the store suites: two members, two orders and a return of the first.
enum ShopFixture {
    /// Two orders and a return of the first, by two members; a credit each, the first taken
    /// back in part. Every figure below follows from these lines.
    static func shop(_ store: any Store, day: (Double) -> Date) async throws -> (ana: UUID, ben: UUID) {
        let expiry = day(400)
        let ana = try sampleMember(at: day(0)), ben = try sampleMember(emails: ["ben@example.com"], at: day(0))
        try await store.enrol(ana)
        try await store.enrol(ben)
        let events: [(EventDraft, Int)] = [
            (EventDraft(reference: "A-1", kind: "order", member: .id(ana.id), fingerprint: "a1", payload: #"{"o":"A-1"}"#, occurredAt: day(1), amount: 10_000), 100),
            (EventDraft(reference: "B-1", kind: "order", member: .id(ben.id), fingerprint: "b1", payload: #"{"o":"B-1"}"#, occurredAt: day(2), amount: 5_000), 50),
            (EventDraft(reference: "A-1-R", kind: "return", member: .ofSource, source: "A-1", fingerprint: "r1", payload: #"{"r":"A-1-R"}"#, occurredAt: day(3)), -40),
        ]
        for (draft, points) in events {
            let outcome = try await store.recordEvents([draft], at: draft.occurredAt, dryRun: false) { ledger, _ in
                if points > 0 {
                    try ledger.credit(points, at: draft.occurredAt, availableAt: draft.occurredAt.addingTimeInterval(14 * 86_400), expiresAt: expiry,
                                      source: draft.reference, cause: Cause(event: draft.reference))
                } else {
                    _ = try ledger.reverse(-points, earnedBy: "A-1", at: draft.occurredAt, policy: .clawBack, cause: Cause(event: draft.reference))
                }
                return EventAnswer(Data("ok".utf8))
            }[0]
            guard case .recorded = outcome else { Issue.record("\(draft.reference): \(outcome)"); continue }
        }
        return (ana.id, ben.id)
    }
}
