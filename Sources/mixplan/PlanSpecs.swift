import Foundation
import MixData
import MixOptimize

/// Parsers for the planner's inputs as the CLI receives them: `--spend tv=1000,search=500`,
/// `--bounds tv=500:2000,search=±30%`, `--fix tv,search`, and the bounds and plan CSV files.
/// Every error names the flag or file (row, column), what was found and what was expected.
public enum PlanSpecs {
    /// `name=amount,…` → spend per period in channel order; `name=-20%` or `name=+15%` changes
    /// the channel's `fill` spend (its current spend, or the plan compared against) by that
    /// percentage. Channels not named take `fill` when given, else are an error.
    public static func parseSpend(_ text: String, channels: [String], fill: [Double]? = nil,
                                  source: String = "--spend") throws -> [Double] {
        let location = InputLocation(file: source)
        var values: [String: Double] = [:]
        for (name, value) in try pairs(text, location: location, expected: "name=amount or name=±P%, e.g. tv=1000,search=-20%") {
            try check(name, channels, location)
            guard values[name] == nil else { throw InputError(location, "channel \"\(name)\" is given twice.") }
            if value.hasSuffix("%") {
                values[name] = try relative(value, name: name, base: fill?[channels.firstIndex(of: name)!], location: location)
                continue
            }
            guard let x = Double(value), x >= 0, x.isFinite else {
                throw InputError(location, "spend of \"\(name)\" is \"\(value)\"; expected a non-negative amount or a change such as -20%.")
            }
            values[name] = x
        }
        return try ordered(values, channels: channels, fill: fill, location: location)
    }

    /// `+15%` / `-20%` of `base`: a signed percentage, at least −100 %.
    private static func relative(_ value: String, name: String, base: Double?, location: InputLocation) throws -> Double {
        let number = value.dropLast().trimmingCharacters(in: .whitespaces)
        guard let first = number.first, first == "+" || first == "-", let p = Double(number), p.isFinite else {
            throw InputError(location, "spend of \"\(name)\" is \"\(value)\"; a change needs its sign, e.g. +15% or -20%.")
        }
        guard p >= -100 else {
            throw InputError(location, "spend of \"\(name)\" is \"\(value)\"; a cut cannot exceed -100% (no spend).")
        }
        guard let base else {
            throw InputError(location, "spend of \"\(name)\" is \"\(value)\", a change, but there is no spend to change here; give an amount.")
        }
        return max(0, base * (1 + p / 100))
    }

    /// `name=min:max` (absolute spend per period) or `name=±F%` / `name=+-F%` / `name=+/-F%` /
    /// `name=F%` (within ±F % of current spend), comma-separated. `+F%` and `-F%` read as
    /// one-sided limits, which relative bounds are not, so they are refused.
    public static func parseBounds(_ text: String, channels: [String], source: String = "--bounds") throws -> [String: SpendBound] {
        let location = InputLocation(file: source)
        let expected = "name=min:max or name=±30%, e.g. tv=500:2000,search=±30%"
        var bounds: [String: SpendBound] = [:]
        for (name, value) in try pairs(text, location: location, expected: expected) {
            try check(name, channels, location)
            guard bounds[name] == nil else { throw InputError(location, "channel \"\(name)\" is given twice.") }
            bounds[name] = try bound(value, name: name, location: location, expected: expected)
        }
        return bounds
    }

    /// `tv,search` → channel names, each checked against the model's.
    public static func parseChannelList(_ text: String, channels: [String], source: String = "--fix") throws -> [String] {
        let location = InputLocation(file: source)
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for name in names { try check(name, channels, location) }
        return names
    }

    /// A bounds CSV with header `channel,min,max` (spend per period; a cell may instead read
    /// `±30%` in the `min` column with `max` empty for a relative bound).
    public static func parseBoundsCSV(_ text: String, channels: [String], file: String) throws -> [String: SpendBound] {
        let rows = try table(text, file: file, header: ["channel", "min", "max"])
        var bounds: [String: SpendBound] = [:]
        for (row, cells) in rows {
            let name = cells[0]
            try check(name, channels, InputLocation(file: file, row: row, column: "channel"))
            guard bounds[name] == nil else {
                throw InputError(InputLocation(file: file, row: row, column: "channel"), "channel \"\(name)\" is listed twice.")
            }
            let text = cells[2].isEmpty ? cells[1] : "\(cells[1]):\(cells[2])"
            bounds[name] = try bound(text, name: name, location: InputLocation(file: file, row: row, column: cells[2].isEmpty ? "min" : "max"),
                                     expected: "min and max amounts with 0 ≤ min ≤ max, or ±30% in min with max empty")
        }
        return bounds
    }

    /// A plan CSV whose header starts `channel,spend` (spend per period; later columns, such as
    /// those of a pack's `plan.csv`, are ignored) → spends in channel order; missing channels
    /// take `fill` when given. A name written `'=x` (as `plan.csv` guards formula-like names)
    /// reads as `=x`.
    public static func parsePlanCSV(_ text: String, channels: [String], file: String, fill: [Double]? = nil) throws -> [Double] {
        var values: [String: Double] = [:]
        for (row, cells) in try table(text, file: file, header: ["channel", "spend"], extraColumns: true) {
            var name = cells[0]
            if name.hasPrefix("'"), channels.contains(String(name.dropFirst())) { name.removeFirst() }
            try check(name, channels, InputLocation(file: file, row: row, column: "channel"))
            guard values[name] == nil else {
                throw InputError(InputLocation(file: file, row: row, column: "channel"), "channel \"\(name)\" is listed twice.")
            }
            guard let x = Double(cells[1]), x >= 0, x.isFinite else {
                throw InputError(InputLocation(file: file, row: row, column: "spend"), "found \"\(cells[1])\"; expected a non-negative amount.")
            }
            values[name] = x
        }
        return try ordered(values, channels: channels, fill: fill, location: InputLocation(file: file))
    }

    // MARK: helpers

    private static func pairs(_ text: String, location: InputLocation, expected: String) throws -> [(String, String)] {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw InputError(location, "empty specification; expected \(expected).") }
        return try items.map { item in
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw InputError(location, "\"\(item)\" is not of the form \(expected).")
            }
            return (parts[0], parts[1])
        }
    }

    static func bound(_ value: String, name: String, location: InputLocation, expected: String) throws -> SpendBound {
        if value.hasSuffix("%") {
            var number = String(value.dropLast())
            let symmetric = ["±", "+-", "+/-"].first { number.hasPrefix($0) }
            if let symmetric { number.removeFirst(symmetric.count) }
            if symmetric == nil, let sign = number.first, sign == "+" || sign == "-" {
                let size = number.dropFirst()
                throw InputError(location, "bound of \"\(name)\" is \"\(value)\", which reads as a one-sided limit (\(sign == "+" ? "up to \(size) % more" : "down to \(size) % less") than current spend); relative bounds are symmetric.",
                                 hint: "Write \(name)=±\(size)% for within \(size) % of current spend either way, or an absolute range per period, \(name)=MIN:MAX, for a one-sided limit.")
            }
            guard let f = Double(number), f >= 0, f.isFinite else {
                throw InputError(location, "bound of \"\(name)\" is \"\(value)\"; expected \(expected).")
            }
            return .relative(fraction: f / 100)
        }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo >= 0, hi >= lo, hi.isFinite else {
            throw InputError(location, "bound of \"\(name)\" is \"\(value)\"; expected \(expected).")
        }
        return .absolute(min: lo, max: hi)
    }

    private static func check(_ name: String, _ channels: [String], _ location: InputLocation) throws {
        guard channels.contains(name) else {
            throw InputError(location, "unknown channel \"\(name)\"; the model's channels are \(channels.joined(separator: ", ")).")
        }
    }

    private static func ordered(_ values: [String: Double], channels: [String], fill: [Double]?, location: InputLocation) throws -> [Double] {
        let missing = channels.filter { values[$0] == nil }
        if !missing.isEmpty && fill == nil {
            throw InputError(location, "no spend for channel(s) \(missing.joined(separator: ", ")); give every channel (0 is allowed).")
        }
        return channels.enumerated().map { values[$1] ?? fill![$0] }
    }

    /// Rows after a header that must match `header` (case-insensitive), as (1-based row, cells).
    static func table(_ text: String, file: String, header: [String], extraColumns: Bool = false) throws -> [(Int, [String])] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let names = lines.first.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } } ?? []
        guard extraColumns ? Array(names.prefix(header.count)) == header : names == header else {
            throw InputError(InputLocation(file: file, row: 1), "the header must \(extraColumns ? "start" : "read") \(header.joined(separator: ",")); found \"\(lines.first ?? "")\".")
        }
        let width = names.count
        var rows: [(Int, [String])] = []
        for (i, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == width else {
                throw InputError(InputLocation(file: file, row: i + 1), "found \(cells.count) cells; expected \(width) (\(names.joined(separator: ","))).")
            }
            rows.append((i + 1, cells))
        }
        return rows
    }
}
