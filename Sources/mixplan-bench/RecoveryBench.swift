import Foundation
import MixData
import MixModel

/// Issue 20's recovery benchmark: every family of `SimulationPreset.recovery`, simulated with
/// seeds 1…N and fitted at default settings (the preset's config as `mixplan simulate` writes
/// it, default priors, 4 chains × 1000 warm-up + 1000 draws, the seed as the sampler's seed).
/// Per family it reports how many fits pass the convergence gate (max R̂ ≤ 1.01, min bulk
/// ESS ≥ 400, 0 post-warm-up divergences) and how many channels' 94 % ROAS intervals cover the
/// true ROAS (truth.json's contribution ÷ the channel's total spend); the targets are ≥ 19 of 20
/// and ≥ 90 %. Also the true and fitted media share of the target (posterior mean).
///
/// Options: `--seeds=N` (default 20), `--family=NAME[,NAME…]` (default all),
/// `--warmup=N --draws=N` (default 1000 each), `--priors=pymc-marketing` for the old defaults,
/// `--verbose` for one line per fit.
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
        if CommandLine.arguments.contains("--diagnose") {
            for preset in SimulationPreset.recovery where wanted?.contains(preset.name) ?? true { RecoveryDiagnosis.run(preset, seed: seeds) }
            return
        }
        print("seeds 1…\(seeds), 4 chains × \(warmup) warm-up + \(draws) draws, default_priors: \(priors.rawValue)")
        print("| family | gate passed | ROAS 94 % coverage | divergent fits | worst R̂ | lowest ESS | media share true / fitted | s per fit |")
        print("|---|---|---|---|---|---|---|---|")
        for preset in SimulationPreset.recovery where wanted?.contains(preset.name) ?? true {
            var passed = 0, covered = 0, intervals = 0, divergent = 0
            var worstRhat = 0.0, lowestESS = Double.infinity, seconds = 0.0, trueShare = 0.0, fittedShare = 0.0
            for seed in 1...seeds {
                let output = Simulator(preset: preset, seed: UInt64(seed)).run()
                do {
                    let truth = try JSONDecoder().decode(SimulationTruth.self, from: Data(output.truthJSON.utf8))
                    var config = MixPlanConfig()
                    config.model = output.model
                    config.model.defaultPriors = priors
                    config.sampler.seed = UInt64(seed)
                    config.sampler.warmup = warmup
                    config.sampler.draws = draws
                    let fit = try ModelFitter.fit(dataset: output.dataset, config: config)
                    let q = PosteriorQuantities(model: fit)
                    let s = fit.sampler
                    if fit.verdict.passed { passed += 1 }
                    if s.divergences > 0 { divergent += 1 }
                    worstRhat = max(worstRhat, s.maxRhat)
                    lowestESS = min(lowestESS, s.minEssBulk)
                    seconds += s.seconds
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
                        print(String(format: "  %@ seed %2d: %@ R̂ %.3f ESS %.0f div %d %.1f s %@", preset.name, seed,
                                     fit.verdict.passed ? "pass" : "FAIL", s.maxRhat, s.minEssBulk, s.divergences, s.seconds,
                                     misses.joined(separator: "; ")))
                    }
                } catch {
                    print("  \(preset.name) seed \(seed): \(error)")
                }
            }
            let n = Double(seeds)
            print(String(format: "| %@ | %d / %d | %.0f %% (%d / %d) | %d | %.3f | %.0f | %.1f %% / %.1f %% | %.1f |",
                         preset.name, passed, seeds, 100 * Double(covered) / Double(max(intervals, 1)), covered, intervals,
                         divergent, worstRhat, lowestESS, 100 * trueShare / n, 100 * fittedShare / n, seconds / n))
        }
    }
}

import MixInference

/// `mixplan-bench recovery --diagnose --family=NAME --seeds=N`: where seed N's default fit
/// diverges — for each sampler coordinate, the mean at divergent draws minus the mean over all
/// draws, in posterior sd, largest first (a funnel shows as a coordinate pushed to one end).
enum RecoveryDiagnosis {
    static func run(_ preset: SimulationPreset, seed: Int) {
        let output = Simulator(preset: preset, seed: UInt64(seed)).run()
        guard let structure = try? ModelStructure(dataset: output.dataset, model: output.model) else { return }
        var settings = SamplerSettings(seed: UInt64(seed))
        settings.targetAcceptance = 0.8
        guard let result = try? sample(MediaMixModel(structure: structure), settings: settings) else { return }
        let n = structure.dimension
        let divergent = result.stats.indices.filter { result.stats[$0].divergent }
        print("\(preset.name) seed \(seed): \(divergent.count) divergent of \(result.stats.count)")
        guard !divergent.isEmpty else { return }
        var rows: [(String, Double, Double)] = []
        for p in 0..<n {
            let all = result.stats.indices.map { result.values[$0 * n + p] }
            let mean = all.reduce(0, +) / Double(all.count)
            let sd = (all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count)).squareRoot()
            let d = divergent.map { result.values[$0 * n + p] }.reduce(0, +) / Double(divergent.count)
            rows.append((structure.parameterNames[p], (d - mean) / sd, mean))
        }
        for (name, z, mean) in rows.sorted(by: { abs($0.1) > abs($1.1) }).prefix(8) {
            print(String(format: "  %-32@ divergent − all: %+.2f sd   (coordinate mean %.3f)", name as NSString, z, mean))
        }
    }
}
