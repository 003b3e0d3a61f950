import Foundation
import MixInference
import MixModel
import XCTest

/// The shifted pooled mean of log β (`GeoBetaShift`, inside `GeoContrastDensity`): the sampler's
/// μ̃_c is μ_c plus the reference series' log(H/X), computed here from the formulas; the map has
/// Jacobian 1, so the density at μ̃ is the model's at the mapped point; the gradient against
/// finite differences; ROAS-coordinate channels are left as they are. That the posterior is
/// unchanged is also checked against an independent sampler by `PyMCGeoAgreementTests`, whose
/// fit samples these coordinates.
final class GeoBetaShiftTests: XCTestCase {
    static func betaModel(_ adstock: Adstock.Kind = .geometric, _ saturation: Saturation.Kind = .logistic) -> MixPlanConfig.ModelSection {
        GeoModelTests.model(adstock, saturation, priors: .pymcMarketing)
    }

    /// μ̃_c − μ_c = log(H_ref/X_ref): the channel's scaled spend averaged over the geos where it
    /// spends, adstocked and saturated with β = 1 at the point's shape, summed over the periods,
    /// over that average's spend in target units. Every other coordinate is unchanged, and
    /// `model(of:)` inverts the map.
    func testShiftedMeanIsTheReferenceSeriesLogHOverX() throws {
        let panel = GeoModelTests.panel(geos: 4)
        for (adstock, saturation) in [(Adstock.Kind.geometric, Saturation.Kind.logistic), (.weibullPDF, .hill)] {
            let s = try GeoStructure(panel: panel, model: Self.betaModel(adstock, saturation))
            let density = GeoContrastDensity(structure: s, enabled: false)
            let G = s.geoCount, C = s.channels.count, T = s.periodCount
            var rng = TestRandom(seed: 5)
            for _ in 0..<3 {
                let u = (0..<s.dimension).map { _ in rng.uniform(-1.5, 1.5) }
                let q = density.contrasts(of: u), x = s.constrain(u)
                var shifted = Set<Int>()
                for (c, ch) in s.channels.enumerated() {
                    let live = (0..<G).filter { s.active[$0 * C + c] }
                    XCTAssertFalse(live.isEmpty)
                    let reference = (0..<T).map { t in live.reduce(0.0) { $0 + s.scaledSpend[($1 * C + c) * T + t] } / Double(live.count) }
                    let spend = live.reduce(0.0) { $0 + s.spendInTargetUnits[$1 * C + c] } / Double(live.count)
                    let weights = ch.adstock.weights(Array(x[ch.adstockOffset..<(ch.adstockOffset + ch.adstockCount)]))
                    let shape = Array(x[ch.shapeOffset..<(ch.shapeOffset + ch.shapeCount)]) + [1]
                    let H = Adstock.apply(weights: weights, to: reference).reduce(0) { $0 + ch.saturation.value($1, parameters: shape) }
                    XCTAssertEqual(q[ch.roasMean] - u[ch.roasMean], log(H / spend), accuracy: 1e-11, "\(ch.name) \(adstock)/\(saturation)")
                    shifted.insert(ch.roasMean)
                }
                for i in u.indices where !shifted.contains(i) { XCTAssertEqual(q[i], u[i], s.parameterNames[i]) }
                let back = density.model(of: q)
                for i in u.indices { XCTAssertEqual(back[i], u[i], accuracy: 1e-12, s.parameterNames[i]) }
            }
        }
    }

    /// For fixed θ the map is a shift, so the density in the sampler's coordinates equals the
    /// model's at the mapped point, with contrasts and without, and on one geo.
    func testDensityIsTheModelDensityAtTheMappedPoint() throws {
        let panel = GeoModelTests.panel(geos: 4)
        let one = GeoPanel(geoNames: ["all"], geos: [panel.geos[1]], population: nil)
        var rng = TestRandom(seed: 12)
        for (p, contrasts) in [(panel, true), (panel, false), (one, true)] {
            let s = try GeoStructure(panel: p, model: Self.betaModel())
            let sampler = GeoContrastDensity(structure: s, enabled: contrasts)
            let q = (0..<s.dimension).map { _ in 0.3 }
            XCTAssertNotEqual(sampler.model(of: q), q, "the shift moves the pooled means")
            GeoContrastsTests.checkDensityAtMappedPoints(sampler, points: 3, rng: &rng)
        }
    }

    func testGradientMatchesFiniteDifferences() throws {
        let panel = GeoModelTests.panel(geos: 4)
        let one = GeoPanel(geoNames: ["all"], geos: [panel.geos[2]], population: nil)
        var rng = TestRandom(seed: 31)
        for adstock in Adstock.Kind.allCases {
            for saturation in Saturation.Kind.allCases {
                let model = Self.betaModel(adstock, saturation)
                for contrasts in [true, false] {
                    let density = GeoContrastDensity(structure: try GeoStructure(panel: panel, model: model), enabled: contrasts)
                    FiniteDifference.checkGradient(of: density, at: (0..<density.dimension).map { _ in rng.uniform(-1.5, 1.5) },
                                                   context: "shifted β \(adstock)/\(saturation), contrasts \(contrasts)")
                }
                let single = GeoContrastDensity(structure: try GeoStructure(panel: one, model: model))
                FiniteDifference.checkGradient(of: single, at: (0..<single.dimension).map { _ in rng.uniform(-1.5, 1.5) },
                                               context: "shifted β \(adstock)/\(saturation), one geo")
            }
        }
    }

    /// ROAS-coordinate channels (the default priors) and `shiftsBeta: false` sample μ as it is.
    func testOnlyBetaChannelsAreShifted() throws {
        let panel = GeoModelTests.panel(geos: 4)
        var rng = TestRandom(seed: 2)
        for (model, shifts) in [(GeoModelTests.model(), true), (Self.betaModel(), false)] {
            let s = try GeoStructure(panel: panel, model: model)
            let density = GeoContrastDensity(structure: s, enabled: false, shiftsBeta: shifts)
            let u = (0..<s.dimension).map { _ in rng.uniform(-1.5, 1.5) }
            XCTAssertEqual(density.contrasts(of: u), u)
        }
    }
}
