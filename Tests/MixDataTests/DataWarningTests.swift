import MixData
import XCTest

final class DataWarningTests: XCTestCase {
    func testRarelyActiveChannel() throws {
        // tv_spend is non-zero in 2 of 60 periods (3.3 % < 5 %).
        let loaded = try DatasetLoader().load(TestSupport.fixtureConfig("good/rare_channel.csv"))
        XCTAssertEqual(loaded.warnings.count, 1)
        XCTAssertEqual(loaded.warnings.first?.location.column, "tv_spend")
        XCTAssertTrue(loaded.warnings.first?.message.contains("only 2 of 60 periods") ?? false)
    }

    func testSpendAndTargetOnDifferentScales() throws {
        // Sales divided by 10⁷: median spend / median sales ≈ 10⁵ for tv and search.
        let loaded = try DatasetLoader().load(TestSupport.fixtureConfig("good/scale.csv"))
        XCTAssertEqual(loaded.warnings.map { $0.location.column }, ["tv_spend", "search_spend"])
        XCTAssertTrue(loaded.warnings.allSatisfy { $0.message.contains("check the units") })
    }

    func testCollinearAndConstantControls() throws {
        let config = TestSupport.fixtureConfig("good/collinear.csv", controls: ["price", "price2", "store_count"])
        let loaded = try DatasetLoader().load(config)
        XCTAssertEqual(loaded.warnings.count, 2, "\(loaded.warnings)")
        XCTAssertEqual(loaded.warnings[0].location.column, "price")
        XCTAssertTrue(loaded.warnings[0].message.contains("collinear with control \"price2\""))
        XCTAssertEqual(loaded.warnings[1].location.column, "store_count")
        XCTAssertTrue(loaded.warnings[1].message.contains("constant"))
    }

    func testCleanDataHasNoWarnings() throws {
        XCTAssertEqual(try DatasetLoader().load(TestSupport.fixtureConfig("good/daily.csv")).warnings, [])
    }
}

/// `check`'s warning for controls on very different scales (issue 20, point 1).
final class ControlScaleWarningTests: XCTestCase {
    private func dataset(_ controls: [String: [Double]]) -> Dataset {
        let T = 20
        let names = controls.keys.sorted()
        let start = CalendarDate(year: 2024, month: 1, day: 1)!
        return Dataset(dates: (0..<T).map { start.adding(days: 7 * $0) }, frequency: .weekly, channelNames: ["tv"],
                       spend: [(0..<T).map { 100 + Double($0 % 3) * 10 }], controlNames: names, controls: names.map { controls[$0]! },
                       targetName: "sales", target: (0..<T).map { 1000 + Double($0) }, source: "data.csv")
    }

    func testRawCurrencyStoreCountAndFlagAreWarnedOnce() {
        let T = 20
        let data = dataset(["competitor": (0..<T).map { 500_000 + Double($0) * 1_000 },
                            "stores": (0..<T).map { 660 + Double($0 % 4) },
                            "holiday": (0..<T).map { $0 % 10 == 0 ? 1 : 0 }])
        let warnings = DataValidation.warnings(data).filter { $0.message.contains("different scales") }
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertEqual(warnings.first?.location.column, "competitor")
        let message = warnings.first?.message ?? ""
        for part in ["competitor ~509500", "stores ~662", "holiday 0/1", "standardises"] {
            XCTAssertTrue(message.contains(part), "\(part) not in: \(message)")
        }
    }

    func testSimilarScalesAndConstantColumnsAreNotWarned() {
        let T = 20
        let data = dataset(["price": (0..<T).map { 9 + Double($0 % 5) * 0.2 },
                            "index": (0..<T).map { 94 + Double($0 % 3) },
                            "constant": [Double](repeating: 5_000, count: T),
                            "holiday": (0..<T).map { $0 % 10 == 0 ? 1 : 0 }])
        XCTAssertEqual(DataValidation.warnings(data).filter { $0.message.contains("different scales") }, [])
    }
}
