import Foundation
import MixInference
import XCTest

/// The library conveniences around the sampler: array densities, the gradient-buffer contract,
/// the gradient checker, quantiles, and diagnostics that remember the run's settings.
final class LibraryTests: XCTestCase {
    /// N(1, 2²) × N(−3, 0.5²), written with `+=` only: every call adds into the gradient buffer, so
    /// it is right only if the caller zeroes the buffer first (the `LogDensity` contract). Were the
    /// buffer left holding the previous gradient, each leapfrog step would see the sum of all earlier
    /// gradients and the draws would be nowhere near these moments.
    struct AccumulatingNormal: LogDensity {
        var dimension: Int { 2 }
        var parameterNames: [String] { ["a", "b"] }
        mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
            gradient[0] += -(x[0] - 1) / 4
            gradient[1] += -(x[1] + 3) / 0.25
            return -(x[0] - 1) * (x[0] - 1) / 8 - (x[1] + 3) * (x[1] + 3) / 0.5
        }
    }

    /// Means within 4 MCSE; sds within 10 % (ESS ≳ 1,000 gives a relative sd error ≲ 2.2 %).
    func testAccumulatingDensityIsSampledCorrectly() throws {
        let result = try sample(AccumulatingNormal(), settings: SamplerSettings(chains: 4, warmup: 500, draws: 1000, seed: 51))
        for (row, (mean, sd)) in zip(result.summary(), [(1.0, 2.0), (-3, 0.5)]) {
            XCTAssertLessThanOrEqual(abs(row.mean - mean), 4 * row.mcseMean, "\(row.name) mean \(row.mean)")
            XCTAssertEqual(row.sd / sd, 1, accuracy: 0.1, "\(row.name) sd \(row.sd)")
        }
        XCTAssertTrue(GradientCheck(AccumulatingNormal(), at: [0.2, -1]).passes())
    }

    /// The same Gaussian as an array closure samples to the same moments.
    func testArrayDensitySamples() throws {
        let model = ArrayLogDensity(names: ["a", "b"]) { x in
            (-(x[0] - 1) * (x[0] - 1) / 8 - (x[1] + 3) * (x[1] + 3) / 0.5, [-(x[0] - 1) / 4, -(x[1] + 3) / 0.25])
        }
        XCTAssertEqual(model.dimension, 2)
        let rows = try sample(model, settings: SamplerSettings(chains: 4, warmup: 500, draws: 1000, seed: 52)).summary()
        XCTAssertEqual(rows.map(\.name), ["a", "b"])
        XCTAssertLessThanOrEqual(abs(rows[0].mean - 1), 4 * rows[0].mcseMean)
        XCTAssertEqual(rows[1].sd / 0.5, 1, accuracy: 0.1)
    }

    /// A closure returning a gradient of the wrong length yields a non-finite point, not a crash.
    func testArrayDensityWithWrongGradientLengthIsNonFinite() {
        var model = ArrayLogDensity(dimension: 2) { _ in (0, [1]) }
        var g = [0.0, 0.0]
        let value = [0.0, 0.0].withUnsafeBufferPointer { x in g.withUnsafeMutableBufferPointer { model.logDensity(at: x, gradient: $0) } }
        XCTAssertTrue(value.isNaN)
        XCTAssertTrue(g.allSatisfy(\.isNaN))
        XCTAssertEqual(model.parameterNames, ["x[1]", "x[2]"])
    }

    /// The checker passes a right gradient (errors near 1e-10, see `GradientCheck`) and points at
    /// the coordinate of a wrong one: here ∂/∂b is off by a factor 1.01, an error of ~1e-2.
    func testGradientCheckFindsTheWrongCoordinate() {
        let right = ArrayLogDensity(names: ["a", "b", "c"]) { x in
            (sin(x[0]) * x[1] * x[1] + exp(x[2]), [cos(x[0]) * x[1] * x[1], 2 * sin(x[0]) * x[1], exp(x[2])])
        }
        let wrong = ArrayLogDensity(names: ["a", "b", "c"]) { x in
            (sin(x[0]) * x[1] * x[1] + exp(x[2]), [cos(x[0]) * x[1] * x[1], 2.02 * sin(x[0]) * x[1], exp(x[2])])
        }
        let point = [0.7, -1.3, 0.4]
        let good = GradientCheck(right, at: point)
        XCTAssertTrue(good.passes(), "\(good.entries)")
        XCTAssertLessThan(good.worst!.error, 1e-8)
        let bad = GradientCheck(wrong, at: point)
        XCTAssertFalse(bad.passes())
        XCTAssertEqual(bad.worst?.name, "b")
        XCTAssertEqual(bad.entries.filter { $0.error > 1e-5 }.map(\.index), [1])
        XCTAssertEqual(bad.logDensity, sin(0.7) * 1.69 + exp(0.4), accuracy: 1e-12)
    }

    /// Quantiles are NumPy's linear interpolation over all chains' draws: for the values 0…99 in
    /// any order the p-quantile is exactly 99·p (h = 99p, between the ⌊h⌋-th and next value).
    func testSummaryQuantiles() {
        var rng = RandomStream(seed: 5)
        var draws = (0..<100).map(Double.init)
        for i in stride(from: 99, to: 0, by: -1) { draws.swapAt(i, Int(rng.uniform() * Double(i + 1))) }
        let row = QuantitySummary(name: "x", chains: [Array(draws[..<50]), Array(draws[50...])],
                                  quantileProbabilities: [0.05, 0.5, 0.95])
        for p in [0.05, 0.5, 0.95] { XCTAssertEqual(row.quantile(p)!, 99 * p, accuracy: 1e-12) }
        XCTAssertEqual(row.median, row.quantile(0.5))
        XCTAssertNil(row.quantile(0.25))
        let defaults = QuantitySummary(name: "y", chains: [[1, 2, 3, 4], [5, 6, 7, 8]])
        XCTAssertEqual(defaults.quantiles.map(\.probability), QuantitySummary.defaultQuantileProbabilities)
        XCTAssertEqual(defaults.median!, 4.5, accuracy: 1e-12)
    }

    /// `health()` counts tree-depth hits at the run's own maximum depth, per chain: with a tiny fixed
    /// step size every transition runs to the cap of 3.
    func testHealthRemembersTheMaximumTreeDepth() throws {
        var settings = SamplerSettings(chains: 2, warmup: 0, draws: 100, seed: 31)
        settings.maxTreeDepth = 3
        settings.initialStepSize = 0.001
        let result = try sample(ScaledNormal(scales: [1, 1]), settings: settings)
        let health = result.health()
        XCTAssertEqual(health.maxTreeDepth, 3)
        XCTAssertEqual(health.maxTreeDepthHitsPerChain, [100, 100])
        XCTAssertEqual(health.maxTreeDepthHits, 200)
        XCTAssertEqual(health, result.health(maxTreeDepth: 3))
        XCTAssertEqual(health.divergencesPerChain, [0, 0])
        XCTAssertTrue(health.warnings.contains { $0.contains("maximum tree depth 3") }, "\(health.warnings)")
    }

    /// A gradient 10¹² times too large makes every step of useful size blow up the energy, so
    /// warm-up drives the step size below 1e-8: the chain is flagged and the run is not converged.
    /// The same target with its right gradient gets neither.
    func testCollapsedStepSizeIsWarnedAbout() throws {
        let broken = ArrayLogDensity(names: ["x"]) { x in (-x[0] * x[0] / 2, [-1e12 * x[0]]) }
        let settings = SamplerSettings(chains: 2, warmup: 200, draws: 100, seed: 61)
        let result = try sample(broken, settings: settings)
        XCTAssertEqual(result.collapsedStepSizeChains, [0, 1], "step sizes \(result.warmup.map(\.stepSize))")
        let health = result.health()
        XCTAssertFalse(health.converged)
        XCTAssertEqual(health.warnings.filter { $0.contains("step size collapsed") }.count, 2, "\(health.warnings)")

        let fine = try sample(ScaledNormal(scales: [1]), settings: settings)
        XCTAssertEqual(fine.collapsedStepSizeChains, [])
        XCTAssertFalse(fine.health().warnings.contains { $0.contains("collapsed") })
        XCTAssertEqual(fine.health().ebfmi.count, 2)
    }
}
