import Foundation
import Testing
import TreuCore
@testable import TreuMessages

@Suite("Message templates")
struct TemplateTests {
    static let anna = Member(id: UUID(), name: "Anna Müller", locale: .de, birthday: nil, attributes: [:], consents: Consents(),
                             status: .active, identities: [], createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))

    @Test("every standard text compiles in every language, and uses only its kind's names")
    func standardTextsCompile() throws {
        for kind in MessageKind.allCases {
            for locale in MemberLocale.allCases {
                let template = StandardTemplates.template(kind, locale)
                let compiled = try CompiledTemplate(template, kind: kind)
                let rendered = compiled.render(MessageVariables.sample(kind: kind, member: Self.anna, program: .standard, now: Date()))
                #expect(!rendered.subject.isEmpty && !rendered.subject.contains("{{"), "\(kind) \(locale)")
                #expect(rendered.html.hasPrefix("<!DOCTYPE html>"))
                #expect(rendered.text.contains(Program.standard.name))
                #expect(rendered.html.contains("unsubscribe_url") == false)
                #expect(rendered.text.contains("https://example.com/unsubscribe") == kind.isMarketing, "\(kind) \(locale)")
            }
        }
    }

    @Test("dates, numbers and money as each language writes them")
    func localeFormats() throws {
        let utc = TimeZone(identifier: "UTC")!
        let day = try CalendarDate("2027-03-31")
        #expect(LocaleFormat(.de, timeZone: utc).day(day) == "31. März 2027")
        #expect(LocaleFormat(.vi, timeZone: utc).day(day) == "31 tháng 3, 2027")
        #expect(LocaleFormat(.en, timeZone: utc).day(day) == "March 31, 2027")
        #expect(LocaleFormat(.de, timeZone: utc).number(1250) == "1.250")
        #expect(LocaleFormat(.en, timeZone: utc).number(1250) == "1,250")
        #expect(LocaleFormat(.vi, timeZone: utc).number(1250) == "1.250")
        #expect(LocaleFormat(.de, timeZone: utc).money(123_450, currency: "EUR") == "1.234,50\u{a0}€")
        #expect(LocaleFormat(.en, timeZone: utc).money(5, currency: "JPY") == "¥5")
    }

    @Test("a German points-expiring message reads as German")
    func germanExpiring() throws {
        let compiled = try CompiledTemplate(StandardTemplates.template(.pointsExpiring, .de), kind: .pointsExpiring)
        let data = #"{"points":1250,"expires_on":"2027-03-31","days_ahead":14,"balance":{"available":4800,"pending":0}}"#
        var program = Program.standard
        program.name = "Café Treu"
        let values = MessageVariables.values(kind: .pointsExpiring, data: data, member: Self.anna, program: program)
        let message = compiled.render(values)
        #expect(message.subject == "1.250 Punkte verfallen am 31. März 2027")
        #expect(message.text.hasPrefix("Hallo Anna Müller,\n\n1.250 Ihrer Punkte verfallen am 31. März 2027."))
        #expect(message.text.contains("Ihr Punktestand: 4.800 Punkte."))
        #expect(message.html.contains("Café Treu"))
    }

    @Test("the HTML part escapes what it inserts; the text part does not")
    func escaping() throws {
        var member = Self.anna
        member.name = "<b>Ann & Co</b>"
        let compiled = try CompiledTemplate(StandardTemplates.template(.welcome, .en), kind: .welcome)
        let message = compiled.render(MessageVariables.values(kind: .welcome, data: "{}", member: member, program: .standard))
        #expect(message.text.contains("Hello <b>Ann & Co</b>,"))
        #expect(message.html.contains("Hello &lt;b&gt;Ann &amp; Co&lt;/b&gt;,"))
    }

    @Test("a member without a name is greeted without one")
    func noName() throws {
        var member = Self.anna
        member.name = nil
        let compiled = try CompiledTemplate(StandardTemplates.template(.welcome, .vi), kind: .welcome)
        let message = compiled.render(MessageVariables.values(kind: .welcome, data: "{}", member: member, program: .standard))
        #expect(message.text.hasPrefix("Xin chào,\n\n"))
    }

    @Test("an unknown variable is refused with its part, line and column")
    func unknownVariable() {
        let template = MessageTemplate(subject: "Hi", text: "Hello,\n  you have {{pionts}} points", html: "<p>x</p>", sms: "")
        #expect(throws: TemplateError(part: "text", line: 2, column: 12,
                                      message: "unknown variable 'pionts' (points_earned knows balance, member_name, order, points, shop_name, unsubscribe_url)",
                                      variable: "pionts")) {
            try CompiledTemplate(template, kind: .pointsEarned)
        }
        // A section's name is a variable too; the kind's own names are fine.
        let section = MessageTemplate(subject: "{{#tier}}x{{/tier}}", text: "{{#coupon_code}}{{/coupon_code}}", html: "<p>{{tier}}</p>", sms: "")
        #expect(throws: TemplateError.self) { try CompiledTemplate(section, kind: .tierUp) }
    }

    @Test("an unclosed section and an empty subject are refused with where")
    func malformed() {
        do {
            _ = try CompiledTemplate(MessageTemplate(subject: "{{#member_name}}Hi", text: "x", html: "x", sms: ""), kind: .welcome)
            Issue.record("accepted an unclosed section")
        } catch {
            #expect(error.part == "subject")
            #expect(error.message == "a section is not closed")
        }
        #expect(throws: TemplateError(part: "subject", line: 1, column: 1, message: "must not be empty")) {
            try CompiledTemplate(MessageTemplate(subject: " ", text: "x", html: "x", sms: ""), kind: .welcome)
        }
        #expect(throws: TemplateError.self) {
            try CompiledTemplate(MessageTemplate(subject: "x", text: "{{> footer}}", html: "x", sms: ""), kind: .welcome)
        }
    }
}
