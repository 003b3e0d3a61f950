import Foundation
import MixInference
import MixModel
import XCTest

/// The geo-hierarchical density (`GeoStructure`, `GeoDensity`): gradient against finite
/// differences for every transform pair, value against a slow recomputation from the formulas,
/// and the one-geo panel against the national model's scaling.
final class GeoModelTests: XCTestCase {
    /// G geos × T weeks × C channels with one control; geo sizes 1 : 5 : 25; channel 1 never
    /// spends in geo 0 and channel 2 starts late.
    static func panel(geos G: Int = 3, periods T: Int = 30, channels C: Int = 3, seed: UInt64 = 4) -> GeoPanel {
        var rng = TestRandom(seed: seed)
        let start = CalendarDate(year: 2023, month: 1, day: 1)!
        let dates = (0..<T).map { start.adding(days: 7 * $0) }
        let sets = (0..<G).map { g -> Dataset in
            let size = pow(5, Double(g))
            let spend = (0..<C).map { c in
                (0..<T).map { t -> Double in
                    if c == 1 && g == 0 { return 0 }
                    if c == 2 && t < T / 2 { return 0 }
                    return (t + c) % 4 == 0 ? 0 : size * rng.uniform(10, 100)
                }
            }
            return Dataset(dates: dates, frequency: .weekly, channelNames: (0..<C).map { "ch\($0)" }, spend: spend,
                           controlNames: ["price"], controls: [(0..<T).map { _ in rng.uniform(9, 11) }],
                           targetName: "sales", target: (0..<T).map { _ in size * rng.uniform(800, 1200) }, source: "panel.csv")
        }
        return GeoPanel(geoNames: (0..<G).map { "g\($0)" }, geos: sets, population: nil)
    }

    /// The model the gradient tests use: every block present (5 lags, a trend, two Fourier pairs).
    static func model(_ adstock: Adstock.Kind = .geometric, _ saturation: Saturation.Kind = .logistic,
                      priors: MixPlanConfig.PriorDefaults = .roas) -> MixPlanConfig.ModelSection {
        var model = MixPlanConfig.ModelSection()
        model.adstock = adstock
        model.saturation = saturation
        model.adstockMaxLag = 5
        model.trend = true
        model.yearlySeasonality = 2
        model.defaultPriors = priors
        return model
    }

    func testGradientMatchesFiniteDifferencesForEveryTransformPair() throws {
        let panel = Self.panel()
        var rng = TestRandom(seed: 11)
        for adstock in Adstock.Kind.allCases {
            for saturation in Saturation.Kind.allCases {
                let model = Self.model(adstock, saturation)
                // Every parameterisation of the per-geo coordinates (`GeoCentring`): centred, non-centred
                // and the per-geo mix the data choose.
                // The centred baseline on (the default) and off.
                var withoutBaseline = GeoCentring.Rule.standard
                withoutBaseline.centredBaseline = false
                for rule in [GeoCentring.Rule.byDataStrength, .allCentred, .noneCentred, .standard, withoutBaseline] {
                    let density = GeoDensity(structure: try GeoStructure(panel: panel, model: model, centring: rule))
                    let u = (0..<density.dimension).map { _ in rng.uniform(-1.5, 1.5) }
                    FiniteDifference.checkGradient(of: density, at: u, context: "\(adstock)/\(saturation)/\(rule)")
                }
                // One geo: its intercept sampled as the centred baseline with the intercept's own prior.
                let one = GeoPanel(geoNames: ["all"], geos: [panel.geos[2]], population: nil)
                let single = GeoDensity(structure: try GeoStructure(panel: one, model: model))
                XCTAssertEqual(single.structure.centredBaseline, [true])
                FiniteDifference.checkGradient(of: single, at: (0..<single.dimension).map { _ in rng.uniform(-1.5, 1.5) },
                                               context: "\(adstock)/\(saturation)/one geo")
                let density = GeoDensity(structure: try GeoStructure(panel: panel, model: model))
                // MixInference's own check agrees (its default tolerance, see `GradientCheck`).
                let u = (0..<density.dimension).map { _ in rng.uniform(-1, 1) }
                let check = GradientCheck(density, at: u)
                XCTAssertTrue(check.passes(), "\(adstock)/\(saturation): worst \(String(describing: check.worst))")
            }
        }
    }

    /// The fast evaluation equals one written straight from `GeoStructure`'s formulas, in
    /// original units: contributions R·S·h/H, then divided by each geo's target unit — with every
    /// per-geo coordinate non-centred but the intercepts, and with every one centred; with the
    /// intercepts sampled as centred baselines (the default) and as themselves. The formulas use
    /// the natural intercept `constrain` reports, so this also checks that b_g − Σ_c R·X/T is it.
    func testValueEqualsDirectComputation() throws {
        var withoutBaseline = GeoCentring.Rule.interceptOnly
        withoutBaseline.centredBaseline = false
        for rule in [GeoCentring.Rule.interceptOnly, .allCentred, withoutBaseline] { try checkValue(rule) }
    }

    /// `unconstrain` inverts `constrain` (the centred baseline's shift included), and the
    /// natural intercept differs from the sampler's coordinate by exactly Σ_c R·spend/(T·u_g).
    func testCentredBaselineRoundTrip() throws {
        let panel = Self.panel(geos: 3, periods: 26, channels: 3)
        let s = try GeoStructure(panel: panel, model: MixPlanConfig.ModelSection())
        XCTAssertEqual(s.centredBaseline, [true, true, true])
        var rng = TestRandom(seed: 5)
        let u = (0..<s.dimension).map { _ in rng.uniform(-1, 1) }
        let x = s.constrain(u)
        for (a, b) in zip(s.unconstrain(x), u) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        let sizes = panel.geos.map { $0.target.reduce(0, +) / 26 }
        let ky = (0..<3).map { panel.geos[$0].target.max()! / sizes[$0] }.max()!
        for g in 0..<3 {
            var mean = 0.0
            for c in 0..<3 { mean += exp(s.logROAS(x, geo: g, channel: c)) * panel.geos[g].spend[c].reduce(0, +) / (sizes[g] * ky) / 26 }
            XCTAssertGreaterThan(mean, 0)
            XCTAssertEqual(u[s.interceptCoordinate(g)] - x[s.interceptCoordinate(g)], mean, accuracy: 1e-12)
        }
    }

    private func checkValue(_ rule: GeoCentring.Rule) throws {
        let panel = Self.panel(geos: 3, periods: 26, channels: 2)
        var model = MixPlanConfig.ModelSection()
        model.trend = true
        model.yearlySeasonality = 1
        let s = try GeoStructure(panel: panel, model: model, centring: rule)
        var rng = TestRandom(seed: 2)
        let u = (0..<s.dimension).map { _ in rng.uniform(-1, 1) }
        let fast = FiniteDifference.value(of: GeoDensity(structure: s), at: u)

        let x = s.constrain(u), names = s.parameterNames
        func p(_ name: String) -> Double { x[names.firstIndex(of: name)!] }
        // Priors plus log-Jacobians (each coordinate is transformed on its own).
        var lp = zip(s.parameters, u).reduce(0.0) { acc, pu in
            let t = pu.0.prior.constrain(pu.1)
            return acc + pu.0.prior.logDensity(t.x).value + t.logJacobian
        }
        /// A pooled value: centred, the coordinate itself, whose listed Normal(0, 1) gives way to
        /// Normal(mean, scale) (added to lp here); non-centred, mean + scale·ζ.
        var centredSeen = Set<String>()
        func pooled(_ name: String, mean: String, scale: String, geo: String) -> Double {
            if let i = names.firstIndex(of: "\(name)[\(geo)]") {
                // The listed Normal(0, 1) was added at the coordinate's own value (a centred baseline's b_g).
                let v = x[i], r = (v - p(mean)) / p(scale), listed = u[i]
                if centredSeen.insert("\(name)[\(geo)]").inserted {
                    lp += -0.5 * r * r - log(p(scale)) - 0.5 * log(2 * .pi) - (-0.5 * listed * listed - 0.5 * log(2 * .pi))
                }
                return v
            }
            return p(mean) + p(scale) * p("\(name)_z[\(geo)]")
        }
        let centredCount = names.filter { $0.contains("[g") && !$0.contains("_z[") && !$0.hasPrefix("sigma") }.count
        XCTAssertEqual(centredCount, rule == .allCentred ? 3 * (1 + 2 + 1) + 5 : 3, "\(rule): \(names)")
        let T = panel.periodCount
        let sizes = panel.geos.map { $0.target.reduce(0, +) / Double(T) }
        let ky = (0..<3).map { panel.geos[$0].target.max()! / sizes[$0] }.max()!
        let price = panel.geos.flatMap { $0.controls[0] }
        let pm = price.reduce(0, +) / Double(price.count)
        let psd = (price.reduce(0) { $0 + ($1 - pm) * ($1 - pm) } / Double(price.count)).squareRoot()
        for (g, geo) in panel.geoNames.enumerated() {
            let unit = sizes[g] * ky
            var mu = [Double](repeating: 0, count: T)
            for t in 0..<T {
                let d = 2 * Double.pi * Double(panel.dates[t].dayOfYear) / 365.25
                mu[t] = pooled("intercept", mean: "intercept", scale: "intercept_scale", geo: geo)
                mu[t] += pooled("fourier_sin[1]", mean: "fourier_sin[1]", scale: "fourier_scale", geo: geo) * sin(d)
                mu[t] += pooled("fourier_cos[1]", mean: "fourier_cos[1]", scale: "fourier_scale", geo: geo) * cos(d)
                mu[t] += pooled("trend", mean: "trend", scale: "trend_scale", geo: geo) * Double(t + 1) / Double(T)
                mu[t] += p("gamma_control[price]") * (panel.geos[g].controls[0][t] - pm) / psd
            }
            for (c, name) in panel.channelNames.enumerated() {
                let spend = panel.geos[g].spend[c]
                let total = spend.reduce(0, +)
                guard total > 0 else { continue }
                let kc = (0..<3).map { panel.geos[$0].spend[c].max()! / sizes[$0] }.max()!
                let w = Adstock(kind: .geometric, maxLag: 8).weights([p("\(name).adstock_alpha")])
                let a = Adstock.apply(weights: w, to: spend.map { $0 / (sizes[g] * kc) })
                let lambda = p("\(name).saturation_lambda")
                let h = a.map { (1 - exp(-lambda * $0)) / (1 + exp(-lambda * $0)) }
                let H = h.reduce(0, +)
                let roas = exp(pooled("\(name).log_roas", mean: "\(name).log_roas_mean", scale: "\(name).log_roas_scale", geo: geo))
                for t in 0..<T { mu[t] += roas * total * h[t] / H / unit }
            }
            let sigma = p("sigma[\(geo)]")
            for t in 0..<T {
                let z = (panel.geos[g].target[t] / unit - mu[t]) / sigma
                lp += -0.5 * z * z - log(sigma) - 0.5 * log(2 * .pi)
            }
        }
        // Tolerance: both sums run over ~80 terms of size ≤ 1e3 in a different order.
        XCTAssertEqual(fast, lp, accuracy: 1e-9 * abs(lp) + 1e-8, "\(rule)")
    }

    /// A one-geo panel is the national model's scaling with no pooling parameters.
    func testOneGeoPanelReducesToTheNationalLayout() throws {
        let data = Self.panel(geos: 2).geos[1]   // geo 1: every channel spends
        let one = GeoPanel(geoNames: ["all"], geos: [data], population: nil)
        var model = MixPlanConfig.ModelSection()
        model.defaultPriors = .roas
        let geo = try GeoStructure(panel: one, model: model)
        let national = try ModelStructure(dataset: data, model: model)
        XCTAssertFalse(geo.parameterNames.contains { $0.contains("_scale") || $0.contains("_z[") }, "\(geo.parameterNames)")
        // Scaled target and spend: the same divisions (max y, max x per channel) up to rounding.
        for (a, b) in zip(geo.scaledTarget, national.scaledTarget) { XCTAssertEqual(a, b, accuracy: 1e-15) }
        for (a, b) in zip(geo.scaledSpend, national.scaledSpend) { XCTAssertEqual(a, b, accuracy: 1e-15) }
        XCTAssertEqual(geo.targetUnit(0), national.scaling.targetScale, accuracy: 1e-9 * national.scaling.targetScale)
        // The pooled log-ROAS mean carries the national default ROAS prior, LogNormal(0.2, 0.9).
        let i = geo.parameterNames.firstIndex(of: "ch0.log_roas_mean")!
        XCTAssertEqual(geo.parameters[i].prior.spec, PriorSpec(.normal, ["mu": 0.2, "sigma": 0.9]))
    }

    /// Per-draw results: a cell's contribution is R·spend, and its marginal ROAS is the derivative
    /// of its contribution when every period's spend grows by the same fraction (central
    /// differences, step 1e-5 relative: truncation ~1e-10, far inside the 1e-6 tolerance).
    func testCellResultsAgainstFiniteDifferencesOfTheContribution() throws {
        let panel = Self.panel()
        let s = try GeoStructure(panel: panel, model: MixPlanConfig.ModelSection())
        var rng = TestRandom(seed: 8)
        let x = s.constrain((0..<s.dimension).map { _ in rng.uniform(-1, 1) })
        let post = GeoPosterior(structure: s, naturalDraws: [x])
        let C = s.channels.count, T = s.periodCount
        for g in 0..<s.geoCount {
            for c in 0..<C {
                let cell = g * C + c, total = panel.geos[g].spend[c].reduce(0, +)
                guard total > 0 else { XCTAssertTrue(post.roas[cell].isEmpty); continue }
                let ch = s.channels[c]
                let w = ch.adstock.weights([x[ch.adstockOffset]])
                let scaled = Array(s.scaledSpend[(cell * T)..<((cell + 1) * T)])
                func curveSum(_ k: Double) -> Double {
                    Adstock.apply(weights: w, to: scaled.map { k * $0 }).reduce(0) { $0 + ch.saturation.value($1, parameters: [x[ch.shapeOffset], 1]) }
                }
                let r = exp(s.logROAS(x, geo: g, channel: c))
                // Contribution in target units at spend scaled by k: R·total·curveSum(k)/curveSum(1).
                let h = 1e-5
                let fd = r * total * (curveSum(1 + h) - curveSum(1 - h)) / (2 * h) / curveSum(1) / total
                XCTAssertEqual(post.contribution[cell][0], r * total, accuracy: 1e-12 * r * total)
                XCTAssertEqual(post.marginalRoas[cell][0], fd, accuracy: 1e-6 * abs(fd))
            }
        }
        // National: per-draw sums, ROAS the ratio of sums.
        for c in 0..<C {
            let n = post.nationalResult(channel: c)
            let cells = (0..<s.geoCount).map { $0 * C + c }.filter { s.active[$0] }
            XCTAssertEqual(n.contribution.mean, cells.reduce(0) { $0 + post.contribution[$1][0] }, accuracy: 1e-9 * n.contribution.mean)
            XCTAssertEqual(n.roas.mean, n.contribution.mean / n.spend, accuracy: 1e-12 * n.roas.mean)
        }
    }

    func testUnsupportedSettingsAreRefusedByKey() {
        var model = MixPlanConfig.ModelSection()
        model.likelihood = .studentT
        XCTAssertThrowsError(try GeoStructure(panel: Self.panel(), model: model, configPath: "m.yaml")) { error in
            XCTAssertEqual((error as? InputError)?.location.key, "model.likelihood")
        }
    }
}
