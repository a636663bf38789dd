/// The tags of a Mustache template with where each stands, so that a name the kind does not
/// know is refused with its line and column (the template library parses, but does not say
/// which names a template uses). Only the default delimiters are read: a template that changes
/// them, or asks for partials, is refused.
struct TemplateTag: Equatable {
    enum Kind: Equatable { case variable, section, inverted, close, comment, partial, delimiters, pragma }
    var kind: Kind
    var name: String
    /// From 1, as an editor counts.
    var line: Int
    var column: Int
}

enum TemplateTags {
    /// The tags of `text`, in order; an unclosed tag is one whose name runs to the end.
    static func scan(_ text: String) -> [TemplateTag] {
        var tags: [TemplateTag] = []
        let chars = Array(text)
        var line = 1, column = 1
        var index = 0
        func advance() {
            if chars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index += 1
        }
        while index < chars.count {
            guard chars[index] == "{", index + 1 < chars.count, chars[index + 1] == "{" else { advance(); continue }
            let (tagLine, tagColumn) = (line, column)
            advance(); advance()
            var triple = false
            if index < chars.count, chars[index] == "{" { triple = true; advance() }
            var inner = ""
            while index < chars.count, !(chars[index] == "}" && index + 1 < chars.count && chars[index + 1] == "}") {
                inner.append(chars[index])
                advance()
            }
            if index < chars.count { advance(); advance() }
            if triple, index < chars.count, chars[index] == "}" { advance() }
            tags.append(tag(inner, triple: triple, line: tagLine, column: tagColumn))
        }
        return tags
    }

    private static func tag(_ inner: String, triple: Bool, line: Int, column: Int) -> TemplateTag {
        var body = Substring(inner.trimmingCharacters(in: .whitespaces))
        var kind = TemplateTag.Kind.variable
        if !triple, let first = body.first {
            switch first {
            case "#": kind = .section
            case "^": kind = .inverted
            case "/": kind = .close
            case "!": kind = .comment
            case ">", "<", "$": kind = .partial
            case "=": kind = .delimiters
            case "%": kind = .pragma
            case "&": kind = .variable
            default: break
            }
            if kind != .variable || first == "&" { body = body.dropFirst() }
        }
        let name = body.trimmingCharacters(in: .whitespaces)
        return TemplateTag(kind: kind, name: name, line: line, column: column)
    }
}
