import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// An RFC 9457 problem: what went wrong, for people (`title`, `detail`) and for programs
/// (`code`, stable across versions; `field` where one field is at fault).
public struct Problem: Error, Codable, Sendable, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var code: String
    public var field: String?
    /// Every problem of a document, each at its path (an invalid program).
    public var errors: [FieldProblem]?

    public struct FieldProblem: Codable, Sendable, Equatable {
        public var path: String
        public var message: String
        /// Where in a text field (a template), from 1.
        public var line: Int? = nil
        public var column: Int? = nil
    }

    public init(_ status: HTTPResponse.Status, code: String, detail: String, field: String? = nil) {
        self.type = "https://treu.dev/problems/\(code)"
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.code = code
        self.field = field
    }

    static let unauthorized = Problem(.unauthorized, code: "unauthorized",
                                      detail: "send an API key as 'Authorization: Bearer <key>'")
    static let badKey = Problem(.unauthorized, code: "invalid_api_key", detail: "the API key is unknown or revoked")
    static func forbidden(_ role: Role, _ permission: Permission) -> Problem {
        Problem(.forbidden, code: "forbidden", detail: "a key with role '\(role.rawValue)' may not \(permission.rawValue)")
    }
    static let memberNotFound = Problem(.notFound, code: "member_not_found", detail: "no member has this id or identity")
    static let campaignNotFound = Problem(.notFound, code: "campaign_not_found", detail: "no coupon campaign has this id")

    /// The problem that stands for any error a handler throws. Unknown errors become a 500
    /// whose detail says nothing about internals (they are logged instead).
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as ValidationError:
            return Problem(.unprocessableContent, code: error.code, detail: error.message, field: error.field)
        case let error as StoreError:
            switch error {
            case .identityTaken(let identity):
                return Problem(.conflict, code: "identity_taken",
                               detail: "another member already holds \(identity.kind.rawValue) \(identity.value)",
                               field: identity.kind.rawValue)
            case .notFound: return memberNotFound
            case .lastIdentity:
                return Problem(.conflict, code: "last_identity", detail: "a member keeps at least one identity; add another first")
            case .identityNotHeld:
                return Problem(.notFound, code: "identity_not_found", detail: "the member does not hold this identity")
            case .sameMember:
                return Problem(.unprocessableContent, code: "same_member", detail: "points move between two different members")
            }
        case EventRefusal.memberNotFound:
            return memberNotFound
        case EventRefusal.sourceNotFound(let reference):
            return Problem(.notFound, code: "order_not_found", detail: "no order has the reference \(reference)", field: "order_reference")
        case let error as ProgramProblems:
            var problem = Problem(.unprocessableContent, code: "invalid_program",
                                  detail: "the program document has \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"); nothing was changed")
            problem.errors = error.problems.map { FieldProblem(path: $0.path, message: $0.message) }
            return problem
        case ProgramError.effectiveInPast:
            return Problem(.unprocessableContent, code: "effective_in_past",
                           detail: "a program version takes effect now or later: events already recorded keep their points", field: "effective_from")
        case is CampaignNotFound:
            return .campaignNotFound
        case let refusal as CouponRefusal:
            let status: HTTPResponse.Status = switch refusal {
            case .rewardNotFound, .couponNotFound: .notFound
            case .outOfStock, .limitReached, .used, .cancelled, .expired, .budgetSpent, .cancelWindowClosed, .notYetValid, .notCombinable: .conflict
            case .tierNotReached, .rewardNotAvailable, .belowMinimum, .anotherMembers, .currencyMismatch, .productNotInCart, .earnedByThisOrder,
                 .cartRequired: .unprocessableContent
            }
            return Problem(status, code: refusal.rawValue, detail: refusal.explanation)
        case let error as LedgerError:
            switch error {
            case let .insufficientPoints(available, requested):
                return Problem(.conflict, code: "insufficient_points", detail: "\(requested) points were asked, \(available) are available")
            case .notPositive:
                return Problem(.unprocessableContent, code: "invalid_points", detail: "points are a whole number above zero", field: "points")
            case .beyondLimit:
                return Problem(.unprocessableContent, code: "points_out_of_range",
                               detail: "a member holds and earns at most \(Limits.balance.grouped) points in a lifetime", field: "points")
            }
        case let error as HTTPError:
            switch error.status {
            case .contentTooLarge:
                return Problem(.contentTooLarge, code: "body_too_large", detail: "the request body is larger than this server accepts")
            case .notFound:
                return Problem(.notFound, code: "route_not_found", detail: "there is no such route; see /openapi.json")
            case .methodNotAllowed:
                return Problem(.methodNotAllowed, code: "method_not_allowed", detail: "this route does not take that method")
            default:
                return Problem(error.status, code: "http_\(error.status.code)", detail: error.body ?? error.status.reasonPhrase)
            }
        default:
            return Problem(.internalServerError, code: "internal_error", detail: "something went wrong on the server; it was logged")
        }
    }

    var httpStatus: HTTPResponse.Status { HTTPResponse.Status(code: status) }
}
