import Foundation
import MixData
import MixInference
import MixModel

/// `geo-convergence`: the geo model at the default sampler settings on simulated panels across
/// seeds — per fit the verdict, divergences, wall and CPU seconds; the gate asks for ≥ 4 of 5.
///
/// `geo-diagnose`: one fit, and where its divergent transitions sit: for every sampler coordinate
/// the mean of the divergent draws minus the mean of all draws, in posterior sds (a coordinate
/// the divergences crowd at one end of is where the geometry is hard), plus the correlation of
/// each pooling scale's log with its per-geo coordinates (a funnel shows as a strong one).
///
/// Options: `--presets=geo-4x104,geo-8x156`, `--seeds=N` (seeds 1…N, default 5) or `--seed-list=2,4`, `--seed=S` (diagnose),
/// `--centring=data|all|none|intercept|conditional|cnd` (`GeoCentring.Rule`; letter m = conditional intercepts, p = partially centred ROAS), `--log-roas-scale=Gamma:2:4` (and
/// `--intercept-scale`, `--fourier-scale`), `--metric=dense`, `--target-accept=X`,
/// `--adaptation=stan|gradients` (warm-up's metric adaptation; default `GeoFit.adaptation(for:)`),
/// `--priors=pymc-marketing` (pool log β, `GeoEffect.beta`; `--beta-shift=false` samples its means unshifted,
/// `--beta-baseline=true` its centred intercepts as centred baselines),
/// `--warmup=N --draws=N --chains=N`, `--retry=false` (keep every first fit; by default
/// `sampler.retry` refits a fit that failed on divergences alone, or on R-hat or ESS alone, as a
/// user's fit would, and the line says so).
enum GeoConvergenceBench {
    static func option(_ name: String) -> String? { GeoRecoveryBench.option(name) }

    /// `--centring=data|all|none|intercept`, or one letter per block for intercept, seasonality
    /// and ROAS (c centred, n non-centred, d by data), e.g. `--centring=cnd`. Default: the model's (`.standard`).
    static var centring: GeoCentring.Rule {
        var rule = baseCentring
        if option("contrasts") == "false" { rule.contrasts = false }
        if option("beta-shift") == "false" { rule.betaShift = false }
        if option("beta-baseline") == "true" { rule.betaCentredBaseline = true }
        return rule
    }

    /// `--contrasts=false` samples the non-centred blocks in the model's own coordinates.
    static var baseCentring: GeoCentring.Rule {
        switch option("centring") {
        case nil: return .standard
        case "data": return .byDataStrength
        case "alldata": return .allByData
        case "all": return .allCentred
        case "none": return .noneCentred
        case "intercept": return .interceptOnly
        case "conditional": return GeoCentring.Rule(intercept: .conditional, seasonality: .nonCentred, roas: .nonCentred)
        case let code?:
            let forms = code.map { $0 == "c" ? GeoCentring.Form.centred : $0 == "n" ? .nonCentred : $0 == "m" ? .conditional : $0 == "p" ? .partial : .byData }
            return GeoCentring.Rule(intercept: forms[0], seasonality: forms[1], roas: forms[2])
        }
    }

    /// Pooling-scale priors from `--log-roas-scale=Gamma:2:4` (family, then its parameters in
    /// `PriorSpec` order) and likewise `--intercept-scale=`, `--fourier-scale=`.
    static func scalePriors(_ config: inout MixPlanConfig) {
        for key in ["log_roas_scale", "intercept_scale", "fourier_scale"] {
            guard let text = option(key.replacingOccurrences(of: "_", with: "-")) else { continue }
            let parts = text.split(separator: ":").map(String.init)
            guard let family = PriorSpec.Family(rawValue: parts[0]) else { print("unknown prior family \(parts[0])"); exit(2) }
            let names = [PriorSpec.Family.gamma: ["alpha", "beta"], .halfNormal: ["sigma"], .logNormal: ["mu", "sigma"], .exponential: ["lam"]][family] ?? []
            config.model.priors[key] = PriorSpec(family, Dictionary(uniqueKeysWithValues: zip(names, parts.dropFirst().compactMap { Double($0) })))
        }
    }

    /// Samples `panel` with `GeoFit.fit` (and so `sampler.retry` unless `--retry=false`), with the
    /// bench's centring rule; the run returned is the kept one.
    static func fit(_ panel: GeoPanel, _ config: MixPlanConfig) throws -> (GeoFit, SamplingResult) {
        let fit = try GeoFit.fit(panel: panel, config: config, centring: centring,
                                 adaptation: ["stan": .drawVariance, "gradients": .drawAndGradientVariance][option("adaptation") ?? ""])
        return (fit, fit.result)
    }

    static func settings(seed: UInt64) -> MixPlanConfig {
        var config = GeoRecoveryBench.config(warmup: option("warmup").flatMap { Int($0) } ?? 1000, draws: option("draws").flatMap { Int($0) } ?? 1000,
                                             chains: option("chains").flatMap { Int($0) } ?? 4, seed: seed)
        scalePriors(&config)
        if option("priors") == "pymc-marketing" { config.model.defaultPriors = .pymcMarketing }
        if option("metric") == "dense" { config.sampler.metric = .dense }
        if let accept = option("target-accept").flatMap({ Double($0) }) { config.sampler.targetAccept = accept }
        config.sampler.retry = option("retry") != "false"
        return config
    }

    /// Process CPU seconds (user + system) so far, so a loaded machine's wall time can be read fairly.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func run() {
        let presets = (option("presets") ?? "geo-4x104,geo-8x156").split(separator: ",").compactMap { GeoSimulationPreset.named(String($0)) }
        let seeds = option("seed-list").map { $0.split(separator: ",").compactMap { Int($0) } } ?? Array(1...(option("seeds").flatMap { Int($0) } ?? 5))
        for preset in presets {
            var passed = 0
            for seed in seeds {
                let sim = GeoSimulation(preset: preset, seed: UInt64(seed))
                let cfg = settings(seed: UInt64(seed))
                let start = Date(), cpu = cpuSeconds()
                do {
                    let (fit, _) = try Self.fit(sim.panel, cfg)
                    let wall = Date().timeIntervalSince(start), used = cpuSeconds() - cpu
                    if fit.verdict.passed { passed += 1 }
                    let minESS = fit.parameterRows.map(\.essBulk).min() ?? .nan
                    let maxRhat = fit.parameterRows.map(\.rhat).max() ?? .nan
                    let minTail = fit.parameterRows.map(\.essTail).min() ?? .nan
                    let retried = fit.retry.map { "; retried (\($0.refitDescription)) after \($0.reason), first fit \(String(format: "%.0f", $0.firstSeconds)) s wall" } ?? ""
                    print(String(format: "%@ seed %d: %@%@; %d divergences kept; %.0f s wall, %.0f CPU s; max R-hat %.3f, min bulk ESS %.0f (%.1f per wall s), min tail ESS %.0f",
                                 preset.name, seed, fit.verdict.passed ? "passed" : "FAILED (\(fit.verdict.summary))", retried,
                                 fit.result.divergencesPerChain.reduce(0, +), wall, used, maxRhat, minESS, minESS / wall, minTail))
                    trajectories(fit.result)
                } catch {
                    print("\(preset.name) seed \(seed): failed: \(error)")
                }
            }
            print("\(preset.name): \(passed) of \(seeds.count) seeds pass the gate at defaults")
        }
    }

    /// Leapfrog steps per kept draw, the share at the maximum tree depth, and the adapted step sizes:
    /// what a fit's CPU time is made of besides the gradient.
    static func trajectories(_ result: SamplingResult) {
        let steps = result.stats.map(\.leapfrogSteps), depth = result.settings?.maxTreeDepth ?? 10
        let atMax = result.stats.filter { $0.treeDepth >= depth }.count
        let depths = Dictionary(grouping: result.stats.map(\.treeDepth), by: { $0 }).mapValues(\.count).sorted { $0.key < $1.key }
        print(String(format: "trajectories: %.1f leapfrog steps per kept draw, %.1f %% at tree depth %d; depths %@; %d leapfrog steps in all (warm-up included)",
                     Double(steps.reduce(0, +)) / Double(max(1, steps.count)), 100 * Double(atMax) / Double(max(1, steps.count)), depth,
                     depths.map { "\($0.key): \($0.value)" }.joined(separator: ", "), result.totalLeapfrogSteps))
        // Warm-up's steps per iteration, averaged over chains, in blocks of a tenth of warm-up.
        let warmup = result.warmup.map(\.leapfrogSteps.count).min() ?? 0
        guard warmup >= 10 else { return }
        let block = warmup / 10
        let means = (0..<10).map { b in
            Double(result.warmup.reduce(0) { $0 + $1.leapfrogSteps[(b * block)..<((b + 1) * block)].reduce(0, +) }) / Double(block * result.chains)
        }
        let total = result.warmup.reduce(0) { $0 + $1.leapfrogSteps.reduce(0, +) }
        print(String(format: "warm-up: %d leapfrog steps in all (%.0f %% of the run's); steps per iteration by tenth of warm-up: %@", total,
                     100 * Double(total) / Double(max(1, result.totalLeapfrogSteps)), means.map { String(format: "%.0f", $0) }.joined(separator: ", ")))
    }

    /// The posterior's long directions as the sampler sees them: coordinates standardised by their
    /// posterior sd (what an adapted diagonal metric does), then the largest eigenvalues of their
    /// correlation matrix by power iteration with deflation (C·v = Xᵀ(X·v)/(N − 1), never forming C).
    /// An eigenvalue λ means a direction √λ times longer than the metric assumes, so NUTS needs
    /// about √λ times more steps per draw than an uncorrelated posterior; the loadings say which
    /// coordinates make it.
    static func geometry(_ result: SamplingResult, names: [String], count: Int = 3) {
        let n = result.dimension, total = result.chains * result.draws
        var x = [Double](repeating: 0, count: total * n)
        for p in 0..<n {
            var mean = 0.0
            for i in 0..<total { mean += result.values[i * n + p] }
            mean /= Double(total)
            var ss = 0.0
            for i in 0..<total { let d = result.values[i * n + p] - mean; ss += d * d }
            let sd = max((ss / Double(total - 1)).squareRoot(), 1e-300)
            for i in 0..<total { x[i * n + p] = (result.values[i * n + p] - mean) / sd }
        }
        var found: [[Double]] = [], values: [Double] = []
        var rng = SeededRandom(seed: 7)
        for _ in 0..<count {
            var v = (0..<n).map { _ in rng.normal() }
            var lambda = 0.0
            for _ in 0..<300 {
                var xv = [Double](repeating: 0, count: total)
                for i in 0..<total { var a = 0.0; for p in 0..<n { a += x[i * n + p] * v[p] }; xv[i] = a }
                var w = [Double](repeating: 0, count: n)
                for i in 0..<total { let a = xv[i]; for p in 0..<n { w[p] += x[i * n + p] * a } }
                for p in 0..<n { w[p] /= Double(total - 1) }
                for (u, l) in zip(found, values) {             // deflate: C − λ u uᵀ
                    let dot = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
                    for p in 0..<n { w[p] -= l * dot * u[p] }
                }
                let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
                v = w.map { $0 / norm }
                let converged = abs(norm - lambda) < 1e-6 * norm
                lambda = norm
                if converged { break }
            }
            found.append(v); values.append(lambda)
            let loads = v.enumerated().sorted { abs($0.1) > abs($1.1) }.prefix(8)
            print(String(format: "  eigenvalue %.1f (a direction %.1f× the metric's length): ", lambda, lambda.squareRoot())
                  + loads.map { String(format: "%+.2f %@", $0.1, names[$0.0]) }.joined(separator: ", "))
        }
    }

    static func diagnose() {
        let preset = GeoSimulationPreset.named(option("preset") ?? "geo-4x104")!
        let seed = UInt64(option("seed").flatMap { Int($0) } ?? 1)
        let sim = GeoSimulation(preset: preset, seed: seed)
        let cfg = settings(seed: seed)
        do {
            let (fit, result) = try Self.fit(sim.panel, cfg)
            let s = fit.posterior.structure
            let centred = s.parameterNames.filter { $0.contains("[") && !$0.contains("_z[") && !$0.hasPrefix("sigma") && !$0.hasPrefix("gamma") }
            print("centring \(option("centring") ?? "data"): centred \(centred.count) per-geo coordinates: \(centred.joined(separator: ", "))")
            let n = result.dimension, total = result.chains * result.draws
            let divergent = (0..<total).filter { result.stats[$0].divergent }
            print("\(preset.name) seed \(seed): \(n) coordinates, \(divergent.count) divergent of \(total) draws; per chain \(result.divergencesPerChain); step sizes \(result.warmup.map { String(format: "%.3g", $0.stepSize) })")
            func column(_ p: Int) -> [Double] { (0..<total).map { result.values[$0 * n + p] } }
            func meanSD(_ v: [Double]) -> (Double, Double) {
                let m = v.reduce(0, +) / Double(v.count)
                return (m, (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, v.count - 1))).squareRoot())
            }
            func correlation(_ a: [Double], _ b: [Double]) -> Double {
                let (ma, sa) = meanSD(a), (mb, sb) = meanSD(b)
                return zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) } / Double(a.count - 1) / (sa * sb)
            }
            if !divergent.isEmpty {
                let shifts = (0..<n).map { p -> (String, Double) in
                    let v = column(p), (m, sd) = meanSD(v)
                    let dm = divergent.reduce(0) { $0 + v[$1] } / Double(divergent.count)
                    return (s.parameterNames[p], (dm - m) / sd)
                }.sorted { abs($0.1) > abs($1.1) }
                print("coordinates where divergences sit (mean of divergent draws − mean, in sds):")
                for (name, shift) in shifts.prefix(12) { print(String(format: "  %+.2f  %@", shift, name)) }
            }
            print("pooling scales: log-scale vs per-geo coordinate correlations (largest |r|), posterior mean and sd of the scale")
            for (p, name) in s.parameterNames.enumerated() where name.hasSuffix("_scale") {
                let v = column(p), prefix = String(name.dropLast("_scale".count))
                let related = s.parameterNames.indices.filter { s.parameterNames[$0].hasPrefix(prefix) && s.parameterNames[$0].contains("[") && $0 != p }
                let r = related.map { (s.parameterNames[$0], correlation(v, column($0))) }.max { abs($0.1) < abs($1.1) }
                let natural = v.map { s.parameters[p].prior.constrain($0).x }
                let (m, sd) = meanSD(natural)
                print(String(format: "  %@: mean %.3f sd %.3f; %@", name, m, sd, r.map { String(format: "r = %+.2f with %@", $0.1, $0.0) } ?? "no per-geo coordinates"))
            }
            trajectories(result)
            geometry(result, names: s.parameterNames)
            if centring.contrasts {
                let density = GeoContrastDensity(structure: s)
                var q = result.values
                for d in 0..<total {
                    let point = density.contrasts(of: Array(result.values[(d * n)..<((d + 1) * n)]))
                    for p in 0..<n { q[d * n + p] = point[p] }
                }
                print("the same in the sampler's contrast coordinates (a pooled mean's slot holds ν, the first geo's ζ̄, the others c_k):")
                geometry(result.replacingDraws(q, names: s.parameterNames), names: s.parameterNames)
            }
            print("verdict: \(fit.verdict.passed ? "passed" : fit.verdict.summary)")
        } catch {
            print("geo-diagnose failed: \(error)")
        }
    }
}
