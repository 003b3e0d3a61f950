import MixData

/// Refuses a report template that uses a name the report does not provide.
///
/// Mustache renders a name it cannot find as nothing, so `{{recomendation.budget}}` would give a
/// report with a blank where the budget should be, every week, and no one told. MixPlan knows
/// every name its context has (`ReportKeys`), so, like a compiler or Go's templates with
/// `missingkey=error`, it checks the templates when they are loaded — before any fitting — and
/// stops with the file, line and name, and the nearest known name. An error rather than a
/// warning: a scheduled job's warnings go to a log nobody reads, while the blank goes to the
/// planner.
///
/// Names resolve as the renderer resolves them: against the innermost section's fields first,
/// then outwards (`{{name}}` inside `{{#channels}}` is a channel's name; `{{target}}` there is
/// the report's); `a.b` looks `a` up that way and `b` inside it; `.` is the current item and
/// `index()`, `first()`, … the position in a list. Partials are checked where they are
/// included, with the names visible there; including a partial the folder lacks is an error too.
public enum TemplateKeyCheck {
    /// Checks `template` (the text of `file`) and the partials it includes (`partials`: name →
    /// text, without `.mustache`; `partialFile` gives a partial's file name for messages)
    /// against the names of `root` (the national report's, or `GeoReportKeys.root`).
    public static func check(_ template: String, file: String, partials: [String: String],
                      partialFile: (String) -> String, root: ReportKeys.Node = ReportKeys.root) throws {
        var checked = Set<String>()
        try walk(TemplateTag.scan(template), file: file, stack: [root],
                 partials: partials, partialFile: partialFile, depth: 0, checked: &checked)
    }

    /// How deep partials may include partials (cycles are refused before this check runs).
    private static let maxDepth = 32
    /// What a name without fields (text, a flag, a list of text) pushes inside its section.
    private static let leaf = ReportKeys.Node(children: [:], isList: false)

    private static func walk(_ tags: [TemplateTag], file: String, stack start: [ReportKeys.Node],
                             partials: [String: String], partialFile: (String) -> String,
                             depth: Int, checked: inout Set<String>) throws {
        var stack = start
        for tag in tags {
            switch tag.kind {
            case .variable:
                _ = try resolve(tag, in: stack, file: file)
            case .section:
                let node = try resolve(tag, in: stack, file: file)
                stack.append(node)
            case .invertedSection, .block, .parent:
                if tag.kind == .invertedSection { _ = try resolve(tag, in: stack, file: file) }
                if tag.kind == .parent {
                    try include(tag, stack: stack, file: file, partials: partials, partialFile: partialFile, depth: depth, checked: &checked)
                }
                stack.append(stack[stack.count - 1]) // same names inside; popped by its close
            case .close:
                if stack.count > 1 { stack.removeLast() }
            case .partial:
                try include(tag, stack: stack, file: file, partials: partials, partialFile: partialFile, depth: depth, checked: &checked)
            case .comment, .pragma, .delimiters:
                break
            }
        }
    }

    private static func include(_ tag: TemplateTag, stack: [ReportKeys.Node], file: String, partials: [String: String],
                                partialFile: (String) -> String, depth: Int, checked: inout Set<String>) throws {
        guard let text = partials[tag.name] else {
            let known = partials.keys.sorted()
            let suggestion = NameSuggestion.nearest(to: tag.name, in: known).map { " Did you mean \"\($0)\"?" } ?? ""
            throw InputError(InputLocation(file: file, key: tag.name),
                             "line \(tag.line): includes the partial \"\(tag.name)\", but the template folder has no \(tag.name).mustache, so it would render as nothing.\(suggestion)",
                             hint: known.isEmpty ? "Put \(tag.name).mustache beside the report templates, or remove the include."
                                 : "Partials in the folder: \(known.joined(separator: ", ")).")
        }
        // A partial included at the same depth of sections sees the same names; check it once per place.
        let place = "\(tag.name)#\(stack.count)#\(ObjectIdentifier(stack[stack.count - 1]).hashValue)"
        guard depth < maxDepth, checked.insert(place).inserted else { return }
        try walk(TemplateTag.scan(text), file: partialFile(tag.name), stack: stack,
                 partials: partials, partialFile: partialFile, depth: depth + 1, checked: &checked)
    }

    /// The node `tag` names, or an error naming the file, line and name with a suggestion.
    private static func resolve(_ tag: TemplateTag, in stack: [ReportKeys.Node], file: String) throws -> ReportKeys.Node {
        var name = tag.name
        // Transforms: `uppercased(name)`, `first(reversed(list))`; an empty name is the list
        // position (`index()`, `first()`, …).
        while let open = name.firstIndex(of: "("), name.hasSuffix(")") {
            name = String(name[name.index(after: open)..<name.index(before: name.endIndex)]).trimmingCharacters(in: .whitespaces)
        }
        if name.isEmpty || name == "." { return name.isEmpty ? leaf : stack[stack.count - 1] }
        let parts = name.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
        guard !parts.isEmpty else { return stack[stack.count - 1] }
        var node: ReportKeys.Node
        if name.hasPrefix(".") {
            node = stack[stack.count - 1]
            guard let first = node.children[parts[0]] else {
                throw unknown(tag, file: file, missing: parts[0], path: name, candidates: Array(node.children.keys))
            }
            node = first
        } else {
            guard let found = stack.reversed().lazy.compactMap({ $0.children[parts[0]] }).first else {
                let visible = Set(stack.flatMap { $0.children.keys })
                throw unknown(tag, file: file, missing: parts[0], path: name, candidates: Array(visible))
            }
            node = found
        }
        for part in parts.dropFirst() {
            guard let next = node.children[part] else {
                throw unknown(tag, file: file, missing: part, path: name, candidates: Array(node.children.keys))
            }
            node = next
        }
        return node
    }

    private static func unknown(_ tag: TemplateTag, file: String, missing: String, path: String, candidates: [String]) -> InputError {
        var message = "line \(tag.line): {{\(tagText(tag))}} names \(missing == path ? "" : "\"\(missing)\" in ")\"\(path)\", which the report does not provide, so it would render as nothing."
        if let near = NameSuggestion.nearest(to: missing, in: candidates.sorted()) {
            let suggested = missing == path ? near : path.replacingOccurrences(of: missing, with: near)
            message += " Did you mean \"\(suggested)\"?"
        }
        return InputError(InputLocation(file: file, key: path), message,
                          hint: "The names a template can use are the fields of MixPlan's report context; the bundled templates in MixPlan's Templates/ folder use them all.")
    }

    private static func tagText(_ tag: TemplateTag) -> String {
        switch tag.kind {
        case .section: return "#" + tag.name
        case .invertedSection: return "^" + tag.name
        default: return tag.name
        }
    }
}
