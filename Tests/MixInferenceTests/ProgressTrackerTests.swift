import XCTest
import MixInference

/// The fit's progress line: monotone over chains that start at different times, phase from
/// the reports, and divergences counted after warm-up only.
final class ProgressTrackerTests: XCTestCase {
    func testFractionNeverGoesBackAndWarmupDivergencesAreNotCounted() {
        var t = ProgressTracker(chains: 2)
        var seen: [Double] = []
        func report(_ chain: Int, _ i: Int, warmup: Bool, divergences: Int, at now: Double) {
            t.record(SamplingProgress(chain: chain, iteration: i, totalIterations: 200, isWarmup: warmup, divergences: divergences), now: now)
            seen.append(t.fraction)
        }
        // Chain 0 races ahead through warm-up (with 30 divergences there), chain 1 starts late.
        report(0, 90, warmup: true, divergences: 30, at: 1)
        XCTAssertEqual(t.phase, "warm-up")
        report(0, 180, warmup: false, divergences: 31, at: 2)
        report(1, 10, warmup: true, divergences: 5, at: 3)
        XCTAssertEqual(t.phase, "warm-up", "one chain still adapting")
        report(1, 150, warmup: false, divergences: 5, at: 4)
        report(0, 200, warmup: false, divergences: 33, at: 5)
        report(1, 200, warmup: false, divergences: 7, at: 6)
        XCTAssertEqual(seen, seen.sorted(), "never backwards")
        XCTAssertEqual(seen.first!, 90.0 / 400, accuracy: 1e-15)
        XCTAssertEqual(t.fraction, 1)
        XCTAssertEqual(t.phase, "sampling")
        // Chain 0: 33 − 30 after warm-up; chain 1: 7 − 5.
        XCTAssertEqual(t.divergencesAfterWarmup, 5)
        XCTAssertEqual(t.secondsLeft ?? -1, 0, accuracy: 1e-12)
        XCTAssertTrue(t.line.hasPrefix("sampling 100 %"), t.line)
    }

    func testTimeLeftFromThePaceSoFar() {
        var t = ProgressTracker(chains: 1)
        XCTAssertNil(t.secondsLeft)
        t.record(SamplingProgress(chain: 0, iteration: 10, totalIterations: 100, isWarmup: true, divergences: 0), now: 100)
        t.record(SamplingProgress(chain: 0, iteration: 25, totalIterations: 100, isWarmup: true, divergences: 0), now: 110)
        // 25 % done in 10 s (from the first report) → 30 s left.
        XCTAssertEqual(t.secondsLeft!, 30, accuracy: 1e-9)
        XCTAssertTrue(t.line.contains("ETA 0:30"), t.line)
    }
}
