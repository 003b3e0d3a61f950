import Foundation
import MixData
import MixModel
import MixInference

/// Issue 26's benchmark: the `always-on-lift-2ch` case (social always on, spend CV ≈ 6 %, one
/// 50 %-cut lift test with σ = 10 % of |Δy|) over seeds 1…N (`--seeds=N`, default 20; from
/// `--first=K`, default 1), fitted at default settings (default priors included) three ways —
/// uncalibrated, the test in the likelihood, and the priors `elicit` makes from it
/// (`lift_roi_prior`) — printing per seed and in a table: how many fits pass the convergence
/// gate, social's ROAS error (|posterior mean − truth| and |posterior median − truth|) against the
/// uncalibrated fit's on the same data and settings, and how often the 94 % interval covers the
/// true ROAS. The elicitation's own fit must converge too; its failures are counted.
///
/// `--routes=` picks routes by name, among them two that take the error apart (they are not
/// calibration a user could run): `lambda-known` is the likelihood route with social's λ prior
/// narrowed to its truth (Gamma, sd 1 % of the mean) — what is left is the test's and the data's
/// own error; `exact-test` is the likelihood route with a test measured without error (Δy its
/// true value, σ = 1 % of |Δy|) — what is left is what one spend interval cannot tell.
enum CalibrationBench {
    struct Outcome {
        var converged: Bool
        /// |posterior mean − truth| and |posterior median − truth| of social's ROAS.
        var error: Double
        var medianError: Double
        var covers: Bool
        var divergences: Int
        var maxRhat: Double
    }

    static let defaultRoutes = ["uncalibrated", "likelihood", "elicited"]

    static func run() {
        if CommandLine.arguments.contains("--diagnose") { return diagnose() }
        func option(_ name: String) -> String? {
            CommandLine.arguments.first { $0.hasPrefix("--\(name)=") }.map { String($0.dropFirst(name.count + 3)) }
        }
        let seeds = option("seeds").flatMap { Int($0) } ?? 20
        let first = option("first").flatMap { Int($0) } ?? 1
        let routes = option("routes").map { $0.split(separator: ",").map(String.init) } ?? defaultRoutes
        var outcomes = [String: [Outcome]]()
        var elicitConverged = 0, elicitRuns = 0
        print("seed  route          gate  div.  max R̂   ROAS mean (median) [94 %]          truth   |error|  social λ median")
        for seed in first..<(first + max(1, seeds)) {
            let output = Simulator(preset: .alwaysOnLift2ch, seed: UInt64(seed)).run()
            do {
                let truth = try MixJSON.decoder().decode(SimulationTruth.self, from: Data(output.truthJSON.utf8))
                guard let test = truth.liftTests?.first, let c = output.dataset.channelNames.firstIndex(of: test.channel) else { continue }
                let trueROAS = truth.contributions[test.channel]! / output.dataset.spend[c].reduce(0, +)
                var base = MixPlanConfig()
                base.model = output.model
                base.sampler.seed = UInt64(seed)
                base.data.channels = output.dataset.channelNames
                base.data.controls = output.dataset.controlNames
                base.data.target = output.dataset.targetName
                var configs: [String: MixPlanConfig] = ["uncalibrated": base]
                var likelihood = base
                likelihood.calibration.liftTests = [test.liftTest]
                configs["likelihood"] = likelihood
                if routes.contains("lambda-known"), let lambda = truth.parameters["\(test.channel).saturation_lambda"] {
                    var known = likelihood
                    // Gamma(α, β) with mean λ and sd 1 % of it: α = 1/0.01², β = α/λ.
                    known.model.channels[test.channel, default: .init()].priors["saturation_lambda"] =
                        PriorSpec(.gamma, ["alpha": 1e4, "beta": 1e4 / lambda])
                    configs["lambda-known"] = known
                }
                if routes.contains("exact-test") {
                    var exact = base
                    var t = test.liftTest
                    t.targetChange = test.trueDeltaY
                    t.standardError = 0.01 * abs(test.trueDeltaY)
                    exact.calibration.liftTests = [t]
                    configs["exact-test"] = exact
                }
                if routes.contains("elicited") {
                    var settings = PriorElicitation.Settings(seed: UInt64(seed))
                    settings.sampler.maxThreads = 2
                    let structure = try ModelStructure(dataset: output.dataset, model: base.model)
                    let elicited = try PriorElicitation.elicit(tests: [test.liftTest], structure: structure, settings: settings)
                    var elicit = base
                    for e in elicited {
                        var channel = elicit.model.channels[e.channel] ?? MixPlanConfig.ChannelSettings()
                        for p in e.parameters { channel.priors[p.key] = p.fit.spec }
                        channel.liftROIPrior = e.incrementalReturn.setting
                        elicit.model.channels[e.channel] = channel
                    }
                    configs["elicited"] = elicit
                    elicitRuns += 1
                    if elicited.allSatisfy(\.converged) {
                        elicitConverged += 1
                    } else {
                        for e in elicited {
                            let rhat = (e.parameters.map(\.rhat) + [e.incrementalReturn.rhat]).max()!
                            let ess = (e.parameters.map(\.essBulk) + [e.incrementalReturn.essBulk]).min()!
                            print(String(format: "%4d  elicit's own fit did not converge: %d divergences, max R̂ %.3f, min bulk ESS %.0f",
                                         seed, e.divergences, rhat, ess))
                        }
                    }
                }
                for route in routes {
                    guard let config = configs[route] else { print("unknown route \(route)"); continue }
                    let fit = try ModelFitter.fit(dataset: output.dataset, config: config)
                    let draws = roasDraws(fit, channel: c)
                    let mean = draws.reduce(0, +) / Double(draws.count)
                    let median = Diagnostics.quantile(sorted: draws, 0.5)
                    let lower = Diagnostics.quantile(sorted: draws, 0.03), upper = Diagnostics.quantile(sorted: draws, 0.97)
                    let o = Outcome(converged: fit.verdict.passed, error: abs(mean - trueROAS), medianError: abs(median - trueROAS),
                                    covers: lower <= trueROAS && trueROAS <= upper,
                                    divergences: fit.sampler.divergences, maxRhat: fit.sampler.maxRhat)
                    outcomes[route, default: []].append(o)
                    let l = fit.structure.channels[c].saturationOffset
                    let lambdas = (0..<fit.drawCount).map { fit.draw($0)[l] }.sorted()
                    print(String(format: "%4d  %-13@ %4@ %5d %7.3f   %.3f (%.3f) [%.3f, %.3f]   %.3f   %.3f   %.2f", seed, route as NSString,
                                 (o.converged ? "pass" : "FAIL") as NSString, o.divergences, o.maxRhat,
                                 mean, median, lower, upper, trueROAS, o.error, Diagnostics.quantile(sorted: lambdas, 0.5)))
                }
            } catch {
                print("seed \(seed): \(error)")
            }
        }
        let n = outcomes["uncalibrated"]?.count ?? 0
        let baseline = outcomes["uncalibrated"].map { $0.map(\.error).reduce(0, +) / Double(n) }
        let baselineMedian = outcomes["uncalibrated"].map { $0.map(\.medianError).reduce(0, +) / Double(n) }
        print("\nalways-on-lift-2ch, seeds \(first)…\(first + max(1, seeds) - 1), default settings (4 chains × 1000 warm-up × 1000 draws):")
        print("route          pass gate   mean |error| of the posterior mean (median over seeds), vs uncalibrated;  of the posterior median   94 % covers   divergences (max)")
        for route in routes {
            let o = outcomes[route] ?? []
            guard !o.isEmpty else { continue }
            let error = o.map(\.error).reduce(0, +) / Double(o.count)
            let medianError = o.map(\.medianError).reduce(0, +) / Double(o.count)
            func versus(_ e: Double, _ b: Double?) -> String {
                guard let b, route != "uncalibrated" else { return "—" }
                return String(format: "%.0f %% smaller", 100 * (1 - e / b))
            }
            print(String(format: "%-13@ %6d/%-4d %8.3f (%.3f), %@;  %.3f (%.3f), %@ %8d/%-4d %7d (%d)", route as NSString,
                         o.filter(\.converged).count, o.count,
                         error, Diagnostics.quantile(sorted: o.map(\.error).sorted(), 0.5), versus(error, baseline) as NSString,
                         medianError, Diagnostics.quantile(sorted: o.map(\.medianError).sorted(), 0.5), versus(medianError, baselineMedian) as NSString,
                         o.filter(\.covers).count, o.count, o.map(\.divergences).reduce(0, +), o.map(\.divergences).max() ?? 0))
        }
        if elicitRuns > 0 { print("elicit's own fit converged in \(elicitConverged)/\(elicitRuns) seeds") }
    }

    /// Channel `c`'s ROAS over the training rows for every posterior draw (sorted): contribution
    /// in target units over spend, as `PosteriorQuantities` computes it.
    static func roasDraws(_ fit: FittedModel, channel c: Int) -> [Double] {
        let evaluator = fit.evaluator
        let T = fit.dataset.periodCount - fit.holdout
        let spend = fit.dataset.spend[c][0..<T].reduce(0, +)
        return (0..<fit.drawCount).map { evaluator.channelContribution(c, fit.draw($0))[0..<T].reduce(0, +) / spend }.sorted()
    }
}

extension CalibrationBench {
    /// `--diagnose`: where the likelihood route's fit of seed 1 diverges — the natural parameters
    /// of each divergent transition's draw next to the posterior's 5 %, 50 % and 95 % quantiles.
    static func diagnose() {
        let output = Simulator(preset: .alwaysOnLift2ch, seed: 1).run()
        guard let truth = try? MixJSON.decoder().decode(SimulationTruth.self, from: Data(output.truthJSON.utf8)),
              let test = truth.liftTests?.first,
              let s = try? ModelStructure(dataset: output.dataset, model: output.model, liftTests: [test.liftTest]) else { return }
        var settings = SamplerSettings(seed: 1)
        settings.targetAcceptance = 0.8
        guard let result = try? sample(MediaMixModel(structure: s), settings: settings) else { return }
        let n = s.dimension
        let draws = (0..<(result.chains * result.draws)).map { s.constrain(Array(result.values[($0 * n)..<(($0 + 1) * n)])) }
        print("parameter" + String(repeating: " ", count: 22) + "q5        q50       q95")
        for p in 0..<n {
            let sorted = draws.map { $0[p] }.sorted()
            print(String(format: "%-30@ %9.4g %9.4g %9.4g", s.parameterNames[p] as NSString, sorted[sorted.count / 20],
                         sorted[sorted.count / 2], sorted[sorted.count * 19 / 20]))
        }
        for (i, st) in result.stats.enumerated() where st.divergent {
            let x = draws[i]
            print("divergent \(i / result.draws)/\(i % result.draws): " + (0..<n).map { String(format: "%@=%.4g", s.parameterNames[$0] as NSString, x[$0]) }.joined(separator: " "))
        }
    }
}
