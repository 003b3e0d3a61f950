import Foundation
import MixData

/// The geo-hierarchical MMM (DESIGN.md §9) laid out as a parameter vector, with its scaled data.
///
/// For geo g, period t, channel c (G geos, all on one period grid):
///
///     μ[g,t] = b_g + Σ_j f[g,j]·F_j[t] + δ_g·t/T + Σ_k γ_k·z̃[g,t,k] + Σ_c R[g,c]·X[g,c]·h_c(a[g,t,c]) / H[g,c]
///     ỹ[g,t] ~ Normal(μ[g,t], σ_g)
///
/// - a[g,t,c] = Σ_l w_c[l]·x̃[g,t−l,c], with adstock weights w_c and saturation shape θ_c shared by
///   every geo; h_c is the saturation with β = 1 and H[g,c] = Σ_t h_c(a[g,t,c]).
/// - R[g,c] is the cell's ROAS over the training rows (target units per currency unit), and
///   X[g,c] = Σ_t x[g,t,c] / u_g its spend in scaled-target units, so the cell's contributions sum to
///   R·X: the effect is sampled directly on the spend-aware ROAS scale of the national default
///   priors, β[g,c] = R·X/H.
/// - Partial pooling: log R[g,c] ~ Normal(μ_c, τ_c); b_g ~ Normal(b̄, s_b); f[g,j] ~ Normal(f̄_j, s_f);
///   δ_g ~ Normal(δ̄, s_δ). Each per-geo value is sampled either centred (the value itself) or
///   non-centred (ζ ~ Normal(0, 1), value = mean + scale·ζ), chosen per geo by how strongly the
///   geo's own data inform it (`GeoCentring`). Controls γ are shared. The scales' priors default
///   to HalfNormal(0.5) for τ_c (`defaultROASScalePrior`) and s_b and HalfNormal(0.2) for s_f and
///   s_δ; `model.priors` keys
///   `log_roas_scale` (also per channel), `intercept_scale`, `fourier_scale`, `trend_scale` replace them.
///   With one geo the scales and ζ are left out (b = b̄, log R = μ_c, …): the national model with
///   ROAS coordinates.
/// - Under `model.default_priors: pymc-marketing` the pooled effect is log β[g,c] instead of log R
///   (prior from the channel's β prior, `GeoEffect`), and R = β·H/X is derived per draw.
///
/// Scaling (why geos of very different size can pool): each geo has a size n_g — its population
/// (`data.population_column`) or else its mean target. Target and spend are divided by the size
/// and then by one panel-wide constant each, u_g = n_g·k_y and v[g,c] = n_g·k_c, with
/// k_y = max_{g,t} y/n_g and k_c = max_{g,t} x_c/n_g. So ỹ and x̃ are per-capita (per-size) series
/// on a common scale (≤ 1), a shared saturation shape means "the same per-capita spend saturates
/// the same way in every geo", and b̄, f̄ and s_b describe per-capita baselines that are comparable
/// across geos. ROAS is scale-free, so pooling log R needs no scaling at all. With one geo
/// n = mean y, and u = max y, v = max x: exactly the national model's scaling (§2).
public struct GeoStructure: Sendable {
    /// One channel's transforms and where its parameters sit.
    public struct Channel: Sendable {
        public var name: String
        public var adstock: Adstock
        public var saturation: Saturation
        /// Adstock parameters, then the saturation's shape parameters (β is not sampled).
        public var adstockOffset: Int
        public var shapeOffset: Int
        /// log R[·,c] as a pooled block of one entry: μ_c, and with G > 1 τ_c and G per-geo coordinates.
        public var roas: Pooled
        public var roasMean: Int { roas.mean }
        public var roasScale: Int? { roas.scale }
        /// The first per-geo ROAS coordinate (ζ or, where `roas.centred`, log R itself); read
        /// values through `GeoStructure.logROAS`, which knows which.
        public var roasZ: Int? { roas.z }
        public var shapeCount: Int { saturation.parameterCount - 1 }
        /// What the pooled block `roas` holds: log R (the default) or, under the PyMC-Marketing
        /// preset, log β (`GeoEffect`).
        public var effect: GeoEffect = .roas
        public var adstockCount: Int { adstock.parameterCount }
    }

    /// A pooled block: mean parameters (`count` of them), and with G > 1 a scale and G·count
    /// per-geo coordinates at `z + g·count + j`: ζ (non-centred, value = mean + scale·ζ) or, where
    /// `centred[g·count + j]`, the geo's value itself with the hierarchical prior Normal(mean, scale)
    /// added by the density (`GeoCentring` says which and why).
    public struct Pooled: Sendable {
        public var mean: Int
        public var count: Int
        public var scale: Int?
        public var z: Int?
        public var centred: [Bool] = []
        /// Per entry, its partial-centring weight w (empty: none; `GeoPartialCentring`): where
        /// 0 < w < 1 the coordinate is ζ̃ ~ Normal(w·mean, scale^w) and the value mean + scale^(1−w)·(ζ̃ − w·mean).
        public var weight: [Double] = []

        /// The value of entry `j` in geo `g` for natural parameters `x`.
        @inline(__always)
        public func value(_ x: UnsafePointer<Double>, _ j: Int, _ g: Int) -> Double {
            guard let s = scale, let z else { return x[mean + j] }
            let i = g * count + j
            if !weight.isEmpty, weight[i] > 0 { return GeoPartialCentring.value(mean: x[mean + j], scale: x[s], coordinate: x[z + i], weight: weight[i]) }
            return centred[i] ? x[z + i] : x[mean + j] + x[s] * x[z + i]
        }
    }

    /// The prior of τ_c, the spread of log ROAS across geos: HalfNormal(0.5). A boundary-avoiding
    /// Gamma(2, rate 4) (`model.priors.log_roas_scale: Gamma(alpha=2, beta=4)`) was measured against
    /// it and did not reduce the divergences at defaults (README, *Geo panels*), so it stays an option.
    public static let defaultROASScalePrior = PriorSpec(.halfNormal, ["sigma": 0.5])

    public let geoNames: [String]
    /// Which per-geo coordinates are centred.
    public let centring: GeoCentring
    public let channelNames: [String]
    public let controlNames: [String]
    public let parameters: [ModelStructure.Parameter]
    public let channels: [Channel]
    public let intercept: Pooled
    /// Per geo: whether the sampler moves the geo's *centred baseline* b_g = intercept_g + Σ_c C̄[g,c]
    /// in the intercept's coordinate, where C̄[g,c] = R[g,c]·X[g,c]/T is the cell's mean media
    /// effect over the periods (Σ_t of m·h_t is R·X whatever the shape, see `GeoDensity`; under
    /// `GeoEffect.beta`, where it is β·H/T and moves with the shape too, only with
    /// `GeoCentring.Rule.betaCentredBaseline`).
    ///
    /// Why: an always-on channel whose curve is saturated has a near-constant effect, which a geo's
    /// data cannot tell from its intercept — only intercept + C̄ is measured, so in (intercept, log R)
    /// the posterior is a curved ridge intercept ≈ const − R·X/T (where geo-4x104's divergences
    /// sat). In (b, log R) it is straight: b is what the data measure. The same change of
    /// coordinates as the national model's `InterceptCentring`; the map is triangular with a unit
    /// diagonal (log-Jacobian 0), so the posterior is unchanged, and the natural intercept (what
    /// the posterior reports) is b_g − Σ_c C̄[g,c]. Used for a geo whose intercept is sampled
    /// centred (its prior Normal(mean, scale) is on ℝ), and with one geo when the intercept's prior is on ℝ.
    public let centredBaseline: [Bool]
    /// Per geo: whether its intercept is sampled conditionally (`GeoConditionalIntercept`): the
    /// coordinate is ζ_g ~ Normal(0, 1) given everything else, the natural value b̄ + m_g + d_g·ζ_g.
    public let conditionalIntercept: [Bool]
    public let fourier: Pooled
    public let trend: Pooled?
    public let controlOffset: Int
    /// σ_g: G entries.
    public let sigmaOffset: Int
    public let fourierOrder: Int
    public let periodCount: Int
    public let dates: [CalendarDate]
    /// Geo sizes n_g, and the panel constants k_y, k_c (see the type's comment).
    public let geoSize: [Double]
    public let targetFactor: Double
    public let spendFactor: [Double]
    /// x̃[(g·C + c)·T + t] and ỹ[g·T + t].
    public let scaledSpend: [Double]
    public let scaledTarget: [Double]
    /// Standardised controls z̃[(g·K + k)·T + t] (one centre and scale per control over the panel).
    public let controls: [Double]
    /// F_j[t] (sin 1…n, cos 1…n) and t/T.
    public let fourierBasis: [Double]
    public let trendBasis: [Double]
    /// X[g·C + c] = Σ_t x[g,t,c] / u_g, and the spend Σ_t x[g,t,c] in currency.
    public let spendInTargetUnits: [Double]
    public let spendTotal: [Double]
    /// Whether channel c spends at all in geo g.
    public let active: [Bool]

    public var geoCount: Int { geoNames.count }
    public var dimension: Int { parameters.count }
    public var parameterNames: [String] { parameters.map(\.name) }
    /// u_g: one scaled-target unit of geo g in target units.
    public func targetUnit(_ g: Int) -> Double { geoSize[g] * targetFactor }

    /// Lays out the model for `panel` under `model`; refuses settings the geo path does not
    /// support yet, naming the config key.
    /// `centring` picks the per-geo parameterisation (the posterior is the same; sampling differs).
    public init(panel: GeoPanel, model: MixPlanConfig.ModelSection, configPath: String = "mixplan.yaml",
                centring rule: GeoCentring.Rule = .standard) throws {
        func refuse(_ key: String, _ what: String) -> InputError {
            InputError(InputLocation(file: configPath, key: key), "\(what) is not supported for geo panels yet.",
                       hint: "Remove it, or fit the national series (without data.geo_column).")
        }
        if model.timeVarying != nil { throw refuse("model.time_varying_media", "a time-varying effect") }
        if model.likelihood != .normal { throw refuse("model.likelihood", "the Student-t likelihood") }
        let effect = GeoEffect(model)
        for (name, s) in model.channels.sorted(by: { $0.key < $1.key }) {
            if s.liftROIPrior != nil { throw refuse("model.channels.\(name).lift_roi_prior", "a lift_roi_prior") }
            if effect == .beta, s.roiPrior != nil {
                throw InputError(InputLocation(file: configPath, key: "model.channels.\(name).roi_prior"),
                                 "a roi_prior needs default_priors: roas on a geo panel (with pymc-marketing the effects are sampled as saturation β).",
                                 hint: "Remove it, or set model.default_priors: roas.")
            }
            if effect == .roas, s.priors["saturation_beta"] != nil { throw refuse("model.channels.\(name).priors.saturation_beta", "a saturation_beta prior (geo effects are sampled as ROAS)") }
            if let roi = s.roiPrior, roi.family != .logNormal {
                throw InputError(InputLocation(file: configPath, key: "model.channels.\(name).roi_prior"),
                                 "a geo panel needs a LogNormal roi_prior (it becomes the prior of the channel's pooled log ROAS), got \(roi).")
            }
        }
        let G = panel.geoCount, T = panel.periodCount, C = panel.channelNames.count, K = panel.geos[0].controlNames.count
        guard T >= 2 else { throw InputError(InputLocation(file: panel.geos[0].source), "needs at least 2 periods to fit, got \(T)") }
        geoNames = panel.geoNames; channelNames = panel.channelNames; controlNames = panel.geos[0].controlNames
        periodCount = T; dates = panel.dates
        // Scaling (see the type's comment).
        let size = panel.population ?? panel.geos.map { $0.target.reduce(0, +) / Double(T) }
        geoSize = size
        targetFactor = (0..<G).map { g in (panel.geos[g].target.max() ?? 0) / size[g] }.max() ?? 1
        spendFactor = (0..<C).map { c in (0..<G).map { g in (panel.geos[g].spend[c].max() ?? 0) / size[g] }.max() ?? 1 }
        var xs = [Double](repeating: 0, count: G * C * T), ys = [Double](repeating: 0, count: G * T)
        var inTargetUnits = [Double](repeating: 0, count: G * C), totals = inTargetUnits
        for g in 0..<G {
            let u = size[g] * targetFactor
            for t in 0..<T { ys[g * T + t] = panel.geos[g].target[t] / u }
            for c in 0..<C {
                let v = size[g] * spendFactor[c]
                for t in 0..<T { xs[(g * C + c) * T + t] = panel.geos[g].spend[c][t] / v }
                totals[g * C + c] = panel.geos[g].spend[c].reduce(0, +)
                inTargetUnits[g * C + c] = totals[g * C + c] / u
            }
        }
        scaledSpend = xs; scaledTarget = ys
        spendInTargetUnits = inTargetUnits; spendTotal = totals
        active = totals.map { $0 > 0 }
        var z = [Double](repeating: 0, count: G * K * T)
        for k in 0..<K {
            let all = panel.geos.flatMap { $0.controls[k] }
            let (centre, scale) = ModelStructure.Scaling.controlStandardization(all)
            for g in 0..<G { for t in 0..<T { z[(g * K + k) * T + t] = (panel.geos[g].controls[k][t] - centre) / scale } }
        }
        controls = z
        let n = model.yearlySeasonality
        fourierOrder = n
        fourierBasis = ModelStructure.fourierBasis(dates: panel.dates, order: n)
        trendBasis = (1...T).map { Double($0) / Double(T) }
        let rois = panel.channelNames.map { model.channels[$0]?.roiPrior ?? ModelStructure.defaultROASPrior }
        let ky = targetFactor, perChannel = spendFactor
        let centring = GeoCentring(rule: rule, G: G, T: T, C: C, K: K, fourierCount: 2 * n, trend: model.trend, target: ys,
                                   spend: xs, spendToTargetUnits: perChannel.map { $0 / ky }, controls: z,
                                   fourierBasis: fourierBasis, trendBasis: trendBasis, active: active, priorROAS: rois.map { exp($0["mu"]) })
        self.centring = centring

        var params: [ModelStructure.Parameter] = []
        func add(_ name: String, _ spec: PriorSpec, key: String) throws -> Int {
            do { params.append(ModelStructure.Parameter(name: name, prior: try Prior(spec))) } catch let e as PriorError {
                throw InputError(InputLocation(file: configPath, key: key), e.description)
            }
            return params.count - 1
        }
        func pooled(_ name: String, names: [String], mean: PriorSpec, scale: PriorSpec, key: String, centred: [Bool]) throws -> Pooled {
            let first = params.count
            // A channel's pooled mean of log ROAS is named "tv.log_roas_mean" (of log β, "tv.log_beta_mean").
            for n in names { _ = try add("\(name)\(n)\(name.hasSuffix(".log_roas") || name.hasSuffix(".log_beta") ? "_mean" : "")", mean, key: key) }
            guard G > 1 else { return Pooled(mean: first, count: names.count) }
            let s = try add("\(name)_scale", scale, key: key)
            let z = params.count
            // A centred block's per-geo values get their prior from the density (Normal(mean, scale));
            // the Normal(0, 1) listed here only fixes their (unconstrained) support.
            for (g, geo) in panel.geoNames.enumerated() {
                for (j, n) in names.enumerated() {
                    _ = try add("\(name)\(n)\(centred[g * names.count + j] ? "" : "_z")[\(geo)]", PriorSpec(.normal, ["mu": 0, "sigma": 1]), key: key)
                }
            }
            return Pooled(mean: first, count: names.count, scale: s, z: z, centred: centred)
        }
        var layouts: [Channel] = []
        for name in panel.channelNames {
            let adstock = Adstock(kind: model.adstock(for: name), maxLag: model.adstockMaxLag)
            let saturation = Saturation(kind: model.saturation(for: name))
            let adstockOffset = params.count
            for prior in model.adstockPriors(channel: name) { _ = try add(prior.name, prior.spec, key: prior.key) }
            let shapeOffset = params.count
            // β is not a parameter here: the channel's pooled effect (below) sets it.
            let shapePriors = model.saturationPriors(channel: name, defaults: effect == .beta ? .pymcMarketing : .roas)
            for prior in shapePriors.dropLast() { _ = try add(prior.name, prior.spec, key: prior.key) }
            let roi = model.channels[name]?.roiPrior ?? ModelStructure.defaultROASPrior
            let meanPrior = effect == .beta ? try GeoEffect.logBetaMeanPrior(shapePriors.last!, configPath: configPath)
                                            : PriorSpec(.normal, ["mu": roi["mu"], "sigma": roi["sigma"]])
            var roas = try pooled("\(name).\(effect.blockName)", names: [""], mean: meanPrior,
                                  scale: model.prior(effect.scaleKey, channel: name) ?? Self.defaultROASScalePrior,
                                  key: effect == .beta ? shapePriors.last!.key : "model.channels.\(name).roi_prior",
                                  centred: centring.roas[layouts.count])
            if G > 1, !centring.roasWeight.isEmpty { roas.weight = centring.roasWeight[layouts.count] }
            layouts.append(Channel(name: name, adstock: adstock, saturation: saturation, adstockOffset: adstockOffset,
                                   shapeOffset: shapeOffset, roas: roas, effect: effect))
        }
        channels = layouts
        intercept = try pooled("intercept", names: [""], mean: model.priors["intercept"] ?? PriorSpec(.normal, ["mu": 0, "sigma": 2]),
                               scale: model.priors["intercept_scale"] ?? PriorSpec(.halfNormal, ["sigma": 0.5]), key: "model.priors.intercept", centred: centring.intercept)
        let interceptOnR: Bool
        if case .real = params[intercept.mean].prior.support { interceptOnR = true } else { interceptOnR = false }
        let interceptCentred = intercept.centred
        conditionalIntercept = (0..<G).map { _ in G > 1 && rule.intercept == .conditional }
        // Under GeoEffect.beta only on request (GeoCentring.Rule.betaCentredBaseline says why).
        centredBaseline = (0..<G).map { g in
            rule.centredBaseline && (effect == .roas || rule.betaCentredBaseline)
                && (G == 1 ? interceptOnR : interceptCentred[g] && rule.intercept != .conditional)
        }
        controlOffset = params.count
        for name in panel.geos[0].controlNames {
            _ = try add("gamma_control[\(name)]", model.priors["gamma_control"] ?? PriorSpec(.normal, ["mu": 0, "sigma": 2]), key: "model.priors.gamma_control")
        }
        fourier = try pooled("fourier", names: ["sin", "cos"].flatMap { kind in (0..<n).map { "_\(kind)[\($0 + 1)]" } },
                             mean: model.priors["gamma_fourier"] ?? PriorSpec(.laplace, ["mu": 0, "b": 1]),
                             scale: model.priors["fourier_scale"] ?? PriorSpec(.halfNormal, ["sigma": 0.2]), key: "model.priors.gamma_fourier", centred: centring.fourier)
        trend = model.trend ? try pooled("trend", names: [""], mean: model.priors["trend"] ?? PriorSpec(.normal, ["mu": 0, "sigma": 1]),
                                         scale: model.priors["trend_scale"] ?? PriorSpec(.halfNormal, ["sigma": 0.2]), key: "model.priors.trend", centred: centring.trend) : nil
        sigmaOffset = params.count
        for geo in panel.geoNames { _ = try add("sigma[\(geo)]", model.priors["sigma"] ?? PriorSpec(.halfNormal, ["sigma": 2]), key: "model.priors.sigma") }
        parameters = params

    }

    /// Natural-scale parameters for a point in the sampler's (unconstrained) coordinates: each
    /// coordinate through its prior's transform, then a centred baseline b_g to the intercept
    /// b_g − Σ_c C̄[g,c] (`centredBaseline`).
    public func constrain(_ u: [Double]) -> [Double] {
        var x = zip(parameters, u).map { $0.prior.constrain($1).x }
        for g in 0..<geoCount where centredBaseline[g] { x[interceptCoordinate(g)] -= baselineShift(x, geo: g) }
        for g in 0..<geoCount where conditionalIntercept[g] {
            let (m, d) = interceptGivenRest(x, geo: g)
            x[interceptCoordinate(g)] = x[intercept.mean] + m + d * u[interceptCoordinate(g)]
        }
        return x
    }

    /// The sampler's coordinates for natural-scale parameters (the inverse of `constrain`).
    public func unconstrain(_ x: [Double]) -> [Double] {
        var u = zip(parameters, x).map { $0.prior.unconstrain($1) }
        for g in 0..<geoCount where centredBaseline[g] { u[interceptCoordinate(g)] += baselineShift(x, geo: g) }
        for g in 0..<geoCount where conditionalIntercept[g] {
            let (m, d) = interceptGivenRest(x, geo: g)
            u[interceptCoordinate(g)] = (x[interceptCoordinate(g)] - x[intercept.mean] - m) / d
        }
        return u
    }

    /// The coordinate that holds geo g's own intercept (centred) or the one-geo intercept; for a
    /// non-centred geo it is ζ.
    public func interceptCoordinate(_ g: Int) -> Int { intercept.z.map { $0 + g } ?? intercept.mean }

    /// Σ_c C̄[g,c] = Σ_c R[g,c]·X[g,c]/T, geo g's mean media effect on its scaled target, for
    /// natural parameters `x` (the ROAS coordinates are read; the intercept is not).
    public func baselineShift(_ x: [Double], geo g: Int) -> Double {
        let C = channels.count
        var total = 0.0
        for c in 0..<C where active[g * C + c] { total += exp(logROAS(x, geo: g, channel: c)) * spendInTargetUnits[g * C + c] }
        return total / Double(periodCount)
    }

    /// log R[g,c] for natural parameters `x` (under `GeoEffect.beta`, log β + log(H/X)).
    public func logROAS(_ x: [Double], geo g: Int, channel c: Int) -> Double {
        let v = x.withUnsafeBufferPointer { channels[c].roas.value($0.baseAddress!, 0, g) }
        return channels[c].effect == .roas ? v : v + logROASOverBeta(x, geo: g, channel: c)
    }
}
