import MixTestSupport
import Foundation
import MixData
import XCTest

/// Real spreadsheet exports: delimiters, decimal commas, thousands separators, day-first dates,
/// midnight times and empty trailing rows (issue 23).
final class CSVDialectTests: XCTestCase {
    private let european = NumberFormat(decimalMark: 0x2C, groupSeparators: [.point, .space, .apostrophe])
    private let us = NumberFormat(decimalMark: 0x2E, groupSeparators: [.comma, .space, .apostrophe])

    private func value(_ text: String, _ format: NumberFormat) -> Double? {
        if case .success(let v) = CellParsing.number(text, format: format) { return v }
        return nil
    }

    func testNumbersInEachFormat() {
        XCTAssertEqual(value("1.234,56", european), 1234.56)
        XCTAssertEqual(value("-1.234.567,8", european), -1_234_567.8)
        XCTAssertEqual(value("12,5", european), 12.5)
        XCTAssertEqual(value("1\u{A0}234,5", european), 1234.5) // no-break space, as French Excel writes
        XCTAssertEqual(value("1\u{202F}234", european), 1234)
        XCTAssertEqual(value("0,5e3", european), 500)
        XCTAssertEqual(value("1,234,567.25", us), 1_234_567.25)
        XCTAssertEqual(value("1'234.5", us), 1234.5)
        XCTAssertEqual(value("12345.5", us), 12345.5)
        // Malformed groupings are not numbers: a decimal comma in a decimal-point file, groups
        // of other than three, a separator at either end.
        for bad in ["12,5", "1,23,456", "1,2345", ",123", "123,", "1,234.5.6", "1.234,5"] {
            XCTAssertNil(value(bad, us), bad)
        }
        for bad in ["1.234.5", "12.34,5", "1..234", "1.234.56"] {
            XCTAssertNil(value(bad, european), bad)
        }
        // The plain format keeps refusing separators, with a hint that names the config key.
        guard case .failure(let e) = CellParsing.number("1,234.56"), case .notANumber(let hint) = e.problem else {
            return XCTFail("a thousands separator must not be plain")
        }
        XCTAssertTrue(hint?.contains("data.thousands") ?? false, hint ?? "")
    }

    func testDatesDayFirstMidnightAndAuto() {
        let d = CalendarDate(year: 2023, month: 12, day: 31)
        XCTAssertEqual(CellParsing.date("31/12/2023", format: .dayMonthYear), d)
        XCTAssertEqual(CellParsing.date("31.12.2023", format: .dayMonthYear), d)
        XCTAssertEqual(CellParsing.date("12/31/2023", format: .monthDayYear), d)
        XCTAssertNil(CellParsing.date("31/12/2023", format: .monthDayYear))
        XCTAssertNil(CellParsing.date("31/12-2023", format: .dayMonthYear)) // mixed separators
        for midnight in ["2023-12-31 00:00:00", "2023-12-31 00:00", "2023-12-31T00:00:00", "2023-12-31T00:00:00.000Z"] {
            XCTAssertEqual(CellParsing.date(midnight, format: .iso), d, midnight)
        }
        XCTAssertEqual(CellParsing.date("31/12/2023 00:00:00", format: .dayMonthYear), d)
        for notMidnight in ["2023-12-31 13:00:00", "2023-12-31 00:00:01", "2023-12-31 00", "2023-12-31 "] {
            XCTAssertEqual(CellParsing.date(notMidnight, format: .iso), notMidnight == "2023-12-31 " ? d : nil, notMidnight)
        }
        // auto: ISO, or a slashed date that reads one way only; 3/4/2023 reads both ways.
        XCTAssertEqual(CellParsing.date("2023-12-31", format: .auto), d)
        XCTAssertEqual(CellParsing.date("31/12/2023", format: .auto), d)
        XCTAssertEqual(CellParsing.date("12/31/2023", format: .auto), d)
        XCTAssertNil(CellParsing.date("3/4/2023", format: .auto))
        XCTAssertEqual(CellParsing.date("4/4/2023", format: .auto), CalendarDate(year: 2023, month: 4, day: 4))
    }

    // MARK: - Whole files

    private func config(_ path: String) -> MixPlanConfig {
        var c = MixPlanConfig()
        c.data.file = path
        c.data.target = "sales"
        c.data.channels = ["tv", "search"]
        c.model.yearlySeasonality = 1
        return c
    }

    /// 30 weeks from `start` as a CSV in the given dialect, values with thousands and decimals.
    private func weeklyCSV(start: CalendarDate = CalendarDate(year: 2023, month: 1, day: 2)!, sep: String = ",",
                           date: (CalendarDate) -> String = { $0.description },
                           number: (Int, Int) -> String = { "\($0).\(CSVDialectTests.pad($1))" }) -> String {
        var text = ["date", "tv", "search", "sales"].joined(separator: sep) + "\n"
        for i in 0..<30 {
            let d = start.adding(days: 7 * i)
            text += [date(d), number(1000 + 37 * i, i % 100), number(200 + i, 5), number(25_000 + 101 * i, 25)].joined(separator: sep) + "\n"
        }
        return text
    }

    private func load(_ text: String, _ edit: (inout MixPlanConfig) -> Void = { _ in }) throws -> Dataset {
        var c = config(TestSupport.temporaryFile(text))
        edit(&c)
        return try DatasetLoader().load(c).dataset
    }

    func testSemicolonDecimalCommaPointThousandsAndDayFirstDates() throws {
        let plain = try load(weeklyCSV())
        let pad = Self.pad
        let europe = weeklyCSV(sep: ";", date: { "\(pad($0.day))/\(pad($0.month))/\($0.year)" }, number: { whole, cents in
            let w = whole >= 1000 ? "\(whole / 1000).\(String(format: "%03d", whole % 1000))" : "\(whole)"
            return "\(w),\(pad(cents))"
        })
        XCTAssertTrue(europe.contains("25.101,25")) // the test writes what it means to
        let detected = try load(europe)
        XCTAssertEqual(detected.dates, plain.dates)
        XCTAssertEqual(detected.spend, plain.spend)
        XCTAssertEqual(detected.target, plain.target)
        // The same file with every part named in the config.
        let named = try load(europe) {
            $0.data.delimiter = .semicolon; $0.data.decimalMark = .comma
            $0.data.thousandsSeparator = .point; $0.data.dateFormat = .dayMonthYear
        }
        XCTAssertEqual(named.target, plain.target)
    }

    func testTabDelimitedMidnightTimesAndTrailingEmptyRows() throws {
        let plain = try load(weeklyCSV())
        var text = weeklyCSV(sep: "\t", date: { "\($0) 00:00:00" })
        text += "\t\t\t\n\t\t\t\n\n" // what a spreadsheet writes for empty rows below the data
        let tabbed = try load(text)
        XCTAssertEqual(tabbed.dates, plain.dates)
        XCTAssertEqual(tabbed.target, plain.target)
        let commas = try load(weeklyCSV() + ",,,\n,,,\n")
        XCTAssertEqual(commas.periodCount, 30)
    }

    func testCommaThousandsInQuotedCellsOfACommaFile() throws {
        // Excel's US export: "1,234.50" quoted; no decimal commas anywhere.
        let text = weeklyCSV(number: { whole, cents in
            whole >= 1000 ? "\"\(whole / 1000),\(String(format: "%03d", whole % 1000)).\(Self.pad(cents))\"" : "\(whole).\(Self.pad(cents))"
        })
        XCTAssertEqual(try load(text).target, try load(weeklyCSV()).target)
    }

    func testDayFirstDetectedOnlyWhenSomeDayIsAboveTwelve() throws {
        // Weekly from 2023-01-02: 02/01/2023, 09/01/2023, 16/01/2023 … the 16 shows the day is first.
        let dayFirst = try load(weeklyCSV(date: { "\($0.day)/\($0.month)/\($0.year)" }))
        XCTAssertEqual(dayFirst.dates.first, CalendarDate(year: 2023, month: 1, day: 2))
        let monthFirst = try load(weeklyCSV(date: { "\($0.month)/\($0.day)/\($0.year)" }))
        XCTAssertEqual(monthFirst.dates, dayFirst.dates)
        // Twelve days whose days and months are both ≤ 12: nothing says which part is the day.
        var text = "date,tv,search,sales\n"
        for day in 1...12 { text += "\(day)/3/2023,\(100 + day),50,\(1000 + 7 * day)\n" }
        let e = TestSupport.inputError { _ = try self.load(text) }
        XCTAssertEqual(e?.location.key, "data.date_format")
        XCTAssertEqual(e?.location.column, "date")
        XCTAssertTrue(e?.message.contains("\"1/3/2023\"") ?? false, e?.message ?? "")
        XCTAssertTrue(e?.hint?.contains("d/m/yyyy") ?? false)
        XCTAssertTrue(e?.hint?.contains("m/d/yyyy") ?? false)
        // Named, it loads, and the two names give different dates.
        let named = try DatasetLoader().load(path: TestSupport.temporaryFile(text), config: {
            // One channel, one lag, no seasonality: a model small enough for twelve rows.
            var c = config(""); c.data.dateFormat = .dayMonthYear; c.data.channels = ["tv"]
            c.model.yearlySeasonality = 0; c.model.adstockMaxLag = 1; return c
        }())
        XCTAssertEqual(named.dataset.dates.first, CalendarDate(year: 2023, month: 3, day: 1))
    }

    func testAmbiguousThousandsInASemicolonFileAsksForTheKeys() throws {
        // "1.234" in a ";" file: a European 1234 or a plain 1.234 — nothing in the file says which.
        let text = weeklyCSV(sep: ";", number: { whole, _ in whole >= 1000 ? "\(whole / 1000).\(String(format: "%03d", whole % 1000))" : "\(whole)" })
        let e = TestSupport.inputError { _ = try self.load(text) }
        XCTAssertEqual(e?.location.key, "data.decimal")
        XCTAssertEqual(e?.location.row, 2)
        XCTAssertEqual(e?.location.column, "tv")
        XCTAssertTrue(e?.hint?.contains("data.thousands") ?? false)
        let named = try load(text) { $0.data.thousandsSeparator = .point }
        XCTAssertEqual(named.spend[0][0], 1000)
    }

    func testAStrayDecimalCommaInADecimalPointFileIsStillAnError() throws {
        var text = weeklyCSV()
        text = text.replacingOccurrences(of: "25303.25", with: "\"25303,25\"") // week 4, row 5
        let e = TestSupport.inputError { _ = try self.load(text) }
        XCTAssertEqual(e?.location.row, 5)
        XCTAssertEqual(e?.location.column, "sales")
        XCTAssertTrue(e?.hint?.contains("decimal comma") ?? false, e?.hint ?? "")
    }

    func testConfigKeysAcceptNamesAndSymbols() throws {
        let yaml = """
        data:
          file: data.csv
          channels: [tv]
          delimiter: ";"
          decimal: ","
          thousands: space
          date_format: d/m/yyyy
        """
        let c = try ConfigLoader.parse(yaml: yaml, path: "/tmp/x/mixplan.yaml")
        XCTAssertEqual(c.data.delimiter, .semicolon)
        XCTAssertEqual(c.data.decimalMark, .comma)
        XCTAssertEqual(c.data.thousandsSeparator, .space)
        XCTAssertEqual(c.data.dateFormat, .dayMonthYear)
        let e = TestSupport.inputError { _ = try ConfigLoader.parse(yaml: yaml.replacingOccurrences(of: "space", with: "spaec"), path: "/tmp/x/mixplan.yaml") }
        XCTAssertEqual(e?.location.key, "data.thousands")
        XCTAssertTrue(e?.hint?.contains("space") ?? false)
    }

    /// Issue 23's acceptance: a European Excel export of a bundled sample (";", decimal commas,
    /// "." thousands, dd/mm/yyyy, BOM, CRLF) loads to the same dataset as the original. The export
    /// is made by rewriting the sample's text cell by cell, so its digits are the original's.
    func testEuropeanExportOfTheWeekly5chSampleLoadsToTheSameDataset() throws {
        let sample = Fixtures.sample("weekly-5ch")
        let original = try DatasetLoader().load(ConfigLoader.load(path: sample.appendingPathComponent("mixplan.yaml").path)).dataset
        let lines = try String(contentsOf: sample.appendingPathComponent("data.csv"), encoding: .utf8).split(separator: "\n")
        var export = "\u{FEFF}" + lines[0].replacingOccurrences(of: ",", with: ";") + "\r\n"
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let ymd = cells[0].split(separator: "-")
            let date = "\(ymd[2])/\(ymd[1])/\(ymd[0])"
            export += ([date] + cells.dropFirst().map(Self.european)).joined(separator: ";") + "\r\n"
        }
        XCTAssertTrue(export.contains(".") && export.contains(","), "the export must use both marks")
        var config = try ConfigLoader.load(path: sample.appendingPathComponent("mixplan.yaml").path)
        config.data.dateFormat = .auto // the sample's config says iso; an analyst's export would not
        let loaded = try DatasetLoader().load(path: TestSupport.temporaryFile(export), config: config).dataset
        XCTAssertEqual(loaded.dates, original.dates)
        XCTAssertEqual(loaded.channelNames, original.channelNames)
        XCTAssertEqual(loaded.spend, original.spend) // exact: the same digits, read the same way
        XCTAssertEqual(loaded.controls, original.controls)
        XCTAssertEqual(loaded.target, original.target)
    }

    /// Two digits: 5 → "05".
    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// "-1234567.89" → "-1.234.567,89": "." groups of three, decimal comma.
    static func european(_ cell: String) -> String {
        var text = cell
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var integer = String(parts[0])
        var groups: [String] = []
        while integer.count > 3 {
            groups.insert(String(integer.suffix(3)), at: 0)
            integer.removeLast(3)
        }
        groups.insert(integer, at: 0)
        let fraction = parts.count > 1 ? "," + parts[1] : ""
        return (negative ? "-" : "") + groups.joined(separator: ".") + fraction
    }
}
