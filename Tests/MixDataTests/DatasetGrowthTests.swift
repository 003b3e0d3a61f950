import MixData
import XCTest

/// Whether this week's data only appended rows to last week's (the warm-start condition).
final class DatasetGrowthTests: XCTestCase {
    private func dataset(_ n: Int, revise: Bool = false) -> Dataset {
        let start = CalendarDate(year: 2024, month: 1, day: 1)!
        let dates = (0..<n).map { start.adding(days: 7 * $0) }
        var tv = (0..<n).map { Double(100 + $0) }
        if revise { tv[2] += 1 }
        return Dataset(dates: dates, frequency: .weekly, channelNames: ["tv"], spend: [tv], controlNames: ["price"],
                       controls: [(0..<n).map { 1 + 0.1 * Double($0) }], targetName: "sales",
                       target: (0..<n).map { 1000 + Double($0) }, source: "data.csv")
    }

    func testAppendedRowsAreGrowth() {
        XCTAssertEqual(dataset(10).growth(since: dataset(8)), .grew(added: 2))
        XCTAssertEqual(dataset(8).growth(since: dataset(8)), .grew(added: 0))
    }

    func testRevisionsShrinkingAndNewColumnsAreNot() {
        XCTAssertEqual(dataset(10, revise: true).growth(since: dataset(8)), .changed("earlier spend of tv was revised"))
        XCTAssertEqual(dataset(7).growth(since: dataset(8)), .changed("the data has fewer periods than before"))
        var renamed = dataset(10)
        renamed.channelNames = ["television"]
        XCTAssertEqual(renamed.growth(since: dataset(8)), .changed("the channels changed"))
    }
}
