import Foundation
import MixData

/// What one fuzz input exercises: the same bytes are read as a CSV (record by record, then as a
/// dataset with columns taken from its own header) and as a config file (YAML).
///
/// Bad input must end in an `InputError` whose message is one line; anything else — another
/// error type, a multi-line message, a crash, a hang — is a finding and stops the run.
enum FuzzTarget {
    /// Limits small enough that a fuzz input exercises them (the defaults are 1 MiB per row
    /// and a million rows; the logic is the same).
    static let loader = DatasetLoader(maxRows: 5_000, chunkSize: 4_096, maxRowBytes: 64 << 10)

    static func run(_ data: Data) {
        expectInputErrorOnly("CSVReader") { try readAllRecords(data) }
        expectInputErrorOnly("DatasetLoader") {
            guard let config = try configFromHeader(data) else { return }
            OutputTargets.summary(try loader.load(data: data, name: "fuzz.csv", config: config))
        }
        expectInputErrorOnly("ConfigLoader") {
            let config = try ConfigLoader.parse(data: data, path: "fuzz.yaml")
            // A config that parses must be usable: its data path resolves and its columns list.
            _ = config.resolvedDataPath
            _ = DataValidation.minimumRows(for: config)
        }
        OutputTargets.run(data)
    }

    /// Reads every record and touches every field, as the loader would.
    static func readAllRecords(_ data: Data) throws {
        var reader = CSVReader(data: data, name: "fuzz.csv", chunkSize: 4_096, maxRecordBytes: 64 << 10)
        var bytes = 0
        while try reader.next() {
            for i in 0..<reader.fieldCount {
                bytes &+= reader.withFieldBytes(i) { $0.count }
                _ = reader.columnName(i)
            }
        }
        _ = bytes
    }

    /// A config naming the input's own columns — first = date, last = target, the rest (up to 8)
    /// channels — so that the loader's cell, date-series and validation checks are reached.
    static func configFromHeader(_ data: Data) throws -> MixPlanConfig? {
        var reader = CSVReader(data: data, name: "fuzz.csv", chunkSize: 4_096, maxRecordBytes: 64 << 10)
        guard try reader.next(), let header = reader.header, header.count >= 3 else { return nil }
        var config = MixPlanConfig()
        config.data.dateColumn = header[0]
        config.data.target = header[header.count - 1]
        config.data.channels = Array(header[1..<min(header.count - 1, 9)])
        config.model.yearlySeasonality = 0
        config.model.adstockMaxLag = 2
        return config
    }

    private static func expectInputErrorOnly(_ stage: String, _ body: () throws -> Void) {
        do {
            try body()
        } catch let error as InputError {
            let text = error.description
            if text.isEmpty || text.contains("\n") || text.contains("\r") {
                fatalError("\(stage): the error message is not one line: \(String(text.prefix(400)).debugDescription)")
            }
        } catch {
            fatalError("\(stage): threw \(type(of: error)) instead of an InputError: \(String(String(describing: error).prefix(400)))")
        }
    }
}
