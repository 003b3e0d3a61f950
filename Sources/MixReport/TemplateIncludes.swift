/// The partials (`{{> name}}`, and `{{< name}}` for a parent with blocks) each report template
/// includes, and include cycles among them. The Mustache renderer expands a partial every time
/// it is met, so a template that includes itself, or two that include each other, would recurse
/// until the stack overflows; such a folder is refused when it is loaded. The report's data holds
/// no recursive structure, so no report template needs recursion.
enum TemplateIncludes {
    /// Names of the partials `text` includes, following set-delimiter tags (`{{=<% %>=}}`).
    static func partials(in text: String) -> [String] {
        var open = Substring("{{"), close = Substring("}}")
        var rest = Substring(text)
        var names: [String] = []
        while let start = rest.range(of: open) {
            rest = rest[start.upperBound...]
            if open == "{{", rest.hasPrefix("{"), let end = rest.range(of: "}}}") {
                rest = rest[end.upperBound...] // a triple mustache {{{name}}}
                continue
            }
            guard let end = rest.range(of: close) else { break }
            let tag = rest[..<end.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[end.upperBound...]
            if tag.hasPrefix("="), tag.hasSuffix("="), tag.count >= 2 {
                let parts = tag.dropFirst().dropLast().split(whereSeparator: { $0 == " " || $0 == "\t" })
                if parts.count == 2 { open = parts[0]; close = parts[1] }
            } else if tag.hasPrefix(">") || tag.hasPrefix("<") {
                let name = tag.dropFirst().trimmingCharacters(in: .whitespaces)
                if !name.isEmpty { names.append(name) }
            }
        }
        return names
    }

    /// A cycle of includes among `templates` (name → text), as the names along it starting and
    /// ending with the same one, e.g. ["a", "b", "a"]; nil when there is none. Names that are
    /// not in `templates` render empty and end a path.
    static func cycle(in templates: [String: String]) -> [String]? {
        let edges = templates.mapValues { partials(in: $0) }
        var state: [String: Bool] = [:] // false: on the current path; true: finished
        var path: [String] = []
        func visit(_ name: String) -> [String]? {
            if state[name] == true { return nil }
            if state[name] == false {
                return Array(path[path.lastIndex(of: name)!...]) + [name]
            }
            state[name] = false
            path.append(name)
            for next in edges[name] ?? [] where edges[next] != nil {
                if let found = visit(next) { return found }
            }
            path.removeLast()
            state[name] = true
            return nil
        }
        for name in templates.keys.sorted() {
            if let found = visit(name) { return found }
        }
        return nil
    }
}
