import Foundation
import MixCharts
import XCTest

/// Axis ranges at the ends of Double: a spend cell of 1e307 once made the tick loop run forever
/// (ticks k·step with k beyond 2⁵³ stop advancing; a domain rounded out to ∞ never ends). Ticks
/// must stay few and finite for any finite range, and such charts must render.
final class ExtremeRangeTests: XCTestCase {
    static let ranges: [(Double, Double)] = [
        (0, 1e307), (0, .greatestFiniteMagnitude), (-.greatestFiniteMagnitude, .greatestFiniteMagnitude),
        (1e307, 1e307 * (1 + 1e-15)), (1e300, 1e300.nextUp), (-1e308, -1e308 * (1 - 1e-12)),
        (1e16, 1e16 + 4), (5e-324, 1e-323), (0, 5e-324), (-1, 1e308),
    ]

    func testTicksAreFewAndFiniteForAnyFiniteRange() {
        var random = SystemRandomNumberGenerator()
        var cases = Self.ranges
        for _ in 0..<2_000 {
            // Random magnitudes across the whole exponent range, random widths down to one ulp.
            let a = Double(sign: Bool.random(using: &random) ? .minus : .plus, exponent: Int.random(in: -1070...1020, using: &random),
                           significand: Double.random(in: 1..<2, using: &random))
            let width = Double.random(in: -60...0, using: &random)
            let b = a + max(abs(a) * pow(2, width), a.ulp)
            if b.isFinite, b > a { cases.append((a, b)) }
        }
        for (lo, hi) in cases {
            for n in [2, 6, 12] {
                let (ticks, step) = niceTicks(lo: lo, hi: hi, maxCount: n)
                XCTAssertTrue(step.isFinite && step > 0, "\(lo)…\(hi): step \(step)")
                XCTAssertLessThanOrEqual(ticks.count, n + 1, "\(lo)…\(hi)")
                XCTAssertTrue(ticks.allSatisfy(\.isFinite), "\(lo)…\(hi)")
            }
            let (a, b) = niceDomain(lo: lo, hi: hi)
            XCTAssertTrue(a.isFinite && b.isFinite && a <= b, "\(lo)…\(hi) → \(a)…\(b)")
        }
    }

    func testChartsOfHugeValuesRenderInBoundedTime() throws {
        let started = Date()
        for value in [1e307, 1.5e308, 1e300] {
            let bars = [AllocationBar(channel: "tv", channelIndex: 0, current: 1_000, optimal: value),
                        AllocationBar(channel: "search", channelIndex: 1, current: value, optimal: 2_000)]
            let chart = try allocationChart(bars)
            XCTAssertFalse(chart.texts.isEmpty)
            XCTAssertTrue(chart.texts.allSatisfy { !$0.text.contains("nan") }, "\(chart.texts.map(\.text))")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
    }
}
