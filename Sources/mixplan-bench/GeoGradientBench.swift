import Foundation
import MixData
import MixInference
import MixModel

/// `geo-gradient`: the cost of one log-density-and-gradient evaluation of the geo model per
/// preset, and per geo × period × channel cell (flat if the cost is linear in them), so the time
/// of a full fit can be extrapolated from a fit's leapfrog count. Options: `--presets=a,b`,
/// `--evaluations=N` (default 200), `--threads=1,2` (threads per evaluation, `GeoDensity.threads`:
/// one line per value; wall time is then the measure, CPU time adds the threads' hand-offs).
enum GeoGradientBench {
    static func run() {
        let names = (GeoRecoveryBench.option("presets") ?? "geo-4x104,geo-8x156,geo-50x208").split(separator: ",").map(String.init)
        let evaluations = GeoRecoveryBench.option("evaluations").flatMap { Int($0) } ?? 200
        for name in names {
            guard let preset = GeoSimulationPreset.named(name) else { print("unknown preset \(name)"); continue }
            let sim = GeoSimulation(preset: preset, seed: 1)
            var config = MixPlanConfig()
            config.model.yearlySeasonality = 1
            config.model.defaultPriors = .roas
            do {
                let s = try GeoStructure(panel: sim.panel, model: config.model)
                var rng = SeededRandom(seed: 7)
                let points = (0..<8).map { _ in (0..<s.dimension).map { _ in rng.uniform(-1, 1) } }
                for threads in (GeoRecoveryBench.option("threads") ?? "1").split(separator: ",").compactMap({ Int($0) }) {
                    var density = GeoDensity(structure: s)
                    density.threads = threads
                    var gradient = [Double](repeating: 0, count: s.dimension)
                    var sink = 0.0
                    let cpu = GeoConvergenceBench.cpuSeconds(), start = Date()
                    for i in 0..<evaluations {
                        sink += points[i % 8].withUnsafeBufferPointer { u in
                            gradient.withUnsafeMutableBufferPointer { density.logDensity(at: u, gradient: $0) }
                        }
                    }
                    let wall = Date().timeIntervalSince(start) / Double(evaluations), used = (GeoConvergenceBench.cpuSeconds() - cpu) / Double(evaluations)
                    let cells = Double(preset.geos * preset.periods * preset.channels)
                    print(String(format: "%@ (%d parameters, %d controls), %d thread%@: %.1f µs per gradient (CPU %.1f µs), %.2f ns per geo × period × channel%@",
                                 name, s.dimension, preset.controls, threads, threads == 1 ? "" : "s", 1e6 * wall, 1e6 * used, 1e9 * used / cells,
                                 sink.isFinite ? "" : " (non-finite)"))
                }
            } catch {
                print("\(name): \(error)")
            }
        }
    }
}
