import Foundation
import MixData
import XCTest

/// "Current spend" covers the same stretch of time whatever the data's frequency (issue 23).
final class CurrentWindowTests: XCTestCase {
    func testTheWindowIsFourWeeksOrTwentyEightDays() throws {
        var o = MixPlanConfig.OptimizerSection()
        XCTAssertEqual(o.currentWindowPeriods(.weekly), 4)
        XCTAssertEqual(o.currentWindowPeriods(.daily), 28)
        XCTAssertEqual(o.currentWindowText(.weekly), "the last 4 weeks")
        XCTAssertEqual(o.currentWindowText(.daily), "the last 28 days")
        o.currentWindowDays = 3 // shorter than a week: still one row of weekly data
        XCTAssertEqual(o.currentWindowPeriods(.weekly), 1)
        XCTAssertEqual(o.currentWindowText(.weekly), "the last week")
        o.currentWindowDays = 56
        XCTAssertEqual(o.currentWindowPeriods(.weekly), 8)
    }

    func testConfigKeyAndOldSavedConfigs() throws {
        let c = try ConfigLoader.parse(yaml: "data:\n  channels: [tv]\noptimizer:\n  current_window_days: 14\n", path: "/tmp/x/mixplan.yaml")
        XCTAssertEqual(c.optimizer.currentWindowDays, 14)
        // A model.json written before the key existed decodes with the default (28 days, which
        // for the weekly data of the time is the 4 periods it used).
        var saved = try JSONSerialization.jsonObject(with: JSONEncoder().encode(MixPlanConfig.OptimizerSection())) as! [String: Any]
        saved.removeValue(forKey: "currentWindowDays")
        let old = try JSONDecoder().decode(MixPlanConfig.OptimizerSection.self, from: JSONSerialization.data(withJSONObject: saved))
        XCTAssertEqual(old.currentWindowDays, 28)
        XCTAssertThrowsError(try ConfigLoader.parse(yaml: "optimizer:\n  current_window_days: 0\n", path: "/tmp/x/mixplan.yaml"))
    }

    /// `Dataset.meanSpend` is the mean of the window's rows (recomputed here by hand), ends before
    /// a holdout when asked, takes every row there is when the window is longer than the data, and
    /// a panel's is each geo's.
    func testMeanSpendIsTheWindowsMeanOnTheNationalSeriesAndEveryGeo() throws {
        let dates = (0..<5).map { CalendarDate(year: 2024, month: 1, day: 1)!.adding(days: 7 * $0) }
        func series(_ spend: [[Double]]) -> Dataset {
            Dataset(dates: dates, frequency: .weekly, channelNames: ["tv", "search"], spend: spend,
                    controlNames: [], controls: [], targetName: "sales", target: [1, 2, 3, 4, 5])
        }
        let north = series([[1, 2, 3, 4, 8], [0, 0, 10, 20, 30]])
        XCTAssertEqual(north.meanSpend(lastPeriods: 2), [(4 + 8) / 2, (20 + 30) / 2])
        XCTAssertEqual(north.meanSpend(lastPeriods: 2, endingAt: 4), [(3 + 4) / 2, (10 + 20) / 2])
        XCTAssertEqual(north.meanSpend(lastPeriods: 99), [18.0 / 5, 60.0 / 5])
        let south = series([[5, 5, 5, 5, 5], [1, 1, 1, 1, 2]])
        let panel = GeoPanel(geoNames: ["north", "south"], geos: [north, south], population: nil)
        XCTAssertEqual(panel.meanSpend(lastPeriods: 2), [north.meanSpend(lastPeriods: 2), [5, 1.5]])
    }
}
