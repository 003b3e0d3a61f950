import Foundation
import Mustache

/// Escaping for values inserted into Markdown (`{{% CONTENT_TYPE: MARKDOWN }}`): text from data
/// (a channel named `<script>`, `a|b` or `*tv*`) must show literally, not become HTML, a table
/// column or emphasis when the Markdown is rendered.
///
/// Uses CommonMark backslash escapes for the characters that start markup anywhere in a line
/// (`\ ` * [ ] | & ~`), `<` where it could open a tag; `_` only where it could open emphasis (not inside a word such as
/// `paid_search`), `>` and `#` only at the start of a value. Line breaks become spaces so a value
/// cannot end a table row.
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        Self.escape(text)
    }

    static func escape(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        out.reserveCapacity(text.count)
        for (i, c) in chars.enumerated() {
            switch c {
            case "<":
                // Only `<` before a letter, `/`, `!` or `?` can open HTML or an autolink;
                // "ESS 21 < 400" stays readable.
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                if next.isLetter || next == "/" || next == "!" || next == "?" { out.append("\\") }
                out.append(c)
            case "\\", "`", "*", "[", "]", "|", "&", "~":
                out.append("\\")
                out.append(c)
            case "_":
                let inWord = i > 0 && i < chars.count - 1 && chars[i - 1].isLetterOrDigit && chars[i + 1].isLetterOrDigit
                if !inWord { out.append("\\") }
                out.append(c)
            case ">", "#":
                if i == 0 { out.append("\\") }
                out.append(c)
            case "\n", "\r", "\r\n":
                out.append(" ")
            default:
                out.append(c)
            }
        }
        return out
    }

    /// Makes `MARKDOWN` known to the template parser (the registry is global and locked).
    static func registerOnce() {
        _ = registration
    }

    private static let registration: Void = {
        MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
    }()
}

private extension Character {
    var isLetterOrDigit: Bool { isLetter || isNumber }
}
