import XCTest
import MixData

final class CalendarDateTests: XCTestCase {
    func testDayNumberRoundTripsOverFourCenturies() {
        // Walk every day from 1900 to 2300 and check the two conversions invert each other
        // and that consecutive day numbers are consecutive calendar days.
        var previous = CalendarDate(year: 1899, month: 12, day: 31)!
        for n in CalendarDate(year: 1900, month: 1, day: 1)!.dayNumber...CalendarDate(year: 2300, month: 12, day: 31)!.dayNumber {
            let d = CalendarDate(dayNumber: n)
            XCTAssertEqual(d.dayNumber, n)
            XCTAssertEqual(previous.dayNumber + 1, n)
            XCTAssertNotNil(CalendarDate(year: d.year, month: d.month, day: d.day))
            previous = d
        }
    }

    func testKnownDates() {
        XCTAssertEqual(CalendarDate(year: 1970, month: 1, day: 1)!.dayNumber, 0)
        XCTAssertEqual(CalendarDate(year: 2000, month: 3, day: 1)!.dayNumber, 11017)
        XCTAssertNil(CalendarDate(year: 2023, month: 2, day: 29))
        XCTAssertNotNil(CalendarDate(year: 2024, month: 2, day: 29))
        XCTAssertEqual(CalendarDate(year: 2024, month: 12, day: 31)!.dayOfYear, 366)
        XCTAssertEqual(CalendarDate(year: 2024, month: 1, day: 7)!.description, "2024-01-07")
    }

    func testISOWeek() {
        // 2021-01-03 is a Sunday in ISO week 2020-W53; 2021-01-04 starts 2021-W01.
        XCTAssertEqual(CalendarDate(year: 2021, month: 1, day: 3)!.isoWeek.year, 2020)
        XCTAssertEqual(CalendarDate(year: 2021, month: 1, day: 3)!.isoWeek.week, 53)
        XCTAssertEqual(CalendarDate(year: 2021, month: 1, day: 4)!.isoWeek.week, 1)
        XCTAssertEqual(CalendarDate(year: 2021, month: 1, day: 4)!.isoWeekday, 1)
        XCTAssertEqual(CalendarDate(year: 2026, month: 11, day: 23)!.isoWeek.week, 48)
    }
}
