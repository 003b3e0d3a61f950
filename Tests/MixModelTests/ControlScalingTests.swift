import Foundation
import XCTest
import MixData
import MixModel

/// Issue 20, point 1: continuous controls are standardised inside the model (0/1 columns kept),
/// so a control in raw currency, a store count or a level index gives the same answer as its
/// standardised version — and converges, where unscaled it wrecked the fit (R̂ 4.4).
final class ControlScalingTests: XCTestCase {
    /// The layout: a 0/1 control as given, a continuous one z-scored over the training rows, and
    /// the decomposition's control part equal to Σ_k γ_k z̃_k in target units.
    func testContinuousControlsAreStandardisedAndDummiesKept() throws {
        let output = Simulator(preset: .recoveryDelayedHill, seed: 3).run()
        let data = output.dataset
        let s = try ModelStructure(dataset: data, model: output.model)
        let T = data.periodCount
        let price = try XCTUnwrap(data.controlNames.firstIndex(of: "price"))
        let holiday = try XCTUnwrap(data.controlNames.firstIndex(of: "holiday"))
        XCTAssertEqual(Array(s.controls[(holiday * T)..<((holiday + 1) * T)]), data.controls[holiday])
        XCTAssertEqual(s.scaling.controlCenter[holiday], 0)
        XCTAssertEqual(s.scaling.controlScale[holiday], 1)
        let z = Array(s.controls[(price * T)..<((price + 1) * T)])
        let mean = z.reduce(0, +) / Double(T)
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(T)
        XCTAssertEqual(mean, 0, accuracy: 1e-12)
        XCTAssertEqual(variance, 1, accuracy: 1e-12)

        var x = s.constrain([Double](repeating: 0.1, count: s.dimension))
        x[s.controlOffset + price] = 0.02
        x[s.controlOffset + holiday] = 0.05
        let parts = ModelEvaluator(structure: s, dataset: data).decompose(x)
        let scale = s.scaling
        for t in [0, 50, T - 1] {
            let raw = data.controls[price][t], flag = data.controls[holiday][t]
            let expected = scale.targetScale * (0.02 * (raw - scale.controlCenter[price]) / scale.controlScale[price] + 0.05 * flag)
            XCTAssertEqual(parts.controls[t], expected, accuracy: 1e-9 * scale.targetScale)
        }
        // Original units: γ·max y / sd target units per unit of price.
        XCTAssertEqual(scale.controlEffectPerUnit(price, gamma: 0.02), 0.02 * scale.targetScale / scale.controlScale[price], accuracy: 1e-12)
    }

    /// Competitor spend (~5·10⁵), store count (~660) and a consumer index (~94), as given and
    /// standardised beforehand: both fits converge and their posterior mean ROAS agree within
    /// Monte Carlo error. Tolerance: each mean's MC error is sd/√ESS ≤ sd/√400 (the gate's ESS),
    /// so two correct fits differ by a normal with sd ≤ √2·sd/20 ≈ 0.07 sd; 0.3 sd is four of those.
    /// Seeded, 4 × 500 + 500 draws. Both fits must mix (R̂ ≤ 1.05; unscaled, such controls gave
    /// R̂ 4.4); the full gate (0 divergences) is the recovery benchmark's, where this family
    /// does not yet pass at every seed (README).
    func testRawUnitControlsGiveTheSameAnswerAsStandardisedOnes() throws {
        let output = Simulator(preset: .recoveryRawControl, seed: 2).run()
        let truth = try JSONDecoder().decode(SimulationTruth.self, from: Data(output.truthJSON.utf8))
        var standardised = output.dataset
        standardised.controls = standardised.controls.map { column in
            let (m, sd) = ModelStructure.Scaling.controlStandardization(column)
            return column.map { ($0 - m) / sd }
        }
        var config = MixPlanConfig()
        config.model = output.model
        config.sampler.warmup = 500
        config.sampler.draws = 500
        config.sampler.seed = 11
        let raw = try ModelFitter.fit(dataset: output.dataset, config: config)
        let scaled = try ModelFitter.fit(dataset: standardised, config: config)
        for fit in [raw, scaled] {
            XCTAssertLessThanOrEqual(fit.sampler.maxRhat, 1.05, fit.verdict.summary)
            XCTAssertGreaterThanOrEqual(fit.sampler.minEssBulk, 400)
        }
        let a = PosteriorQuantities(model: raw), b = PosteriorQuantities(model: scaled)
        for (c, name) in output.dataset.channelNames.enumerated() {
            let draws = (0..<raw.drawCount).map { i in
                raw.evaluator.channelContribution(c, raw.draw(i)).reduce(0, +) / output.dataset.spend[c].reduce(0, +)
            }
            let mean = draws.reduce(0, +) / Double(draws.count)
            let sd = (draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count)).squareRoot()
            XCTAssertEqual(a.channels[c].roas.mean, b.channels[c].roas.mean, accuracy: 0.3 * sd, name)
            let trueROAS = truth.contributions[name]! / output.dataset.spend[c].reduce(0, +)
            XCTAssertTrue(a.channels[c].roas.contains(trueROAS), "\(name): true ROAS \(trueROAS) outside \(a.channels[c].roas)")
        }
        // The control effects, back in original units, find the truth's sign and size.
        for (k, name) in output.dataset.controlNames.enumerated() {
            let gamma = raw.sampler.parameters.first { $0.name == "gamma_control[\(name)]" }!.mean
            let perUnit = raw.structure.scaling.controlEffectPerUnit(k, gamma: gamma)
            let preset = SimulationPreset.recoveryRawControl.controls[k]
            let truePerUnit = preset.gamma * SimulationPreset.recoveryRawControl.targetScale
            XCTAssertEqual(perUnit, truePerUnit, accuracy: 0.5 * abs(truePerUnit), name)
        }
    }
}
