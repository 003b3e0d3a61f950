import Foundation

/// Checks on the header row (row 1), before any data is read.
enum HeaderCheck {
    static func validate(_ header: [String], file: String) throws {
        if header.count == 1 {
            let only = header[0]
            for (delimiter, name) in [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")] where only.contains(delimiter) {
                throw InputError(InputLocation(file: file, row: 1),
                                 "the header is a single column \"\(only)\" containing \(name)s: the file seems to be \(name)-separated, but data.delimiter says otherwise.",
                                 hint: "Remove data.delimiter from the config (the delimiter is then detected), or set it to \(name).")
            }
        }
        // A first row made only of numbers and dates is data, not a header.
        let looksLikeData = header.allSatisfy { cell in
            let trimmed = cell.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return true }
            if case .success = CellParsing.number(trimmed) { return true }
            return MixPlanConfig.DateFormat.allCases.contains { CellParsing.date(trimmed, format: $0) != nil }
        }
        if looksLikeData {
            throw InputError(InputLocation(file: file, row: 1),
                             "there is no header row: the first row holds only numbers and dates (\(header.prefix(4).joined(separator: ","))…).",
                             hint: "Add a first row naming the columns, e.g. date,tv,search,sales.")
        }
        var seen: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            // An unnamed column (e.g. a pandas index written by to_csv) cannot be configured,
            // so it is simply never read.
            if name.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if let first = seen[name] {
                throw InputError(InputLocation(file: file, row: 1, column: name),
                                 "the header name \"\(name)\" appears twice (columns \(first + 1) and \(index + 1)); column names must be unique.",
                                 hint: "Rename one of them so the config can say which one it means.")
            }
            seen[name] = index
        }
    }
}

/// Where each configured column sits in the header.
struct ColumnLayout {
    let date: Int
    let target: Int
    /// Per channel, its spend column or, for a channel measured in exposures, its exposure column.
    let channels: [Int]
    /// Per channel, the spend column of a channel measured in exposures with `spend_column`.
    let spendColumns: [Int?]
    let controls: [Int]

    init(header: [String], data: MixPlanConfig.DataSection, file: String) throws {
        if data.channels.isEmpty {
            throw InputError(InputLocation(file: file, key: "data.channels"),
                             "no channels are configured; expected a list of spend column names.",
                             hint: "Header columns are: \(header.joined(separator: ", ")).")
        }
        var roles: [String: String] = [:]
        let named: [(String, String)] = [(data.dateColumn, "data.date_column"), (data.target, "data.target")]
            + data.channels.flatMap { name in Self.channelKeys(name, data).map { ($0.column, $0.key) } }
            + data.controls.map { ($0, "data.controls") }
        for (name, key) in named {
            if let other = roles[name] {
                throw InputError(InputLocation(file: file, column: name, key: key),
                                 "the column is configured twice (as \(other) and as \(key)); each column can have one role only.")
            }
            roles[name] = key
        }
        // A model folder saves each channel's money under the channel's name (ModelStore), so an
        // exposure channel may not be named like another configured column.
        for name in data.channels where data.exposures[name] != nil && !data.channelColumns(name).contains(name) {
            if let other = roles[name] {
                throw InputError(InputLocation(file: file, column: name, key: "data.channels.\(name)"),
                                 "the channel's name is also the column configured as \(other); a channel measured in exposures needs a name of its own.",
                                 hint: "Name it after its medium, e.g. tv or radio.")
            }
        }
        func index(_ name: String, _ key: String) throws -> Int {
            if let i = header.firstIndex(of: name) { return i }
            var hint = NameSuggestion.didYouMean(name, in: header) ?? "The header has: \(header.joined(separator: ", "))."
            if let trimmed = header.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == name }) {
                hint = "The header has \"\(header[trimmed])\" (with spaces); remove the spaces or write the name exactly."
            }
            if let date = header.first(where: { cell in MixPlanConfig.DateFormat.allCases.contains { CellParsing.date(cell, format: $0) != nil } }) {
                hint += " The first row holds a date (\"\(date)\"), so the file may lack a header row."
            }
            throw InputError(InputLocation(file: file, row: 1, column: name, key: key),
                             "the configured column \"\(name)\" (\(key)) is not in the header.", hint: hint)
        }
        date = try index(data.dateColumn, "data.date_column")
        target = try index(data.target, "data.target")
        channels = try data.channels.map { try index(Self.channelKeys($0, data)[0].column, Self.channelKeys($0, data)[0].key) }
        spendColumns = try data.channels.map { name in
            let keys = Self.channelKeys(name, data)
            return keys.count > 1 ? try index(keys[1].column, keys[1].key) : nil
        }
        controls = try data.controls.map { try index($0, "data.controls") }
    }

    /// The columns a channel reads (`DataSection.channelColumns`) with the config key naming each.
    static func channelKeys(_ name: String, _ data: MixPlanConfig.DataSection) -> [(column: String, key: String)] {
        let columns = data.channelColumns(name)
        guard data.exposures[name] != nil else { return [(name, "data.channels")] }
        return zip(columns, ["exposure_column", "spend_column"]).map { ($0, "data.channels.\(name).\($1)") }
    }
}
