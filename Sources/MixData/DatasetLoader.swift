import Foundation

/// A dataset that passed validation, with the non-fatal findings and a summary for `check`.
public struct LoadedData: Sendable {
    public var dataset: Dataset
    public var warnings: [DataWarning]
    public var summary: DataSummary
    /// How the file was read (delimiter, number and date format), detected or configured.
    public var dialect: CSVDialect = .standard
}

/// Reads the configured columns of a wide CSV (one row per period) into a validated `Dataset`.
///
/// The file is streamed (see `CSVReader`); only the configured columns are kept, as numbers,
/// so memory grows with periods × used columns, and `maxRows` caps that. Every problem is an
/// `InputError` naming file, row (1-based, header = row 1) and column. Checks, in order: the file
/// and its header; the configured columns; each cell as it streams past (field count, date,
/// number, empty, NaN/Inf, negative spend); then the date series (duplicates, order, frequency,
/// gaps) and the whole-series checks of `DataValidation`.
public struct DatasetLoader: Sendable {
    /// Refuse files with more data rows than this (default `Limits.periods`: a model of more
    /// periods would take hours to sample).
    public var maxRows: Int
    /// Bytes read from disk at a time.
    public var chunkSize: Int
    /// Longest single row accepted, in bytes.
    public var maxRowBytes: Int
    /// Called once the header has been read, before the rows; lets a caller observe progress
    /// (tests use it to change the file mid-read).
    public var afterHeader: (@Sendable () -> Void)? = nil

    public init(maxRows: Int = Limits.periods, chunkSize: Int = 1 << 16, maxRowBytes: Int = 1 << 20) {
        self.maxRows = maxRows
        self.chunkSize = chunkSize
        self.maxRowBytes = maxRowBytes
    }

    /// Loads and validates the data file a config names (resolved against the config's folder).
    public func load(_ config: MixPlanConfig) throws -> LoadedData {
        try load(path: config.resolvedDataPath, config: config)
    }

    /// Loads and validates `path` using the columns and model settings of `config`.
    /// A file that changes while it is read (size or modification time) is an error, even when
    /// what was read happens to be valid.
    public func load(path: String, config: MixPlanConfig) throws -> LoadedData {
        let stampBefore = FileStamp(path: path)
        func changed() -> InputError? {
            guard FileStamp(path: path) != stampBefore else { return nil }
            return InputError(InputLocation(file: path),
                              "the file changed while it was being read (its size or modification time moved).",
                              hint: "Something is still writing it; run again once the export has finished.")
        }
        let loaded: LoadedData
        do {
            let open = { (delimiter: UInt8) in
                try CSVReader(path: path, delimiter: delimiter, chunkSize: chunkSize, maxRecordBytes: maxRowBytes)
            }
            let dialect = try DialectDetection.detect(file: path, settings: config.data, open: open)
            loaded = try load(open(dialect.delimiter), dialect: dialect, config: config)
        } catch {
            throw changed() ?? error
        }
        if let error = changed() { throw error }
        return loaded
    }

    /// Loads and validates CSV bytes already in memory; `name` stands for the file in errors.
    public func load(data: Data, name: String, config: MixPlanConfig) throws -> LoadedData {
        let open = { (delimiter: UInt8) in
            CSVReader(data: data, name: name, delimiter: delimiter, chunkSize: chunkSize, maxRecordBytes: maxRowBytes)
        }
        let dialect = try DialectDetection.detect(file: name, settings: config.data, open: open)
        return try load(open(dialect.delimiter), dialect: dialect, config: config)
    }

    private func load(_ source: CSVReader, dialect: CSVDialect, config: MixPlanConfig) throws -> LoadedData {
        if config.data.geoColumn != nil {
            throw InputError(InputLocation(file: config.path.isEmpty ? "config" : config.path, key: "data.geo_column"),
                             "this command reads one national series; geo panels are read by `mixplan check` and `mixplan fit` only so far.",
                             hint: "Use `mixplan fit` for the geo model, or remove data.geo_column and give a national series.")
        }
        let columns = config.data
        var reader = source
        let file = reader.path
        guard try reader.next(), let header = reader.header else {
            throw InputError(InputLocation(file: file), "the file is empty; expected a header row (e.g. date,tv,search,sales) followed by one row per period.")
        }
        try HeaderCheck.validate(header, file: file)
        let layout = try ColumnLayout(header: header, data: columns, file: file)
        afterHeader?()

        var dates: [CalendarDate] = []
        var dateRows: [Int] = []
        var spend = [[Double]](repeating: [], count: layout.channels.count)
        var paid = [Double](repeating: 0, count: layout.channels.count) // total of each spend_column
        var controls = [[Double]](repeating: [], count: layout.controls.count)
        var target: [Double] = []

        while try reader.next() {
            let row = reader.row
            if dates.count >= maxRows {
                throw InputError(InputLocation(file: file, row: row),
                                 "the file has more than \(Limits.grouped(maxRows)) data rows, the most MixPlan fits in one model.",
                                 hint: "The data should have one row per day or week; aggregate finer data (e.g. daily to weekly) or keep the recent years.")
            }
            guard reader.fieldCount == header.count else {
                throw InputError(InputLocation(file: file, row: row),
                                 "this row has \(reader.fieldCount) fields but the header has \(header.count).",
                                 hint: "Check for a missing or extra comma, or a text cell containing a comma that is not in quotes.")
            }
            dates.append(try readDate(reader, index: layout.date, format: dialect.dateFormat, file: file))
            dateRows.append(row)
            for (c, index) in layout.channels.enumerated() {
                let measured = columns.exposures[columns.channels[c]] != nil
                let value = try readNumber(reader, index: index, role: measured ? "exposures" : "spend", format: dialect.numbers, file: file)
                if value < 0 {
                    throw InputError(InputLocation(file: file, row: row, column: header[index]),
                                     measured ? "exposures are negative (\(value)); expected a count ≥ 0."
                                              : "spend is negative (\(value)); expected an amount ≥ 0.",
                                     hint: "Refunds or corrections should be netted out before modelling.")
                }
                spend[c].append(value)
                if let s = layout.spendColumns[c] {
                    paid[c] += try ExposureCosts.readSpend(reader, index: s, exposures: value, exposureColumn: header[index],
                                                           numbers: dialect.numbers, file: file, loader: self)
                }
            }
            for (k, index) in layout.controls.enumerated() {
                controls[k].append(try readNumber(reader, index: index, role: "control", format: dialect.numbers, file: file))
            }
            target.append(try readNumber(reader, index: layout.target, role: "target", format: dialect.numbers, file: file))
        }

        let frequency = try DateSeriesCheck.validate(dates: dates, rows: dateRows, file: file,
                                                     column: columns.dateColumn, config: config)
        let costs = try ExposureCosts.costs(exposures: spend, paid: paid, config: columns, file: file)
        for (c, name) in columns.channels.enumerated() {
            if let cost = costs[name] { spend[c] = spend[c].map { cost.money(exposures: $0) } }
        }
        var dataset = Dataset(dates: dates, frequency: frequency, channelNames: columns.channels, spend: spend,
                              controlNames: columns.controls, controls: controls, targetName: columns.target,
                              target: target, source: file)
        dataset.exposureCosts = costs
        try DataValidation.validate(dataset, config: config)
        return LoadedData(dataset: dataset, warnings: DataValidation.warnings(dataset),
                          summary: DataSummary(dataset), dialect: dialect)
    }

    func readDate(_ reader: CSVReader, index: Int, format: MixPlanConfig.DateFormat, file: String) throws -> CalendarDate {
        if let date = reader.withFieldBytes(index, { CellParsing.date($0, format: format) }) { return date }
        let text = reader.field(index)
        let example = [MixPlanConfig.DateFormat.iso: "2024-01-07", .dayMonthYear: "7/1/2024", .monthDayYear: "1/7/2024"][format] ?? ""
        var hint = "Expected a \(format.pattern) date (e.g. \(example)), the format of the column's other dates or data.date_format."
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            throw InputError(InputLocation(file: file, row: reader.row, column: reader.columnName(index)),
                             "the date cell is empty.", hint: hint)
        }
        // Say which format the cell is in, only naming formats it really reads as.
        let readsAs = MixPlanConfig.DateFormat.allCases.filter { $0 != .auto && $0 != format && CellParsing.date(text, format: $0) != nil }
        if readsAs.count == 1, let other = readsAs.first {
            hint += " This one looks like \(other == .iso ? "an ISO date (YYYY-MM-DD)" : other.pattern); if the whole column is written that way, set data.date_format: \(other.rawValue)."
        } else if readsAs.count > 1 {
            hint += " This one reads as \(readsAs.map(\.pattern).joined(separator: " or ")); if the whole column is written that way, set data.date_format to \(readsAs.map(\.rawValue).joined(separator: " or "))."
        }
        throw InputError(InputLocation(file: file, row: reader.row, column: reader.columnName(index)),
                         "\"\(text)\" is not a valid date.", hint: hint)
    }

    func readNumber(_ reader: CSVReader, index: Int, role: String, format: NumberFormat, file: String) throws -> Double {
        switch reader.withFieldBytes(index, { CellParsing.number($0, format: format) }) {
        case .success(let value):
            return value
        case .failure(let failure):
            let location = InputLocation(file: file, row: reader.row, column: reader.columnName(index))
            switch failure.problem {
            case .empty:
                throw InputError(location, "the \(role) cell is empty; expected a number.",
                                 hint: role == "spend" || role == "exposures" ? "Write 0 for a period with no \(role)." : "Every period needs a value; fill or drop the period.")
            case .notFinite:
                throw InputError(location, "\"\(reader.field(index))\" is not a finite number; expected a real value (NaN, Inf and spreadsheet errors are not allowed).")
            case .notANumber(let hint):
                throw InputError(location, "\"\(reader.field(index))\" is not a number; expected a number such as \(format.decimalMark == 0x2C ? "1234,5" : "1234.5").", hint: hint)
            }
        }
    }
}

extension MixPlanConfig {
    /// `data.file`, resolved against the folder of the config file when relative.
    public var resolvedDataPath: String { resolvedPath(data.file) }

    /// A path from the config (data file, templates folder) resolved against the config's folder.
    public func resolvedPath(_ relative: String) -> String {
        if relative.hasPrefix("/") || path.isEmpty { return relative }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        return folder.appendingPathComponent(relative).standardizedFileURL.path
    }
}

/// Size and modification time of a file, to notice it changing under a reader.
struct FileStamp: Equatable {
    var size: Int64
    var seconds: Int
    var nanoseconds: Int

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        size = Int64(info.st_size)
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
