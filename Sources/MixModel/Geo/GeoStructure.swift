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
/// - Partial pooling, non-centred: log R[g,c] = μ_c + τ_c·ζ[g,c]; b_g = b̄ + s_b·ζ_b[g];
///   f[g,j] = f̄_j + s_f·ζ_f[g,j]; δ_g = δ̄ + s_δ·ζ_δ[g]; every ζ ~ Normal(0, 1). Controls γ are shared.
///   With one geo the scales and ζ are left out (b = b̄, log R = μ_c, …): the national model with
///   ROAS coordinates.
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
        /// μ_c, the pooled mean of log ROAS; τ_c and the ζ[·,c] block (G entries) when G > 1.
        public var roasMean: Int
        public var roasScale: Int?
        public var roasZ: Int?
        public var shapeCount: Int { saturation.parameterCount - 1 }
        public var adstockCount: Int { adstock.parameterNames.count }
    }

    /// A pooled block: mean parameters (`count` of them), and with G > 1 a scale and G·count
    /// per-geo coordinates at `z + g·count + j`: ζ (non-centred, value = mean + scale·ζ) or, when
    /// `centred`, the geo's value itself with the hierarchical prior Normal(mean, scale) added by
    /// the density. Centred suits a quantity each geo's own data pin down well (its intercept: T
    /// observations), where the non-centred form ties mean, scale and every ζ together; non-centred
    /// suits weakly informed ones (ROAS, seasonality deviations), where the centred form is a funnel.
    public struct Pooled: Sendable {
        public var mean: Int
        public var count: Int
        public var scale: Int?
        public var z: Int?
        public var centred = false

        /// The value of entry `j` in geo `g` for natural parameters `x`.
        @inline(__always)
        public func value(_ x: UnsafePointer<Double>, _ j: Int, _ g: Int) -> Double {
            guard let s = scale, let z else { return x[mean + j] }
            return centred ? x[z + g * count + j] : x[mean + j] + x[s] * x[z + g * count + j]
        }
    }

    public let geoNames: [String]
    public let channelNames: [String]
    public let controlNames: [String]
    public let parameters: [ModelStructure.Parameter]
    public let channels: [Channel]
    public let intercept: Pooled
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
    public init(panel: GeoPanel, model: MixPlanConfig.ModelSection, configPath: String = "mixplan.yaml") throws {
        func refuse(_ key: String, _ what: String) -> InputError {
            InputError(InputLocation(file: configPath, key: key), "\(what) is not supported for geo panels yet.",
                       hint: "Remove it, or fit the national series (without data.geo_column).")
        }
        if model.timeVarying != nil { throw refuse("model.time_varying_media", "a time-varying effect") }
        if model.likelihood != .normal { throw refuse("model.likelihood", "the Student-t likelihood") }
        for (name, s) in model.channels.sorted(by: { $0.key < $1.key }) {
            if s.liftROIPrior != nil { throw refuse("model.channels.\(name).lift_roi_prior", "a lift_roi_prior") }
            if s.priors["saturation_beta"] != nil { throw refuse("model.channels.\(name).priors.saturation_beta", "a saturation_beta prior (geo effects are sampled as ROAS)") }
            if let roi = s.roiPrior, roi.family != .logNormal {
                throw InputError(InputLocation(file: configPath, key: "model.channels.\(name).roi_prior"),
                                 "a geo panel needs a LogNormal roi_prior (it becomes the prior of the channel's pooled log ROAS), got \(roi).")
            }
        }
        let G = panel.geoCount, T = panel.periodCount, C = panel.channelNames.count, K = panel.geos[0].controlNames.count
        guard T >= 2 else { throw InputError(InputLocation(file: panel.geos[0].source), "needs at least 2 periods to fit, got \(T)") }
        geoNames = panel.geoNames; channelNames = panel.channelNames; controlNames = panel.geos[0].controlNames
        periodCount = T; dates = panel.dates

        var params: [ModelStructure.Parameter] = []
        func add(_ name: String, _ spec: PriorSpec, key: String) throws -> Int {
            do { params.append(ModelStructure.Parameter(name: name, prior: try Prior(spec))) } catch let e as PriorError {
                throw InputError(InputLocation(file: configPath, key: key), e.description)
            }
            return params.count - 1
        }
        func pooled(_ name: String, names: [String], mean: PriorSpec, scale: PriorSpec, key: String, centred: Bool = false) throws -> Pooled {
            let first = params.count
            for n in names { _ = try add("\(name)\(n)", mean, key: key) }
            guard G > 1 else { return Pooled(mean: first, count: names.count) }
            let s = try add("\(name)_scale", scale, key: key)
            let z = params.count
            // A centred block's per-geo values get their prior from the density (Normal(mean, scale));
            // the Normal(0, 1) listed here only fixes their (unconstrained) support.
            for geo in panel.geoNames { for n in names { _ = try add("\(name)\(n)\(centred ? "" : "_z")[\(geo)]", PriorSpec(.normal, ["mu": 0, "sigma": 1]), key: key) } }
            return Pooled(mean: first, count: names.count, scale: s, z: z, centred: centred)
        }
        var layouts: [Channel] = []
        for name in panel.channelNames {
            let adstock = Adstock(kind: model.adstock(for: name), maxLag: model.adstockMaxLag)
            let saturation = Saturation(kind: model.saturation(for: name))
            let adstockOffset = params.count
            for (p, spec) in zip(adstock.parameterNames, adstock.defaultPriors) {
                let key = "adstock_" + p
                _ = try add("\(name).\(key)", model.prior(key, channel: name) ?? spec, key: "model.channels.\(name).priors.\(key)")
            }
            let shapeOffset = params.count
            for (p, spec) in zip(saturation.parameterNames, saturation.defaultPriors(.roas)).dropLast() {
                let key = "saturation_" + p
                _ = try add("\(name).\(key)", model.prior(key, channel: name) ?? spec, key: "model.channels.\(name).priors.\(key)")
            }
            let roi = model.channels[name]?.roiPrior ?? ModelStructure.defaultROASPrior
            let mean = try add("\(name).log_roas_mean", PriorSpec(.normal, ["mu": roi["mu"], "sigma": roi["sigma"]]), key: "model.channels.\(name).roi_prior")
            var layout = Channel(name: name, adstock: adstock, saturation: saturation, adstockOffset: adstockOffset,
                                 shapeOffset: shapeOffset, roasMean: mean)
            if G > 1 {
                layout.roasScale = try add("\(name).log_roas_scale", PriorSpec(.halfNormal, ["sigma": 0.5]), key: "model.channels.\(name).roi_prior")
                layout.roasZ = params.count
                for geo in panel.geoNames { _ = try add("\(name).log_roas_z[\(geo)]", PriorSpec(.normal, ["mu": 0, "sigma": 1]), key: "model.channels.\(name)") }
            }
            layouts.append(layout)
        }
        channels = layouts
        intercept = try pooled("intercept", names: [""], mean: model.priors["intercept"] ?? PriorSpec(.normal, ["mu": 0, "sigma": 2]),
                               scale: PriorSpec(.halfNormal, ["sigma": 0.5]), key: "model.priors.intercept", centred: true)
        controlOffset = params.count
        for name in panel.geos[0].controlNames {
            _ = try add("gamma_control[\(name)]", model.priors["gamma_control"] ?? PriorSpec(.normal, ["mu": 0, "sigma": 2]), key: "model.priors.gamma_control")
        }
        fourierOrder = model.yearlySeasonality
        let n = model.yearlySeasonality
        fourier = try pooled("fourier", names: ["sin", "cos"].flatMap { kind in (0..<n).map { "_\(kind)[\($0 + 1)]" } },
                             mean: model.priors["gamma_fourier"] ?? PriorSpec(.laplace, ["mu": 0, "b": 1]),
                             scale: PriorSpec(.halfNormal, ["sigma": 0.2]), key: "model.priors.gamma_fourier")
        trend = model.trend ? try pooled("trend", names: [""], mean: model.priors["trend"] ?? PriorSpec(.normal, ["mu": 0, "sigma": 1]),
                                         scale: PriorSpec(.halfNormal, ["sigma": 0.2]), key: "model.priors.trend") : nil
        sigmaOffset = params.count
        for geo in panel.geoNames { _ = try add("sigma[\(geo)]", model.priors["sigma"] ?? PriorSpec(.halfNormal, ["sigma": 2]), key: "model.priors.sigma") }
        parameters = params

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
        fourierBasis = ModelStructure.fourierBasis(dates: panel.dates, order: n)
        trendBasis = (1...T).map { Double($0) / Double(T) }
    }

    /// Natural-scale parameters for a point in the sampler's (unconstrained) coordinates.
    public func constrain(_ u: [Double]) -> [Double] { zip(parameters, u).map { $0.prior.constrain($1).x } }
    /// The sampler's coordinates for natural-scale parameters.
    public func unconstrain(_ x: [Double]) -> [Double] { zip(parameters, x).map { $0.prior.unconstrain($1) } }

    /// log R[g,c] for natural parameters `x`.
    public func logROAS(_ x: [Double], geo g: Int, channel c: Int) -> Double {
        let ch = channels[c]
        guard let s = ch.roasScale, let z = ch.roasZ else { return x[ch.roasMean] }
        return x[ch.roasMean] + x[s] * x[z + g]
    }
}
