import XCTest
import MixReport

/// The number formats, against strings written out by hand.
final class ReportFormatTests: XCTestCase {
    let m = ReportFormat.minus

    func testMoneyGroupsThousandsAndPlacesTheCurrency() {
        let euro = ReportFormat(currency: "€")
        XCTAssertEqual(euro.money(1_234_567.4), "€1,234,567")
        XCTAssertEqual(euro.money(999.5), "€1,000")
        XCTAssertEqual(euro.money(100), "€100")
        XCTAssertEqual(euro.money(45.2), "€45.20")
        XCTAssertEqual(euro.money(-1200), "\(m)€1,200")
        XCTAssertEqual(euro.money(-0.001), "€0", "no negative zero")
        XCTAssertEqual(euro.money(0.004), "€0")
        XCTAssertEqual(euro.money(0.5), "€0.50")
        XCTAssertEqual(euro.money(.nan), "n/a")
        XCTAssertEqual(ReportFormat(currency: "EUR").money(12_345), "12,345 EUR")
        XCTAssertEqual(ReportFormat(currency: "").money(12_345), "12,345")
        XCTAssertEqual(euro.signedMoney(1234), "+€1,234")
        XCTAssertEqual(euro.signedMoney(-1234), "\(m)€1,234")
        XCTAssertEqual(euro.signedMoney(0.001), "±€0")
        XCTAssertEqual(euro.compactMoney(12_345), "€12.3k")
        XCTAssertEqual(euro.compactMoney(-12_345), "\(m)€12.3k")
    }

    func testCompactAmountsKeepAboutThreeFigures() {
        XCTAssertEqual(ReportFormat.compact(0), "0")
        XCTAssertEqual(ReportFormat.compact(4.567), "4.57")
        XCTAssertEqual(ReportFormat.compact(45.67), "45.7")
        XCTAssertEqual(ReportFormat.compact(987.4), "987")
        XCTAssertEqual(ReportFormat.compact(999.6), "1.0k", "rounding carries into the next unit")
        XCTAssertEqual(ReportFormat.compact(1_234), "1.2k")
        XCTAssertEqual(ReportFormat.compact(12_345), "12.3k")
        XCTAssertEqual(ReportFormat.compact(9_800), "9.8k")
        XCTAssertEqual(ReportFormat.compact(123_456), "123k")
        XCTAssertEqual(ReportFormat.compact(99_960), "100k")
        XCTAssertEqual(ReportFormat.compact(999_700), "1.0M")
        XCTAssertEqual(ReportFormat.compact(4_560_000), "4.6M")
        XCTAssertEqual(ReportFormat.compact(1.2e9), "1.2B")
        XCTAssertEqual(ReportFormat.compact(-12_345), "\(m)12.3k")
        XCTAssertEqual(ReportFormat.compact(-0.001), "0", "no negative zero")
        XCTAssertEqual(ReportFormat.compact(9.996), "10.0")
        XCTAssertEqual(ReportFormat.compact(.infinity), "n/a")
        XCTAssertEqual(ReportFormat.signedCompact(1_234), "+1.2k")
        XCTAssertEqual(ReportFormat.signedCompact(-350), "\(m)350")
        XCTAssertEqual(ReportFormat.signedCompact(0), "±0")
    }

    func testIntervalsShowMeanThenBounds() {
        let i = Interval(mean: 12_345, lower: 9_800, upper: 15_100)
        XCTAssertEqual(ReportFormat.interval(i), "12.3k (9.8k\u{2013}15.1k)")
        XCTAssertEqual(ReportFormat.signedInterval(Interval(mean: 1_200, lower: -400, upper: 2_900)),
                       "+1.2k (\(m)400 to +2.9k)")
        XCTAssertEqual(ReportFormat.ratioInterval(Interval(mean: 2.345, lower: 1.8, upper: 12.34)), "2.35 (1.80\u{2013}12.3)")
    }

    func testRatiosPercentagesAndScores() {
        XCTAssertEqual(ReportFormat.ratio(2.345), "2.35")
        XCTAssertEqual(ReportFormat.ratio(14.24), "14.2")
        XCTAssertEqual(ReportFormat.ratio(1234.6), "1,235")
        XCTAssertEqual(ReportFormat.ratio(-0.5), "\(m)0.50")
        XCTAssertEqual(ReportFormat.signedRatio(0.123), "+0.12")
        XCTAssertEqual(ReportFormat.signedRatio(-0.3), "\(m)0.30")
        XCTAssertEqual(ReportFormat.signedRatio(0.001), "±0.00")
        XCTAssertEqual(ReportFormat.percent(0.1234), "12.3 %")
        XCTAssertEqual(ReportFormat.percent(-0.02), "\(m)2.0 %")
        XCTAssertEqual(ReportFormat.signedPercent(0.045), "+4.5 %")
        XCTAssertEqual(ReportFormat.signedPoints(-0.004), "\(m)0.4 pp")
        XCTAssertEqual(ReportFormat.relativeChange(110, from: 100), "+10.0 %")
        XCTAssertEqual(ReportFormat.relativeChange(90, from: 100), "\(m)10.0 %")
        XCTAssertEqual(ReportFormat.relativeChange(5, from: 0), "n/a")
        XCTAssertEqual(ReportFormat.percentLabel(0.94), "94 %")
        XCTAssertEqual(ReportFormat.percentLabel(1.5), "150 %")
        XCTAssertEqual(ReportFormat.percentLabel(0.125), "12.5 %")
        XCTAssertEqual(ReportFormat.score(0.91234), "0.912")
        XCTAssertEqual(ReportFormat.score(-0.5), "\(m)0.500")
        XCTAssertEqual(ReportFormat.signedScore(0.0123), "+0.012")
        XCTAssertEqual(ReportFormat.count(4000), "4,000")
        XCTAssertEqual(ReportFormat.trimmed(1), "1")
        XCTAssertEqual(ReportFormat.trimmed(0.05), "0.05")
    }

    /// Probabilities never claim a certainty a finite posterior cannot show: capped at >99 % and
    /// <1 %, even when every draw agrees.
    func testProbabilities() {
        XCTAssertEqual(ReportFormat.probability(0.874), "87 %")
        XCTAssertEqual(ReportFormat.probability(0.996), ">99 %")
        XCTAssertEqual(ReportFormat.probability(1), ">99 %")
        XCTAssertEqual(ReportFormat.probability(0.004), "<1 %")
        XCTAssertEqual(ReportFormat.probability(0), "<1 %")
        XCTAssertEqual(ReportFormat.probability(0.99), "99 %")
        XCTAssertEqual(ReportFormat.probability(0.01), "1 %")
        XCTAssertEqual(ReportFormat.probability(.nan), "n/a")
    }
}
