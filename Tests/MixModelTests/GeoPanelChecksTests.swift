import Foundation
import MixInference
import MixModel
import XCTest

/// The checks a national fit gets, on a panel: the baseline check (`GeoBaseline`) and the clear
/// refusal of what the geo model does not support yet (lift tests, time-varying media).
final class GeoPanelChecksTests: XCTestCase {
    /// Fitted values equal to each geo's own least-squares baseline tie with it exactly; a flat
    /// panel-wide mean loses to it. RMSEs recomputed here by hand on the per-size scaled targets.
    func testBaselineComparisonOnScaledTargets() throws {
        let panel = Self.seasonalPanel()
        var model = MixPlanConfig.ModelSection()
        model.yearlySeasonality = 1
        let s = try GeoStructure(panel: panel, model: model)
        let T = s.periodCount
        let columns = [[Double](repeating: 1, count: T)] + (0..<2).map { Array(s.fourierBasis[($0 * T)..<(($0 + 1) * T)]) }
        let own = (0..<3).map { g in
            SeasonalBaseline.leastSquaresFit(columns: columns, target: Array(s.scaledTarget[(g * T)..<((g + 1) * T)])).map { $0 * s.targetUnit(g) }
        }
        let tie = GeoBaseline.compare(structure: s, fitted: own)
        XCTAssertEqual(tie.modelRMSE, tie.baselineRMSE, accuracy: 1e-12)
        XCTAssertTrue(ConvergenceVerdict(health: Self.healthy, baseline: tie).passed)

        // Every geo predicted by the panel-wide mean of the scaled target, in its own units.
        let mean = s.scaledTarget.reduce(0, +) / Double(s.scaledTarget.count)
        let flat = (0..<3).map { g in [Double](repeating: mean * s.targetUnit(g), count: T) }
        let worse = GeoBaseline.compare(structure: s, fitted: flat)
        let byHand = (s.scaledTarget.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(3 * T)).squareRoot()
        XCTAssertEqual(worse.modelRMSE, byHand, accuracy: 1e-12)
        let verdict = ConvergenceVerdict(health: Self.healthy, baseline: worse)
        XCTAssertFalse(verdict.passed)
        XCTAssertEqual(verdict.reasons.map(\.check), [.baseline])
        XCTAssertTrue(verdict.summary.contains("per geo"), verdict.summary)
    }

    /// A fit whose control prior is absurd (the price control's effect pinned at 2 ± 0.001 per sd,
    /// on targets scaled to about 1, while price is unrelated noise) adds two units of noise the
    /// model cannot take back — controls are shared by every geo, not pooled: it fits worse than
    /// the baseline, and the verdict says so.
    func testAFitWorseThanTheBaselineIsNotPassed() throws {
        let panel = Self.seasonalPanel()
        var config = MixPlanConfig()
        config.model.yearlySeasonality = 1
        config.model.priors["gamma_control"] = PriorSpec(.normal, ["mu": 2, "sigma": 0.001])
        config.sampler.warmup = 200
        config.sampler.draws = 200
        config.sampler.chains = 2
        config.sampler.seed = 3
        let fit = try GeoFit.fit(panel: panel, config: config)
        let b = try XCTUnwrap(fit.verdict.baseline)
        XCTAssertGreaterThan(b.modelRMSE, 1.05 * b.baselineRMSE)
        XCTAssertTrue(fit.verdict.reasons.contains { $0.check == .baseline }, fit.verdict.summary)
    }

    /// Three geos (sizes 1 : 4 : 16) with strong yearly seasonality in different phases, noise 3 %.
    static func seasonalPanel() -> GeoPanel {
        let base = GeoModelTests.panel(geos: 3, periods: 104, channels: 2)
        var rng = TestRandom(seed: 9)
        let geos = base.geos.enumerated().map { g, d -> Dataset in
            var d = d
            let size = pow(4, Double(g))
            d.target = (0..<d.periodCount).map { t in
                let angle = 2 * Double.pi * Double(d.dates[t].dayOfYear) / 365.25 + 0.5 * Double(g)
                return size * 1000 * (1 + 0.3 * sin(angle) + 0.03 * rng.uniform(-1.7, 1.7))
            }
            return d
        }
        return GeoPanel(geoNames: base.geoNames, geos: geos, population: nil)
    }

    func testLiftTestsAndTimeVaryingMediaAreRefusedByKey() throws {
        let panel = GeoModelTests.panel()
        var config = MixPlanConfig()
        config.path = "geo.yaml"
        config.calibration.liftTests = [LiftTest(channel: "ch0", spend: 100, spendChange: 50, targetChange: 40, standardError: 10,
                                                 start: nil, end: nil, source: "lift.csv")]
        XCTAssertThrowsError(try GeoFit.fit(panel: panel, config: config)) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.file, "geo.yaml")
            XCTAssertEqual(e?.location.key, "calibration")
            XCTAssertTrue("\(error)".contains("lift tests are not supported for geo panels"), "\(error)")
        }
        var model = MixPlanConfig.ModelSection()
        var tv = MixPlanConfig.TimeVarying()
        tv.media = true
        model.timeVarying = tv
        XCTAssertThrowsError(try GeoStructure(panel: panel, model: model, configPath: "geo.yaml")) { error in
            XCTAssertEqual((error as? InputError)?.location.key, "model.time_varying_media")
            XCTAssertTrue("\(error)".contains("time-varying"), "\(error)")
        }
    }

    static let healthy = SamplerHealth(divergences: 0, maxTreeDepthHits: 0, draws: 4000, ebfmi: [1, 1, 1, 1], maxRhat: 1.001,
                                       minEssBulk: 2000, minEssTail: 2000)
}
