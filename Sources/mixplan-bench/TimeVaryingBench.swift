import Foundation
import MixData
import MixModel
import MixInference

/// The time-varying (HSGP) model against the static one on the simulated `weekly-2ch-tvp` data
/// (seed 1): CPU µs per log density + gradient for each, and with `--fit` both fits (sampler
/// seconds, gradients, divergences) and their ratio — the target is a time-varying fit
/// with m = 50 at most 5× the static fit's time. Both fits use the sample's sampler settings
/// (default target acceptance 0.8, diagonal metric); `--accept=A` and `--dense` change them for
/// the time-varying fit. `--basis=M` changes m (default 50), `--kernel=matern52` the kernel;
/// `--diagnose` prints where a default-settings run diverges.
enum TimeVaryingBench {
    static func run() {
        let m = CommandLine.arguments.first { $0.hasPrefix("--basis=") }.flatMap { Int($0.dropFirst(8)) } ?? 50
        let output = Simulator(preset: .weekly2chTVP, seed: 1).run()
        var tv = MixPlanConfig.TimeVarying()
        tv.media = true
        tv.basisFunctions = m
        if CommandLine.arguments.contains("--kernel=matern52") { tv.kernel = .matern52 }
        var staticModel = output.model
        staticModel.timeVarying = nil
        var varying = output.model
        varying.timeVarying = tv
        print("model        params   CPU µs/gradient" + (CommandLine.arguments.contains("--fit") ? "   fit s     grads  div.  max R̂" : ""))
        var seconds: [Double] = []
        for (name, model) in [("static", staticModel), ("hsgp m=\(m)", varying)] {
            do {
                let structure = try ModelStructure(dataset: output.dataset, model: model)
                var density = MediaMixModel(structure: structure)
                let n = density.dimension
                var u = [Double](repeating: 0.1, count: n)
                // A length-scale near the posterior's (≈ 30 weeks on this data), not e^0.1 weeks.
                if let gp = structure.timeVarying.media { u[gp.lengthScaleIndex] = log(30) }
                var g = [Double](repeating: 0, count: n)
                let reps = 20_000
                var sink = 0.0
                let cpuStart = threadCPU()
                for r in 0..<reps {
                    u[r % n] += 1e-9
                    sink += u.withUnsafeBufferPointer { up in g.withUnsafeMutableBufferPointer { density.logDensity(at: up, gradient: $0) } }
                }
                let cpu = Double(threadCPU() - cpuStart) / 1000 / Double(reps)
                var line = String(format: "%-12@ %6d %17.2f", name as NSString, n, cpu) + (sink.isNaN ? " (nan)" : "")
                if CommandLine.arguments.contains("--fit") {
                    var config = MixPlanConfig()
                    config.model = model
                    if model.timeVarying != nil {
                        if let a = CommandLine.arguments.first(where: { $0.hasPrefix("--accept=") }).flatMap({ Double($0.dropFirst(9)) }) {
                            config.sampler.targetAccept = a
                        }
                        if CommandLine.arguments.contains("--dense") { config.sampler.metric = .dense }
                    }
                    let fit = try ModelFitter.fit(dataset: output.dataset, config: config)
                    seconds.append(fit.sampler.seconds)
                    line += String(format: " %7.2f %9d %5d %7.4f", fit.sampler.seconds, fit.sampler.gradientEvaluations,
                                   fit.sampler.divergences, fit.sampler.maxRhat)
                }
                print(line)
            } catch {
                print("\(name): \(error)")
            }
        }
        if CommandLine.arguments.contains("--diagnose"), let structure = try? ModelStructure(dataset: output.dataset, model: varying),
           let gp = structure.timeVarying.media {
            var settings = SamplerSettings(seed: 1)
            settings.targetAcceptance = 0.8
            let result = try! sample(MediaMixModel(structure: structure), settings: settings)
            let n = structure.dimension
            for (i, st) in result.stats.enumerated() where st.divergent {
                let u = Array(result.values[(i * n)..<((i + 1) * n)])
                let x = structure.constrain(u)
                print(String(format: "divergent draw %5d: lengthscale %7.2f amplitude %.3f sigma %.4f c1..3 %.2f %.2f %.2f", i, x[gp.lengthScaleIndex], x[gp.amplitudeIndex],
                             x[structure.sigmaIndex], x[gp.coefficientOffset], x[gp.coefficientOffset + 1], x[gp.coefficientOffset + 2]))
            }
        }
        if seconds.count == 2 { print(String(format: "time-varying / static fit time: %.2f× (target ≤ 5×)", seconds[1] / seconds[0])) }
    }

    private static func threadCPU() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
