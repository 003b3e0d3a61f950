import MixData
import XCTest

final class ColumnGuessTests: XCTestCase {
    func testSpendNamedColumnsBecomeChannels() throws {
        let guess = try ColumnGuess.guess(path: Fixtures.url("data/good/weekly.csv").path)
        XCTAssertEqual(guess.data.file, "weekly.csv")
        XCTAssertEqual(guess.data.dateColumn, "date")
        XCTAssertEqual(guess.data.dateFormat, .iso)
        XCTAssertEqual(guess.data.target, "sales")
        XCTAssertEqual(guess.data.channels, ["tv_spend", "search_spend"])
        XCTAssertEqual(guess.data.controls, ["price"])
        XCTAssertFalse(guess.notes.isEmpty)
    }

    func testPyMCMarketingStyleColumns() throws {
        // date_week, y, x1, x2, event_1, event_2, dayofyear: no spend-like names, so channels are
        // the numeric columns that are not 0/1 indicators or named like controls.
        var text = "date_week,x1,x2,event_1,event_2,dayofyear,y,comment\n"
        for i in 0..<10 {
            let date = CalendarDate(year: 2018, month: 4, day: 2)!.adding(days: 7 * i)
            text += "\(date),\(0.3 + Double(i) / 10),\(i % 3),\(i == 4 ? 1 : 0),0,\(date.dayOfYear),\(5000 + i),note \(i)\n"
        }
        let guess = try ColumnGuess.guess(path: TestSupport.temporaryFile(text))
        XCTAssertEqual(guess.data.dateColumn, "date_week")
        XCTAssertEqual(guess.data.target, "y")
        XCTAssertEqual(guess.data.channels, ["x1", "x2"])
        XCTAssertEqual(guess.data.controls, ["event_1", "event_2", "dayofyear"])
        XCTAssertTrue(guess.notes.contains { $0.contains("ignored: \"comment\"") })
    }

    func testMonthDayYearDatesAndRevenueTarget() throws {
        let text = "Week,Revenue,TV Cost,Radio Cost\n1/7/2024,100,5,6\n1/14/2024,120,7,0\n"
        let guess = try ColumnGuess.guess(path: TestSupport.temporaryFile(text))
        XCTAssertEqual(guess.data.dateColumn, "Week")
        XCTAssertEqual(guess.data.dateFormat, .monthDayYear)
        XCTAssertEqual(guess.data.target, "Revenue")
        XCTAssertEqual(guess.data.channels, ["TV Cost", "Radio Cost"])
    }

    func testNoDateColumn() {
        let path = TestSupport.temporaryFile("a,b\nx,1\ny,2\n")
        let e = TestSupport.inputError { _ = try ColumnGuess.guess(path: path) }
        XCTAssertTrue(e?.message.contains("no column holds dates") ?? false)
    }

    func testGuessedConfigLoadsTheFixture() throws {
        var config = MixPlanConfig()
        config.data = try ColumnGuess.guess(path: Fixtures.url("data/good/weekly.csv").path).data
        config.path = Fixtures.url("data/good/mixplan.yaml").path
        XCTAssertEqual(try DatasetLoader().load(config).dataset.periodCount, 60)
    }
}
