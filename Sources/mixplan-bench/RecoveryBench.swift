import Foundation
import MixData
import MixModel

/// Issue 20's recovery benchmark: every family of `SimulationPreset.recovery`, simulated with
/// seeds 1…N and fitted at default settings (the preset's config as `mixplan simulate` writes
/// it, default priors, 4 chains × 1000 warm-up + 1000 draws, the seed as the sampler's seed).
/// Per family it reports how many fits pass the convergence gate (max R̂ ≤ 1.01, min bulk
/// ESS ≥ 400, 0 post-warm-up divergences) and how many channels' 94 % ROAS intervals cover the
/// true ROAS (truth.json's contribution ÷ the channel's total spend); the targets are ≥ 19 of 20
/// and ≥ 90 %. Also the true and fitted media share of the target (posterior mean). Fits use
/// `sampler.retry` as a user's would (on by default): a fit that failed on divergences alone is
/// refitted once at a higher target acceptance, and the table shows both how many passed at the
/// first fit and how many after the retry, and how many needed it.
///
/// Options: `--seeds=N` (default 20), `--family=NAME[,NAME…]` (default all),
/// `--warmup=N --draws=N` (default 1000 each), `--priors=pymc-marketing` for the old defaults,
/// `--retry=false` to keep every first fit, `--prior=KEY=SPEC` (repeatable, e.g.
/// `--prior='saturation_lambda=Gamma(alpha=2, beta=0.5)'`) to try a default prior on every
/// channel without rebuilding, `--verbose` for one line per fit.
enum RecoveryBench {
    static func run() {
        func option(_ name: String) -> String? {
            CommandLine.arguments.first { $0.hasPrefix("--\(name)=") }.map { String($0.dropFirst(name.count + 3)) }
        }
        let seeds = option("seeds").flatMap { Int($0) } ?? 20
        let warmup = option("warmup").flatMap { Int($0) } ?? 1000
        let draws = option("draws").flatMap { Int($0) } ?? 1000
        let wanted = option("family").map { Set($0.split(separator: ",").map(String.init)) }
        let priors = option("priors").flatMap(MixPlanConfig.PriorDefaults.init(rawValue:)) ?? .roas
        let verbose = CommandLine.arguments.contains("--verbose")
        let retry = option("retry").map { $0 != "false" } ?? true
        var overrides: [String: PriorSpec] = [:]
        for argument in CommandLine.arguments where argument.hasPrefix("--prior=") {
            let text = argument.dropFirst(8)
            guard let equals = text.firstIndex(of: "="),
                  let spec = try? PriorParser.parse(String(text[text.index(after: equals)...]), location: InputLocation(file: "--prior")) else {
                print("--prior=\(text): expected KEY=SPEC, e.g. saturation_lambda=Gamma(alpha=2, beta=0.5)")
                return
            }
            overrides[String(text[..<equals])] = spec
        }
        if !overrides.isEmpty { print("prior overrides: " + overrides.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")) }
        if CommandLine.arguments.contains("--diagnose") {
            for preset in SimulationPreset.recovery where wanted?.contains(preset.name) ?? true {
                RecoveryDiagnosis.run(preset, seed: seeds, priors: overrides)
            }
            return
        }
        print("seeds 1…\(seeds), 4 chains × \(warmup) warm-up + \(draws) draws, default_priors: \(priors.rawValue), sampler.retry: \(retry)")
        print("| family | gate passed, first fit | gate passed, with the retry | fits retried | ROAS 94 % coverage | divergent fits (kept) | worst R̂ | lowest ESS | media share true / fitted | s per fit |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for preset in SimulationPreset.recovery where wanted?.contains(preset.name) ?? true {
            var passed = 0, passedFirst = 0, retried = 0, covered = 0, intervals = 0, divergent = 0
            var worstRhat = 0.0, lowestESS = Double.infinity, seconds = 0.0, trueShare = 0.0, fittedShare = 0.0
            for seed in 1...seeds {
                let output = Simulator(preset: preset, seed: UInt64(seed)).run()
                do {
                    let truth = try MixJSON.decoder().decode(SimulationTruth.self, from: Data(output.truthJSON.utf8))
                    var config = MixPlanConfig()
                    config.model = output.model
                    config.model.defaultPriors = priors
                    config.sampler.seed = UInt64(seed)
                    config.sampler.warmup = warmup
                    config.sampler.draws = draws
                    config.sampler.retry = retry
                    for (key, spec) in overrides { config.model.priors[key] = spec }
                    let fit = try ModelFitter.fit(dataset: output.dataset, config: config)
                    let q = PosteriorQuantities(model: fit)
                    let s = fit.sampler
                    if fit.verdict.passed { passed += 1 }
                    if fit.verdict.passed && s.retry == nil { passedFirst += 1 }
                    if s.retry != nil { retried += 1 }
                    if s.divergences > 0 { divergent += 1 }
                    worstRhat = max(worstRhat, s.maxRhat)
                    lowestESS = min(lowestESS, s.minEssBulk)
                    seconds += s.seconds + (s.retry?.discardedSeconds ?? 0)
                    var misses: [String] = []
                    for (c, name) in output.dataset.channelNames.enumerated() {
                        let roas = truth.contributions[name]! / output.dataset.spend[c].reduce(0, +)
                        intervals += 1
                        if q.channels[c].roas.contains(roas) { covered += 1 } else {
                            misses.append(String(format: "%@ %.2f ∉ [%.2f, %.2f]", name, roas, q.channels[c].roas.lower, q.channels[c].roas.upper))
                        }
                    }
                    trueShare += truth.contributionShare.values.reduce(0, +)
                    fittedShare += q.channels.map(\.contribution.mean).reduce(0, +) / output.dataset.target.reduce(0, +)
                    if verbose {
                        let again = s.retry.map { "retried at \($0.targetAccept) after \($0.reason); " } ?? ""
                        print(String(format: "  %@ seed %2d: %@ R̂ %.3f ESS %.0f div %d %.1f s %@%@", preset.name, seed,
                                     fit.verdict.passed ? "pass" : "FAIL", s.maxRhat, s.minEssBulk, s.divergences,
                                     s.seconds + (s.retry?.discardedSeconds ?? 0), again, misses.joined(separator: "; ")))
                    }
                } catch {
                    print("  \(preset.name) seed \(seed): \(error)")
                }
            }
            let n = Double(seeds)
            print(String(format: "| %@ | %d / %d | %d / %d | %d | %.0f %% (%d / %d) | %d | %.3f | %.0f | %.1f %% / %.1f %% | %.1f |",
                         preset.name, passedFirst, seeds, passed, seeds, retried, 100 * Double(covered) / Double(max(intervals, 1)), covered, intervals,
                         divergent, worstRhat, lowestESS, 100 * trueShare / n, 100 * fittedShare / n, seconds / n))
        }
    }
}

import MixInference

/// `mixplan-bench recovery --diagnose --family=NAME --seeds=N`: where seed N's default fit
/// diverges — for each sampler coordinate, the mean at divergent draws minus the mean over all
/// draws, in posterior sd, largest first (a funnel shows as a coordinate pushed to one end); the
/// share of divergent draws beyond each of those coordinates' 90 % quantile (or below its 10 %);
/// and the posterior correlations among them, a pair plot as numbers.
enum RecoveryDiagnosis {
    static func run(_ preset: SimulationPreset, seed: Int, priors: [String: PriorSpec] = [:]) {
        let output = Simulator(preset: preset, seed: UInt64(seed)).run()
        var model = output.model
        for (key, spec) in priors { model.priors[key] = spec }
        guard let structure = try? ModelStructure(dataset: output.dataset, model: model) else { return }
        var settings = SamplerSettings(seed: UInt64(seed))
        settings.targetAcceptance = 0.8
        guard let result = try? sample(MediaMixModel(structure: structure), settings: settings) else { return }
        let n = structure.dimension
        let divergent = result.stats.indices.filter { result.stats[$0].divergent }
        print("\(preset.name) seed \(seed): \(divergent.count) divergent of \(result.stats.count)")
        guard !divergent.isEmpty else { return }
        var rows: [(p: Int, z: Double, mean: Double)] = []
        var columns: [[Double]] = []
        for p in 0..<n {
            let all = result.stats.indices.map { result.values[$0 * n + p] }
            columns.append(all)
            let mean = all.reduce(0, +) / Double(all.count)
            let sd = (all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count)).squareRoot()
            let d = divergent.map { result.values[$0 * n + p] }.reduce(0, +) / Double(divergent.count)
            rows.append((p, (d - mean) / sd, mean))
        }
        let top = rows.sorted(by: { abs($0.z) > abs($1.z) }).prefix(6)
        for r in top {
            let sorted = columns[r.p].sorted()
            let q10 = sorted[sorted.count / 10], q90 = sorted[sorted.count * 9 / 10]
            let beyond = divergent.filter { r.z > 0 ? result.values[$0 * n + r.p] > q90 : result.values[$0 * n + r.p] < q10 }.count
            print(String(format: "  %-32@ divergent − all: %+.2f sd   (coordinate mean %.3f); %d of %d divergent draws beyond its %@",
                         structure.parameterNames[r.p] as NSString, r.z, r.mean, beyond, divergent.count, r.z > 0 ? "90 % quantile" : "10 % quantile"))
        }
        func correlation(_ a: [Double], _ b: [Double]) -> Double {
            let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
            var sab = 0.0, saa = 0.0, sbb = 0.0
            for i in a.indices { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb) }
            return sab / (saa * sbb).squareRoot()
        }
        let picked = Array(top.prefix(4))
        print("  posterior correlations (sampler coordinates) among the four above:")
        for a in picked.indices {
            let cells = picked.indices.map { b in String(format: "%+.2f", correlation(columns[picked[a].p], columns[picked[b].p])) }
            print(String(format: "    %-32@ %@", structure.parameterNames[picked[a].p] as NSString, cells.joined(separator: "  ")))
        }
    }
}
