import Foundation
import Yams

/// Typed reading of YAML nodes for `ConfigLoader`: every failure names the file, the key path
/// and its line, and says what type or value was expected.
struct YAMLValues {
    let file: String

    func error(_ key: String, _ node: Node?, _ message: String, hint: String? = nil) -> InputError {
        let line = node?.mark.map { " (line \($0.line))" } ?? ""
        return InputError(InputLocation(file: file, key: key.isEmpty ? nil : key), message + line + ".", hint: hint)
    }

    /// Refuses any key or value longer than `Limits.configValueLength` characters, before
    /// anything parses, quotes or resolves it (the key path names where; the value is not quoted).
    func checkLengths(_ node: Node, key: String) throws {
        func tooLong(_ text: String) -> Bool { text.utf8.count > Limits.configValueLength && text.count > Limits.configValueLength }
        switch node {
        case .scalar(let s):
            if tooLong(s.string) {
                throw error(key, node, "is a value of \(Limits.grouped(s.string.count)) characters; a config value has at most \(Limits.grouped(Limits.configValueLength)) (a column name at most \(Limits.nameLength))")
            }
        case .mapping(let map):
            for (k, v) in map {
                let name = k.scalar?.string ?? ""
                if tooLong(name) {
                    throw error(key, k, "has a key of \(Limits.grouped(name.count)) characters; a config key has at most \(Limits.grouped(Limits.configValueLength))")
                }
                if k.scalar == nil { try checkLengths(k, key: key) }
                try checkLengths(v, key: key.isEmpty ? name : "\(key).\(name)")
            }
        case .sequence(let seq):
            for item in seq { try checkLengths(item, key: key) }
        case .alias:
            break
        }
    }

    /// A plain `~`, `null` or empty value.
    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// The pairs of a mapping, after checking every key is one of `known` (with a suggestion).
    /// A null value counts as an empty mapping.
    func mapping(_ node: Node, key: String, known: [String]?) throws -> [(String, Node)] {
        if isNull(node) { return [] }
        guard case .mapping(let map) = node else {
            throw error(key, node, "expected a mapping of keys to values, found \(describe(node))")
        }
        var pairs: [(String, Node)] = []
        var seen = Set<String>()
        for (k, v) in map {
            guard case .scalar(let s) = k else { throw error(key, k, "expected text keys, found \(describe(k))") }
            let name = s.string
            let path = key.isEmpty ? name : "\(key).\(name)"
            if let known, !known.contains(name) {
                let suggestion = NameSuggestion.didYouMean(name, in: known)
                throw error(path, k, "is not a known key",
                            hint: (suggestion.map { $0 + " " } ?? "") + "Known keys here: \(known.joined(separator: ", ")).")
            }
            guard seen.insert(name).inserted else { throw error(path, k, "appears twice") }
            pairs.append((name, v))
        }
        return pairs
    }

    func string(_ node: Node, key: String) throws -> String {
        guard case .scalar(let s) = node, !isNull(node) else {
            throw error(key, node, "expected text, found \(describe(node))")
        }
        return s.string
    }

    func strings(_ node: Node, key: String) throws -> [String] {
        if isNull(node) { return [] }
        guard case .sequence(let seq) = node else {
            throw error(key, node, "expected a list such as [tv, search], found \(describe(node))")
        }
        return try seq.map { try string($0, key: key) }
    }

    /// A column name: text of at most `Limits.nameLength` characters.
    func name(_ node: Node, key: String) throws -> String {
        let text = try string(node, key: key)
        guard text.count <= Limits.nameLength else {
            throw error(key, node, "is a name of \(Limits.grouped(text.count)) characters; column names may have at most \(Limits.nameLength)")
        }
        return text
    }

    func names(_ node: Node, key: String) throws -> [String] {
        if isNull(node) { return [] }
        guard case .sequence(let seq) = node else {
            throw error(key, node, "expected a list such as [tv, search], found \(describe(node))")
        }
        guard seq.count <= Limits.columns else {
            throw error(key, node, "lists \(seq.count) columns; at most \(Limits.columns) are supported")
        }
        return try seq.map { try name($0, key: key) }
    }

    func int(_ node: Node, key: String, range: ClosedRange<Int>) throws -> Int {
        guard case .scalar(let s) = node, let v = Int(s.string) else {
            throw error(key, node, "expected a whole number, found \(describe(node))")
        }
        guard range.contains(v) else {
            throw error(key, node, "expected a whole number \(describeRange(range)), found \(v)")
        }
        return v
    }

    func uint64(_ node: Node, key: String) throws -> UInt64 {
        guard case .scalar(let s) = node, let v = UInt64(s.string) else {
            throw error(key, node, "expected a whole number ≥ 0 (at most \(UInt64.max)), found \(describe(node))")
        }
        return v
    }

    /// A finite number satisfying `valid`, described by `expected` (e.g. "in (0, 1)").
    func double(_ node: Node, key: String, expected: String, _ valid: (Double) -> Bool) throws -> Double {
        guard case .scalar(let s) = node, let v = Double(s.string), v.isFinite else {
            throw error(key, node, "expected a number \(expected), found \(describe(node))")
        }
        guard valid(v) else { throw error(key, node, "expected a number \(expected), found \(s.string)") }
        return v
    }

    func bool(_ node: Node, key: String) throws -> Bool {
        guard case .scalar(let s) = node else { throw error(key, node, "expected true or false, found \(describe(node))") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(key, node, "expected true or false, found \(describe(node))")
        }
    }

    /// One of an enum's raw values, with a suggestion for a near miss.
    func choice<E: RawRepresentable & CaseIterable>(_ node: Node, key: String, _: E.Type) throws -> E where E.RawValue == String {
        let text = try string(node, key: key)
        if let value = E(rawValue: text) ?? E(rawValue: text.lowercased()) { return value }
        let options = E.allCases.map(\.rawValue)
        throw error(key, node, "expected one of \(options.joined(separator: ", ")), found \"\(text)\"",
                    hint: NameSuggestion.didYouMean(text, in: options))
    }

    /// A choice whose values also have other spellings (`;` for `semicolon`): `parse` reads them.
    func choice<E: RawRepresentable & CaseIterable>(_ node: Node, key: String, _ parse: (String) -> E?) throws -> E where E.RawValue == String {
        let text = try string(node, key: key)
        if let value = parse(text) { return value }
        let options = E.allCases.map(\.rawValue)
        throw error(key, node, "expected one of \(options.joined(separator: ", ")), found \"\(text)\"",
                    hint: NameSuggestion.didYouMean(text, in: options))
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s):
            if isNull(node) { return "nothing" }
            // A long (e.g. multi-line) scalar is cut: the line number says where the rest is.
            return s.string.count <= 60 ? "\"\(s.string)\"" : "\"\(s.string.prefix(57))…\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private func describeRange(_ r: ClosedRange<Int>) -> String {
        r.upperBound == Int.max ? "≥ \(r.lowerBound)" : "from \(r.lowerBound) to \(r.upperBound)"
    }
}
