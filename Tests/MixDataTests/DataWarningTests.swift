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
