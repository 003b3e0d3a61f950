import Foundation

/// A validated geo panel (DESIGN.md §9): one `Dataset` per geo, all on the same period grid.
///
/// Built from a long CSV with one row per geo × period (`data.geo_column`). Every geo has every
/// period exactly once, a target that is not zero throughout, and (with `data.population_column`)
/// a positive population. A channel may be dark in some geos — that is how regional media plans
/// look — and such cells are listed in `inactiveCells`; the model gives them no effect.
public struct GeoPanel: Sendable {
    /// Geo names, in order of first appearance in the file.
    public var geoNames: [String]
    /// Per geo, its series (dates, channels and controls identical across geos).
    public var geos: [Dataset]
    /// Per geo, its mean population over the rows when `data.population_column` is set.
    public var population: [Double]?
    /// (geo, channel) index pairs whose spend is zero in every period.
    public var inactiveCells: [(geo: Int, channel: Int)]

    public init(geoNames: [String], geos: [Dataset], population: [Double]?) {
        self.geoNames = geoNames
        self.geos = geos
        self.population = population
        var cells: [(Int, Int)] = []
        for (g, d) in geos.enumerated() {
            for c in 0..<d.channelCount where d.spend[c].allSatisfy({ $0 == 0 }) { cells.append((g, c)) }
        }
        inactiveCells = cells
    }

    public var geoCount: Int { geos.count }
    public var periodCount: Int { geos.first?.periodCount ?? 0 }
    public var channelNames: [String] { geos.first?.channelNames ?? [] }
    public var dates: [CalendarDate] { geos.first?.dates ?? [] }

    /// The national series: spend, target (and controls) summed over geos, as a `Dataset`.
    public var national: Dataset {
        var out = geos[0]
        for d in geos.dropFirst() {
            for c in out.spend.indices { for t in out.spend[c].indices { out.spend[c][t] += d.spend[c][t] } }
            for k in out.controls.indices { for t in out.controls[k].indices { out.controls[k][t] += d.controls[k][t] } }
            for t in out.target.indices { out.target[t] += d.target[t] }
        }
        return out
    }

    /// One line per geo × channel that never spends, for `check` and `fit` to report.
    public var inactiveDescriptions: [String] {
        inactiveCells.map { "channel \"\(channelNames[$0.channel])\" has no spend in geo \"\(geoNames[$0.geo])\"; it gets no effect there." }
    }

    /// The first `count` periods of every geo.
    public func prefix(_ count: Int) -> GeoPanel {
        GeoPanel(geoNames: geoNames, geos: geos.map { $0.prefix(count) }, population: population)
    }
}

extension DatasetLoader {
    /// Loads and validates the long panel CSV a config with `data.geo_column` names. Errors name
    /// file, row, column, geo and period: duplicate geo × period rows, periods missing in a geo,
    /// a geo whose target is zero throughout, a missing or non-positive population.
    public func loadPanel(_ config: MixPlanConfig) throws -> GeoPanel {
        let path = config.resolvedDataPath
        let open = { (delimiter: UInt8) in
            try CSVReader(path: path, delimiter: delimiter, chunkSize: chunkSize, maxRecordBytes: maxRowBytes)
        }
        let dialect = try DialectDetection.detect(file: path, settings: config.data, open: open)
        return try loadPanel(open(dialect.delimiter), dialect: dialect, config: config)
    }

    /// The same from CSV bytes in memory; `name` stands for the file in errors.
    public func loadPanel(data: Data, name: String, config: MixPlanConfig) throws -> GeoPanel {
        let open = { (delimiter: UInt8) in
            CSVReader(data: data, name: name, delimiter: delimiter, chunkSize: chunkSize, maxRecordBytes: maxRowBytes)
        }
        let dialect = try DialectDetection.detect(file: name, settings: config.data, open: open)
        return try loadPanel(open(dialect.delimiter), dialect: dialect, config: config)
    }

    private func loadPanel(_ source: CSVReader, dialect: CSVDialect, config: MixPlanConfig) throws -> GeoPanel {
        let columns = config.data
        guard let geoColumn = columns.geoColumn else {
            throw InputError(InputLocation(file: config.path, key: "data.geo_column"), "a panel needs data.geo_column, the column naming each row's geo.")
        }
        if let name = columns.channels.first(where: { columns.exposures[$0] != nil }) {
            throw InputError(InputLocation(file: config.path, key: "data.channels.\(name)"),
                             "channels measured in exposures are read from national series only so far; geo panels need spend columns.",
                             hint: "List the channel's spend column in data.channels for the geo model.")
        }
        var reader = source
        let file = reader.path
        guard try reader.next(), let header = reader.header else {
            throw InputError(InputLocation(file: file), "the file is empty; expected a header row (e.g. date,geo,tv,search,sales) followed by one row per geo and period.")
        }
        try HeaderCheck.validate(header, file: file)
        let layout = try ColumnLayout(header: header, data: columns, file: file)
        func index(_ name: String, key: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else {
                throw InputError(InputLocation(file: file, row: 1, column: name, key: key), "the configured column \"\(name)\" (\(key)) is not in the header.",
                                 hint: NameSuggestion.didYouMean(name, in: header) ?? "The header has: \(header.joined(separator: ", ")).")
            }
            let used = [layout.date, layout.target] + layout.channels + layout.controls
            if used.contains(i) {
                throw InputError(InputLocation(file: file, column: name, key: key), "the column already has another role; each column can have one role only.")
            }
            return i
        }
        let geoIndex = try index(geoColumn, key: "data.geo_column")
        let popIndex = try columns.populationColumn.map { try index($0, key: "data.population_column") }

        struct Row { var line: Int; var date: CalendarDate; var spend: [Double]; var controls: [Double]; var target: Double; var population: Double? }
        var order: [String] = []
        var byGeo: [String: [Row]] = [:]
        var rowCount = 0
        while try reader.next() {
            let line = reader.row
            rowCount += 1
            if rowCount > maxRows * 200 {
                throw InputError(InputLocation(file: file, row: line), "the panel has more than \(Limits.grouped(maxRows * 200)) rows, the most MixPlan fits in one model.")
            }
            guard reader.fieldCount == header.count else {
                throw InputError(InputLocation(file: file, row: line), "this row has \(reader.fieldCount) fields but the header has \(header.count).",
                                 hint: "Check for a missing or extra comma, or a text cell containing a comma that is not in quotes.")
            }
            let geo = reader.field(geoIndex).trimmingCharacters(in: .whitespaces)
            guard !geo.isEmpty else {
                throw InputError(InputLocation(file: file, row: line, column: geoColumn), "the geo cell is empty; every row needs the name of its geo.")
            }
            let date = try readDate(reader, index: layout.date, format: dialect.dateFormat, file: file)
            var spend: [Double] = []
            for i in layout.channels {
                let value = try readNumber(reader, index: i, role: "spend", format: dialect.numbers, file: file)
                if value < 0 {
                    throw InputError(InputLocation(file: file, row: line, column: header[i]), "spend is negative (\(value)) in geo \"\(geo)\", period \(date); expected an amount ≥ 0.")
                }
                spend.append(value)
            }
            let controls = try layout.controls.map { try readNumber(reader, index: $0, role: "control", format: dialect.numbers, file: file) }
            let target = try readNumber(reader, index: layout.target, role: "target", format: dialect.numbers, file: file)
            var population: Double?
            if let popIndex {
                let p = try readNumber(reader, index: popIndex, role: "population", format: dialect.numbers, file: file)
                guard p > 0 else {
                    throw InputError(InputLocation(file: file, row: line, column: header[popIndex]), "the population of geo \"\(geo)\" in period \(date) is \(p); expected a positive number.")
                }
                population = p
            }
            if byGeo[geo] == nil { order.append(geo) }
            byGeo[geo, default: []].append(Row(line: line, date: date, spend: spend, controls: controls, target: target, population: population))
        }
        guard !order.isEmpty else {
            throw InputError(InputLocation(file: file), "the file has a header but no data rows; expected one row per geo and period.")
        }
        // The period grid: every date any geo has, which must form a regular series.
        var firstRow: [CalendarDate: Int] = [:]
        for geo in order { for r in byGeo[geo]! where firstRow[r.date].map({ r.line < $0 }) ?? true { firstRow[r.date] = r.line } }
        let grid = firstRow.keys.sorted()
        let frequency = try DateSeriesCheck.validate(dates: grid, rows: grid.map { firstRow[$0]! }, file: file,
                                                     column: columns.dateColumn, config: config)
        var datasets: [Dataset] = []
        var population: [Double] = []
        for geo in order {
            var rows = byGeo[geo]!
            rows.sort { $0.date != $1.date ? $0.date < $1.date : $0.line < $1.line }
            for i in rows.indices.dropFirst() where rows[i].date == rows[i - 1].date {
                let (a, b) = (min(rows[i].line, rows[i - 1].line), max(rows[i].line, rows[i - 1].line))
                throw InputError(InputLocation(file: file, row: b, column: columns.dateColumn),
                                 "geo \"\(geo)\" has period \(rows[i].date) twice (rows \(a) and \(b)); each geo × period must appear once.",
                                 hint: "Aggregate duplicate rows (e.g. sum the spend) before loading.")
            }
            if rows.count < grid.count {
                let have = Set(rows.map(\.date))
                let missing = grid.filter { !have.contains($0) }
                let listed = missing.prefix(3).map(\.description).joined(separator: ", ") + (missing.count > 3 ? ", …" : "")
                throw InputError(InputLocation(file: file, column: columns.dateColumn),
                                 "geo \"\(geo)\" is missing \(missing.count) period\(missing.count == 1 ? "" : "s") that other geos have (\(listed)); every geo needs every period.",
                                 hint: "Add the missing rows (with 0 spend if nothing ran), or drop the geo.")
            }
            if rows.allSatisfy({ $0.target == 0 }) {
                throw InputError(InputLocation(file: file, column: columns.target),
                                 "geo \"\(geo)\" has a target of 0 in every period (rows \(rows.first!.line)–\(rows.last!.line)); the model cannot scale or explain it.",
                                 hint: "Drop the geo, or check that its target was exported.")
            }
            if popIndex != nil { population.append(rows.reduce(0) { $0 + $1.population! } / Double(rows.count)) }
            datasets.append(Dataset(dates: grid, frequency: frequency, channelNames: columns.channels,
                                    spend: columns.channels.indices.map { c in rows.map { $0.spend[c] } },
                                    controlNames: columns.controls,
                                    controls: columns.controls.indices.map { k in rows.map { $0.controls[k] } },
                                    targetName: columns.target, target: rows.map(\.target), source: file))
        }
        let panel = GeoPanel(geoNames: order, geos: datasets, population: popIndex == nil ? nil : population)
        for (c, name) in columns.channels.enumerated() where panel.inactiveCells.filter({ $0.channel == c }).count == order.count {
            throw InputError(InputLocation(file: file, column: name), "channel spend is zero in every geo and period, so its effect cannot be estimated.")
        }
        return panel
    }
}
