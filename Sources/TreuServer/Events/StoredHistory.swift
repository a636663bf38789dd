import Foundation
import TreuCore
import TreuStore

/// The shop's own recorded history, read back as events for a simulation.
public enum StoredHistory {
    /// Every recorded order, return and action, 5,000 a read; members are told apart by their id.
    public static func simulationEvents(_ store: any Store) async throws -> [Simulation.Event] {
        var events: [Simulation.Event] = []
        var after: String?
        let decoder = JSONDecoder.treu
        while true {
            let page = try await store.events(after: after, limit: 5_000)
            guard let last = page.last else { return events }
            for stored in page {
                let payload = Data(stored.payload.utf8)
                let member = stored.member.uuidString.lowercased()
                switch stored.kind {
                case "order": events.append(.order(try decoder.decode(StoredOrder.self, from: payload).order, member: member))
                case "return": events.append(.return(try decoder.decode(StoredReturn.self, from: payload).value))
                case "action": events.append(.action(try decoder.decode(StoredAction.self, from: payload).value, member: member))
                default: continue
                }
            }
            after = last.reference
        }
    }
}
