import Foundation
import XCTest
import MixModel

/// The time-varying model (HSGP media multiplier and intercept drift): hand-written gradient
/// against finite differences, value against a naive recomputation from DESIGN.md §2 and the
/// HSGP formulas, and the multiplier's centring.
final class TimeVaryingModelTests: XCTestCase {
    static func settings(media: Bool = true, intercept: Bool = true, kernel: MixPlanConfig.HSGPKernel = .exponentiatedQuadratic,
                         m: Int = 8) -> MixPlanConfig.TimeVarying {
        var s = MixPlanConfig.TimeVarying()
        s.media = media
        s.intercept = intercept
        s.kernel = kernel
        s.basisFunctions = m
        return s
    }

    /// A random point: natural parameters from each prior's transform of u ∈ (−1.5, 1.5), then
    /// the sampler's coordinates (as in `MediaMixModelGradientTests`).
    static func randomPoint(_ structure: ModelStructure, _ rng: inout TestRandom) -> [Double] {
        let u0 = (0..<structure.dimension).map { _ in rng.uniform(-1.5, 1.5) }
        return structure.unconstrain(zip(structure.parameters, u0).map { $0.prior.constrain($1).x })
    }

    func testGradientMatchesFiniteDifferences() throws {
        let data = MediaMixModelGradientTests.dataset()
        var rng = TestRandom(seed: 17)
        let cases: [(Bool, Bool, MixPlanConfig.HSGPKernel, MixPlanConfig.Likelihood)] = [
            (true, false, .exponentiatedQuadratic, .normal), (false, true, .matern52, .normal),
            (true, true, .matern52, .studentT), (true, true, .exponentiatedQuadratic, .normal),
        ]
        for (media, intercept, kernel, likelihood) in cases {
            var model = MixPlanConfig.ModelSection()
            model.likelihood = likelihood
            model.saturation = .hill
            model.channels["ch2"] = .init(adstock: .delayed, saturation: .logistic)
            model.trend = true
            model.timeVarying = Self.settings(media: media, intercept: intercept, kernel: kernel)
            let structure = try ModelStructure(dataset: data, model: model)
            let density = MediaMixModel(structure: structure)
            for _ in 0..<3 {
                FiniteDifference.checkGradient(of: density, at: Self.randomPoint(structure, &rng),
                                               context: "media \(media) intercept \(intercept) \(kernel) \(likelihood)")
            }
        }
    }

    /// The fast evaluation equals a slow one written straight from the formulas: φ_j, √S, the
    /// mean-1 multiplier and the centred drift computed here independently of MixModel's code.
    func testValueEqualsDirectComputation() throws {
        let data = MediaMixModelGradientTests.dataset(periods: 30, channels: 2, controls: 0)
        var model = MixPlanConfig.ModelSection()
        model.defaultPriors = .pymcMarketing   // independent priors on β and the shape, as computed directly here
        model.yearlySeasonality = 0
        // m = 28 basis functions, of which the first k = 12 carry the amplitude: k is the Matérn
        // rule of thumb for a length-scale of a sixth of the span (ℓ/S = 1/3): ⌈2.65 · 1.5 · 3⌉ = 12.
        model.timeVarying = Self.settings(kernel: .matern52, m: 28)
        let structure = try ModelStructure(dataset: data, model: model)
        XCTAssertEqual(structure.timeVarying.media?.amplitudeCarriers, 12)
        // The gradient with both kinds of coefficient (the FD test above has only the first kind).
        var fdRNG = TestRandom(seed: 22)
        for _ in 0..<3 {
            FiniteDifference.checkGradient(of: MediaMixModel(structure: structure), at: Self.randomPoint(structure, &fdRNG), context: "k < m")
        }
        var rng = TestRandom(seed: 21)
        let u = Self.randomPoint(structure, &rng)
        let fast = FiniteDifference.value(of: MediaMixModel(structure: structure), at: u)

        let x = structure.constrain(u)
        let names = structure.parameterNames
        func p(_ name: String) -> Double { x[names.firstIndex(of: name)!] }
        var lp = zip(structure.parameters, x).reduce(0.0) { $0 + $1.0.prior.logDensity($1.1).value }
        lp += FiniteDifference.logAbsJacobianDeterminant(at: u, structure.constrain)
        let T = data.periodCount
        let L = 1.5 * Double(T - 1) / 2
        func gp(_ prefix: String, centred: Bool) -> [Double] {
            let l = p("\(prefix).lengthscale"), eta = p("\(prefix).amplitude")
            var f = [Double](repeating: 0, count: T)
            for j in 1...28 {
                let w = Double(j) * .pi / (2 * L)
                let spectral = 16 / 3 * pow(5, 2.5) / pow(l, 5) / pow(5 / (l * l) + w * w, 3)
                var column = (0..<T).map { t in sin(w * (Double(t) - Double(T - 1) / 2 + L)) / L.squareRoot() }
                if centred {
                    let mean = column.reduce(0, +) / Double(T)
                    column = column.map { $0 - mean }
                }
                // The first k = 12 coefficients carry η: v_j ~ Normal(0, η) with unit-amplitude
                // weights (their declared Normal(0, 1) prior, already in lp, is replaced by this
                // one); the others are non-centred, η·√S₁·z_j.
                if j <= 12 {
                    let v = p("\(prefix).v[\(j)]")
                    for t in 0..<T { f[t] += column[t] * spectral.squareRoot() * v }
                    lp += 0.5 * v * v - 0.5 * v * v / (eta * eta) - log(eta)
                } else {
                    let z = p("\(prefix).z[\(j)]")
                    for t in 0..<T { f[t] += column[t] * eta * spectral.squareRoot() * z }
                }
            }
            return f
        }
        let fm = gp("tvp_media", centred: false)
        let total = fm.map(exp).reduce(0, +)
        let multiplier = fm.map { Double(T) * exp($0) / total }
        let drift = gp("tvp_intercept", centred: true)
        let yMax = data.target.max()!
        var saturated = [[Double]](repeating: [Double](repeating: 0, count: T), count: 2)
        for t in 0..<T {
            var media = 0.0
            for (c, name) in data.channelNames.enumerated() {
                let xMax = data.spend[c].max()!
                let w = Adstock(kind: .geometric, maxLag: 8).weights([p("\(name).adstock_alpha")])
                let a = Adstock.apply(weights: w, to: data.spend[c].map { $0 / xMax })[t]
                let lambda = p("\(name).saturation_lambda")
                saturated[c][t] = p("\(name).saturation_beta") * (1 - exp(-lambda * a)) / (1 + exp(-lambda * a))
                media += saturated[c][t]
            }
            let mu = p("intercept") + drift[t] + multiplier[t] * media
            let z = (data.target[t] / yMax - mu) / p("sigma")
            lp += -0.5 * z * z - log(p("sigma")) - 0.5 * log(2 * .pi)
        }
        // Same tolerance as the static model's check: the FD log-determinant is good to ≈ 1e-8.
        XCTAssertEqual(fast, lp, accuracy: 1e-9 * abs(lp) + 1e-7)
        // The evaluator (used for contributions and charts) agrees with the same μ.
        let parts = ModelEvaluator(structure: structure, dataset: data).decompose(x)
        for t in 0..<T {
            XCTAssertEqual(parts.baseline[t], yMax * (p("intercept") + drift[t]), accuracy: 1e-9 * yMax)
            XCTAssertEqual(structure.mediaMultiplier(x)[t], multiplier[t], accuracy: 1e-12)
            for c in 0..<2 { XCTAssertEqual(parts.channels[c][t], yMax * multiplier[t] * saturated[c][t], accuracy: 1e-9 * yMax) }
        }
    }

    func testMultiplierHasMeanOneAndDriftMeanZeroOverTraining() throws {
        let data = MediaMixModelGradientTests.dataset(periods: 50)
        var model = MixPlanConfig.ModelSection()
        model.timeVarying = Self.settings(m: 12)
        let structure = try ModelStructure(dataset: data, model: model)
        var rng = TestRandom(seed: 4)
        for _ in 0..<5 {
            let x = structure.constrain(Self.randomPoint(structure, &rng))
            let m = structure.mediaMultiplier(x)
            XCTAssertEqual(m.reduce(0, +) / 50, 1, accuracy: 1e-12)
            XCTAssertTrue(m.allSatisfy { $0 > 0 })
            XCTAssertEqual(structure.interceptDrift(x).reduce(0, +), 0, accuracy: 1e-10)
            // Beyond the training rows both hold their mean over the last 4 training periods.
            let extended = structure.mediaMultiplier(x, rows: 53)
            XCTAssertEqual(extended[52], m[46..<50].reduce(0, +) / 4, accuracy: 1e-12)
            XCTAssertEqual(structure.planningMultiplier(x), extended[51], accuracy: 1e-12)
        }
    }

    /// A static model's layout and value are untouched, and a time-varying model with every
    /// coefficient 0 (m ≡ 1, no drift) has the static model's log density plus its GP priors.
    func testZeroCoefficientsReduceToTheStaticModel() throws {
        let data = MediaMixModelGradientTests.dataset()
        let staticStructure = try ModelStructure(dataset: data, model: MixPlanConfig.ModelSection())
        var model = MixPlanConfig.ModelSection()
        model.timeVarying = Self.settings()
        let structure = try ModelStructure(dataset: data, model: model)
        XCTAssertEqual(Array(structure.parameterNames.prefix(staticStructure.dimension)), staticStructure.parameterNames)
        XCTAssertEqual(structure.dimension, staticStructure.dimension + 2 * (2 + 8))
        var rng = TestRandom(seed: 8)
        var u = Self.randomPoint(structure, &rng)
        var extra = 0.0
        for i in staticStructure.dimension..<structure.dimension {
            if structure.parameterNames[i].contains(".v[") || structure.parameterNames[i].contains(".z[") { u[i] = 0 }
            extra += structure.parameters[i].prior.logDensityUnconstrained(u[i]).value
        }
        // The amplitude-carrying coefficients' prior is Normal(0, η), not the declared Normal(0, 1):
        // at v = 0 the difference is −log η per such coefficient.
        for gp in ["tvp_media", "tvp_intercept"] {
            let carriers = Double(structure.parameterNames.filter { $0.hasPrefix("\(gp).v[") }.count)
            XCTAssertGreaterThan(carriers, 0)
            extra -= carriers * log(structure.constrain(u)[structure.parameterNames.firstIndex(of: "\(gp).amplitude")!])
        }
        func value(_ s: ModelStructure, _ point: [Double]) -> Double { FiniteDifference.value(of: MediaMixModel(structure: s), at: point) }
        let full = value(structure, u)
        let reduced = value(staticStructure, Array(u.prefix(staticStructure.dimension)))
        XCTAssertEqual(full, reduced + extra, accuracy: 1e-9 * abs(full))
    }

    /// `TimeVaryingLayout.parameterCount` (what `mixplan check` prints) is what the structure
    /// adds: with a set basis size, and with the default one from the span (for 100 periods the
    /// rule of thumb gives m = ⌈1.75 · 1.5 · 6⌉ = 16 at the shortest default length-scale, span/12).
    func testParameterCountMatchesTheStructure() throws {
        let data = MediaMixModelGradientTests.dataset(periods: 100)
        let staticDimension = try ModelStructure(dataset: data, model: MixPlanConfig.ModelSection()).dimension
        for (media, intercept, m) in [(true, false, 12 as Int?), (false, true, nil), (true, true, nil), (false, false, 7)] {
            var model = MixPlanConfig.ModelSection()
            var s = Self.settings(media: media, intercept: intercept)
            s.basisFunctions = m
            model.timeVarying = s
            let structure = try ModelStructure(dataset: data, model: model)
            let count = TimeVaryingLayout.parameterCount(s, periods: 100)
            XCTAssertEqual(count.media + count.intercept, structure.dimension - staticDimension, "\(media) \(intercept) \(String(describing: m))")
            XCTAssertEqual(count.media, media ? 2 + (m ?? 16) : 0)
            XCTAssertEqual(count.intercept, intercept ? 2 + (m ?? 16) : 0)
        }
        XCTAssertEqual(TimeVaryingLayout.parameterCount(nil, periods: 100).media, 0)
    }

    func testBadHSGPPriorNamesItsKey() {
        var model = MixPlanConfig.ModelSection()
        var s = Self.settings()
        s.lengthScalePrior = PriorSpec(.normal, ["mu": 10, "sigma": 1])
        model.timeVarying = s
        XCTAssertThrowsError(try ModelStructure(dataset: MediaMixModelGradientTests.dataset(), model: model, configPath: "cfg.yaml")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("model.hsgp.lengthscale") && text.contains("cfg.yaml"), text)
        }
    }

    /// A saved time-varying model reloads with the same multiplier (its GP draws are saved like
    /// every other parameter, the basis is rebuilt from the saved config), and response curves
    /// scale with the planning multiplier.
    func testSavedModelReproducesTheMultiplierAndCurvesUseThePlanningLevel() throws {
        let data = MediaMixModelGradientTests.dataset(periods: 40, channels: 2, controls: 0)
        var config = MixPlanConfig()
        config.data.channels = data.channelNames
        config.model.timeVarying = Self.settings(intercept: false, m: 6)
        config.sampler.chains = 2
        config.sampler.warmup = 60
        config.sampler.draws = 20
        let model = try ModelFitter.fit(dataset: data, config: config)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tvp-save-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ModelStore.save(model, to: dir)
        let loaded = try ModelStore.load(from: dir)
        XCTAssertEqual(loaded.structure.timeVarying, model.structure.timeVarying)
        XCTAssertEqual(MultiplierSummary(model: loaded), MultiplierSummary(model: model))
        let x = model.draw(3)
        let plain = model.evaluator.steadyResponse(channel: 1, x, spend: 500, multiplier: 1)
        XCTAssertEqual(model.evaluator.steadyResponse(channel: 1, x, spend: 500), plain * model.structure.planningMultiplier(x), accuracy: 1e-12 * abs(plain))
        XCTAssertNotEqual(model.structure.planningMultiplier(x), 1)
    }
}
