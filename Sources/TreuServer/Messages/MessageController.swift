import Foundation
import Hummingbird
import TreuCore
import TreuMessages
import TreuStore

/// /v1/messages, /v1/message-settings, /v1/message-templates and a member's messages.
struct MessageController: Sendable {
    let admin: MessageAdmin

    func register(_ v1: RouterGroup<TreuContext>, _ endpoints: Endpoints) {
        endpoints.register(v1, .get, "members/:id/messages", .readMembers) { request, context, _ in
            try await list(request.uri.queryParameters, member: try context.memberID())
        }
        endpoints.register(v1, .get, "messages", .manageMessages) { request, _, _ in
            try await list(request.uri.queryParameters, member: nil)
        }
        endpoints.register(v1, .get, "messages/:id", .manageMessages) { _, context, _ in
            try .json(MessageResource(try await admin.message(try Self.id(context))))
        }
        endpoints.register(v1, .post, "messages/:id/replay", .manageMessages) { _, context, _ in
            try .json(MessageResource(try await admin.replay(try Self.id(context))), status: .accepted)
        }
        endpoints.register(v1, .get, "message-settings", .manageMessages) { _, _, _ in
            let items = try await admin.settings().map { MessageSettingResource($0.0, audience: $0.1) }
            return try .json(PageResource(items: items, nextCursor: nil))
        }
        endpoints.register(v1, .put, "message-settings/:kind", .manageMessages) { _, context, body in
            let kind = try MessageAdmin.kind(context.parameters.get("kind"))
            let request = try RequestBody.decode(AudienceBody.self, from: body)
            try await admin.setAudience(request.audience, for: kind)
            return try .json(MessageSettingResource(kind, audience: request.audience))
        }
        endpoints.register(v1, .get, "message-templates", .manageMessages) { _, _, _ in
            var items: [MessageTemplateResource] = []
            for kind in MessageKind.allCases {
                for locale in MemberLocale.allCases {
                    let (template, stored) = try await admin.template(kind, locale)
                    items.append(MessageTemplateResource(kind, locale, template: template, stored: stored))
                }
            }
            return try .json(PageResource(items: items, nextCursor: nil))
        }
        endpoints.register(v1, .get, "message-templates/:kind/:locale", .manageMessages) { _, context, _ in
            let (kind, locale) = try Self.kindAndLocale(context)
            let (template, stored) = try await admin.template(kind, locale)
            return try .json(MessageTemplateResource(kind, locale, template: template, stored: stored))
        }
        endpoints.register(v1, .put, "message-templates/:kind/:locale", .manageMessages) { _, context, body in
            let (kind, locale) = try Self.kindAndLocale(context)
            let request = try RequestBody.decode(TemplateBody.self, from: body)
            let stored = try await admin.save(request.template, kind: kind, locale: locale)
            return try .json(MessageTemplateResource(kind, locale, template: stored.template, stored: stored))
        }
        endpoints.register(v1, .delete, "message-templates/:kind/:locale", .manageMessages) { _, context, _ in
            let (kind, locale) = try Self.kindAndLocale(context)
            _ = try await admin.revert(kind, locale)
            let (template, stored) = try await admin.template(kind, locale)
            return try .json(MessageTemplateResource(kind, locale, template: template, stored: stored))
        }
        endpoints.register(v1, .post, "message-templates/:kind/:locale/preview", .manageMessages) { _, context, body in
            let (kind, locale) = try Self.kindAndLocale(context)
            let request = body.isEmpty ? nil : try RequestBody.decode(PreviewBody.self, from: body)
            let rendered = try await admin.preview(kind, locale, draft: request?.draft, member: request?.member)
            return try .json(RenderedResource(kind: kind.rawValue, locale: locale.rawValue, subject: rendered.subject, text: rendered.text,
                                              html: rendered.html, sms: rendered.sms))
        }
    }

    private func list(_ parameters: Parameters, member: UUID?) async throws -> APIResponse {
        let query = try ListQuery<MessageStatus>(parameters)
        let found = try await admin.messages(member: member, status: query.status, before: query.before, limit: query.limit + 1)
        let page = query.page(found, number: \.seq)
        return try .json(PageResource(items: page.items.map(MessageResource.init), nextCursor: page.nextCursor))
    }

    static func id(_ context: TreuContext) throws -> UUID {
        guard let id = context.parameters.get("id", as: UUID.self) else { throw MessageAdmin.notFound }
        return id
    }

    static func kindAndLocale(_ context: TreuContext) throws -> (MessageKind, MemberLocale) {
        (try MessageAdmin.kind(context.parameters.get("kind")), try MessageAdmin.locale(context.parameters.get("locale")))
    }
}
