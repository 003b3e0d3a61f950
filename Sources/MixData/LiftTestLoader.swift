import Foundation

/// Reads lift tests from a CSV file or from the config's `calibration.lift_tests` list and checks
/// them against the configured channels.
///
/// CSV columns (header names, any order): `channel`, `x`, `delta_x`, `delta_y`, `sigma`, and
/// optionally `start`, `end` (dates in the config's `data.date_format`) and `name`. Every problem
/// is an `InputError` naming the file, row and column.
public enum LiftTestLoader {
    static let required = ["channel", "x", "delta_x", "delta_y", "sigma"]
    static let optional = ["start", "end", "name"]

    /// Every lift test the config names: the file in `calibration.lift_tests_file` (resolved
    /// against the config's folder) followed by the inline `calibration.lift_tests`.
    public static func load(config: MixPlanConfig) throws -> [LiftTest] {
        var tests: [LiftTest] = []
        if let file = config.calibration.liftTestsFile {
            tests += try load(path: config.resolvedPath(file), dateFormat: config.data.dateFormat)
        }
        tests += config.calibration.liftTests
        try check(tests, channels: config.data.channels, file: config.path)
        return tests
    }

    /// Reads a lift-test CSV. Channel names are checked by `check(_:channels:file:)`.
    public static func load(path: String, dateFormat: MixPlanConfig.DateFormat = .iso) throws -> [LiftTest] {
        var reader = try CSVReader(path: path)
        guard try reader.next() else { throw InputError(InputLocation(file: path), "is empty; expected a header row with \(required.joined(separator: ", ")).") }
        let header = reader.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for (i, name) in header.enumerated() where !(required + optional).contains(name) {
            throw InputError(InputLocation(file: path, row: 1, column: reader.field(i)), "is not a lift-test column.",
                             hint: (NameSuggestion.didYouMean(name, in: required + optional).map { $0 + " " } ?? "")
                                 + "Columns: \(required.joined(separator: ", ")) and optionally \(optional.joined(separator: ", ")).")
        }
        for name in required where !header.contains(name) {
            throw InputError(InputLocation(file: path, row: 1), "has no \"\(name)\" column.",
                             hint: "A lift-test file needs the columns \(required.joined(separator: ", ")).")
        }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var tests: [LiftTest] = []
        while try reader.next() {
            let row = reader.row
            func text(_ name: String) -> String? {
                guard let i = column[name], i < reader.fieldCount else { return nil }
                let value = reader.field(i).trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : value
            }
            func number(_ name: String) throws -> Double {
                let location = InputLocation(file: path, row: row, column: name)
                guard let value = text(name) else { throw InputError(location, "is empty; expected a number.") }
                switch CellParsing.number(value) {
                case .success(let v): return v
                case .failure: throw InputError(location, "expected a number, found \"\(value)\".")
                }
            }
            func date(_ name: String) throws -> CalendarDate? {
                guard let value = text(name) else { return nil }
                guard let d = CellParsing.date(value, format: dateFormat) else {
                    throw InputError(InputLocation(file: path, row: row, column: name),
                                     "expected a date in the \(dateFormat.rawValue) format, found \"\(value)\".")
                }
                return d
            }
            guard let channel = text("channel") else {
                throw InputError(InputLocation(file: path, row: row, column: "channel"), "is empty; expected a channel name.")
            }
            let test = LiftTest(channel: channel, spend: try number("x"), spendChange: try number("delta_x"),
                                targetChange: try number("delta_y"), standardError: try number("sigma"),
                                start: try date("start"), end: try date("end"), source: "\(path), row \(row)")
            if let problem = test.problem { throw InputError(InputLocation(file: path, row: row), problem + ".") }
            if let s = test.start, let e = test.end, e < s {
                throw InputError(InputLocation(file: path, row: row, column: "end"), "the test ends (\(e)) before it starts (\(s)).")
            }
            tests.append(test)
        }
        return tests
    }

    /// Checks every test's numbers and that it names a configured channel.
    public static func check(_ tests: [LiftTest], channels: [String], file: String) throws {
        for test in tests {
            let location = InputLocation(file: file, key: "calibration")
            let at = test.source.isEmpty ? "" : " (\(test.source))"
            if let problem = test.problem { throw InputError(location, "lift test\(at): \(problem).") }
            guard channels.contains(test.channel) else {
                throw InputError(location, "lift test\(at) is for \"\(test.channel)\", which is not in data.channels.",
                                 hint: NameSuggestion.didYouMean(test.channel, in: channels) ?? "Configured channels: \(channels.joined(separator: ", ")).")
            }
        }
    }
}
