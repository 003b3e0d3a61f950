import Foundation
import MixData
import MixInference
import MixModel
import XCTest

/// Conditional geo intercepts (`GeoConditionalIntercept`): the gradient against finite
/// differences, the density against the centred parameterisation it must equal up to the
/// change of variables, and the round trip of `constrain`/`unconstrain`.
final class GeoConditionalInterceptTests: XCTestCase {
    static let conditional = GeoCentring.Rule(intercept: .conditional, seasonality: .nonCentred, roas: .nonCentred)

    /// The same model with the intercepts sampled as themselves (centred, no centred baseline):
    /// the parameter layout, names and natural values are shared with `conditional`.
    static var centred: GeoCentring.Rule {
        var rule = GeoCentring.Rule.interceptOnly
        rule.centredBaseline = false
        return rule
    }

    /// `GeoModelTests.model` with one Fourier pair and the config's default priors left unset.
    static func model(_ adstock: Adstock.Kind = .geometric, _ saturation: Saturation.Kind = .logistic) -> MixPlanConfig.ModelSection {
        var model = GeoModelTests.model(adstock, saturation)
        model.yearlySeasonality = 1
        model.defaultPriors = nil
        return model
    }

    func testGradientMatchesFiniteDifferencesForEveryTransformPair() throws {
        let panel = GeoModelTests.panel()
        var rng = TestRandom(seed: 21)
        for adstock in Adstock.Kind.allCases {
            for saturation in Saturation.Kind.allCases {
                let s = try GeoStructure(panel: panel, model: Self.model(adstock, saturation), centring: Self.conditional)
                XCTAssertEqual(s.conditionalIntercept, [true, true, true])
                XCTAssertEqual(s.centredBaseline, [false, false, false])
                let density = GeoDensity(structure: s)
                for _ in 0..<2 {
                    let u = (0..<density.dimension).map { _ in rng.uniform(-1.5, 1.5) }
                    FiniteDifference.checkGradient(of: density, at: u, context: "\(adstock)/\(saturation)/conditional")
                }
            }
        }
    }

    /// In (rest, ζ) the density is the centred one at the same natural point times the map's
    /// Jacobian Π_g d_g: log p_conditional(u) = log p_centred(u′) + Σ_g log d_g, where u′ holds the
    /// same natural values in the centred coordinates. Independent of the marginal-likelihood
    /// algebra: the centred density is the plain Normal likelihood plus the Normal(b̄, s_b) prior.
    /// Tolerance 1e-9 relative: both sums carry rounding of a few ε per term over a few hundred terms.
    func testDensityEqualsCentredDensityTimesJacobian() throws {
        let panel = GeoModelTests.panel(geos: 4, periods: 40, channels: 3, seed: 9)
        let cond = try GeoStructure(panel: panel, model: Self.model(), centring: Self.conditional)
        let cent = try GeoStructure(panel: panel, model: Self.model(), centring: Self.centred)
        XCTAssertEqual(cond.parameterNames, cent.parameterNames)
        var rng = TestRandom(seed: 3)
        for _ in 0..<5 {
            let u = (0..<cond.dimension).map { _ in rng.uniform(-1.5, 1.5) }
            let x = cond.constrain(u)
            let uCentred = cent.unconstrain(x)
            for (a, b) in zip(cent.constrain(uCentred), x) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(b))) }
            let logJacobian = (0..<cond.geoCount).reduce(0.0) { $0 + log(Self.conditionalSD(cond, x, geo: $1)) }
            let lhs = FiniteDifference.value(of: GeoDensity(structure: cond), at: u)
            let rhs = FiniteDifference.value(of: GeoDensity(structure: cent), at: uCentred) + logJacobian
            XCTAssertEqual(lhs, rhs, accuracy: 1e-9 * max(1, abs(rhs)))
        }
    }

    /// `unconstrain` inverts `constrain`, and ζ_g = 0 puts each intercept at its conditional mean:
    /// the centred density, as a function of that intercept alone, is stationary there.
    func testRoundTripAndConditionalMean() throws {
        let panel = GeoModelTests.panel(geos: 3, periods: 30, channels: 3, seed: 4)
        let cond = try GeoStructure(panel: panel, model: Self.model(), centring: Self.conditional)
        let cent = try GeoStructure(panel: panel, model: Self.model(), centring: Self.centred)
        var rng = TestRandom(seed: 8)
        var u = (0..<cond.dimension).map { _ in rng.uniform(-1, 1) }
        for (a, b) in zip(cond.unconstrain(cond.constrain(u)), u) { XCTAssertEqual(a, b, accuracy: 1e-10) }
        for g in 0..<cond.geoCount { u[cond.interceptCoordinate(g)] = 0 }
        let x = cond.constrain(u)
        for g in 0..<cond.geoCount {
            let i = cent.interceptCoordinate(g)
            let d = FiniteDifference.derivative(at: x[i]) { b in
                var y = x
                y[i] = b
                return FiniteDifference.value(of: GeoDensity(structure: cent), at: cent.unconstrain(y))
            }
            // The derivative's scale is 1/d² times a shift of the intercept: compare with a tiny one.
            let sd = Self.conditionalSD(cond, x, geo: g)
            XCTAssertEqual(d * sd * sd, 0, accuracy: 1e-6, "geo \(g)")
        }
    }

    /// d_g = (T/σ_g² + 1/s_b²)^(−1/2) from the natural parameters.
    static func conditionalSD(_ s: GeoStructure, _ x: [Double], geo g: Int) -> Double {
        let sigma = x[s.sigmaOffset + g], scale = x[s.intercept.scale!]
        return 1 / (Double(s.periodCount) / (sigma * sigma) + 1 / (scale * scale)).squareRoot()
    }
}
