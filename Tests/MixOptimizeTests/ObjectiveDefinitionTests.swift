import XCTest
import MixOptimize
import MixPlanningTestSupport

/// The objectives' definitions recomputed by sorting (the library selects in O(D) instead).
final class ObjectiveDefinitionTests: XCTestCase {
    func testQuantileObjectivesMatchTheirSortedDefinitions() {
        var rng = TestRandom(state: 17)
        for n in [1, 2, 7, 100, 1001] {
            let t = (0..<n).map { _ in rng.normal() }
            let sorted = t.sorted()
            for q in [0.01, 0.05, 0.1, 0.5, 0.93] {
                let h = Double(n - 1) * q, i = Int(h.rounded(.down)), f = h - Double(i)
                let quantile = (1 - f) * sorted[i] + f * sorted[min(i + 1, n - 1)]
                XCTAssertEqual(Objective.valueAtRisk(q: q).value(t), quantile, accuracy: 1e-12)
                let tail = q * Double(n), whole = min(Int(tail.rounded(.down)), n)
                var sum = sorted[0..<whole].reduce(0, +)
                if whole < n { sum += (tail - Double(whole)) * sorted[whole] }
                XCTAssertEqual(Objective.conditionalValueAtRisk(q: q).value(t), sum / tail, accuracy: 1e-12)
            }
            let mean = t.reduce(0, +) / Double(n)
            let sd = (t.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
            XCTAssertEqual(Objective.meanMinusSD(k: 2).value(t), mean - 2 * sd, accuracy: 1e-12)
        }
    }
}
