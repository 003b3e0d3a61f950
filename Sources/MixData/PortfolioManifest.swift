import Foundation

/// A portfolio: the models a `mixplan batch` run fits and `optimize --portfolio` allocates
/// across (DESIGN.md §10). One CSV row per model:
///
///     name,config,budget_group,budget
///     brand-a-de,brands/a/de/mixplan.yaml,europe,120000
///
/// `name` names the model's output folder (letters, digits, `.`, `_`, `-`; not starting with
/// `.` or `_`, which mark MixPlan's own folders); `config` is a path relative to the manifest's
/// folder; `budget_group` (optional) puts models under one budget and `budget` (optional) is that
/// group's total over the horizon — every row of a group that gives one must give the same.
public struct PortfolioManifest: Sendable, Equatable {
    /// One model of the portfolio.
    public struct Entry: Sendable, Equatable {
        /// Folder-safe, unique name.
        public var name: String
        /// The config path as written in the manifest.
        public var configPath: String
        /// The config path resolved against the manifest's folder.
        public var resolvedConfig: String
        public var budgetGroup: String?
        /// The budget group's total budget over the horizon, when the row gives it.
        public var budget: Double?
        /// Spreadsheet row of the entry (header = row 1), for error messages.
        public var row: Int
        /// 0-based position among the manifest's models; decides the shard.
        public var index: Int
    }

    public static let columns = ["name", "config", "budget_group", "budget"]
    public static let requiredColumns = ["name", "config"]

    /// The manifest file as given.
    public var path: String
    public var entries: [Entry]

    /// Reads and validates a manifest. Errors name the file, row and column and what was
    /// expected: a missing or unknown column, an empty or unsafe or repeated name, a config
    /// file that does not exist, a budget that is not a positive amount, or a budget group
    /// whose rows disagree about its budget.
    public static func load(path: String) throws -> PortfolioManifest {
        var reader = try CSVReader(path: path)
        guard try reader.next() else {
            throw InputError(InputLocation(file: path), "is empty; expected a header row \(columns.joined(separator: ",")) and one row per model.")
        }
        let header = reader.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var position: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            guard columns.contains(name) else {
                let guess = NameSuggestion.nearest(to: name, in: columns).map { " Did you mean \"\($0)\"?" } ?? ""
                throw InputError(InputLocation(file: path, row: 1, column: name),
                                 "is not a manifest column; the columns are \(columns.joined(separator: ", ")) (the last two optional).\(guess)")
            }
            guard position[name] == nil else {
                throw InputError(InputLocation(file: path, row: 1, column: name), "appears twice in the header.")
            }
            position[name] = i
        }
        for name in requiredColumns where position[name] == nil {
            throw InputError(InputLocation(file: path, row: 1), "has no \"\(name)\" column; the header must include \(requiredColumns.joined(separator: " and ")).")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var entries: [Entry] = []
        var rowOfName: [String: Int] = [:]
        while try reader.next() {
            let row = reader.row
            func cell(_ column: String) -> String {
                guard let i = position[column], i < reader.fieldCount else { return "" }
                return reader.field(i).trimmingCharacters(in: .whitespaces)
            }
            guard reader.fieldCount <= header.count else {
                throw InputError(InputLocation(file: path, row: row), "has \(reader.fieldCount) fields but the header has \(header.count); quote a field that contains a comma.")
            }
            let name = cell("name")
            if let problem = nameProblem(name) {
                throw InputError(InputLocation(file: path, row: row, column: "name"), problem)
            }
            if let first = rowOfName[name] {
                throw InputError(InputLocation(file: path, row: row, column: "name"),
                                 "\"\(name)\" is already the name of row \(first); each model needs its own name (it names the model's output folder).")
            }
            rowOfName[name] = row
            let config = cell("config")
            guard !config.isEmpty else {
                throw InputError(InputLocation(file: path, row: row, column: "config"), "is empty; expected the path of the model's mixplan.yaml, relative to the manifest.")
            }
            let resolved = config.hasPrefix("/") ? config : folder.appendingPathComponent(config).standardizedFileURL.path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isFolder), !isFolder.boolValue else {
                throw InputError(InputLocation(file: path, row: row, column: "config"),
                                 "names \(config), but \(resolved) \(isFolder.boolValue ? "is a folder" : "does not exist"); expected a config file (paths are relative to the manifest's folder).")
            }
            let group = cell("budget_group")
            let budgetText = cell("budget")
            var budget: Double?
            if !budgetText.isEmpty {
                guard let value = Double(budgetText), value.isFinite, value > 0 else {
                    throw InputError(InputLocation(file: path, row: row, column: "budget"),
                                     "expected a positive amount (the budget group's total over the horizon) or nothing, got \"\(budgetText)\".")
                }
                budget = value
            }
            entries.append(Entry(name: name, configPath: config, resolvedConfig: resolved,
                                 budgetGroup: group.isEmpty ? nil : group, budget: budget, row: row, index: entries.count))
        }
        guard !entries.isEmpty else {
            throw InputError(InputLocation(file: path), "lists no models; expected one row per model under the header.")
        }
        let manifest = PortfolioManifest(path: path, entries: entries)
        for group in manifest.groups { _ = try manifest.budget(ofGroup: group) }
        return manifest
    }

    /// Why `name` cannot name a model folder (nil when it can).
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty; every model needs a name (it names the model's output folder)." }
        let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
        if !allowed || name.count > 100 {
            return "\"\(name)\" cannot name a folder on every system; use up to 100 letters, digits, '.', '_' and '-'."
        }
        if name.hasPrefix(".") || name.hasPrefix("_") {
            return "\"\(name)\" starts with '\(name.first!)', which marks MixPlan's own folders; start it with a letter or digit."
        }
        return nil
    }

    /// The entry called `name`.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// Budget groups in the order they first appear.
    public var groups: [String] {
        var seen: [String] = []
        for g in entries.compactMap(\.budgetGroup) where !seen.contains(g) { seen.append(g) }
        return seen
    }

    /// The budget a group's rows give (nil when none does); throws when two rows disagree.
    public func budget(ofGroup group: String) throws -> Double? {
        let rows = entries.filter { $0.budgetGroup == group && $0.budget != nil }
        guard let first = rows.first else { return nil }
        if let other = rows.first(where: { $0.budget != first.budget }) {
            throw InputError(InputLocation(file: path, row: other.row, column: "budget"),
                             "budget group \"\(group)\" has budget \(CSVFormat.number(first.budget!)) in row \(first.row) but \(CSVFormat.number(other.budget!)) here; a group has one budget (give it once, or the same in every row).")
        }
        return first.budget
    }

    /// The entries shard `index` of `count` runs: every `count`-th model starting at `index`,
    /// so shards are disjoint, cover the manifest, and depend only on the manifest's order.
    public func shard(_ index: Int, of count: Int) -> [Entry] {
        precondition(count >= 1 && index >= 0 && index < count, "shard index within 0..<count")
        return entries.filter { $0.index % count == index }
    }
}
