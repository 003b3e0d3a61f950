import Foundation
import MixData
import MixInference
import MixModel

/// `geo-peers`: MixPlan's half of the geo side by side with PyMC-Marketing (issue #22; the whole
/// comparison is `python3 bench/peers/peers.py --models geo-8x156`, which needs a Python
/// environment). It fits the panel `mixplan simulate --preset geo-8x156 --seed 1` writes, with the
/// model and sampler settings of `bench/peers/geo-8x156.yaml` (the one definition both use:
/// `default_priors: pymc-marketing`, 4 × 1000 + 1000, target acceptance 0.9, no retry), and prints
/// wall and CPU seconds, the smallest bulk ESS over the sampled parameters, ESS per second, leapfrog
/// steps per draw and divergences. When `bench/peers/results.json` holds peer runs of geo-8x156 it
/// also prints MixPlan's ratio to their median min-ESS per CPU second — figures measured then, at
/// the load that file records, so a ratio of runs made at different times.
///
/// Run from the package root. Options: `--config=PATH`, `--results=PATH`, `--seed=N`, and
/// `--beta-shift=false` (sample the pooled means of log β unshifted, `GeoBetaShift`).
enum GeoPeersBench {
    static func run() {
        let configPath = GeoRecoveryBench.option("config") ?? "bench/peers/geo-8x156.yaml"
        do {
            var config = try ConfigLoader.load(path: configPath)
            if let seed = GeoRecoveryBench.option("seed").flatMap({ UInt64($0) }) { config.sampler.seed = seed }
            let sim = GeoSimulation(preset: GeoSimulationPreset.named("geo-8x156")!, seed: 1)
            let cpu0 = GeoConvergenceBench.cpuSeconds(), start = Date()
            let fit = try GeoFit.fit(panel: sim.panel, config: config, centring: GeoConvergenceBench.centring)
            let wall = Date().timeIntervalSince(start), cpu = GeoConvergenceBench.cpuSeconds() - cpu0
            let minESS = fit.parameterRows.map(\.essBulk).min() ?? .nan
            let steps = fit.result.stats.map(\.leapfrogSteps).reduce(0, +)
            print(String(format: "geo-8x156, %d parameters, %d × (%d + %d), target acceptance %.2f: %.1f s wall, %.1f CPU s; "
                         + "min bulk ESS %.0f (%.1f per wall s, %.1f per CPU s); %.0f leapfrogs per draw; %d divergent; %@",
                         fit.posterior.structure.dimension, config.sampler.chains, config.sampler.warmup, config.sampler.draws,
                         config.sampler.targetAccept, wall, cpu, minESS, minESS / wall, minESS / cpu,
                         Double(steps) / Double(max(1, fit.result.stats.count)), fit.result.divergences,
                         fit.verdict.passed ? "converged" : "NOT converged (\(fit.verdict.summary))"))
            let resultsPath = GeoRecoveryBench.option("results") ?? "bench/peers/results.json"
            for (sampler, rate) in peerRates(resultsPath) {
                print(String(format: "  against %@ in %@ (median %.1f min-ESS per CPU s): %.1f×", sampler, resultsPath, rate, minESS / cpu / rate))
            }
        } catch {
            print("geo-peers failed: \(error)")
        }
    }

    /// Median min-ESS per CPU second of each peer's geo-8x156 runs in peers.py's results file.
    static func peerRates(_ path: String) -> [(String, Double)] {
        guard let data = FileManager.default.contents(atPath: path),
              let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let sets = root["sets"] as? [[String: Any]] else { return [] }
        let runs = sets.flatMap { ($0["runs"] as? [[String: Any]]) ?? [] }
            .filter { $0["model"] as? String == "geo-8x156" && $0["sampler"] as? String != "mixplan" }
        var rates: [String: [Double]] = [:]
        for r in runs {
            guard let s = r["sampler"] as? String, let ess = r["min_ess_bulk"] as? Double, let cpu = r["cpu"] as? Double, cpu > 0 else { continue }
            rates[s, default: []].append(ess / cpu)
        }
        return rates.keys.sorted().map { k in
            let v = rates[k]!.sorted()
            return (k, v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2)
        }
    }
}
