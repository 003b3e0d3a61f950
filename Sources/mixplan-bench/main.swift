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
