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
        endpoints.register(v1, .post, "events", .writeMembers) { request, _, body in
            let decoded = try RequestBody.decode(EventBody.self, from: body)
            let event = try incoming(decoded), fingerprint = EventService.fingerprint(decoded.canonical)
            switch request.uri.queryParameters["dry_run"] {
            case nil, "false":
                return try Self.response(try await environment.eventWriter.record(event, fingerprint: fingerprint)).get()
            case "true":
                // Evaluated in a transaction that is rolled back: what would happen, and nothing happens.
                var answer = try Self.response(try await events.record([(event, fingerprint)], dryRun: true)[0]).get()
                answer.status = .ok
                return answer
            default:
                throw Problem(.badRequest, code: "invalid_parameter", detail: "dry_run is true or false", field: "dry_run")
            }
        }
        // A batch is larger than one event: its limit is the single body's, 64 times.
        endpoints.register(v1, .post, "events/batch", .writeMembers, maxBodyBytes: endpoints.maxBodyBytes * 64) { _, _, body in
            try await batch(body)
        }
    }

    func batch(_ body: Data) async throws -> APIResponse {
        let items = try RequestBody.decode(BatchBody.self, from: body).events
        guard (1...Self.batchLimit).contains(items.count) else {
            throw Problem(.unprocessableContent, code: "invalid_batch_size", detail: "a batch has 1 to \(Self.batchLimit) events, not \(items.count)", field: "events")
        }
        // Each event is checked on its own: a bad one gets its problem, the others go on.
        var results = [BatchItemResult?](repeating: nil, count: items.count)
        var accepted: [(index: Int, event: IncomingEvent, fingerprint: String)] = []
        for (index, item) in items.enumerated() {
            do {
                let body = try item.body.get()
                do {
                    accepted.append((index, try incoming(body), EventService.fingerprint(body.canonical)))
                } catch {
                    results[index] = BatchItemResult(index: index, reference: body.reference, outcome: .failure(Problem.from(error)))
                }
            } catch {
                results[index] = BatchItemResult(index: index, reference: nil, outcome: .failure(RequestBody.problem(for: error)))
            }
        }
        let outcomes = try await events.record(accepted.map { ($0.event, $0.fingerprint) })
        for (item, outcome) in zip(accepted, outcomes) {
            results[item.index] = BatchItemResult(index: item.index, reference: item.event.reference, outcome: Self.response(outcome))
        }
        return try .batch(results.compactMap { $0 })
    }

    /// `{"events": [...]}`, each event decoded on its own so that one bad event does not fail the others.
    struct BatchBody: Decodable {
        var events: [Item]
        enum CodingKeys: String, CodingKey, CaseIterable { case events }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            events = try decoder.container(keyedBy: CodingKeys.self).decode([Item].self, forKey: .events)
        }

        struct Item: Decodable {
            var body: Result<EventBody, any Error>
            init(from decoder: any Decoder) throws {
                do { body = .success(try EventBody(from: decoder)) } catch { body = .failure(error) }
            }
        }
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
        case .refused(let error): .failure(Problem.from(error))
        }
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
