import Foundation
import MixInference
import MixModel
import XCTest

/// One evaluation of the geo density split over threads (`GeoDensity.threads`; these panels are
/// small, so `cellsPerThread` is 1 to force the split): the geos'
/// parts and the order of their sums are fixed, so value, gradient and draws must be the same
/// bit for bit on any number of threads — and the number of threads a fit uses follows the cores
/// left per running chain. Also which warm-up a geo fit uses by panel size (`GeoFit.adaptation`).
final class GeoThreadsTests: XCTestCase {
    /// Every parameterisation's code path (centred, non-centred, conditional and partially
    /// centred intercepts or ROAS, with and without contrasts), on 5 geos (5 parts) and 11 (8 parts
    /// of one or two geos), at random points: identical on 1, 2, 3 and 8 threads.
    func testValueAndGradientDoNotDependOnThreads() throws {
        var rng = TestRandom(seed: 21)
        let rules: [GeoCentring.Rule] = [.standard, .allCentred, .noneCentred, .byDataStrength,
                                         GeoCentring.Rule(intercept: .conditional, seasonality: .nonCentred, roas: .nonCentred),
                                         GeoCentring.Rule(intercept: .centred, seasonality: .nonCentred, roas: .partial)]
        for geos in [5, 11] {
            let panel = GeoModelTests.panel(geos: geos, periods: 26)
            for rule in rules {
                let structure = try GeoStructure(panel: panel, model: GeoModelTests.model(), centring: rule)
                for contrasts in [false, true] {
                    let u = (0..<structure.dimension).map { _ in rng.uniform(-1.5, 1.5) }
                    var reference: (Double, [Double])?
                    for threads in [1, 2, 3, 8] {
                        var density = GeoContrastDensity(structure: structure, enabled: contrasts)
                        density.threads = threads
                        density.cellsPerThread = 1
                        var gradient = [Double](repeating: .nan, count: u.count)
                        let value = u.withUnsafeBufferPointer { point in
                            gradient.withUnsafeMutableBufferPointer { density.logDensity(at: point, gradient: $0) }
                        }
                        XCTAssertTrue(value.isFinite, "\(geos) geos, \(rule), contrasts \(contrasts)")
                        if let reference {
                            XCTAssertEqual(value, reference.0, "\(geos) geos, \(rule), contrasts \(contrasts), \(threads) threads")
                            XCTAssertEqual(gradient, reference.1, "\(geos) geos, \(rule), contrasts \(contrasts), \(threads) threads")
                        } else {
                            reference = (value, gradient)
                        }
                    }
                }
            }
        }
    }

    /// A one-chain fit with its evaluations split over 2 threads gives exactly the draws of the
    /// same fit on one thread.
    func testDrawsDoNotDependOnThreads() throws {
        let structure = try GeoStructure(panel: GeoModelTests.panel(geos: 4, periods: 26), model: GeoModelTests.model())
        var settings = SamplerSettings(chains: 1, warmup: 60, draws: 30, seed: 9)
        settings.metricAdaptation = .drawAndGradientVariance
        var draws: [[Double]] = []
        for threads in [1, 2] {
            var density = GeoContrastDensity(structure: structure)
            density.threads = threads
            density.cellsPerThread = 1
            draws.append(try sample(density, settings: settings).values)
        }
        XCTAssertEqual(draws[0], draws[1])
    }

    /// Warm-up learns from gradients on panels of 100,000 cells or more, with Stan's windows below.
    func testLargePanelsAdaptFromGradients() throws {
        let model = GeoModelTests.model()
        let small = try GeoStructure(panel: GeoModelTests.panel(geos: 5, periods: 26), model: model)
        XCTAssertEqual(GeoFit.adaptation(for: small), .drawVariance)
        let large = try GeoStructure(panel: GeoModelTests.panel(geos: 20, periods: 100, channels: 50), model: model)
        XCTAssertEqual(GeoFit.adaptation(for: large), .drawAndGradientVariance)
    }

    /// Threads per evaluation: the cores left per chain running at once, at least 1.
    func testThreadsFollowTheCoresLeftPerRunningChain() {
        var settings = SamplerSettings(seed: 1)
        XCTAssertEqual(GeoContrastDensity.threadsPerEvaluation(settings, cores: 2), 1)   // 4 chains, 2 cores
        XCTAssertEqual(GeoContrastDensity.threadsPerEvaluation(settings, cores: 8), 2)
        XCTAssertEqual(GeoContrastDensity.threadsPerEvaluation(settings, cores: 10), 2)
        settings.chains = 1
        XCTAssertEqual(GeoContrastDensity.threadsPerEvaluation(settings, cores: 8), 8)
        settings.chains = 4
        settings.maxThreads = 1                                                          // the chains run one after another
        XCTAssertEqual(GeoContrastDensity.threadsPerEvaluation(settings, cores: 2), 2)
    }
}
