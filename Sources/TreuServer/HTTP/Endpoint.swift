import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TreuCore
import TreuStore

/// The request context of every route: who is calling (after `AuthMiddleware`).
public struct TreuContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: APIKey?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
    }
}

/// A finished answer: status, content type and bytes. Kept as bytes so that an idempotent
/// replay returns exactly what the first request got.
struct APIResponse: Sendable {
    var status: HTTPResponse.Status
    var contentType: String
    var body: Data

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> APIResponse {
        APIResponse(status: status, contentType: "application/json", body: try TreuJSON.encode(value))
    }

    static func problem(_ problem: Problem) -> APIResponse {
        APIResponse(status: problem.httpStatus, contentType: "application/problem+json",
                    body: (try? TreuJSON.encode(problem)) ?? Data())
    }

    static let noContent = APIResponse(status: .noContent, contentType: "application/json", body: Data())

    var response: Response {
        var headers = HTTPFields()
        if status != .noContent { headers[.contentType] = contentType }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// What a route handler receives: the request, its context, and the body already read (within the limit).
typealias Handler = @Sendable (Request, TreuContext, Data) async throws -> APIResponse

/// Registers /v1 routes so that none can skip the checks: each names the permission it needs,
/// reads its body within the size limit, and POSTs honour `Idempotency-Key`.
struct Endpoints: Sendable {
    let store: any Store
    let clock: TreuClock
    let maxBodyBytes: Int

    func register(_ group: RouterGroup<TreuContext>, _ method: HTTPRequest.Method, _ path: RouterPath,
                  _ permission: Permission, maxBodyBytes: Int? = nil, _ handler: @escaping Handler) {
        let limit = maxBodyBytes ?? self.maxBodyBytes
        group.on(path, method: method) { request, context in
            guard let principal = context.principal else { throw Problem.unauthorized }
            guard principal.role.allows(permission) else { throw Problem.forbidden(principal.role, permission) }
            var request = request
            let body = try await readBody(&request, limit: limit)
            // A NUL is no character of any text Treu keeps (PostgreSQL cannot store one): refused
            // alike on both engines, in the address and in the body.
            if request.uri.description.range(of: "%00", options: .caseInsensitive) != nil || JSONText.holdsEscapedNUL(body) {
                throw Problem(.badRequest, code: "invalid_character", detail: "the request holds a NUL character (\\u0000), which no field takes")
            }
            // A key twice in one object would be read as one of them, silently: refused.
            if let key = JSONText.duplicateKey(in: body) {
                throw Problem(.badRequest, code: "duplicate_field", detail: "the field '\(key)' appears twice in one object", field: key)
            }
            if method == .post, let key = request.headers[.idempotencyKey] {
                return try await idempotent(key: key, scope: principal.id.uuidString, request, context, body, handler).response
            }
            return try await handler(request, context, body).response
        }
    }

    func readBody(_ request: inout Request, limit: Int) async throws -> Data {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw Problem(.contentTooLarge, code: "body_too_large", detail: "the request body is larger than \(limit) bytes")
        }
        return Data(buffer: buffer)
    }

    /// Runs `handler` once per key: a retry with the same key and body gets the first answer,
    /// the same key with another body a 409, and a failure of the server frees the key for a retry.
    func idempotent(key: String, scope: String, _ request: Request, _ context: TreuContext, _ body: Data,
                    _ handler: Handler) async throws -> APIResponse {
        guard (1...255).contains(key.utf8.count) else {
            throw Problem(.badRequest, code: "invalid_idempotency_key", detail: "an Idempotency-Key has 1 to 255 characters")
        }
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)?\(request.uri.query ?? "")\n".utf8))
        hasher.update(data: body)
        let fingerprint = Hex.encode(hasher.finalize())
        let claim = IdempotencyClaim(scope: scope, key: key, fingerprint: fingerprint, now: clock.now())
        switch try await store.claimIdempotencyKey(claim) {
        case .replay(let stored):
            var response = APIResponse(status: .init(code: stored.status), contentType: stored.contentType, body: stored.body)
            if response.body.isEmpty, response.status != .noContent { response.contentType = "application/json" }
            return response
        case .mismatch:
            throw Problem(.conflict, code: "idempotency_key_reused",
                          detail: "this Idempotency-Key was used for a different request")
        case .inProgress:
            throw Problem(.conflict, code: "idempotency_key_in_use",
                          detail: "a request with this Idempotency-Key is still running; retry shortly")
        case .claimed:
            let response: APIResponse
            do {
                response = try await handler(request, context, body)
            } catch {
                let problem = Problem.from(error)
                if problem.status >= 500 {
                    try? await store.releaseIdempotencyKey(scope: scope, key: key)
                    throw error
                }
                response = .problem(problem)
            }
            try await store.completeIdempotencyKey(
                scope: scope, key: key,
                response: StoredResponse(status: response.status.code, contentType: response.contentType, body: response.body))
            return response
        }
    }
}

/// Facts about a JSON text read without decoding it.
enum JSONText {
    /// Whether the JSON holds `\u0000` in a string (an escape, not an escaped backslash before `u0000`).
    /// The first key that appears twice in one object of the JSON, if one does (a scan of the
    /// text: strings, objects and arrays; anything else is left to the decoder).
    static func duplicateKey(in data: Data) -> String? {
        data.withUnsafeBytes { bytes -> String? in
            let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
            // One entry per open object or array: an object's keys so far (nil for an array), and
            // whether the next string in it is a key.
            var stack: [(keys: Set<[UInt8]>?, expectingKey: Bool)] = []
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                switch byte {
                case UInt8(ascii: "{"): stack.append((Set(), true))
                case UInt8(ascii: "["): stack.append((nil, false))
                case UInt8(ascii: "}"), UInt8(ascii: "]"): if !stack.isEmpty { stack.removeLast() }
                case UInt8(ascii: ","): if let last = stack.indices.last, stack[last].keys != nil { stack[last].expectingKey = true }
                case quote:
                    var j = i + 1
                    while j < bytes.count, bytes[j] != quote { j += bytes[j] == backslash ? 2 : 1 }
                    if let last = stack.indices.last, stack[last].keys != nil, stack[last].expectingKey {
                        let key = Array(bytes[(i + 1)..<min(j, bytes.count)])
                        if stack[last].keys!.insert(key).inserted == false { return String(decoding: key, as: UTF8.self) }
                        stack[last].expectingKey = false
                    }
                    i = j
                default: break
                }
                i += 1
            }
            return nil
        }
    }

    static func holdsEscapedNUL(_ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            guard bytes.count >= 6 else { return false }
            let backslash = UInt8(ascii: "\\"), u = UInt8(ascii: "u"), zero = UInt8(ascii: "0")
            var i = 0
            while i < bytes.count - 5 {
                guard bytes[i] == backslash else { i += 1; continue }
                if bytes[i + 1] == u, bytes[i + 2] == zero, bytes[i + 3] == zero, bytes[i + 4] == zero, bytes[i + 5] == zero { return true }
                i += 2  // an escape and the character it escapes
            }
            return false
        }
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}

extension Data {
    init(buffer: ByteBuffer) {
        self = Data(buffer.readableBytesView)
    }
}
