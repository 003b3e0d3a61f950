import MixTestSupport
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
        XCTAssertTrue(guess.notes.contains { $0.contains("ignored: \"comment\" (text, not numbers)") })
    }

    func testMonthDayYearDatesAndRevenueTarget() throws {
        let text = "Week,Revenue,TV Cost,Radio Cost\n1/7/2024,100,5,6\n1/14/2024,120,7,0\n"
        let guess = try ColumnGuess.guess(path: TestSupport.temporaryFile(text))
        XCTAssertEqual(guess.data.dateColumn, "Week")
        XCTAssertEqual(guess.data.dateFormat, .monthDayYear)
        XCTAssertEqual(guess.data.target, "Revenue")
        XCTAssertEqual(guess.data.channels, ["TV Cost", "Radio Cost"])
    }

    func testAColumnWithABadCellIsStillGuessedSoLoadingReportsTheCell() throws {
        let path = Fixtures.url("data/bad/nan.csv").path
        var config = MixPlanConfig()
        config.data = try ColumnGuess.guess(path: path).data
        XCTAssertEqual(config.data.channels, ["tv_spend", "search_spend"])
        config.data.file = path
        let e = TestSupport.inputError { _ = try DatasetLoader().load(config) }
        XCTAssertEqual(e?.location.row, 14)
        XCTAssertEqual(e?.location.column, "search_spend")
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

final class UnnamedColumnTests: XCTestCase {
    func testPandasIndexColumnIsIgnored() throws {
        // pandas' to_csv() writes the row index under an empty header name.
        var text = ",date,tv_spend,sales\n"
        for i in 0..<30 {
            text += "\(i),\(CalendarDate(year: 2024, month: 1, day: 1)!.adding(days: 7 * i)),\(100 + i % 4),\(1000 + 3 * i)\n"
        }
        let path = TestSupport.temporaryFile(text)
        let guess = try ColumnGuess.guess(path: path)
        XCTAssertEqual(guess.data.channels, ["tv_spend"])
        XCTAssertEqual(guess.data.controls, [])
        XCTAssertTrue(guess.notes.contains { $0.contains("ignored: column 1") })
        var config = MixPlanConfig()
        config.data = guess.data
        config.data.file = path
        config.model.yearlySeasonality = 0
        XCTAssertEqual(try DatasetLoader().load(config).dataset.periodCount, 30)
    }
}
