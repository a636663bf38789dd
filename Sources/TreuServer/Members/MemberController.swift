import Foundation
import Hummingbird
import TreuCore
import TreuStore

/// /v1/members: enrol, read, change, list and look up members, and give or take identities.
struct MemberController: Sendable {
    let members: MemberService
    let analytics: MemberAnalyticsService
    let referrals: ReferralService

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .post, "members", .writeMembers) { _, _, body in
            let request = try RequestBody.decode(EnrolBody.self, from: body)
            let enrolment = try request.enrolment(defaultCountryCode: members.defaultCountryCode)
            // A code nobody holds, or referrals the program does not have, refuse the enrolment
            // before anything is written; a referral refused for its own reasons is recorded.
            var program: Program?
            if let code = request.referralCode { program = try await referrals.check(code: code) }
            let member = try await members.enrol(enrolment)
            var referral: Referral?
            if let code = request.referralCode, let program {
                referral = try await referrals.refer(code: code, member: member.id, checked: program)
            }
            return try .json(MemberResource(member: member, analytics: nil, referral: referral.map(ReferralResource.init)), status: .created)
        }
        endpoints.register(v1, .get, "members", .readMembers) { request, _, _ in
            let query = try Self.memberQuery(request.uri.queryParameters)
            let page = try await members.list(query)
            return try .json(PageResource(items: page.items.map(MemberResource.init), nextCursor: page.nextCursor))
        }
        endpoints.register(v1, .get, "members/lookup", .readMembers) { request, _, _ in
            let parameters = request.uri.queryParameters
            guard let identity = parameters["identity"].map(String.init), !identity.isEmpty else {
                throw Problem(.badRequest, code: "missing_parameter", detail: "give the identity to look up as ?identity=…", field: "identity")
            }
            let kind = try parameters["kind"].map { raw -> IdentityKind in
                guard let kind = IdentityKind(rawValue: String(raw)) else {
                    throw Problem(.badRequest, code: "invalid_parameter",
                                  detail: "kind is one of \(IdentityKind.allCases.map(\.rawValue).joined(separator: ", "))", field: "kind")
                }
                return kind
            }
            return try .json(MemberResource(member: try await members.lookUp(identity, kind: kind)))
        }
        endpoints.register(v1, .get, "members/:id", .readMembers) { _, context, _ in
            let member = try await members.member(id: try context.memberID())
            return try .json(MemberResource(member: member, analytics: .some(try await analytics.figures(of: member.id))))
        }
        endpoints.register(v1, .patch, "members/:id", .writeMembers) { _, context, body in
            let patch = try RequestBody.decode(MemberPatchBody.self, from: body)
            return try .json(MemberResource(member: try await members.update(id: try context.memberID(), with: patch.change)))
        }
        endpoints.register(v1, .post, "members/:id/identities", .writeMembers) { _, context, body in
            let identity = try RequestBody.decode(IdentityBody.self, from: body)
            let member = try await members.addIdentity(identity.kind, identity.value, to: try context.memberID())
            return try .json(MemberResource(member: member), status: .created)
        }
        endpoints.register(v1, .delete, "members/:id/identities/:kind/:value", .writeMembers) { _, context, _ in
            guard let kind = IdentityKind(rawValue: try context.parameters.require("kind")) else {
                throw Problem(.notFound, code: "identity_not_found", detail: "there is no identity kind '\(context.parameters.get("kind") ?? "")'")
            }
            let value = try context.parameters.require("value").removingPercentEncoding ?? ""
            return try .json(MemberResource(member: try await members.removeIdentity(kind, value, from: try context.memberID())))
        }
    }

    static func memberQuery(_ parameters: Parameters) throws -> MemberQuery {
        var limit = 50
        if let text = parameters["limit"] {
            guard let value = Int(text), (1...MemberQuery.maxLimit).contains(value) else {
                throw Problem(.badRequest, code: "invalid_parameter", detail: "limit is a number from 1 to \(MemberQuery.maxLimit)", field: "limit")
            }
            limit = value
        }
        var status: MemberStatus?
        if let text = parameters["status"] {
            guard let value = MemberStatus(rawValue: String(text)) else {
                throw Problem(.badRequest, code: "invalid_parameter", detail: "status is active or suspended", field: "status")
            }
            status = value
        }
        let after = try parameters["cursor"].flatMap { $0.isEmpty ? nil : try Cursor.decode(String($0)) }
        return MemberQuery(search: parameters["q"].map(String.init), status: status, after: after, limit: limit)
    }
}
