import Foundation
import MixData
import MixInference
import MixModel

/// `geo-recovery`: the geo model on simulated panels (`GeoSimulation`) across seeds.
///
/// Per seed it fits three ways and compares per-geo ROAS with the truth:
/// - partial pooling: the geo model (`GeoStructure`);
/// - no pooling: each geo alone (a one-geo panel per geo, no sharing at all);
/// - complete pooling: one model of the national sums, whose ROAS is then every geo's estimate.
/// Error is the mean |log(posterior mean ROAS / true ROAS)| over the live geo × channel cells.
/// Coverage: the share of channels whose national 94 % interval holds the true national ROAS, and
/// of live cells whose per-geo interval holds the cell's true ROAS.
///
/// `geo-speed`: one fit of `geo-8x156` (8 geos × 156 weeks × 8 channels) at the default 4 × 1000
/// + 1000, with wall time, the verdict and min bulk ESS per second.
///
/// Options: `--seeds=N` (default 5), `--preset=NAME` (default geo-4x104), `--warmup=N --draws=N`
/// (default 1000 each), `--chains=N` (default 4).
enum GeoRecoveryBench {
    static func option(_ name: String) -> String? {
        CommandLine.arguments.first { $0.hasPrefix("--\(name)=") }.map { String($0.dropFirst(name.count + 3)) }
    }

    static func config(warmup: Int, draws: Int, chains: Int, seed: UInt64) -> MixPlanConfig {
        var config = MixPlanConfig()
        config.model.yearlySeasonality = 1
        config.model.defaultPriors = .roas
        config.sampler.warmup = warmup
        config.sampler.draws = draws
        config.sampler.chains = chains
        config.sampler.seed = seed
        return config
    }

    static func run() {
        let seeds = option("seeds").flatMap { Int($0) } ?? 5
        let preset = GeoSimulationPreset.named(option("preset") ?? "geo-4x104")!
        let warmup = option("warmup").flatMap { Int($0) } ?? 1000, draws = option("draws").flatMap { Int($0) } ?? 1000
        let chains = option("chains").flatMap { Int($0) } ?? 4
        print("preset \(preset.name), \(seeds) seeds, \(chains) chains × \(warmup) warm-up + \(draws) draws")
        var national = (covered: 0, total: 0), cells = (covered: 0, total: 0)
        var errors = (partial: [Double](), none: [Double](), complete: [Double]())
        var converged = 0
        for seed in 1...seeds {
            let sim = GeoSimulation(preset: preset, seed: UInt64(seed))
            let cfg = config(warmup: warmup, draws: draws, chains: chains, seed: UInt64(seed))
            do {
                let fit = try GeoFit.fit(panel: sim.panel, config: cfg)
                if fit.verdict.passed { converged += 1 }
                let C = sim.panel.channelNames.count, G = sim.panel.geoCount
                var seedErrors = (p: [Double](), n: [Double](), c: [Double]())
                for c in 0..<C {
                    national.total += 1
                    if fit.posterior.nationalResult(channel: c).roas.contains(sim.truth.channels[c].nationalROAS) { national.covered += 1 }
                }
                // Complete pooling: the national sums as a one-geo panel.
                let whole = GeoPanel(geoNames: ["national"], geos: [sim.panel.national], population: nil)
                let pooled = try GeoFit.fit(panel: whole, config: cfg)
                for g in 0..<G {
                    // No pooling: this geo alone.
                    let alone = try GeoFit.fit(panel: GeoPanel(geoNames: [sim.panel.geoNames[g]], geos: [sim.panel.geos[g]], population: nil), config: cfg)
                    for c in 0..<C {
                        guard let truth = sim.truth.cells[g * C + c].roas, let r = fit.posterior.result(geo: g, channel: c) else { continue }
                        cells.total += 1
                        if r.roas.contains(truth) { cells.covered += 1 }
                        seedErrors.p.append(abs(log(r.roas.mean / truth)))
                        seedErrors.n.append(abs(log(alone.posterior.result(geo: 0, channel: c)!.roas.mean / truth)))
                        seedErrors.c.append(abs(log(pooled.posterior.result(geo: 0, channel: c)!.roas.mean / truth)))
                    }
                }
                errors.partial += seedErrors.p; errors.none += seedErrors.n; errors.complete += seedErrors.c
                func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(max(1, v.count)) }
                print(String(format: "seed %d: %@ in %.0f s; per-geo |log ROAS error| partial %.3f, none %.3f, complete %.3f",
                             seed, fit.verdict.passed ? "converged" : "NOT converged (\(fit.verdict.summary))", fit.seconds,
                             mean(seedErrors.p), mean(seedErrors.n), mean(seedErrors.c)))
            } catch {
                print("seed \(seed): failed: \(error)")
            }
        }
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(max(1, v.count)) }
        print(String(format: "national ROAS 94 %% coverage: %d of %d (%.0f %%); per-geo: %d of %d live cells (%.0f %%); converged %d of %d",
                     national.covered, national.total, 100 * Double(national.covered) / Double(max(1, national.total)),
                     cells.covered, cells.total, 100 * Double(cells.covered) / Double(max(1, cells.total)), converged, seeds))
        print(String(format: "mean |log(ROAS estimate / truth)| per geo × channel: partial pooling %.3f, no pooling %.3f, complete pooling %.3f",
                     mean(errors.partial), mean(errors.none), mean(errors.complete)))
    }

    static func runSpeed() {
        let sim = GeoSimulation(preset: GeoSimulationPreset.named("geo-8x156")!, seed: 1)
        let cfg = config(warmup: option("warmup").flatMap { Int($0) } ?? 1000, draws: option("draws").flatMap { Int($0) } ?? 1000,
                         chains: option("chains").flatMap { Int($0) } ?? 4, seed: 1)
        let start = Date()
        do {
            let fit = try GeoFit.fit(panel: sim.panel, config: cfg)
            let wall = Date().timeIntervalSince(start)
            let minESS = fit.parameterRows.map(\.essBulk).min() ?? .nan
            print(String(format: "geo-8x156 (%d parameters): %.1f s wall (sampler %.1f s), %@, min bulk ESS %.0f (%.1f per s)",
                         fit.posterior.structure.dimension, wall, fit.seconds,
                         fit.verdict.passed ? "converged" : "NOT converged (\(fit.verdict.summary))", minESS, minESS / fit.seconds))
        } catch {
            print("geo-speed failed: \(error)")
        }
    }
}
