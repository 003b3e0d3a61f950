/// The tags of a Mustache template in order, with the line each starts on: what the template
/// checks (`TemplateIncludes`, `TemplateKeyCheck`) read, without rendering anything. It follows
/// set-delimiter tags (`{{=<% %>=}}`) and triple mustaches (`{{{name}}}`); a tag left open at
/// the end is dropped (the Mustache parser reports it as a syntax error first).
struct TemplateTag: Equatable {
    enum Kind: Equatable {
        /// `{{name}}`, `{{{name}}}`, `{{&name}}`.
        case variable
        /// `{{#name}}`, `{{^name}}` and the `{{/name}}` that closes either.
        case section, invertedSection, close
        /// `{{>name}}` includes a partial; `{{<name}}` a parent whose `{{$block}}`s it overrides.
        case partial, parent, block
        /// `{{!…}}`, `{{%…}}`, `{{=… …=}}`: nothing to look up.
        case comment, pragma, delimiters
    }

    var kind: Kind
    /// The name as written, trimmed (for a variable or section it may hold transforms such as
    /// `uppercased(name)`).
    var name: String
    /// 1-based line of the tag's opening delimiter.
    var line: Int

    static func scan(_ text: String) -> [TemplateTag] {
        var open = Substring("{{"), close = Substring("}}")
        var rest = Substring(text)
        var line = 1
        var tags: [TemplateTag] = []
        func advance(to index: Substring.Index) {
            line += rest[..<index].utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            rest = rest[index...]
        }
        while let start = rest.range(of: open) {
            advance(to: start.lowerBound)
            let tagLine = line
            advance(to: start.upperBound)
            if open == "{{", rest.hasPrefix("{"), let end = rest.range(of: "}}}") {
                let name = rest[rest.index(after: rest.startIndex)..<end.lowerBound]
                tags.append(TemplateTag(kind: .variable, name: name.trimmingCharacters(in: .whitespaces), line: tagLine))
                advance(to: end.upperBound)
                continue
            }
            guard let end = rest.range(of: close) else { break }
            let tag = rest[..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
            advance(to: end.upperBound)
            guard let sigil = tag.first else {
                tags.append(TemplateTag(kind: .variable, name: "", line: tagLine))
                continue
            }
            let body = String(tag.dropFirst()).trimmingCharacters(in: .whitespacesAndNewlines)
            switch sigil {
            case "=":
                if tag.hasSuffix("="), tag.count >= 2 {
                    let parts = tag.dropFirst().dropLast().split(whereSeparator: { $0 == " " || $0 == "\t" })
                    if parts.count == 2 { open = parts[0]; close = parts[1] }
                }
                tags.append(TemplateTag(kind: .delimiters, name: "", line: tagLine))
            case "!": tags.append(TemplateTag(kind: .comment, name: "", line: tagLine))
            case "%": tags.append(TemplateTag(kind: .pragma, name: "", line: tagLine))
            case "#": tags.append(TemplateTag(kind: .section, name: body, line: tagLine))
            case "^": tags.append(TemplateTag(kind: .invertedSection, name: body, line: tagLine))
            case "/": tags.append(TemplateTag(kind: .close, name: body, line: tagLine))
            case ">": tags.append(TemplateTag(kind: .partial, name: body, line: tagLine))
            case "<": tags.append(TemplateTag(kind: .parent, name: body, line: tagLine))
            case "$": tags.append(TemplateTag(kind: .block, name: body, line: tagLine))
            case "&": tags.append(TemplateTag(kind: .variable, name: body, line: tagLine))
            default: tags.append(TemplateTag(kind: .variable, name: tag, line: tagLine))
            }
        }
        return tags
    }
}
