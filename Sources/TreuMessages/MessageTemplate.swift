import Foundation
import Mustache
import TreuCore

/// A template that cannot be used, with where: the part, line and column.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    public var part: String
    public var line: Int
    public var column: Int
    public var message: String
    /// The unknown name, if that is what is wrong.
    public var variable: String?

    public var description: String { "\(part), line \(line), column \(column): \(message)" }
}

/// A template checked against its kind and parsed, ready to render.
public struct CompiledTemplate: Sendable {
    public let kind: MessageKind
    let subject: MustacheTemplate
    let text: MustacheTemplate
    let html: MustacheTemplate
    let sms: MustacheTemplate

    /// Subject, text and SMS are plain text; only the HTML part escapes what it inserts.
    private static let plain = "{{% CONTENT_TYPE: TEXT}}"

    /// - Throws: `TemplateError` for an empty subject or text, a name the kind does not know,
    ///   a partial or delimiter change, or what the parser refuses.
    public init(_ template: MessageTemplate, kind: MessageKind) throws(TemplateError) {
        self.kind = kind
        let known = kind.allVariables
        for (part, source) in template.parts {
            if part != "sms", source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw TemplateError(part: part, line: 1, column: 1, message: "must not be empty")
            }
            for tag in TemplateTags.scan(source) {
                switch tag.kind {
                case .comment, .pragma: continue
                case .partial, .delimiters:
                    throw TemplateError(part: part, line: tag.line, column: tag.column,
                                        message: "partials and delimiter changes are not supported")
                case .variable, .section, .inverted, .close:
                    if tag.name == "." { continue }
                    if !known.contains(tag.name) {
                        let names = known.sorted().joined(separator: ", ")
                        throw TemplateError(part: part, line: tag.line, column: tag.column,
                                            message: "unknown variable '\(tag.name)' (\(kind.rawValue) knows \(names))", variable: tag.name)
                    }
                }
            }
        }
        subject = try Self.parse(template.subject, part: "subject", plain: true)
        text = try Self.parse(template.text, part: "text", plain: true)
        html = try Self.parse(template.html, part: "html", plain: false)
        sms = try Self.parse(template.sms, part: "sms", plain: true)
    }

    private static func parse(_ source: String, part: String, plain: Bool) throws(TemplateError) -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: plain ? Self.plain + source : source)
        } catch let error as MustacheTemplate.ParserError {
            let shift = plain && error.context.lineNumber == 1 ? Self.plain.count : 0
            throw TemplateError(part: part, line: error.context.lineNumber, column: max(1, error.context.columnNumber - shift),
                                message: Self.words(error.error))
        } catch {
            throw TemplateError(part: part, line: 1, column: 1, message: "\(error)")
        }
    }

    private static func words(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: "a section is closed with another name than it was opened with"
        case .unfinishedName: "a tag is not closed with }}"
        case .expectedSectionEnd: "a section is not closed"
        default: "\(error)"
        }
    }

    /// The message for `variables` (every value a string: `MessageVariables` formats them).
    public func render(_ variables: [String: String]) -> RenderedMessage {
        let context = variables as [String: Any]
        return RenderedMessage(subject: subject.render(context).trimmingCharacters(in: .whitespacesAndNewlines),
                               text: text.render(context), html: html.render(context),
                               sms: sms.render(context).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// A message as it goes out: the template's four parts, rendered.
public typealias RenderedMessage = MessageParts
