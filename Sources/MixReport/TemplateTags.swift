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
        // Bytes, not String ranges: Foundation's `range(of:)` on a substring measures the whole
        // string each call, which made a 147 KB template with many tags take a second.
        let bytes = Array(text.utf8)
        let n = bytes.count
        var open = Array("{{".utf8), close = Array("}}".utf8)
        var i = 0, line = 1
        var tags: [TemplateTag] = []
        func find(_ needle: [UInt8], from start: Int) -> Int? {
            guard !needle.isEmpty, start + needle.count <= n else { return nil }
            var j = start
            while j + needle.count <= n {
                if bytes[j] == needle[0] && bytes[j..<(j + needle.count)].elementsEqual(needle) { return j }
                j += 1
            }
            return nil
        }
        func advance(to index: Int) {
            while i < index { if bytes[i] == 0x0A { line += 1 }; i += 1 }
        }
        func slice(_ from: Int, _ to: Int) -> String {
            String(decoding: bytes[from..<to], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        while let start = find(open, from: i) {
            advance(to: start)
            let tagLine = line
            advance(to: start + open.count)
            if open == Array("{{".utf8), i < n, bytes[i] == 0x7B, let end = find(Array("}}}".utf8), from: i + 1) {
                tags.append(TemplateTag(kind: .variable, name: slice(i + 1, end), line: tagLine))
                advance(to: end + 3)
                continue
            }
            guard let end = find(close, from: i) else { break }
            let tag = slice(i, end)
            advance(to: end + close.count)
            guard let sigil = tag.first else {
                tags.append(TemplateTag(kind: .variable, name: "", line: tagLine))
                continue
            }
            let body = String(tag.dropFirst()).trimmingCharacters(in: .whitespacesAndNewlines)
            switch sigil {
            case "=":
                if tag.hasSuffix("="), tag.count >= 2 {
                    let parts = tag.dropFirst().dropLast().split(whereSeparator: { $0 == " " || $0 == "\t" })
                    if parts.count == 2 { open = Array(parts[0].utf8); close = Array(parts[1].utf8) }
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
