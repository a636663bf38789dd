import Foundation
import TreuCore
import TreuMessages
import TreuStore

/// What admins do with messages: choose who gets each kind, replace a kind's text in a
/// language (checked first: a name the kind does not know is refused with where it stands),
/// preview a draft for a member, list and replay what was sent.
public struct MessageAdmin: Sendable {
    let store: any Store
    let book: MessageBook
    let board: NoticeBoard
    let programs: ProgramService
    let clock: TreuClock

    static let notFound = Problem(.notFound, code: "message_not_found", detail: "no message has this id")

    static func kind(_ text: String?) throws -> MessageKind {
        guard let text, let kind = MessageKind(rawValue: text) else {
            throw Problem(.notFound, code: "message_kind_not_found",
                          detail: "the kinds are \(MessageKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    static func locale(_ text: String?) throws -> MemberLocale {
        guard let text, let locale = MemberLocale(rawValue: text) else {
            throw Problem(.notFound, code: "locale_not_found", detail: "the languages are \(MemberLocale.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return locale
    }

    /// Each kind with its audience now.
    func settings() async throws -> [(MessageKind, MessageAudience)] {
        try await book.ensureLoaded()
        return MessageKind.allCases.map { ($0, book.audience($0)) }
    }

    func setAudience(_ audience: MessageAudience, for kind: MessageKind) async throws {
        if kind.isMarketing, audience == .everyone {
            throw Problem(.unprocessableContent, code: "consent_required",
                          detail: "\(kind.rawValue) is a marketing message: it goes only to members who consented (consented or off)",
                          field: "audience")
        }
        try await store.setMessageAudience(audience, for: kind, at: clock.now())
        try await board.refresh()
    }

    /// The template in force: the shop's, else the standard text.
    func template(_ kind: MessageKind, _ locale: MemberLocale) async throws -> (MessageTemplate, StoredTemplate?) {
        try await book.ensureLoaded()
        let custom = book.custom(kind, locale)
        return (custom?.template ?? StandardTemplates.template(kind, locale), custom)
    }

    /// - Throws: 422 `template_invalid` with the part, line and column.
    static func check(_ template: MessageTemplate, kind: MessageKind) throws -> CompiledTemplate {
        do {
            return try CompiledTemplate(template, kind: kind)
        } catch {
            var problem = Problem(.unprocessableContent, code: error.variable == nil ? "template_invalid" : "unknown_variable",
                                  detail: error.description, field: error.part)
            problem.errors = [.init(path: error.part, message: error.message, line: error.line, column: error.column)]
            throw problem
        }
    }

    func save(_ template: MessageTemplate, kind: MessageKind, locale: MemberLocale) async throws -> StoredTemplate {
        _ = try Self.check(template, kind: kind)
        let stored = StoredTemplate(kind: kind, locale: locale, template: template, updatedAt: clock.now())
        try await store.saveMessageTemplate(stored)
        try await book.refresh()
        return stored
    }

    func revert(_ kind: MessageKind, _ locale: MemberLocale) async throws -> Bool {
        let removed = try await store.removeMessageTemplate(kind: kind, locale: locale)
        try await book.refresh()
        return removed
    }

    /// `draft` (else the template in force) rendered in `locale` for `member` (else a made-up
    /// one), with sample values where a notice would give them.
    func preview(_ kind: MessageKind, _ locale: MemberLocale, draft: MessageTemplate?, member id: UUID?) async throws -> RenderedMessage {
        var source = draft
        if source == nil { source = try await template(kind, locale).0 }
        let compiled = try Self.check(source!, kind: kind)
        let now = clock.now()
        var member = Member(id: UUID(), name: "Anna", locale: locale, birthday: nil, attributes: [:], consents: Consents(), status: .active,
                            identities: [], createdAt: now, updatedAt: now)
        if let id {
            guard let found = try await store.member(id: id) else { throw Problem.memberNotFound }
            member = found
            member.locale = locale
        }
        let program = try await programs.book().version(at: now).program
        return compiled.render(MessageVariables.sample(kind: kind, member: member, program: program, now: now))
    }

    func messages(member: UUID?, status: MessageStatus?, before: Int64?, limit: Int) async throws -> [MessageRecord] {
        if let member, try await store.member(id: member) == nil { throw Problem.memberNotFound }
        return try await store.messages(member: member, status: status, before: before, limit: limit)
    }

    func message(_ id: UUID) async throws -> MessageRecord {
        guard let found = try await store.message(id: id) else { throw Self.notFound }
        return found
    }

    func replay(_ id: UUID) async throws -> MessageRecord {
        guard try await store.replayMessage(id: id, at: clock.now()) else { throw Self.notFound }
        return try await message(id)
    }
}
