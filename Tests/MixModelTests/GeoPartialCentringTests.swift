import Foundation
import MixData
import MixInference
import MixModel
import XCTest

/// Partially centred log ROAS (`GeoCentring.Form.partial`, `GeoPartialCentring`): the weights the
/// data give, the gradient against finite differences, and the density against the non-centred
/// one it must equal up to the change of variables.
final class GeoPartialCentringTests: XCTestCase {
    static let partial = GeoCentring.Rule(intercept: .conditional, seasonality: .nonCentred, roas: .partial)
    static let partialCentredIntercepts = GeoCentring.Rule(intercept: .centred, seasonality: .nonCentred, roas: .partial)
    static let nonCentred = GeoCentring.Rule(intercept: .conditional, seasonality: .nonCentred, roas: .nonCentred)

    /// geo-4x104 seed 1: real effects, so the least-squares spread is positive and the weights
    /// fall strictly between the two classical forms for some cells.
    static let panel = GeoSimulation(preset: GeoSimulationPreset.named("geo-4x104")!, seed: 1).panel

    static func model(_ adstock: Adstock.Kind = .geometric, _ saturation: Saturation.Kind = .logistic) -> MixPlanConfig.ModelSection {
        var model = MixPlanConfig.ModelSection()
        model.adstock = adstock
        model.saturation = saturation
        model.adstockMaxLag = 4
        model.yearlySeasonality = 1
        return model
    }

    func testWeightsLieInTheUnitIntervalAndOnlyOnLiveCells() throws {
        let s = try GeoStructure(panel: Self.panel, model: Self.model(), centring: Self.partial)
        let C = s.channels.count
        var between = 0
        for (c, ch) in s.channels.enumerated() {
            XCTAssertEqual(ch.roas.weight.count, s.geoCount)
            for g in 0..<s.geoCount {
                let w = ch.roas.weight[g]
                XCTAssertTrue(w >= 0 && w <= GeoPartialCentring.maximumWeight, "\(ch.name) geo \(g): \(w)")
                if !s.active[g * C + c] { XCTAssertEqual(w, 0) }
                if w > 0 && w < GeoPartialCentring.maximumWeight { between += 1 }
            }
        }
        XCTAssertGreaterThan(between, 0, "no cell is partially centred, so the tests below would not exercise the form")
    }

    func testGradientMatchesFiniteDifferencesForEveryTransformPair() throws {
        var rng = TestRandom(seed: 31)
        for adstock in Adstock.Kind.allCases {
            for saturation in Saturation.Kind.allCases {
                for rule in [Self.partial, Self.partialCentredIntercepts] {
                    let density = GeoDensity(structure: try GeoStructure(panel: Self.panel, model: Self.model(adstock, saturation), centring: rule))
                    let u = (0..<density.dimension).map { _ in rng.uniform(-1.2, 1.2) }
                    FiniteDifference.checkGradient(of: density, at: u, context: "\(adstock)/\(saturation)/\(rule.intercept)")
                }
            }
        }
    }

    /// p_partial(ζ̃) = p_nonCentred(ζ)·|dζ/dζ̃| with ζ = (v − μ)/τ and dζ/dζ̃ = τ^(1−w)/τ, so
    /// log p_partial(u) = log p_nonCentred(u′) − Σ_cells w·log τ_c at the same log ROAS values.
    /// Tolerance 1e-9 relative: rounding of a few ε over a few hundred terms.
    func testDensityEqualsNonCentredDensityTimesJacobian() throws {
        let part = try GeoStructure(panel: Self.panel, model: Self.model(), centring: Self.partial)
        let plain = try GeoStructure(panel: Self.panel, model: Self.model(), centring: Self.nonCentred)
        XCTAssertEqual(part.parameterNames, plain.parameterNames)
        var rng = TestRandom(seed: 6)
        for _ in 0..<4 {
            let u = (0..<part.dimension).map { _ in rng.uniform(-1.2, 1.2) }
            let x = part.constrain(u)
            var y = x, logJacobian = 0.0
            for (c, ch) in part.channels.enumerated() {
                let tau = x[ch.roasScale!]
                for g in 0..<part.geoCount where ch.roas.weight[g] > 0 {
                    y[ch.roasZ! + g] = (part.logROAS(x, geo: g, channel: c) - x[ch.roasMean]) / tau
                    logJacobian -= ch.roas.weight[g] * log(tau)
                }
            }
            for g in 0..<part.geoCount {
                for c in 0..<part.channels.count where part.active[g * part.channels.count + c] {
                    XCTAssertEqual(plain.logROAS(y, geo: g, channel: c), part.logROAS(x, geo: g, channel: c), accuracy: 1e-12)
                }
            }
            let lhs = FiniteDifference.value(of: GeoDensity(structure: part), at: u)
            let rhs = FiniteDifference.value(of: GeoDensity(structure: plain), at: plain.unconstrain(y)) + logJacobian
            XCTAssertEqual(lhs, rhs, accuracy: 1e-9 * max(1, abs(rhs)))
        }
    }
}
