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
            text += "\(date),\(0.3 + Double(i) / 10),\(i % 3),\(i == 4 ? 1 : 0),0,\(date.dayOfYear),\(5000 + 7 * (i % 3)),note \(i)\n"
        }
        let guess = try ColumnGuess.guess(path: TestSupport.temporaryFile(text))
        XCTAssertEqual(guess.data.dateColumn, "date_week")
        XCTAssertEqual(guess.data.target, "y")
        XCTAssertEqual(guess.data.channels, ["x1", "x2"])
        // event_2 is 0 in every row and dayofyear is the date's day of the year: both dropped, with why.
        XCTAssertEqual(guess.data.controls, ["event_1"])
        XCTAssertTrue(guess.notes.contains { $0.contains("ignored: \"comment\" (text, not numbers") })
        XCTAssertTrue(guess.notes.contains { $0.contains("ignored: \"event_2\" (the same value in every row") })
        XCTAssertTrue(guess.notes.contains { $0.contains("ignored: \"dayofyear\" (the date's day of year") })
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

/// `init` reads the values, not just the names (issue 20 item 7, issue 23).
final class ColumnGuessFromValuesTests: XCTestCase {
    /// A retailer-style export: `mdsp_` spend and `mdip_` impressions, a row index, calendar
    /// counters, a constant and a duplicated column, a market share next to the sales, and a
    /// spend column written with thousands separators.
    func testRetailerStyleColumns() throws {
        var text = "row,wk_strt_dt,year,month,week_num,mdsp_tv,mdsp_radio,mdip_tv,mdip_radio,store_count,"
            + "market_share,sales,price_index,holiday,sales_copy\n"
        let start = CalendarDate(year: 2021, month: 11, day: 1)!
        for i in 0..<40 {
            let d = start.adding(days: 7 * i)
            let tv = 12_000 + 731 * (i % 7)
            let sales = 1_000_000 + 9_000 * (i % 5) + 100 * i
            let thousands = "\"\(tv / 1000),\(String(format: "%03d", tv % 1000)).50\""
            text += "\(i + 1),\(d),\(d.year),\(d.month),\(d.isoWeek.week),\(thousands),\(3000 + 11 * (i % 3)).25,"
                + "\(900_000 + 7 * i),\(50_000 + 3 * i),660,\(0.1 + Double(i % 4) / 100),\(sales),\(94 + Double(i % 6) / 10),"
                + "\(i % 13 == 0 ? 1 : 0),\(sales)\n"
        }
        let guess = try ColumnGuess.guess(path: TestSupport.temporaryFile(text))
        let notes = guess.notes.joined(separator: "\n")
        XCTAssertEqual(guess.data.dateColumn, "wk_strt_dt")
        XCTAssertEqual(guess.data.target, "sales", notes)
        // mdip_ impressions pair with the mdsp_ spend of the same stem (issue 20 item 8).
        XCTAssertEqual(guess.data.channels, ["tv", "radio"], notes)
        XCTAssertEqual(guess.data.exposures["tv"], MixPlanConfig.ExposureChannel(exposureColumn: "mdip_tv", cost: .spendColumn("mdsp_tv")))
        XCTAssertEqual(guess.data.exposures["radio"], MixPlanConfig.ExposureChannel(exposureColumn: "mdip_radio", cost: .spendColumn("mdsp_radio")))
        XCTAssertTrue(guess.notes.contains { $0.hasPrefix("channel \"tv\": exposures \"mdip_tv\" with spend \"mdsp_tv\"") }, notes)
        XCTAssertEqual(guess.data.controls, ["market_share", "price_index", "holiday"], notes)
        for (column, why) in [("row", "counts up by one"), ("year", "the date's year"), ("month", "the date's month"),
                              ("week_num", "the date's ISO week"),
                              ("store_count", "the same value in every row"), ("sales_copy", "the same values as \"sales\"")] {
            XCTAssertTrue(guess.notes.contains { $0.hasPrefix("ignored: \"\(column)\"") && $0.contains(why) }, "\(column): \(notes)")
        }
        XCTAssertTrue(guess.notes.contains { $0.hasPrefix("target: \"sales\"") })
        // The guess loads: the thousands-separated spend column was read, not dropped as text.
        var config = MixPlanConfig()
        config.data = guess.data
        config.path = TestSupport.temporaryFile(text)
        config.data.file = config.path
        let loaded = try DatasetLoader().load(config).dataset
        // tv's money is its impressions at total spend / total impressions (12 000.5 spent on the
        // first row's 900 000 impressions is the thousands-separated cell, read as a number).
        let tvSpend = (0..<40).map { 12_000.5 + 731 * Double($0 % 7) }.reduce(0, +)
        let tvImpressions = (0..<40).map { 900_000 + 7 * Double($0) }.reduce(0, +)
        let cost = try XCTUnwrap(loaded.exposureCosts["tv"])
        XCTAssertEqual(cost.costPerUnit, tvSpend / tvImpressions, accuracy: 1e-12 * tvSpend / tvImpressions) // 40-term sums: rounding ≤ 40 ulp
        XCTAssertEqual(loaded.spend[0][0], 900_000 * cost.costPerUnit, accuracy: 1e-9)
    }

    /// Of two identical columns the one named like the role is kept, whichever comes first:
    /// `sales_copy` before `sales` used to make `sales_copy` the target (issue 20). The note
    /// names the dropped column, the kept one and why.
    func testDuplicateTargetKeepsTheNameMatchInEitherOrder() throws {
        for order in [["sales", "sales_copy"], ["sales_copy", "sales"]] {
            var text = "date,tv_spend,\(order[0]),radio_spend,\(order[1])\n"
            for i in 0..<30 {
                let sales = 5_000 + 37 * (i % 11) + 3 * i
                text += "2024-01-\(String(format: "%02d", i + 1)),\(100 + 7 * (i % 5)),\(sales),\(40 + 3 * (i % 4)),\(sales)\n"
            }
            let guess = try ColumnGuess.guess(path: TestSupport.temporaryFile(text))
            let notes = guess.notes.joined(separator: "\n")
            XCTAssertEqual(guess.data.target, "sales", "\(order): \(notes)")
            XCTAssertEqual(guess.data.channels, ["tv_spend", "radio_spend"], notes)
            XCTAssertEqual(guess.data.controls, [], notes)
            XCTAssertTrue(guess.notes.contains("ignored: \"sales_copy\" (the same values as \"sales\", which is kept: \"sales_copy\" is named like a copy)"), notes)
            XCTAssertFalse(notes.contains("ignored: \"sales\""), notes)
        }
        // Without a copy word the plainer name wins: `tv` is kept, `tv_2` (built from it) dropped.
        var text = "date,tv_2,tv,sales\n"
        for i in 0..<30 { text += "2024-01-\(String(format: "%02d", i + 1)),\(100 + 7 * (i % 5)),\(100 + 7 * (i % 5)),\(900 + 13 * (i % 7))\n" }
        let guess = try ColumnGuess.guess(path: TestSupport.temporaryFile(text))
        XCTAssertTrue(guess.notes.contains("ignored: \"tv_2\" (the same values as \"tv\", which is kept: \"tv_2\" is built from its name)"),
                      guess.notes.joined(separator: "\n"))
    }

    /// Numbered channel families (`x1_…`, `x2_…`) are channels together; the target is chosen
    /// by magnitude when no name says which column it is.
    func testNumberedFamilyAndTargetByMagnitude() throws {
        var text = "date,x1_Search-Ads,x2_TV,x3_Radio_spend,x4_Email,revenue_share,total\n"
        for i in 0..<30 {
            let d = CalendarDate(year: 2024, month: 1, day: 1)!.adding(days: 7 * i)
            text += "\(d),\(100 + i % 3),\(200 + i % 5),\(50 + i % 2),\(10 + i % 4),\(0.2 + Double(i % 3) / 50),\(50_000 + 37 * (i % 9))\n"
        }
        let guess = try ColumnGuess.guess(path: TestSupport.temporaryFile(text))
        let notes = guess.notes.joined(separator: "\n")
        XCTAssertEqual(guess.data.channels, ["x1_Search-Ads", "x2_TV", "x3_Radio_spend", "x4_Email"], notes)
        XCTAssertEqual(guess.data.target, "total", notes)
        XCTAssertTrue(notes.contains("largest in magnitude"), notes)
        XCTAssertEqual(guess.data.controls, ["revenue_share"], notes)
    }

    /// A European export is read in its own dialect, and `init` writes the keys that say so.
    func testEuropeanExportGuessWritesItsDialect() throws {
        var text = "Datum;TV spend;Radio cost;Umsatz sales\n"
        for i in 0..<20 {
            let d = CalendarDate(year: 2024, month: 1, day: 1)!.adding(days: 7 * i)
            text += "\(d.day).\(d.month).\(d.year);\(1 + i % 3).\(100 + i),5;\(300 + i % 7),25;\(45 + i).000,00\n"
        }
        let guess = try ColumnGuess.guess(path: TestSupport.temporaryFile(text))
        XCTAssertEqual(guess.data.delimiter, .semicolon)
        XCTAssertEqual(guess.data.decimalMark, .comma)
        XCTAssertEqual(guess.data.dateFormat, .dayMonthYear)
        XCTAssertEqual(guess.data.channels, ["TV spend", "Radio cost"])
        XCTAssertEqual(guess.data.target, "Umsatz sales")
        XCTAssertTrue(guess.notes.contains { $0.contains("\";\" delimiter, decimal comma") }, guess.notes.joined(separator: "\n"))
    }
}
