import XCTest
import MixData

/// The one formatter set: digits independent of the locale, grouping every three integer digits,
/// a minus only where the rounded text is not zero.
final class NumberTextTests: XCTestCase {
    func testGroupingAndSigns() {
        XCTAssertEqual(NumberText.grouped(1234567.891, decimals: 2), "1,234,567.89")
        XCTAssertEqual(NumberText.grouped(999.996, decimals: 2), "1,000.00")
        XCTAssertEqual(NumberText.grouped(12, decimals: 0), "12")
        XCTAssertEqual(NumberText.signedGrouped(-1234567.891, decimals: 2), "-1,234,567.89")
        XCTAssertEqual(NumberText.signedGrouped(-0.001, decimals: 2), "0.00", "rounds to zero: no minus")
        XCTAssertEqual(NumberText.signedGrouped(-1234, decimals: 0, minus: "\u{2212}"), "\u{2212}1,234")
        XCTAssertEqual(NumberText.signedGrouped(.infinity, decimals: 2), "inf")
    }

    func testPercent() {
        XCTAssertEqual(NumberText.percent(0.1234), "12.3 %")
        XCTAssertEqual(NumberText.percent(1.5), "150.0 %")
        XCTAssertEqual(NumberText.percent(-0.0004), "0.0 %")
        XCTAssertEqual(NumberText.percent(-0.25, decimals: 0), "-25 %")
        XCTAssertEqual(NumberText.percent(.nan), "nan")
    }
}
