/// The partials (`{{> name}}`, and `{{< name}}` for a parent with blocks) each report template
/// includes, and include cycles among them. The Mustache renderer expands a partial every time
/// it is met, so a template that includes itself, or two that include each other, would recurse
/// until the stack overflows; such a folder is refused when it is loaded. The report's data holds
/// no recursive structure, so no report template needs recursion.
enum TemplateIncludes {
    /// Names of the partials `text` includes, following set-delimiter tags (`{{=<% %>=}}`).
    static func partials(in text: String) -> [String] {
        TemplateTag.scan(text).filter { ($0.kind == .partial || $0.kind == .parent) && !$0.name.isEmpty }.map(\.name)
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
