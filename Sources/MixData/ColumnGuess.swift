import Foundation

/// Guesses which CSV column is the date, the target, the channels and the controls, from the
/// header names and the values — what `mixplan init` writes and `mixplan check DATA.csv` uses.
///
/// Every column gets one printed decision with its reason, so a wrong guess is easy to see:
/// - the date: a column whose every cell is a date (its format detected, see `DateDetection`);
/// - dropped: unnamed or text columns, row indices and time counters (counting up by one), the
///   date's calendar parts (year, month, ISO week, day of year, weekday), constant columns and
///   exact duplicates (of two identical columns the one named like the role is kept, so
///   `sales` rather than `sales_copy` becomes the target, see `preferredTwin`);
/// - channels: spend columns (`spend`, `cost`, `budget`, `investment`, `mdsp_…`, `…_s`) and the
///   columns sharing their family prefix (`x1_…`, `x2_…`); exposure columns (`impressions`,
///   `mdip_…`, `grp`, `clicks`) paired with the spend column of the same stem (`mdip_tv` with
///   `mdsp_tv`, `tv_impressions` with `tv_spend`: a channel measured in exposures, see
///   `pairs`), channels on their own when there is no spend column, dropped otherwise;
///   with neither, every non-negative numeric column that is not an indicator or control-like;
/// - the target: by name (`sales`, `revenue`, `conversions`, … but not shares, rates or
///   prices), the largest in magnitude when several match, else the largest remaining column;
/// - controls: the remaining numeric columns.
public struct ColumnGuess: Sendable, Equatable {
    /// The guessed data section (`file` is the CSV's file name).
    public var data: MixPlanConfig.DataSection
    /// Why each choice was made, one line each, for the user to review.
    public var notes: [String]

    /// Names that mark the target, in order of preference (whole word first, then contained).
    public static let targetWords = ["sales", "revenue", "conversions", "target", "kpi", "y", "orders", "units",
                                     "signups", "leads", "bookings", "installs", "turnover", "gmv", "transactions"]
    /// Words that disqualify a target name: ratios and prices are not what media moves in money.
    static let notTargetWords = ["share", "pct", "percent", "rate", "ratio", "price", "index", "margin", "cpa", "roas", "avg", "average"]
    /// Whole words (or name prefixes/suffixes) that mark a spend column.
    public static let spendWords = ["spend", "spends", "cost", "costs", "budget", "investment", "invest", "mdsp", "s"]
    /// Whole words that mark an exposure column (impressions, ratings, clicks).
    public static let exposureWords = ["impressions", "impression", "impr", "imps", "mdip", "grp", "grps", "trp", "trps",
                                       "clicks", "views", "reach", "i"]
    /// Words that mark a control column.
    public static let controlWords = ["event", "holiday", "promo", "price", "temperature", "weather", "index", "competitor",
                                      "season", "covid", "discount", "stores", "store", "distribution", "dummy"]
    /// Column names that mark a geo panel's geo column (`data.geo_column`).
    public static let geoWords = ["geo", "geos", "region", "market", "dma", "state", "country", "province", "territory", "area", "city"]
    /// Column names that mark a geo's population (`data.population_column`).
    static let populationWords = ["population", "pop", "households", "geo_population"]
    /// Rows read to decide (all of a typical file).
    public static let sampleRows = 5_000

    /// Reads the header and up to `sampleRows` rows of `path` and guesses the roles.
    public static func guess(path: String, sampleRows: Int = ColumnGuess.sampleRows) throws -> ColumnGuess {
        var settings = MixPlanConfig.DataSection()
        settings.dateColumn = ""
        let dialect = try DialectDetection.detect(file: path, settings: settings) { try CSVReader(path: path, delimiter: $0) }
        var reader = try CSVReader(path: path, delimiter: dialect.delimiter)
        guard try reader.next(), let header = reader.header else {
            throw InputError(InputLocation(file: path), "the file is empty; expected a header row followed by one row per period.")
        }
        try HeaderCheck.validate(header, file: path)
        var columns = [[String]](repeating: [], count: header.count)
        while columns[0].count < sampleRows, try reader.next() {
            guard reader.fieldCount == header.count else {
                throw InputError(InputLocation(file: path, row: reader.row),
                                 "this row has \(reader.fieldCount) fields but the header has \(header.count).")
            }
            for i in header.indices { columns[i].append(reader.field(i)) }
        }
        guard !columns[0].isEmpty else {
            throw InputError(InputLocation(file: path), "the file has a header but no data rows.")
        }
        var guess = ColumnGuess(data: MixPlanConfig.DataSection(), notes: [])
        guess.data.file = URL(fileURLWithPath: path).lastPathComponent
        let dates = try guess.chooseDate(header: header, columns: columns, path: path)
        guess.notes.append("file: \(dialect.layoutDescription)")
        if dialect.delimiter != 0x2C { guess.data.delimiter = MixPlanConfig.Delimiter.allCases.first { $0.byte == dialect.delimiter } ?? .auto }
        if dialect.numbers.decimalMark == 0x2C { guess.data.decimalMark = .comma }
        let profiles = header.indices.filter { header[$0] != guess.data.dateColumn }.map {
            ColumnProfile(index: $0, name: header[$0], cells: columns[$0], format: dialect.numbers)
        }
        guess.assignRoles(profiles, dates: dates, path: path)
        return guess
    }

    /// Picks the date column and its format; returns each row's date for the calendar checks.
    private mutating func chooseDate(header: [String], columns: [[String]], path: String) throws -> [CalendarDate?] {
        let candidates = header.indices.filter { i in
            let cells = columns[i].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            return !cells.isEmpty && cells.allSatisfy { cell in
                [MixPlanConfig.DateFormat.iso, .dayMonthYear, .monthDayYear].contains { CellParsing.date(cell, format: $0) != nil }
            }
        }
        let named = candidates.first { i in ["date", "week", "day", "period", "time"].contains { header[i].lowercased().contains($0) } }
        guard let index = named ?? candidates.first else {
            throw InputError(InputLocation(file: path),
                             "no column holds dates in every row (YYYY-MM-DD, D/M/YYYY or M/D/YYYY), so the date column cannot be guessed.",
                             hint: "Write dates as YYYY-MM-DD, or write the config by hand.")
        }
        data.dateColumn = header[index]
        var detection = DateDetection()
        for (row, cell) in columns[index].enumerated() { detection.add(cell, row: row + 2) }
        do {
            data.dateFormat = try detection.resolve(file: path, column: header[index])
            notes.append("date column: \"\(header[index])\" (every cell is a \(data.dateFormat.pattern) date)")
        } catch let error as InputError {
            data.dateFormat = .auto
            notes.append("date column: \"\(header[index])\" — CHECK: \(error.message) Set data.date_format to d/m/yyyy or m/d/yyyy in the config before fitting.")
        }
        let format = data.dateFormat == .auto ? MixPlanConfig.DateFormat.dayMonthYear : data.dateFormat
        return columns[index].map { CellParsing.date($0, format: format) }
    }

    /// Decides every non-date column's role and writes one note for each.
    private mutating func assignRoles(_ all: [ColumnProfile], dates: [CalendarDate?], path: String) {
        var kept: [ColumnProfile] = []
        for p in all {
            let trimmed = p.name.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("Unnamed:") {
                notes.append("ignored: column \(p.index + 1) \"\(p.name)\" (no name: a row index?)")
            } else if data.geoColumn == nil, Self.geoWords.contains(trimmed.lowercased()) {
                data.geoColumn = p.name
                notes.append("geo column: \"\(p.name)\" (named like a geo: one row per geo and period, a geo panel)")
            } else if data.populationColumn == nil, p.values != nil, Self.populationWords.contains(trimmed.lowercased()) {
                data.populationColumn = p.name
                notes.append("population column: \"\(p.name)\" (named like a population: scales geos of different size)")
            } else if p.values == nil {
                notes.append("ignored: \"\(p.name)\" (text, not numbers, e.g. \"\(p.textExample ?? "")\")")
            } else if p.isCounter {
                notes.append("ignored: \"\(p.name)\" (counts up by one each row: a row index or time counter; model.trend adds a trend)")
            } else if let part = p.calendarPart(of: dates) {
                notes.append("ignored: \"\(p.name)\" (the date's \(part); the model has its own seasonality)")
            } else if p.isConstant {
                notes.append("ignored: \"\(p.name)\" (the same value in every row: it carries no information)")
            } else if let at = kept.firstIndex(where: { $0.values == p.values }) {
                let twin = kept[at]
                let (keep, drop) = Self.preferredTwin(twin, p) ? (twin, p) : (p, twin)
                if keep.index == p.index { kept[at] = p }
                notes.append("ignored: \"\(drop.name)\" (the same values as \"\(keep.name)\", which is kept: \(Self.twinReason(keep, drop)))")
            } else {
                kept.append(p)
            }
        }
        kept.sort { $0.index < $1.index }
        let spendLike = { (p: ColumnProfile) in Self.spendWords.contains { p.named($0) } || p.contains("spend") || p.contains("cost") }
        let exposureLike = { (p: ColumnProfile) in
            !spendLike(p) && (Self.exposureWords.contains { p.named($0) } || p.contains("impression"))
        }
        var spend = kept.filter { spendLike($0) && $0.isNonNegative }
        // Siblings: columns sharing a named channel's family prefix (x1_tv, x2_radio; mdsp_tv, mdsp_radio).
        let families = Set(spend.compactMap(Self.family))
        spend += kept.filter { p in !spend.contains { $0.index == p.index } && !exposureLike(p) && p.isNonNegative
            && Self.family(p).map(families.contains) == true }
        spend.sort { $0.index < $1.index }
        let exposures = kept.filter { exposureLike($0) && $0.isNonNegative }

        // Target: by name, largest when several; else the largest remaining column.
        let media = Set((spend + exposures).map(\.index))
        let eligible = kept.filter { p in !media.contains(p.index) && !Self.notTargetWords.contains { p.named($0) || p.contains($0) } }
        var target: ColumnProfile?
        var reason = ""
        for word in Self.targetWords where target == nil {
            let matches = eligible.filter { $0.named(word) || (word.count > 2 && $0.contains(word)) }
            target = matches.max { $0.magnitude < $1.magnitude }
            if target != nil {
                reason = matches.count > 1 ? "named like \"\(word)\"; the largest of \(matches.map { "\"\($0.name)\"" }.joined(separator: ", "))" : "named like \"\(word)\""
            }
        }
        if target == nil {
            let rest = kept.filter { !media.contains($0.index) && !$0.isIndicator }
            target = rest.max { $0.magnitude < $1.magnitude }
            reason = "CHECK: no column is named like sales, revenue or conversions; this is the largest in magnitude of the numeric columns that are not spend"
        }
        guard let target else {
            notes.append("target: none found — CHECK: no numeric column is left for it; set data.target by hand")
            return
        }
        data.target = target.name
        notes.append("target: \"\(target.name)\" (\(reason))")

        var channels = spend
        if channels.isEmpty && !exposures.isEmpty {
            channels = exposures
            notes.append("channels: \(Self.names(channels)) (named like impressions/GRPs/clicks: exposures, not money, so ROAS and budgets are per exposure unit; add spend columns if you have them)")
        } else if !channels.isEmpty {
            notes.append("channels: \(Self.names(channels)) (named like spend/cost, or sharing a spend column's prefix)")
            let pairs = Self.pairs(spend: channels, exposures: exposures.filter { $0.index != target.index }, taken: kept.map(\.name))
            for p in exposures where p.index != target.index && !pairs.contains(where: { $0.exposure.index == p.index }) {
                notes.append("ignored: \"\(p.name)\" (an exposure measure, like impressions or GRPs, with no spend column of the same stem; the spend columns are the channels)")
            }
            for pair in pairs {
                data.exposures[pair.name] = MixPlanConfig.ExposureChannel(exposureColumn: pair.exposure.name, cost: .spendColumn(pair.spend.name))
                notes.append("channel \"\(pair.name)\": exposures \"\(pair.exposure.name)\" with spend \"\(pair.spend.name)\" (same stem: the response is modelled on the exposures, ROAS and budgets in money at total spend / total exposures)")
            }
            data.channels = channels.map { p in pairs.first { $0.spend.index == p.index }?.name ?? p.name }
        } else {
            channels = kept.filter { p in p.index != target.index && p.isNonNegative && !p.isIndicator
                && !Self.controlWords.contains { p.named($0) || p.contains($0) } }
            notes.append("channels: \(Self.names(channels)) — CHECK: no column is named like spend, cost or impressions, so every non-negative numeric column that is not a 0/1 indicator or named like a control is taken")
        }
        if data.exposures.isEmpty { data.channels = channels.map(\.name) }
        let taken = Set(channels.map(\.index) + exposures.map(\.index) + [target.index])
        let controls = kept.filter { !taken.contains($0.index) }
        data.controls = controls.map(\.name)
        for p in controls {
            let why: String
            if p.isIndicator { why = "a 0/1 indicator" }
            else if Self.controlWords.contains(where: { p.named($0) || p.contains($0) }) { why = "named like a control" }
            else if spendLike(p) { why = "named like spend but has negative values" }
            else { why = "numeric, not named like spend" }
            notes.append("control: \"\(p.name)\" (\(why))")
        }
        if controls.isEmpty { notes.append("controls: none") }
    }

    /// Words that mark a column as a copy of another (`sales_copy`, `tv_old`).
    static let copyWords = ["copy", "dup", "duplicate", "backup", "bak", "old", "orig", "original", "tmp", "temp"]

    /// Of two columns with exactly the same values, whether to keep `a` (the earlier) rather
    /// than `b`: a name without a copy-marking word wins (`sales` over `sales_copy`), then a
    /// name that is itself a role word (`sales`, `spend`), then the shorter name when the other
    /// is built from it (`tv` over `tv_2` or `tv.1`), then the earlier column.
    static func preferredTwin(_ a: ColumnProfile, _ b: ColumnProfile) -> Bool {
        let marked = { (p: ColumnProfile) in copyWords.contains { p.named($0) } }
        if marked(a) != marked(b) { return marked(b) }
        let roleWords = targetWords + spendWords + exposureWords
        let plain = { (p: ColumnProfile) in roleWords.contains(p.key) }
        if plain(a) != plain(b) { return plain(a) }
        if a.key != b.key, b.key.contains(a.key) { return true }
        if a.key != b.key, a.key.contains(b.key) { return false }
        return true
    }

    /// Why `keep` was preferred to its duplicate `drop`, for the printed note.
    static func twinReason(_ keep: ColumnProfile, _ drop: ColumnProfile) -> String {
        if copyWords.contains(where: { drop.named($0) }) && !copyWords.contains(where: { keep.named($0) }) {
            return "\"\(drop.name)\" is named like a copy"
        }
        if (targetWords + spendWords + exposureWords).contains(keep.key) { return "its name is the plain \"\(keep.key)\"" }
        if keep.key != drop.key, drop.key.contains(keep.key) { return "\"\(drop.name)\" is built from its name" }
        return "it comes first"
    }

    /// The name's numbered family — the letters of a prefix such as `x1_` or `ch2_` before the
    /// first `_` (`x` for `x1_tv`) — when the prefix numbers the columns; nil otherwise.
    static func family(_ p: ColumnProfile) -> String? {
        guard let underscore = p.key.firstIndex(of: "_"), underscore != p.key.startIndex else { return nil }
        let prefix = p.key[..<underscore]
        let stem = prefix.filter { !$0.isNumber }
        guard prefix.contains(where: \.isNumber), !stem.isEmpty, stem.count <= 6 else { return nil }
        return String(stem)
    }

    private static func names(_ columns: [ColumnProfile]) -> String {
        columns.isEmpty ? "none" : columns.map(\.name).joined(separator: ", ")
    }
}
