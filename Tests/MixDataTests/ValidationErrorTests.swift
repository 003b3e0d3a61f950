import MixData
import XCTest

/// One test per validation error of issue 2 point 3: each bad fixture (Tests/Fixtures/data/bad,
/// written by make_fixtures.py) must fail with a message naming the right row and column.
final class ValidationErrorTests: XCTestCase {
    private func error(_ file: String, configure: (inout MixPlanConfig) -> Void = { _ in },
                       line: UInt = #line) -> InputError? {
        var config = TestSupport.fixtureConfig(file)
        configure(&config)
        let error = TestSupport.inputError(line: line) { _ = try DatasetLoader().load(config) }
        if let error {
            XCTAssertTrue(error.description.hasPrefix(config.data.file), "message must start with the file", line: line)
        }
        return error
    }

    private func assertLocation(_ e: InputError?, row: Int?, column: String?, contains text: String,
                                line: UInt = #line) {
        XCTAssertEqual(e?.location.row, row, "row", line: line)
        XCTAssertEqual(e?.location.column, column, "column", line: line)
        XCTAssertTrue(e?.description.contains(text) ?? false, "\(e?.description ?? "nil") should contain \(text)", line: line)
        if let row { XCTAssertTrue(e?.description.contains("row \(row)") ?? false, line: line) }
        if let column { XCTAssertTrue(e?.description.contains("column \"\(column)\"") ?? false, line: line) }
    }

    func testMissingFile() {
        assertLocation(error("bad/does_not_exist.csv"), row: nil, column: nil, contains: "does not exist")
    }

    func testEmptyFile() {
        assertLocation(error("bad/empty.csv"), row: nil, column: nil, contains: "the file is empty")
    }

    func testNoHeader() {
        assertLocation(error("bad/no_header.csv"), row: 1, column: nil, contains: "no header row")
    }

    func testDataInFirstRowWithATextCellIsStillRecognisedAsMissingHeader() {
        var config = TestSupport.fixtureConfig("good/weekly.csv")
        config.data.file = TestSupport.temporaryFile("2023-01-02,100,50,9.99,2000,promo\n2023-01-09,120,40,9.99,2100,none\n")
        let e = TestSupport.inputError { _ = try DatasetLoader().load(config) }
        XCTAssertEqual(e?.location.row, 1)
        XCTAssertTrue(e?.hint?.contains("may lack a header row") ?? false, e?.description ?? "")
    }

    func testDuplicateHeaderNames() {
        assertLocation(error("bad/duplicate_header.csv"), row: 1, column: "tv_spend", contains: "columns 2 and 6")
    }

    func testAbsentColumnSuggestsNearestName() {
        let e = error("bad/misspelt_column.csv")
        assertLocation(e, row: 1, column: "tv_spend", contains: "not in the header")
        XCTAssertEqual(e?.hint, "Did you mean \"tv_spnd\"?")
        XCTAssertEqual(e?.location.key, "data.channels")
    }

    func testSemicolonsDetectedUnlessAnotherDelimiterIsConfigured() throws {
        XCTAssertEqual(try DatasetLoader().load(TestSupport.fixtureConfig("bad/semicolon.csv")).dataset.spend[0][0], 3557.71)
        let e = error("bad/semicolon.csv") { $0.data.delimiter = .comma }
        assertLocation(e, row: 1, column: nil, contains: "semicolon-separated")
        XCTAssertTrue(e?.hint?.contains("data.delimiter") ?? false)
    }

    func testNonNumericCell() {
        assertLocation(error("bad/not_a_number.csv"), row: 5, column: "search_spend", contains: "\"n/a\" is not a number")
    }

    func testThousandsSeparatorsReadUnlessTurnedOff() throws {
        // Detected: the file's decimal mark is "." (9.77, 3557.71), so "," groups thousands.
        let loaded = try DatasetLoader().load(TestSupport.fixtureConfig("bad/thousands.csv"))
        XCTAssertEqual(loaded.dataset.spend[0][5], 1234.56)
        let e = error("bad/thousands.csv") { $0.data.thousandsSeparator = .none }
        assertLocation(e, row: 7, column: "tv_spend", contains: "\"1,234.56\" is not a number")
        XCTAssertTrue(e?.hint?.contains("thousands separators") ?? false)
    }

    func testDecimalComma() {
        let e = error("bad/decimal_comma.csv")
        assertLocation(e, row: 8, column: "price", contains: "\"9,99\" is not a number")
        XCTAssertTrue(e?.hint?.contains("decimal comma") ?? false)
    }

    func testSemicolonInsideACell() {
        let e = error("bad/cell_semicolon.csv")
        assertLocation(e, row: 10, column: "sales", contains: "is not a number")
        XCTAssertTrue(e?.hint?.contains("delimiter") ?? false)
    }

    func testEmptySpendCell() {
        assertLocation(error("bad/empty_spend.csv"), row: 9, column: "tv_spend", contains: "spend cell is empty")
    }

    func testEmptyTargetCell() {
        assertLocation(error("bad/empty_target.csv"), row: 13, column: "sales", contains: "target cell is empty")
    }

    func testNaN() {
        assertLocation(error("bad/nan.csv"), row: 14, column: "search_spend", contains: "not a finite number")
    }

    func testInf() {
        assertLocation(error("bad/inf.csv"), row: 15, column: "sales", contains: "not a finite number")
    }

    func testNegativeSpend() {
        assertLocation(error("bad/negative_spend.csv"), row: 22, column: "search_spend", contains: "spend is negative")
    }

    func testInvalidDate() {
        assertLocation(error("bad/bad_date.csv"), row: 6, column: "date", contains: "\"2023-02-30\" is not a valid date")
    }

    func testDuplicateDates() {
        assertLocation(error("bad/duplicate_date.csv"), row: 17, column: "date", contains: "first at row 16")
    }

    func testDatesOutOfOrderNamesFirstOffendingRow() {
        assertLocation(error("bad/out_of_order.csv"), row: 33, column: "date", contains: "out of order")
    }

    func testGapInWeeklySeries() {
        assertLocation(error("bad/gap.csv"), row: 27, column: "date", contains: "2 weeks missing between 2023-06-19 (row 26)")
    }

    func testIrregularSpacing() {
        assertLocation(error("bad/irregular.csv"), row: 42, column: "date", contains: "is 9 days after")
    }

    func testUnsupportedFrequency() {
        assertLocation(error("bad/monthly.csv"), row: nil, column: "date", contains: "most rows are 30 days apart")
    }

    func testWrongFieldCountNamesRow() {
        assertLocation(error("bad/wrong_field_count.csv"), row: 18, column: nil, contains: "this row has 4 fields but the header has 5")
    }

    func testChannelWithAllZeroSpend() {
        assertLocation(error("bad/zero_channel.csv"), row: nil, column: "search_spend", contains: "zero in every period")
    }

    func testConstantTarget() {
        assertLocation(error("bad/constant_target.csv"), row: nil, column: "sales", contains: "target is constant")
    }

    func testTooFewRowsSaysHowManyAreNeeded() {
        assertLocation(error("bad/too_few_rows.csv"), row: nil, column: nil, contains: "has 20 periods")
        assertLocation(error("bad/too_few_rows.csv"), row: nil, column: nil, contains: "needs at least 26 periods")
    }

    func testInvalidUTF8() {
        assertLocation(error("bad/latin1.csv"), row: 8, column: "sales", contains: "not look like UTF-8")
    }

    func testBinaryFile() {
        assertLocation(error("bad/binary.csv"), row: 2, column: "date", contains: "not look like UTF-8")
    }

    func testFileLargerThanAllowedIsStoppedAtTheRowLimit() {
        // Memory is bounded by the row cap (and the reader's per-row cap, see CSVReaderTests):
        // a loader allowed 40 rows stops at the 41st data row, spreadsheet row 42.
        let config = TestSupport.fixtureConfig("good/weekly.csv")
        let e = TestSupport.inputError { _ = try DatasetLoader(maxRows: 40).load(config) }
        assertLocation(e, row: 42, column: nil, contains: "more than 40 data rows")
    }

    func testColumnConfiguredTwice() {
        let e = error("good/weekly.csv") { $0.data.controls = ["tv_spend"] }
        XCTAssertEqual(e?.location.column, "tv_spend")
        XCTAssertTrue(e?.message.contains("configured twice") ?? false)
    }

    func testNoChannelsConfigured() {
        let e = error("good/weekly.csv") { $0.data.channels = [] }
        XCTAssertEqual(e?.location.key, "data.channels")
    }

    func testHeaderWithoutDataRows() {
        var config = TestSupport.fixtureConfig("good/weekly.csv")
        config.data.file = TestSupport.temporaryFile("date,tv_spend,search_spend,price,sales\r\n")
        let e = TestSupport.inputError { _ = try DatasetLoader().load(config) }
        assertLocation(e, row: nil, column: nil, contains: "has 0 data rows; the model needs at least 26")
    }

    func testFileWithOnlyAByteOrderMarkIsEmpty() {
        var config = TestSupport.fixtureConfig("good/weekly.csv")
        config.data.file = TestSupport.temporaryFile([0xEF, 0xBB, 0xBF])
        let e = TestSupport.inputError { _ = try DatasetLoader().load(config) }
        assertLocation(e, row: nil, column: nil, contains: "the file is empty")
    }

    func testGapInDailySeries() {
        var text = "date,tv_spend,search_spend,price,sales\n"
        for day in 0..<40 where day != 12 {
            let date = CalendarDate(year: 2024, month: 2, day: 20)!.adding(days: day)
            text += "\(date),\(day % 5),\(day % 3 + 1),9.99,\(100 + day)\n"
        }
        var config = TestSupport.fixtureConfig("good/weekly.csv")
        config.data.file = TestSupport.temporaryFile(text)
        let e = TestSupport.inputError { _ = try DatasetLoader().load(config) }
        // Day 12 (2024-03-03) is missing; day 13 is data row 13, spreadsheet row 14.
        assertLocation(e, row: 14, column: "date", contains: "1 day missing between 2024-03-02 (row 13) and 2024-03-04")
    }

    func testISODateWhenMonthDayYearIsConfigured() {
        let e = error("good/weekly.csv") { $0.data.dateFormat = .monthDayYear }
        assertLocation(e, row: 2, column: "date", contains: "\"2023-01-02\" is not a valid date")
        XCTAssertTrue(e?.hint?.contains("looks like an ISO date") ?? false)
    }
}
