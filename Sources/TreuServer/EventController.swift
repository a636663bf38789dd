import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// POST /v1/events (one event) and POST /v1/events/batch (up to 1,000, each with its own result).
/// Each event is recorded once per reference with what it did to the member's points; a replay
/// gets the first answer and changes nothing; the same reference with another content is a 409.
struct EventController: Sendable {
    let environment: TreuEnvironment
    static let batchLimit = 1_000

    var events: EventService { environment.events }

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .post, "events", .writeMembers) { _, _, body in
            let item = try Self.canonical(try Self.json(body))
            let event = try incoming(RequestBody.decode(EventBody.self, from: item))
            let outcome = try await events.record([(event, EventService.fingerprint(item))])[0]
            return try Self.response(outcome).get()
        }
        // A batch is larger than one event: its limit is the single body's, 64 times.
        endpoints.register(v1, .post, "events/batch", .writeMembers, maxBodyBytes: endpoints.maxBodyBytes * 64) { _, _, body in
            try await batch(body)
        }
    }

    func batch(_ body: Data) async throws -> APIResponse {
        guard let object = try Self.json(body) as? [String: Any], let items = object["events"] as? [Any] else {
            throw Problem(.badRequest, code: "invalid_field", detail: "a batch is an object with an array 'events'", field: "events")
        }
        if let unknown = object.keys.first(where: { $0 != "events" }) {
            throw Problem(.badRequest, code: "unknown_field", detail: "unknown field '\(unknown)'", field: unknown)
        }
        guard (1...Self.batchLimit).contains(items.count) else {
            throw Problem(.unprocessableContent, code: "invalid_batch_size", detail: "a batch has 1 to \(Self.batchLimit) events, not \(items.count)", field: "events")
        }
        // Each event is checked on its own: a bad one gets its problem, the others go on.
        var results = [BatchItemResult?](repeating: nil, count: items.count)
        var accepted: [(index: Int, event: IncomingEvent, fingerprint: String)] = []
        for (index, item) in items.enumerated() {
            do {
                let bytes = try Self.canonical(item)
                let event = try incoming(RequestBody.decode(EventBody.self, from: bytes))
                accepted.append((index, event, EventService.fingerprint(bytes)))
            } catch {
                results[index] = BatchItemResult(index: index, reference: (item as? [String: Any])?["reference"] as? String,
                                                 outcome: .failure(Problem.from(error)))
            }
        }
        let outcomes = try await events.record(accepted.map { ($0.event, $0.fingerprint) })
        for (item, outcome) in zip(accepted, outcomes) {
            results[item.index] = BatchItemResult(index: item.index, reference: item.event.reference, outcome: Self.response(outcome))
        }
        return try .batch(results.compactMap { $0 })
    }

    func incoming(_ body: EventBody) throws -> IncomingEvent {
        try body.incoming(now: environment.clock.now(), defaultCountryCode: environment.configuration.defaultCountryCode)
    }

    static func response(_ outcome: EventOutcome) -> Result<APIResponse, Problem> {
        switch outcome {
        case .recorded(let body): .success(APIResponse(status: .created, contentType: "application/json", body: body))
        case .replay(let body): .success(APIResponse(status: .ok, contentType: "application/json", body: body))
        case .mismatch:
            .failure(Problem(.conflict, code: "reference_reused", detail: "an event with this reference and another content was recorded before", field: "reference"))
        case .refused(EventRefusal.memberNotFound): .failure(Problem.memberNotFound)
        case .refused(EventRefusal.sourceNotFound(let reference)):
            .failure(Problem(.notFound, code: "order_not_found", detail: "no order has the reference \(reference)", field: "order_reference"))
        case .refused(let error): .failure(Problem.from(error))
        }
    }

    static func json(_ body: Data) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: body)
        } catch {
            throw Problem(.badRequest, code: "malformed_json", detail: "the body is not valid JSON")
        }
    }

    /// An event's canonical bytes (keys sorted, no spaces): its fingerprint does not depend on
    /// formatting, and the same event sent alone or in a batch is the same event.
    static func canonical(_ item: Any) throws -> Data {
        guard item is [String: Any] else {
            throw Problem(.badRequest, code: "invalid_field", detail: "an event is a JSON object")
        }
        return try JSONSerialization.data(withJSONObject: item, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}

/// One event's result in a batch: its answer (as POST /v1/events would give it) or its problem.
struct BatchItemResult {
    var index: Int
    var reference: String?
    var outcome: Result<APIResponse, Problem>

    /// `{"index":…,"reference":…,"status":…,"result":{…}}` or `…"problem":{…}}`: the stored answer
    /// is spliced in as the bytes it was, so it reads exactly as the single event's answer.
    func write(to out: inout Data) throws {
        out.append(contentsOf: #"{"index":\#(index),"#.utf8)
        if let reference { out.append(contentsOf: #""reference":"#.utf8); out.append(try TreuJSON.encode(reference)); out.append(UInt8(ascii: ",")) }
        switch outcome {
        case .success(let response):
            out.append(contentsOf: #""status":\#(response.status.code),"result":"#.utf8)
            out.append(response.body)
        case .failure(let problem):
            out.append(contentsOf: #""status":\#(problem.status),"problem":"#.utf8)
            out.append(try TreuJSON.encode(problem))
        }
        out.append(UInt8(ascii: "}"))
    }
}

extension APIResponse {
    /// `{"results":[…]}`, in the order of the batch.
    static func batch(_ results: [BatchItemResult]) throws -> APIResponse {
        var out = Data(#"{"results":["#.utf8)
        for (n, result) in results.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            try result.write(to: &out)
        }
        out.append(contentsOf: "]}".utf8)
        return APIResponse(status: .ok, contentType: "application/json", body: out)
    }
}
