import Foundation
import MixData
import MixModel
import MixInference

/// Issue 26's benchmark: the `always-on-lift-2ch` case (social always on, spend CV ≈ 6 %, one
/// 50 %-cut lift test with σ = 10 % of |Δy|) over seeds 1…N (`--seeds=N`, default 20), fitted at
/// default sampler settings three ways — uncalibrated, the test in the likelihood, and the
/// priors `elicit` makes from it (`lift_roi_prior`) — printing per seed (from `--first=K`, default
/// 1) and in a table: how many
/// fits pass the convergence gate, social's ROAS error (|posterior mean − truth|) against the
/// uncalibrated fit's, and how often the 94 % interval covers the true ROAS. The elicitation's
/// own fit must converge too; its failures are counted.
enum CalibrationBench {
    struct Outcome {
        var converged: Bool
        var error: Double
        var covers: Bool
        var divergences: Int
        var maxRhat: Double
    }

    static func run() {
        if CommandLine.arguments.contains("--diagnose") { return diagnose() }
        let seeds = CommandLine.arguments.first { $0.hasPrefix("--seeds=") }.flatMap { Int($0.dropFirst(8)) } ?? 20
        // `--first=K`: start at seed K (to split the seeds over several processes).
        let first = CommandLine.arguments.first { $0.hasPrefix("--first=") }.flatMap { Int($0.dropFirst(8)) } ?? 1
        let routes = ["uncalibrated", "likelihood", "elicited"]
        var outcomes = [String: [Outcome]]()
        var elicitConverged = 0
        print("seed  route          gate  div.  max R̂   ROAS mean [94 %]        truth   |error|")
        for seed in first..<(first + max(1, seeds)) {
            let output = Simulator(preset: .alwaysOnLift2ch, seed: UInt64(seed)).run()
            do {
                let truth = try JSONDecoder().decode(SimulationTruth.self, from: Data(output.truthJSON.utf8))
                guard let test = truth.liftTests?.first, let c = output.dataset.channelNames.firstIndex(of: test.channel) else { continue }
                let trueROAS = truth.contributions[test.channel]! / output.dataset.spend[c].reduce(0, +)
                var base = MixPlanConfig()
                base.model = output.model
                base.sampler.seed = UInt64(seed)
                base.data.channels = output.dataset.channelNames
                base.data.controls = output.dataset.controlNames
                base.data.target = output.dataset.targetName
                var likelihood = base
                likelihood.calibration.liftTests = [test.liftTest]
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
                for (route, config) in zip(routes, [base, likelihood, elicit]) {
                    let fit = try ModelFitter.fit(dataset: output.dataset, config: config)
                    let roas = PosteriorQuantities(model: fit, maxDraws: 1000).channels[c].roas
                    let o = Outcome(converged: fit.verdict.passed, error: abs(roas.mean - trueROAS),
                                    covers: roas.lower <= trueROAS && trueROAS <= roas.upper,
                                    divergences: fit.sampler.divergences, maxRhat: fit.sampler.maxRhat)
                    outcomes[route, default: []].append(o)
                    print(String(format: "%4d  %-13@ %4@ %5d %7.3f   %.3f [%.3f, %.3f]   %.3f   %.3f", seed, route as NSString,
                                 (o.converged ? "pass" : "FAIL") as NSString, o.divergences, o.maxRhat,
                                 roas.mean, roas.lower, roas.upper, trueROAS, o.error))
                }
            } catch {
                print("seed \(seed): \(error)")
            }
        }
        let n = outcomes["uncalibrated"]?.count ?? 0
        guard n > 0 else { return }
        let baseline = outcomes["uncalibrated"]!.map(\.error).reduce(0, +) / Double(n)
        print("\nalways-on-lift-2ch, \(n) seeds, default settings (4 chains × 1000 warm-up × 1000 draws):")
        print("route          pass gate   mean |ROAS error|   vs uncalibrated   94 % covers   divergences (max)")
        for route in routes {
            let o = outcomes[route] ?? []
            let error = o.map(\.error).reduce(0, +) / Double(max(1, o.count))
            print(String(format: "%-13@ %6d/%-4d %15.3f %16@ %10d/%-4d %7d (%d)", route as NSString, o.filter(\.converged).count, o.count,
                         error, (route == "uncalibrated" ? "—" : String(format: "%.0f %% smaller", 100 * (1 - error / baseline))) as NSString,
                         o.filter(\.covers).count, o.count, o.map(\.divergences).reduce(0, +), o.map(\.divergences).max() ?? 0))
        }
        print("elicit's own fit converged in \(elicitConverged)/\(n) seeds")
    }
}

extension CalibrationBench {
    /// `--diagnose`: where the likelihood route's fit of seed 1 diverges — the natural parameters
    /// of each divergent transition's draw next to the posterior's 5 %, 50 % and 95 % quantiles.
    static func diagnose() {
        let output = Simulator(preset: .alwaysOnLift2ch, seed: 1).run()
        guard let truth = try? JSONDecoder().decode(SimulationTruth.self, from: Data(output.truthJSON.utf8)),
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
