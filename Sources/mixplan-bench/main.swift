import Foundation
import MixData

// Benchmarks, run in release: `swift run -c release mixplan-bench [SUITE ...]`.
// Each stage adds its suite to `suites`; no arguments runs them all.
let suites: [(name: String, run: () -> Void)] = [
    ("data", DataBench.run),
    ("inference", runInferenceBench),
    ("model", ModelBench.run),
    ("tvp", TimeVaryingBench.run),
    ("recovery", RecoveryBench.run),
    ("calibration", CalibrationBench.run),
    ("tvp-recovery", TimeVaryingRecoveryBench.run),
    ("optimize", OptimizeBench.run),
    ("charts", ChartsBench.run),
    ("workbook", WorkbookBench.run),
    ("geo-recovery", GeoRecoveryBench.run),
    ("geo-speed", GeoRecoveryBench.runSpeed),
    ("geo-convergence", GeoConvergenceBench.run),
    ("geo-diagnose", GeoConvergenceBench.diagnose),
    ("geo-gradient", GeoGradientBench.run),
    ("geo-peers", GeoPeersBench.run),
]
/// One line per suite for `--help` (a suite's options are in its type's doc comment).
let descriptions: [String: String] = [
    "data": "CSV loading throughput and peak memory on a generated ~200 MB file",
    "inference": "NUTS on the four posteriordb reference posteriors: gradients per second, leapfrogs, ESS (--posteriordb=PATH)",
    "model": "µs per log density + gradient on each bundled sample; --fit times whole `mixplan fit` runs",
    "tvp": "time-varying (HSGP) against static model: µs per gradient; --fit both fits",
    "recovery": "issue 20: every recovery family over seeds 1…N at defaults (--seeds=N): gate passes, ROAS coverage",
    "calibration": "issue 26: always-on-lift-2ch over seeds, fitted with and without the lift test (--seeds=N, --first=K)",
    "tvp-recovery": "time-varying multipliers (smooth dip, step) recovered over seeds (--seeds=N)",
    "optimize": "optimiser speed: 10 channels × 4000 draws, every objective",
    "charts": "the whole chart pack for a fitted weekly-5ch model",
    "workbook": "writing the weekly-5ch workbook with plan, frontier and scenarios",
    "geo-recovery": "geo panels: partial vs no vs complete pooling, interval coverage (--seeds, --warmup, --draws)",
    "geo-speed": "one geo-8x156 fit (seed 1) at the default settings: wall time",
    "geo-convergence": "geo panels at the default sampler settings across seeds: the gate per fit (--presets, --seeds, --retry=false, …)",
    "geo-diagnose": "one geo fit: where its divergent transitions sit, trajectory lengths, the posterior's longest directions (--preset, --seed)",
    "geo-gradient": "geo panels: CPU time per log-density-and-gradient evaluation",
    "geo-peers": "MixPlan's half of the geo-8x156 side by side with PyMC-Marketing (bench/peers/geo-8x156.yaml)",
]
if CommandLine.arguments.contains("--help") || CommandLine.arguments.contains("-h") {
    print("""
    usage: mixplan-bench [SUITE ...] [--OPTION=VALUE ...]   (build with -c release; no suite runs them all)

    suites:
    """)
    for suite in suites { print("  \(suite.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(descriptions[suite.name] ?? "")") }
    print("\nexample: mixplan-bench geo-convergence --presets=geo-8x156 --seeds=5")
    exit(0)
}
// Arguments starting with "--" are options read by the suites themselves (e.g. --posteriordb=PATH).
let wanted = Set(CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("--") })
let unknown = wanted.subtracting(suites.map(\.name))
if !unknown.isEmpty {
    print("unknown suite(s): \(unknown.sorted().joined(separator: ", ")); available: \(suites.map(\.name).joined(separator: ", "))")
    exit(2)
}
setvbuf(stdout, nil, _IOLBF, 0)   // line by line, so a long suite's progress shows in a log file
print("MixPlan \(MixPlanInfo.version) benchmarks")
for suite in suites where wanted.isEmpty || wanted.contains(suite.name) {
    print("\n== \(suite.name) ==")
    suite.run()
}
