import MixTestSupport
import Foundation
import MixData
import MixInference
import MixModel
import XCTest

/// Issue 9's acceptance for the elicited-prior route, on the lift-cut-2ch sample (`simulate
/// --preset lift-cut-2ch --seed 1`: social cut by 90 % for 10 weeks, a twin market's lift test,
/// Michaelis–Menten truth β = 2.75, λ = 2.5 on the model's scale).
///
/// `PriorElicitation` turns the sample's single lift test into a prior on λ (its marginal) and a
/// prior on the test's incremental return r (`lift_roi_prior`, replacing β's prior); the MMM is
/// fitted with default and with elicited priors (4 chains × 300 warm-up × 300 draws, dense
/// metric, seeded — seconds, and the same result on every run of the same build).
///
/// Asserted: the criterion — the elicited-prior fit's posterior means of β and λ at least
/// 50 % closer to the truth than the default-prior fit's, 94 % intervals covering the truth —
/// and the fitted priors' 95 % central mass on the elicited intervals to 1e-4. (Before the
/// incremental-ROI prior, marginal priors on β and λ made both errors *worse* — λ 0.37 → 0.60,
/// β 0.29 → 0.47 — because one test pins only the ridge β·λ/(λ + a)² = const, which independent
/// marginals cannot carry; a prior on r keeps it.)
final class ElicitationAcceptanceTests: XCTestCase {
    /// `config` with `elicited`'s priors written in, as `mixplan elicit --write` does.
    static func applying(_ elicited: PriorElicitation.Channel, to config: MixPlanConfig) -> MixPlanConfig {
        var out = config
        var settings = out.model.channels[elicited.channel] ?? MixPlanConfig.ChannelSettings()
        for p in elicited.parameters { settings.priors[p.key] = p.fit.spec }
        settings.liftROIPrior = elicited.incrementalReturn.setting
        out.model.channels[elicited.channel] = settings
        return out
    }

    func testElicitedPriorsOnTheLiftCutSample() throws {
        let dir = Fixtures.sample("lift-cut-2ch")
        var config = try ConfigLoader.load(path: dir.appendingPathComponent("mixplan-uncalibrated.yaml").path)
        config.sampler.warmup = 300
        config.sampler.draws = 300
        config.sampler.metric = .dense
        let data = try DatasetLoader().load(config).dataset
        let tests = try LiftTestLoader.load(path: dir.appendingPathComponent("lift_tests.csv").path)
        let truth = try JSONDecoder().decode(SimulationTruth.self, from: Data(contentsOf: dir.appendingPathComponent("truth.json")))
        let trueLambda = try XCTUnwrap(truth.parameters["social.saturation_lambda"])
        let trueBeta = try XCTUnwrap(truth.parameters["social.saturation_beta"])

        // Elicit.
        let structure = try ModelStructure(dataset: data, model: config.model)
        var settings = PriorElicitation.Settings(seed: 1)
        settings.sampler.maxThreads = 2
        let elicited = try XCTUnwrap(PriorElicitation.elicit(tests: tests, structure: structure, settings: settings).first)
        XCTAssertEqual(elicited.channel, "social")
        XCTAssertTrue(elicited.converged)
        // One test, one spend interval: the shape keeps its default prior, r replaces β's.
        XCTAssertFalse(elicited.shapeIdentified)
        XCTAssertEqual(elicited.parameters, [])
        let r = elicited.incrementalReturn
        for (key, fit, lower, upper) in elicited.parameters.map({ ($0.key, $0.fit, $0.lower, $0.upper) }) + [("r", r.fit, r.lower, r.upper)] {
            XCTAssertEqual(fit.spec.mass(lower: lower, upper: upper), 0.95, accuracy: 1e-4, key)
        }
        // The elicited interval of r covers what the experiment measures without noise: the
        // simulator's true Δy over Δx (an average over the cut weeks of f(cut spend) − f(spend),
        // 1.4 % below r of the curve at the weeks' mean spend, x).
        let simulated = try XCTUnwrap(truth.liftTests?.first)
        let trueR = simulated.trueDeltaY / simulated.deltaX
        XCTAssertTrue(r.lower < trueR && trueR < r.upper, "true r \(trueR) outside the elicited [\(r.lower), \(r.upper)]")

        // Fit with default and with elicited priors.
        let fits = try [config, Self.applying(elicited, to: config)].map { try ModelFitter.fit(dataset: data, config: $0) }
        XCTAssertEqual(fits[1].structure.calibration.liftROIPriors.count, 1)
        var lines: [String] = []
        for (name, truthValue) in [("social.saturation_lambda", trueLambda), ("social.saturation_beta", trueBeta)] {
            let rows = fits.map { fit in fit.sampler.parameters.first { $0.name == name }! }
            for (label, row) in zip(["default", "elicited"], rows) {
                XCTAssertTrue(row.hdi3 <= truthValue && truthValue <= row.hdi97,
                              "\(label) fit: \(name) truth \(truthValue) outside 94 % [\(row.hdi3), \(row.hdi97)]")
                lines.append("\(label) \(name): mean \(row.mean) sd \(row.sd) 94 % [\(row.hdi3), \(row.hdi97)], error \(abs(row.mean - truthValue))")
            }
            let (before, after) = (abs(rows[0].mean - truthValue), abs(rows[1].mean - truthValue))
            XCTAssertLessThanOrEqual(after, 0.5 * before, "\(name): elicited error \(after) vs default \(before)")
        }
        // Printed, not asserted: divergences.
        lines.append("divergences: default \(fits[0].sampler.divergences), elicited \(fits[1].sampler.divergences)")
        print("Elicitation acceptance (lift-cut-2ch, seed 1):\n  " + lines.joined(separator: "\n  "))
        print("  elicited priors: " + elicited.parameters.map { "\($0.key) \($0.fit.spec) on [\($0.lower), \($0.upper)]; " }.joined()
              + "lift_roi_prior \(r.fit.spec) on [\(r.lower), \(r.upper)] (noise-free r \(trueR))")
    }
}

/// The same story where the prior route can work: noisier data (σ × 4, so the data alone no
/// longer pin the curve) and two experiments at different spend levels — the twin market's 90 %
/// cut and a 50 % spend increase, both with 2 % standard errors, computed from the true curve —
/// which together pin both β and λ in derivative space.
///
/// Asserted: the criterion — the elicited-prior fit's posterior means of β and λ at least
/// 50 % closer to the truth than the default-prior fit's, with 94 % intervals covering the truth.
/// (Seeded: 4 chains × 300 warm-up × 300 draws, dense metric.) Two spend intervals pin λ, so its
/// prior is elicited too (asserted: its 95 % interval and r's cover the truth, each fitted prior
/// puts 95 % on its interval to 1e-4); without it — the prior on r alone — this fit does not get
/// closer (measured while developing: λ error 1.39 → 1.30, β 1.16 → 1.23).
final class ElicitationTwoTestAcceptanceTests: XCTestCase {
    func testTwoExperimentsPinTheCurve() throws {
        var preset = SimulationPreset.liftCut2ch
        preset.sigma *= 4
        let output = Simulator(preset: preset, seed: 2).run()
        let truth = try JSONDecoder().decode(SimulationTruth.self, from: Data(output.truthJSON.utf8))
        let trueLambda = try XCTUnwrap(truth.parameters["social.saturation_lambda"])
        let trueBeta = try XCTUnwrap(truth.parameters["social.saturation_beta"])
        let S = try XCTUnwrap(truth.spendMax["social"]), T = truth.targetMax
        let curve = { (x: Double) in T * trueBeta * (x / S) / (trueLambda + x / S) }
        func test(_ x: Double, _ dx: Double) -> LiftTest {
            let dy = curve(x + dx) - curve(x)
            return LiftTest(channel: "social", spend: x, spendChange: dx, targetChange: dy, standardError: 0.02 * abs(dy), source: "derived")
        }
        let mean = output.dataset.spend[0].reduce(0, +) / Double(output.dataset.periodCount)
        let tests = [test(mean, -0.9 * mean), test(mean, 0.5 * mean)]

        var config = MixPlanConfig()
        config.model = output.model
        config.sampler.warmup = 300
        config.sampler.draws = 300
        config.sampler.metric = .dense
        let structure = try ModelStructure(dataset: output.dataset, model: config.model)
        var settings = PriorElicitation.Settings(seed: 1)
        settings.sampler.maxThreads = 2
        let elicited = try XCTUnwrap(PriorElicitation.elicit(tests: tests, structure: structure, settings: settings).first)
        let calibrated = ElicitationAcceptanceTests.applying(elicited, to: config)
        let fits = try [config, calibrated].map { try ModelFitter.fit(dataset: output.dataset, config: $0) }
        var lines: [String] = []
        for (name, truthValue) in [("social.saturation_lambda", trueLambda), ("social.saturation_beta", trueBeta)] {
            let rows = fits.map { fit in fit.sampler.parameters.first { $0.name == name }! }
            for (label, row) in zip(["default", "elicited"], rows) {
                lines.append("\(label) \(name): mean \(row.mean) sd \(row.sd) 94 % [\(row.hdi3), \(row.hdi97)], error \(abs(row.mean - truthValue))")
            }
            let (before, after) = (abs(rows[0].mean - truthValue), abs(rows[1].mean - truthValue))
            XCTAssertLessThanOrEqual(after, 0.5 * before, "\(name): elicited error \(after) vs default \(before)")
            XCTAssertTrue(rows[1].hdi3 <= truthValue && truthValue <= rows[1].hdi97,
                          "elicited fit: \(name) truth \(truthValue) outside 94 % [\(rows[1].hdi3), \(rows[1].hdi97)]")
        }
        let lambda = try XCTUnwrap(elicited.parameters.first)
        XCTAssertEqual(lambda.key, "saturation_lambda")
        XCTAssertTrue(lambda.lower < trueLambda && trueLambda < lambda.upper,
                      "the elicited 95 % interval [\(lambda.lower), \(lambda.upper)] covers the true λ")
        let r = elicited.incrementalReturn
        let trueR = (curve(r.test.spendDuring) - curve(r.test.spend)) / r.test.spendChange
        XCTAssertTrue(r.lower < trueR && trueR < r.upper, "the elicited 95 % interval [\(r.lower), \(r.upper)] covers the true r \(trueR)")
        for (key, fit, lower, upper) in [(lambda.key, lambda.fit, lambda.lower, lambda.upper), ("r", r.fit, r.lower, r.upper)] {
            XCTAssertEqual(fit.spec.mass(lower: lower, upper: upper), 0.95, accuracy: 1e-4, key)
        }
        print("Two-test elicitation (lift-cut-2ch, σ × 4, seed 2):\n  " + lines.joined(separator: "\n  "))
        print("  elicited priors: \(lambda.key) \(lambda.fit.spec) on [\(lambda.lower), \(lambda.upper)]; "
              + "lift_roi_prior at x = \(r.test.spend), Δx = \(r.test.spendChange): \(r.fit.spec) on [\(r.lower), \(r.upper)] (true r \(trueR))")
    }
}
