import Foundation

/// Writes per-channel priors into the text of a config file — under
/// `model.channels.<channel>.priors.<key>` — keeping every other line, comment and blank line as
/// it was.
///
/// The edit is by lines and indentation (block-style YAML, as `mixplan init` writes it):
/// missing `model:`, `channels:`, channel and `priors:` mappings are created at the end of their
/// parent block with the file's indent step; an empty inline mapping (`channels: {}`) becomes a
/// block; an existing prior line is replaced in place. Every written prior gets a comment line
/// above it starting with `# mixplan elicit:` that says where it came from; a previous such
/// comment above a replaced key is replaced with it. Inline (flow-style) mappings with content
/// cannot be edited by lines and are an error naming the line.
public enum ConfigPriorEditor {
    /// One prior to write.
    public struct Entry: Sendable, Equatable {
        public var channel: String
        /// A prior key such as `saturation_lambda`.
        public var key: String
        public var prior: PriorSpec
        public init(channel: String, key: String, prior: PriorSpec) {
            self.channel = channel
            self.key = key
            self.prior = prior
        }
    }

    /// The comment prefix marking a prior written by `mixplan elicit`.
    public static let marker = "# mixplan elicit:"

    /// `text` with `entries` written in; `comment` (one line) follows the marker on each.
    /// `file` is used in error messages.
    public static func apply(_ entries: [Entry], comment: String, to text: String, file: String) throws -> String {
        var document = Document(text: text, file: file)
        let note = marker + " " + comment.replacingOccurrences(of: "\n", with: " ")
        for entry in entries {
            let model = try document.ensureMapping("model", under: nil)
            let channels = try document.ensureMapping("channels", under: model)
            let channel = try document.ensureMapping(entry.channel, under: channels)
            let priors = try document.ensureMapping("priors", under: channel)
            document.setScalar(entry.key, to: entry.prior.description, comment: note, under: priors)
        }
        return document.text
    }

    /// Channel → prior keys that carry the `mixplan elicit` marker in `text`: priors an earlier
    /// run wrote, which a new run should not treat as independent prior knowledge.
    public static func elicitedKeys(in text: String) -> [String: Set<String>] {
        let document = Document(text: text, file: "")
        var found: [String: Set<String>] = [:]
        for i in document.lines.indices.dropFirst() where document.isMarker(i - 1) {
            guard let key = document.key(i) else { continue }
            let path = document.path(to: i)
            if path.count == 4, path[0] == "model", path[1] == "channels", path[3] == "priors" {
                found[path[2], default: []].insert(key)
            }
        }
        return found
    }

    /// The lines of a YAML file and the few structural questions the edit needs.
    struct Document {
        var lines: [String]
        let file: String
        let lineEnd: String
        /// The file's indent step (the first indented key's indent), 2 when there is none.
        let unit: Int

        init(text: String, file: String) {
            self.file = file
            lineEnd = text.contains("\r\n") ? "\r\n" : "\n"
            var body = text.replacingOccurrences(of: "\r\n", with: "\n")
            if body.hasSuffix("\n") { body.removeLast() }
            lines = body.isEmpty ? [] : body.components(separatedBy: "\n")
            var step = 2
            for line in lines {
                let n = Document.indent(line)
                if n > 0, Document.isContent(line) { step = n; break }
            }
            unit = step
        }

        var text: String {
            guard !lines.isEmpty else { return "" }
            return lines.joined(separator: lineEnd) + lineEnd
        }

        static func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        static func isContent(_ line: String) -> Bool {
            let t = line.drop { $0 == " " }
            return !t.isEmpty && !t.hasPrefix("#")
        }
        func indent(_ i: Int) -> Int { Document.indent(lines[i]) }
        func isContent(_ i: Int) -> Bool { Document.isContent(lines[i]) }
        func isMarker(_ i: Int) -> Bool { lines[i].drop { $0 == " " }.hasPrefix(ConfigPriorEditor.marker) }

        /// The key of a `key: value` line (quotes removed), or nil.
        func key(_ i: Int) -> String? { Document.split(lines[i])?.key }

        /// The value text after `key:` with any trailing comment removed.
        func value(_ i: Int) -> String { Document.split(lines[i])?.value ?? "" }

        /// Splits `  key: value  # comment` into key and value.
        static func split(_ line: String) -> (key: String, value: String)? {
            let t = Substring(line).drop { $0 == " " }
            guard isContent(line), !t.hasPrefix("- "), t != "-" else { return nil }
            var key = "", rest = Substring("")
            if let q = t.first, q == "\"" || q == "'" {
                var chars = t.dropFirst()[...]
                var closed = false
                while let c = chars.first {
                    chars = chars.dropFirst()
                    if q == "\"" && c == "\\", let next = chars.first { key.append(next); chars = chars.dropFirst(); continue }
                    if c == q {
                        if q == "'" && chars.first == "'" { key.append("'"); chars = chars.dropFirst(); continue }
                        closed = true
                        break
                    }
                    key.append(c)
                }
                guard closed else { return nil }
                let after = chars.drop { $0 == " " }
                guard after.hasPrefix(":") else { return nil }
                rest = after.dropFirst()
            } else {
                var index = t.startIndex
                var found: String.Index?
                while index < t.endIndex {
                    if t[index] == ":" {
                        let next = t.index(after: index)
                        if next == t.endIndex || t[next] == " " { found = index; break }
                    }
                    if t[index] == "#", index > t.startIndex, t[t.index(before: index)] == " " { break }
                    index = t.index(after: index)
                }
                guard let colon = found else { return nil }
                key = String(t[..<colon]).trimmingCharacters(in: .whitespaces)
                rest = t[t.index(after: colon)...]
            }
            var value = String(rest).trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("#") { value = "" }
            if let hash = value.range(of: " #") { value = String(value[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces) }
            return (key, value)
        }

        /// First line after the block of line `i` (the next content line at `i`'s indent or less).
        func blockEnd(_ i: Int?) -> Int {
            guard let i else { return lines.count }
            let n = indent(i)
            var j = i + 1
            while j < lines.count, !isContent(j) || indent(j) > n { j += 1 }
            return j
        }

        /// The indent of `i`'s children (or of top-level keys for nil), if it has any.
        func childIndent(_ i: Int?) -> Int? {
            guard let i else { return 0 }
            return ((i + 1)..<blockEnd(i)).first(where: isContent).map(indent)
        }

        func child(_ name: String, under parent: Int?) -> Int? {
            let start = parent.map { $0 + 1 } ?? 0
            guard let n = childIndent(parent) else { return nil }
            return (start..<blockEnd(parent)).first { isContent($0) && indent($0) == n && key($0) == name }
        }

        /// Where a new child of `parent` goes: after the block's last content line.
        func insertionPoint(under parent: Int?) -> Int {
            let start = parent.map { $0 + 1 } ?? 0
            let end = blockEnd(parent)
            if let last = (start..<end).last(where: isContent) { return last + 1 }
            return parent.map { $0 + 1 } ?? lines.count
        }

        /// The keys of the mappings enclosing line `i`, outermost first, then `i`'s own parent chain.
        func path(to i: Int) -> [String] {
            var out: [String] = []
            var n = indent(i)
            var j = i - 1
            while j >= 0, n > 0 {
                if isContent(j), indent(j) < n, let k = key(j) {
                    out.insert(k, at: 0)
                    n = indent(j)
                }
                j -= 1
            }
            return out
        }

        /// The line of mapping key `name` under `parent`, created (empty) when missing; an empty
        /// inline `{}` becomes a block. Errors for a key holding a scalar or an inline mapping.
        mutating func ensureMapping(_ name: String, under parent: Int?) throws -> Int {
            if let i = child(name, under: parent) {
                let v = value(i)
                if v.isEmpty || v == "~" || v == "null" { return i }
                if v == "{}", let braces = lines[i].range(of: "{}") {
                    // `key: {}  # note` → `key:  # note`: the empty inline mapping becomes a block.
                    lines[i].removeSubrange(braces)
                    while lines[i].hasSuffix(" ") { lines[i].removeLast() }
                    return i
                }
                let where_ = (path(to: i) + [name]).joined(separator: ".")
                throw InputError(InputLocation(file: file, row: i + 1, key: where_),
                                 "holds \"\(v)\" written inline; mixplan elicit edits block-style mappings only.",
                                 hint: "Write \(name) as an indented block (one key per line), or add the priors by hand.")
            }
            let n = parent.map { childIndent($0) ?? indent($0) + unit } ?? 0
            var at = insertionPoint(under: parent)
            if parent == nil, at > 0, !lines[at - 1].trimmingCharacters(in: .whitespaces).isEmpty {
                lines.insert("", at: at) // a blank line before a new top-level section
                at += 1
            }
            lines.insert(String(repeating: " ", count: n) + Document.quoted(name) + ":", at: at)
            return at
        }

        /// Sets `key: value` under `parent` (replacing the line if present) with `comment` above.
        mutating func setScalar(_ key: String, to value: String, comment: String, under parent: Int) {
            let n = childIndent(parent) ?? indent(parent) + unit
            let pad = String(repeating: " ", count: n)
            let line = pad + Document.quoted(key) + ": " + value
            if let i = child(key, under: parent) {
                lines[i] = line
                if i > 0, isMarker(i - 1) { lines[i - 1] = pad + comment } else { lines.insert(pad + comment, at: i) }
                return
            }
            let at = insertionPoint(under: parent)
            lines.insert(contentsOf: [pad + comment, line], at: at)
        }

        /// A mapping key as YAML text: plain when safe, double-quoted otherwise.
        static func quoted(_ name: String) -> String {
            let plain = name.range(of: "^[A-Za-z_][A-Za-z0-9_.-]*$", options: .regularExpression) != nil
            let reserved = ["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(name.lowercased())
            if plain && !reserved { return name }
            return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
    }
}
