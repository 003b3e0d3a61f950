import Foundation
import MixInference
import XCTest

/// `MetricAdaptation.drawAndGradientVariance`: what it learns, that it changes only warm-up's
/// cost and not the posterior, and where it defers to Stan's adaptation. The learnt scales are
/// checked in `SamplerTests`, the posteriordb comparisons in `ReferenceModelTests`, exact moments
/// in `ExactMomentTests`.
final class GradientAdaptationTests: XCTestCase {
    func settings(chains: Int = 2, warmup: Int = 1000, draws: Int = 200, seed: UInt64,
                  _ adaptation: MetricAdaptation = .drawAndGradientVariance) -> SamplerSettings {
        var settings = SamplerSettings(chains: chains, warmup: warmup, draws: draws, seed: seed)
        settings.metricAdaptation = adaptation
        return settings
    }

    /// Scales 10⁻² to 10² (a 10⁸ range of variances): the gradients give the scales within a few
    /// dozen iterations, where Stan's first windows sample on a rough estimate from 15 draws at
    /// small step sizes. Warm-up must cost less than Stan's (measured 65,595 leapfrog steps against
    /// 87,416, the whole difference in the first hundred iterations: 106 against 156 per iteration,
    /// 6–8 for both after that), and the kept draws must still have the right sds and pass the
    /// convergence gate.
    func testWarmupIsCheaperOnABadlyScaledTarget() throws {
        let scales = (0..<20).map { pow(10, -2 + 4 * Double($0) / 19) }
        var steps: [MetricAdaptation: Int] = [:]
        for adaptation in [MetricAdaptation.drawVariance, .drawAndGradientVariance] {
            let result = try sample(ScaledNormal(scales: scales), settings: settings(chains: 4, draws: 1000, seed: 41, adaptation))
            steps[adaptation] = result.warmup.reduce(0) { $0 + $1.leapfrogSteps.reduce(0, +) }
            let rows = result.summary()
            for (row, scale) in zip(rows, scales) {
                XCTAssertLessThanOrEqual(abs(row.mean), 4 * row.mcseMean, "\(adaptation) \(row.name)")
                XCTAssertEqual(row.sd / scale, 1, accuracy: 0.1, "\(adaptation) \(row.name)")
            }
            let verdict = result.health(maxTreeDepth: 10, rows: rows).verdict; XCTAssertTrue(verdict.passed, "\(adaptation): \(verdict.summary)")
        }
        let stan = try XCTUnwrap(steps[.drawVariance]), gradient = try XCTUnwrap(steps[.drawAndGradientVariance])
        print("warm-up leapfrog steps: Stan's windows \(stan), with gradients \(gradient)")
        XCTAssertLessThan(Double(gradient), 0.85 * Double(stan))
    }

    /// A dense metric ignores the setting: the draws are exactly Stan's.
    func testDenseMetricKeepsStansAdaptation() throws {
        var stan = settings(warmup: 200, draws: 50, seed: 5, .drawVariance), gradient = settings(warmup: 200, draws: 50, seed: 5)
        stan.metric = .dense
        gradient.metric = .dense
        XCTAssertEqual(try sample(CorrelatedNormal(), settings: stan).values, try sample(CorrelatedNormal(), settings: gradient).values)
    }

    /// Short warm-ups shrink the buffers (or skip metric adaptation below 20 iterations) and still
    /// end on a finite, positive metric and step size.
    func testShortWarmupsEndOnAUsableMetric() throws {
        for warmup in [0, 5, 19, 20, 40, 100] {
            let result = try sample(ScaledNormal(scales: [0.1, 1, 10]), settings: settings(warmup: warmup, draws: 20, seed: 3))
            for info in result.warmup {
                XCTAssertTrue(info.inverseMetric.allSatisfy { $0 > 0 && $0.isFinite }, "warmup \(warmup): \(info.inverseMetric)")
                XCTAssertTrue(info.stepSize > 0 && info.stepSize.isFinite, "warmup \(warmup): step \(info.stepSize)")
            }
            XCTAssertTrue(result.values.allSatisfy(\.isFinite), "warmup \(warmup)")
        }
    }
}
