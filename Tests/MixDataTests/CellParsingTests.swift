import MixData
import XCTest

final class CellParsingTests: XCTestCase {
    func testPlainNumbers() {
        for (text, value) in [("0", 0.0), ("1234.5", 1234.5), (" -2.5e3 ", -2500), ("+7", 7), (".5", 0.5), ("1E-3", 0.001)] {
            XCTAssertEqual(try CellParsing.number(text).get(), value, text)
        }
    }

    func testProblems() {
        XCTAssertEqual(CellParsing.number("  ").failureProblem, .empty)
        for text in ["NaN", "nan", "inf", "-Infinity", "1e999", "#DIV/0!", "#N/A"] {
            XCTAssertEqual(CellParsing.number(text).failureProblem, .notFinite, text)
        }
        XCTAssertTrue(CellParsing.number("1,234.56").hint?.contains("thousands separators") ?? false)
        XCTAssertTrue(CellParsing.number("12,345").hint?.contains("thousands separators") ?? false)
        XCTAssertTrue(CellParsing.number("9,99").hint?.contains("decimal comma") ?? false)
        XCTAssertTrue(CellParsing.number("12;5").hint?.contains("delimiter") ?? false)
        XCTAssertTrue(CellParsing.number("$12").hint?.contains("currency") ?? false)
        XCTAssertEqual(CellParsing.number("0x1p3").failureProblem, .notANumber(hint: nil))
        XCTAssertEqual(CellParsing.number("1.2.3").failureProblem, .notANumber(hint: nil))
    }

    func testISODates() {
        XCTAssertEqual(CellParsing.date("2024-02-29", format: .iso), CalendarDate(year: 2024, month: 2, day: 29))
        XCTAssertEqual(CellParsing.date(" 2024-01-07 ", format: .iso), CalendarDate(year: 2024, month: 1, day: 7))
        // A midnight time is how spreadsheets export a date; any other time is not a date.
        XCTAssertEqual(CellParsing.date("2024-01-07T00:00", format: .iso), CalendarDate(year: 2024, month: 1, day: 7))
        for bad in ["2023-02-29", "2024-1-07", "24-01-07", "2024-01-07T12:00", "1/7/2024", "", "2024/01/07"] {
            XCTAssertNil(CellParsing.date(bad, format: .iso), bad)
        }
    }

    func testMonthDayYearDates() {
        XCTAssertEqual(CellParsing.date("1/7/2024", format: .monthDayYear), CalendarDate(year: 2024, month: 1, day: 7))
        XCTAssertEqual(CellParsing.date("12/31/2023", format: .monthDayYear), CalendarDate(year: 2023, month: 12, day: 31))
        for bad in ["13/1/2024", "2/30/2024", "1/7/24", "2024-01-07", "1-7-2024"] {
            XCTAssertNil(CellParsing.date(bad, format: .monthDayYear), bad)
        }
    }
}

private extension Result where Failure == NumberProblemError {
    var failureProblem: CellParsing.NumberProblem? {
        if case .failure(let e) = self { return e.problem }
        return nil
    }
    var hint: String? {
        if case .failure(let e) = self, case .notANumber(let hint) = e.problem { return hint }
        return nil
    }
}

final class NumberFastPathTests: XCTestCase {
    func testFastPathAgreesWithStrtodBitForBit() {
        // The fast path (≤ 15 digits) must give exactly what Swift's Double(String) (strtod)
        // gives; compare bit patterns over random decimals of every length and scale.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 11 }
        for _ in 0..<20_000 {
            let digits = Int(next() % 15) + 1
            var text = String(next() % 1_000_000_000_000_000)
            text = String(text.prefix(digits))
            let point = Int(next() % UInt64(digits + 1))
            if point < text.count { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
            if next() % 2 == 0 { text = "-" + text }
            let expected = Double(text)!
            XCTAssertEqual(try CellParsing.number(text).get().bitPattern, expected.bitPattern, text)
        }
        // Longer inputs go through strtod.
        XCTAssertEqual(try CellParsing.number("0.1000000000000000055511151231257827").get(), 0.1)
        XCTAssertEqual(try CellParsing.number("12345678901234567890").get(), 12345678901234567890.0)
    }
}
