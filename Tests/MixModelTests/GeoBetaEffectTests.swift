import Foundation
import MixInference
import MixModel
import XCTest

/// The geo model with effects sampled as saturation β (`GeoEffect.beta`, `model.default_priors:
/// pymc-marketing`): gradient against finite differences, value against a direct computation of
/// μ = baseline + Σ_c β·h, the derived ROAS R = β·H/X, and the pooled mean's prior.
final class GeoBetaEffectTests: XCTestCase {
    static func betaModel(_ adstock: Adstock.Kind = .geometric, _ saturation: Saturation.Kind = .logistic) -> MixPlanConfig.ModelSection {
        var model = MixPlanConfig.ModelSection()
        model.defaultPriors = .pymcMarketing
        model.adstock = adstock
        model.saturation = saturation
        model.adstockMaxLag = 5
        model.trend = true
        model.yearlySeasonality = 2
        return model
    }

    func testGradientMatchesFiniteDifferencesForEveryTransformPair() throws {
        let panel = GeoModelTests.panel()
        var rng = TestRandom(seed: 23)
        for adstock in Adstock.Kind.allCases {
            for saturation in Saturation.Kind.allCases {
                let model = Self.betaModel(adstock, saturation)
                var baseline = GeoCentring.Rule.standard
                baseline.betaCentredBaseline = true
                for rule in [GeoCentring.Rule.standard, .allCentred, .noneCentred, baseline] {
                    let density = GeoDensity(structure: try GeoStructure(panel: panel, model: model, centring: rule))
                    XCTAssertTrue(density.structure.channels.allSatisfy { $0.effect == .beta })
                    // Centred baselines b_g = intercept_g + Σ_c β·H/T only on request (the gradient's shape terms checked here).
                    XCTAssertEqual(density.structure.centredBaseline, rule == baseline ? density.structure.intercept.centred : [false, false, false])
                    XCTAssertEqual(density.structure.centredBaseline.contains(true), rule == baseline)
                    let u = (0..<density.dimension).map { _ in rng.uniform(-1.5, 1.5) }
                    FiniteDifference.checkGradient(of: density, at: u, context: "β \(adstock)/\(saturation)/\(rule)")
                }
                let one = GeoPanel(geoNames: ["all"], geos: [panel.geos[2]], population: nil)
                let single = GeoDensity(structure: try GeoStructure(panel: one, model: model))
                FiniteDifference.checkGradient(of: single, at: (0..<single.dimension).map { _ in rng.uniform(-1.5, 1.5) },
                                               context: "β \(adstock)/\(saturation)/one geo")
            }
        }
    }

    /// The fast evaluation equals one written from the formulas: μ[g,t] = b_g + Σ_j f·F_j + δ_g·t/T
    /// + γ·z̃ + Σ_c β[g,c]·h_c(a[g,t,c]) with β = exp(μ_c + τ_c·ζ) (no division by H), and the
    /// derived ROAS is β·H/X: the cell's contributions over the rows, in target units, over its spend.
    func testValueAndDerivedROASEqualDirectComputation() throws {
        let panel = GeoModelTests.panel(geos: 3, periods: 26, channels: 2)
        var model = Self.betaModel()
        model.adstockMaxLag = 8
        model.yearlySeasonality = 1
        let s = try GeoStructure(panel: panel, model: model)
        var rng = TestRandom(seed: 3)
        let u = (0..<s.dimension).map { _ in rng.uniform(-1, 1) }
        let fast = FiniteDifference.value(of: GeoDensity(structure: s), at: u)
        let x = s.constrain(u), names = s.parameterNames
        func p(_ name: String) -> Double { x[try! XCTUnwrap(names.firstIndex(of: name), name)] }
        var lp = zip(s.parameters, u).reduce(0.0) { acc, pu in
            let t = pu.0.prior.constrain(pu.1)
            return acc + pu.0.prior.logDensity(t.x).value + t.logJacobian
        }
        let T = panel.periodCount
        let sizes = panel.geos.map { $0.target.reduce(0, +) / Double(T) }
        let ky = (0..<3).map { panel.geos[$0].target.max()! / sizes[$0] }.max()!
        let price = panel.geos.flatMap { $0.controls[0] }
        let pm = price.reduce(0, +) / Double(price.count)
        let psd = (price.reduce(0) { $0 + ($1 - pm) * ($1 - pm) } / Double(price.count)).squareRoot()
        let post = GeoPosterior(structure: s, naturalDraws: [x])
        for (g, geo) in panel.geoNames.enumerated() {
            let unit = sizes[g] * ky
            // The intercepts are centred (their Normal(0, 1) listing gives way to Normal(b̄, s_b)).
            let b = p("intercept[\(geo)]"), r = (b - p("intercept")) / p("intercept_scale")
            lp += -0.5 * r * r - log(p("intercept_scale")) - (-0.5 * u[names.firstIndex(of: "intercept[\(geo)]")!] * u[names.firstIndex(of: "intercept[\(geo)]")!])
            func nonCentred(_ name: String, _ mean: String, _ scale: String) -> Double { p(mean) + p(scale) * p("\(name)_z[\(geo)]") }
            var mu = [Double](repeating: 0, count: T)
            for t in 0..<T {
                let d = 2 * Double.pi * Double(panel.dates[t].dayOfYear) / 365.25
                mu[t] = b + nonCentred("fourier_sin[1]", "fourier_sin[1]", "fourier_scale") * sin(d)
                    + nonCentred("fourier_cos[1]", "fourier_cos[1]", "fourier_scale") * cos(d)
                    + nonCentred("trend", "trend", "trend_scale") * Double(t + 1) / Double(T)
                    + p("gamma_control[price]") * (panel.geos[g].controls[0][t] - pm) / psd
            }
            for (c, name) in panel.channelNames.enumerated() {
                let spend = panel.geos[g].spend[c], total = spend.reduce(0, +)
                guard total > 0 else { continue }
                let kc = (0..<3).map { panel.geos[$0].spend[c].max()! / sizes[$0] }.max()!
                let w = Adstock(kind: .geometric, maxLag: 8).weights([p("\(name).adstock_alpha")])
                let a = Adstock.apply(weights: w, to: spend.map { $0 / (sizes[g] * kc) })
                let lambda = p("\(name).saturation_lambda")
                let h = a.map { (1 - exp(-lambda * $0)) / (1 + exp(-lambda * $0)) }
                let beta = exp(nonCentred("\(name).log_beta", "\(name).log_beta_mean", "\(name).log_beta_scale"))
                for t in 0..<T { mu[t] += beta * h[t] }
                // ROAS: contributions β·h·u_g summed over the rows, over the spend (relative 1e-12: sums of 26 terms).
                let roas = beta * h.reduce(0, +) * unit / total
                XCTAssertEqual(exp(s.logROAS(x, geo: g, channel: c)), roas, accuracy: 1e-12 * roas)
                XCTAssertEqual(post.contribution[g * 2 + c][0], roas * total, accuracy: 1e-9 * roas * total)
            }
            let sigma = p("sigma[\(geo)]")
            for t in 0..<T {
                let z = (panel.geos[g].target[t] / unit - mu[t]) / sigma
                lp += -0.5 * z * z - log(sigma) - 0.5 * log(2 * .pi)
            }
        }
        // Tolerance: both sums run over ~80 terms of size ≤ 1e3 in a different order.
        XCTAssertEqual(fast, lp, accuracy: 1e-9 * abs(lp) + 1e-8)
    }

    /// The pooled mean's prior is the log-scale mean and sd of the channel's β prior: PyMC-Marketing's
    /// logistic default HalfNormal(2), a Gamma, a LogNormal used exactly; other families refused by key.
    /// Moments checked against quadrature of log β under each density (independent of ψ and ψ′).
    func testPooledMeanPriorMatchesLogMomentsOfTheBetaPrior() throws {
        let panel = GeoModelTests.panel()
        var model = Self.betaModel()
        model.channels["ch1"] = .init(priors: ["saturation_beta": PriorSpec(.gamma, ["alpha": 4, "beta": 2])])
        model.channels["ch2"] = .init(priors: ["saturation_beta": PriorSpec(.logNormal, ["mu": -1, "sigma": 0.7])])
        let s = try GeoStructure(panel: panel, model: model)
        func prior(_ name: String) -> PriorSpec { s.parameters[s.parameterNames.firstIndex(of: name)!].prior.spec }
        for (name, beta) in [("ch0", PriorSpec(.halfNormal, ["sigma": 2])), ("ch1", PriorSpec(.gamma, ["alpha": 4, "beta": 2]))] {
            let density = try Prior(beta)
            // Trapezoid rule on log β ∈ [−30, 6] with step 1e-4 (the integrands are smooth and negligible at both ends).
            var m0 = 0.0, m1 = 0.0, m2 = 0.0
            for i in 0...360_000 {
                let v = -30 + 1e-4 * Double(i), w = exp(density.logDensity(exp(v)).value + v) * (i == 0 || i == 360_000 ? 0.5 : 1)
                m0 += w; m1 += w * v; m2 += w * v * v
            }
            let mean = m1 / m0, sd = (m2 / m0 - mean * mean).squareRoot()
            XCTAssertEqual(m0 * 1e-4, 1, accuracy: 1e-6, name)
            XCTAssertEqual(prior("\(name).log_beta_mean")["mu"], mean, accuracy: 1e-7, name)
            XCTAssertEqual(prior("\(name).log_beta_mean")["sigma"], sd, accuracy: 1e-7, name)
        }
        XCTAssertEqual(prior("ch2.log_beta_mean"), PriorSpec(.normal, ["mu": -1, "sigma": 0.7]))
        XCTAssertEqual(prior("ch0.log_beta_scale"), PriorSpec(.halfNormal, ["sigma": 0.5]))
        // Shapes keep PyMC-Marketing's defaults (logistic λ ~ Gamma(3, 1), geometric α ~ Beta(1, 3)).
        XCTAssertEqual(prior("ch0.saturation_lambda"), PriorSpec(.gamma, ["alpha": 3, "beta": 1]))
        XCTAssertEqual(prior("ch0.adstock_alpha"), PriorSpec(.beta, ["alpha": 1, "beta": 3]))
        XCTAssertEqual(GeoEffect.digamma(1), -0.5772156649015329, accuracy: 1e-13)
        XCTAssertEqual(GeoEffect.trigamma(1), Double.pi * Double.pi / 6, accuracy: 1e-13)

        model.channels["ch0"] = .init(priors: ["saturation_beta": PriorSpec(.normal, ["mu": 1, "sigma": 1])])
        XCTAssertThrowsError(try GeoStructure(panel: panel, model: model, configPath: "m.yaml")) { error in
            XCTAssertEqual((error as? InputError)?.location.key, "model.channels.ch0.priors.saturation_beta")
        }
        model.channels["ch0"] = .init(roiPrior: PriorSpec(.logNormal, ["mu": 0, "sigma": 1]))
        XCTAssertThrowsError(try GeoStructure(panel: panel, model: model, configPath: "m.yaml")) { error in
            XCTAssertEqual((error as? InputError)?.location.key, "model.channels.ch0.roi_prior")
        }
    }
}

extension GeoBetaEffectTests {
    /// The pooling scales' prior keys load from YAML for a geo panel (τ_c under `log_beta_scale`,
    /// also per channel), must put their mass on positive values, and a national model refuses them.
    func testPoolingScalePriorKeysLoadFromYAML() throws {
        let yaml = """
        data: {file: panel.csv, date_column: date, geo_column: geo, target: sales, channels: [ch0, ch1, ch2]}
        model:
          default_priors: pymc-marketing
          priors: {log_beta_scale: HalfNormal(1), intercept_scale: HalfNormal(0.3)}
          channels: {ch1: {priors: {log_beta_scale: "Gamma(alpha=2, beta=4)"}}}
        """
        let config = try ConfigLoader.parse(yaml: yaml, path: "m.yaml")
        let s = try GeoStructure(panel: GeoModelTests.panel(), model: config.model)
        func prior(_ name: String) -> PriorSpec { s.parameters[s.parameterNames.firstIndex(of: name)!].prior.spec }
        XCTAssertEqual(prior("ch0.log_beta_scale"), PriorSpec(.halfNormal, ["sigma": 1]))
        XCTAssertEqual(prior("ch1.log_beta_scale"), PriorSpec(.gamma, ["alpha": 2, "beta": 4]))
        XCTAssertEqual(prior("intercept_scale"), PriorSpec(.halfNormal, ["sigma": 0.3]))
        XCTAssertThrowsError(try ConfigLoader.parse(yaml: yaml.replacingOccurrences(of: "HalfNormal(1)", with: "\"Normal(0, 1)\""), path: "m.yaml")) { error in
            XCTAssertEqual((error as? InputError)?.location.key, "model.priors.log_beta_scale")
        }
        XCTAssertThrowsError(try ModelStructure(dataset: GeoModelTests.panel().geos[1], model: config.model, configPath: "m.yaml")) { error in
            XCTAssertEqual((error as? InputError)?.location.key, "model.priors.intercept_scale")
        }
    }
}
