import Foundation
import MixData
import MixModel

/// How well `time_varying_media` recovers a known multiplier (issue 26): the smooth dip of
/// `weekly-2ch-tvp` and the step of `weekly-2ch-tvp-step`, seeds 1…N (`--seeds=N`, default 4),
/// each fitted with its preset's config (4 chains × 1000 warm-up × 1500 draws). Per fit: the
/// convergence gate, the correlation of the posterior median m[t] with the truth, the share of
/// periods whose 94 % interval covers the truth, and the largest |median − truth|.
enum TimeVaryingRecoveryBench {
    static func run() {
        let seeds = CommandLine.arguments.first { $0.hasPrefix("--seeds=") }.flatMap { Int($0.dropFirst(8)) } ?? 4
        let first = CommandLine.arguments.first { $0.hasPrefix("--first=") }.flatMap { Int($0.dropFirst(8)) } ?? 1
        let only = CommandLine.arguments.first { $0.hasPrefix("--preset=") }.map { String($0.dropFirst(9)) }
        print("preset                seed  gate  div.  max R̂   corr(median, truth)  covered   max |error|")
        for preset in [SimulationPreset.weekly2chTVP, .weekly2chTVPStep] where only == nil || only == preset.name {
            var correlations: [Double] = [], coverage: [Double] = [], worstErrors: [Double] = [], passed = 0
            for seed in first..<(first + max(1, seeds)) {
                let output = Simulator(preset: preset, seed: UInt64(seed)).run()
                do {
                    let truth = try MixJSON.decoder().decode(SimulationTruth.self, from: Data(output.truthJSON.utf8))
                    guard let m = truth.mediaMultiplier else { continue }
                    var config = MixPlanConfig()
                    config.model = output.model
                    config.sampler.draws = preset.keptDraws
                    config.sampler.seed = UInt64(seed)
                    let fit = try ModelFitter.fit(dataset: output.dataset, config: config)
                    guard let table = TimeVaryingTable(model: fit) else { continue }
                    let bands = table.rows.compactMap(\.multiplier)
                    let median = bands.map(\.median)
                    let r = correlation(median, m)
                    let covered = Double(zip(bands, m).filter { $0.lower <= $1 && $1 <= $0.upper }.count) / Double(m.count)
                    let worst = zip(median, m).map { abs($0 - $1) }.max() ?? .nan
                    correlations.append(r)
                    coverage.append(covered)
                    worstErrors.append(worst)
                    if fit.verdict.passed { passed += 1 }
                    print(String(format: "%-20@ %5d  %4@ %5d %7.3f   %18.4f %8.1f %% %11.3f", preset.name as NSString, seed,
                                 (fit.verdict.passed ? "pass" : "FAIL") as NSString, fit.sampler.divergences, fit.sampler.maxRhat,
                                 r, 100 * covered, worst))
                } catch {
                    print("\(preset.name) seed \(seed): \(error)")
                }
            }
            guard !correlations.isEmpty else { continue }
            let medianCoverage = coverage.sorted()[coverage.count / 2]
            print(String(format: "%@: %d/%d pass the gate; correlation %.3f–%.3f (mean %.3f); periods covered %.1f–%.1f %% (mean %.1f %%, median %.1f %%); largest |median − m| %.3f–%.3f (median %.3f)",
                         preset.name as NSString, passed, correlations.count, correlations.min()!, correlations.max()!,
                         correlations.reduce(0, +) / Double(correlations.count), 100 * coverage.min()!, 100 * coverage.max()!,
                         100 * coverage.reduce(0, +) / Double(coverage.count), 100 * medianCoverage,
                         worstErrors.min()!, worstErrors.max()!, worstErrors.sorted()[worstErrors.count / 2]))
        }
    }

    /// Pearson correlation.
    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, b) {
            sab += (x - ma) * (y - mb); saa += (x - ma) * (x - ma); sbb += (y - mb) * (y - mb)
        }
        return sab / (saa * sbb).squareRoot()
    }
}
