import Foundation

/// Which per-geo coordinates of the pooled blocks are sampled centred (the geo's value itself,
/// prior Normal(mean, scale)) and which non-centred (ζ, value = mean + scale·ζ).
///
/// Why per geo: the two forms fail in opposite cases. Where a geo's own data pin its value down
/// much more tightly than the spread across geos, the non-centred form ties mean, scale and ζ into
/// a narrow ridge; where the data say little, the centred form is the funnel of a hierarchical
/// prior whose scale can shrink towards 0. A panel holds both at once — a geo of 10 million people
/// measures its seasonality to a fraction of a percent, one of 200,000 hardly at all — so one
/// choice per block leaves divergences either way.
///
/// The rule (`byDataStrength`): fit each geo alone by least squares on the model's own columns
/// (constant, Fourier terms, trend, controls and each active channel's spend in target units,
/// whose coefficient is roughly the cell's ROAS). That gives every pooled entry an estimate b̂[g]
/// and a standard error d[g], the spread of the data alone. The spread across geos is estimated
/// by moments, ŝ² = max(0, var_g b̂ − mean_g d²) (averaged over a block's entries that share one
/// scale; for ROAS on the log scale, b̂ and d relative to the channel's precision-weighted mean
/// ROAS). Entry (g, j) is centred when d[g,j] < ŝ: the data are more informative than the prior.
/// With ŝ = 0 (geos look alike) every entry stays non-centred, the right form near a zero scale.
/// Channels absent from a geo and geos with too few periods for the regression stay non-centred.
/// The choice is a reparameterisation only: the posterior is the same either way.
public struct GeoCentring: Sendable, Equatable {
    /// How one block's per-geo coordinates are sampled.
    public enum Form: Sendable, Equatable {
        case centred, nonCentred
        /// Per geo, by the data-strength rule above.
        case byData
        /// ROAS only: every live cell partially centred with its weight from the data
        /// (`GeoPartialCentring`).
        case partial
        /// Intercepts only: integrated out of the likelihood and sampled given everything else
        /// (`GeoConditionalIntercept`); the per-geo values are laid out as centred ones.
        case conditional
    }

    /// A form per block (the trend follows the seasonality).
    public struct Rule: Sendable, Equatable {
        public var intercept: Form
        public var seasonality: Form
        public var roas: Form
        /// Whether a geo whose intercept is sampled centred (and the one-geo intercept) is sampled
        /// as its *centred baseline* b_g = intercept_g + Σ_c R[g,c]·X[g,c]/T instead
        /// (`GeoStructure.centredBaseline`). On by default; off only for benchmark comparisons.
        public var centredBaseline: Bool
        /// Whether fully non-centred blocks are sampled in contrast coordinates (`GeoContrastDensity`).
        /// On by default; off only for benchmark comparisons.
        public var contrasts: Bool
        /// Whether a channel's pooled mean log β (`GeoEffect.beta`) is sampled shifted by its
        /// reference log(H/X) (`GeoBetaShift`). On by default; off only for benchmark comparisons.
        public var betaShift: Bool
        /// Whether centred intercepts are sampled as centred baselines under `GeoEffect.beta` too
        /// (b_g = intercept_g + Σ_c β·H/T). Off by default: on geo-8x156 it cut the leapfrog steps
        /// per draw from 217 to 63, but fits at target acceptance 0.9 kept 1–3 divergent
        /// transitions in the tails, and the 3-geo PyMC-Marketing fixture one even at 0.95 (session 14).
        public var betaCentredBaseline = false

        public init(intercept: Form, seasonality: Form, roas: Form, centredBaseline: Bool = true, contrasts: Bool = true, betaShift: Bool = true) {
            self.intercept = intercept
            self.seasonality = seasonality
            self.roas = roas
            self.centredBaseline = centredBaseline
            self.contrasts = contrasts
            self.betaShift = betaShift
        }

        /// Intercepts and ROAS by the data-strength rule, seasonality (and trend) non-centred. Seasonality is left out of the rule because its pooled scale sits close to
        /// 0 (the geos' seasonal shapes per head differ little: posterior s_f ≈ 0.01 on geo-4x104),
        /// and near a zero scale every centred entry is a funnel, however well its geo measures
        /// it — centring the well-measured geos' Fourier terms there raised divergences from 22 to 72.
        public static let byDataStrength = Rule(intercept: .byData, seasonality: .nonCentred, roas: .byData)
        /// Every block by the data-strength rule, seasonality included.
        public static let allByData = Rule(intercept: .byData, seasonality: .byData, roas: .byData)
        /// Every per-geo coordinate centred, or every one non-centred (tests, comparisons).
        public static let allCentred = Rule(intercept: .centred, seasonality: .centred, roas: .centred)
        public static let noneCentred = Rule(intercept: .nonCentred, seasonality: .nonCentred, roas: .nonCentred)
        /// The intercepts centred, everything else non-centred: the fixed choice before the
        /// per-geo rule, kept so benchmarks can compare against it.
        public static let interceptOnly = Rule(intercept: .centred, seasonality: .nonCentred, roas: .nonCentred)
        /// The default, still `interceptOnly`: on geo-4x104 seed 1 the data-strength rules left
        /// more divergences (34, 72) than it (22), and on geo-8x156 seed 1 `byDataStrength` left 10
        /// where it had left none (README, *Geo panels*).
        public static let standard = interceptOnly
    }

    /// Flags `[g·count + j]` per block; ROAS per channel `[g]`.
    public var intercept: [Bool]
    public var fourier: [Bool]
    public var trend: [Bool]
    public var roas: [[Bool]]
    /// Per channel `[g]`, the partial-centring weight of each cell's log ROAS (empty unless the
    /// rule's ROAS form is `.partial`; 0 for an inactive cell).
    public var roasWeight: [[Double]] = []

    /// Applies `rule` to the scaled panel of `s` (the `GeoStructure` fields it reads are set first).
    /// `priorROAS[c]` is the channel's prior median ROAS, the reference when the data's is not positive.
    init(rule: Rule, G: Int, T: Int, C: Int, K: Int, fourierCount F: Int, trend hasTrend: Bool, target y: [Double],
         spend x: [Double], spendToTargetUnits: [Double], controls z: [Double], fourierBasis: [Double], trendBasis: [Double],
         active: [Bool], priorROAS: [Double]) {
        let nT = hasTrend ? 1 : 0
        intercept = Array(repeating: rule.intercept == .centred || rule.intercept == .conditional, count: G)
        fourier = Array(repeating: rule.seasonality == .centred, count: G * F)
        trend = Array(repeating: rule.seasonality == .centred, count: G * nT)
        roas = (0..<C).map { c in (0..<G).map { rule.roas == .centred && active[$0 * C + c] } }
        guard G > 1, [rule.intercept, rule.seasonality, rule.roas].contains(where: { $0 == .byData || $0 == .partial }) else { return }
        if rule.roas == .partial { roasWeight = (0..<C).map { _ in [Double](repeating: 0, count: G) } }
        // Per geo: the least-squares estimate and standard error of every column's coefficient.
        var estimate = [[Double]](repeating: [], count: G), error = estimate
        var mediaColumn = [[Int?]](repeating: [Int?](repeating: nil, count: C), count: G)
        for g in 0..<G {
            var columns: [[Double]] = [[Double](repeating: 1, count: T)]
            for j in 0..<F { columns.append(Array(fourierBasis[(j * T)..<((j + 1) * T)])) }
            if hasTrend { columns.append(trendBasis) }
            for k in 0..<K { columns.append(Array(z[((g * K + k) * T)..<((g * K + k + 1) * T)])) }
            for c in 0..<C where active[g * C + c] {
                mediaColumn[g][c] = columns.count
                columns.append(x[((g * C + c) * T)..<((g * C + c + 1) * T)].map { $0 * spendToTargetUnits[c] })
            }
            guard let fit = Self.leastSquares(columns: columns, target: Array(y[(g * T)..<((g + 1) * T)])) else { return }
            estimate[g] = fit.estimate; error[g] = fit.standardError
        }
        func variance(_ v: [Double]) -> Double {
            let m = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, v.count - 1))
        }
        /// Flags for a block of `count` entries at columns `first…` sharing one scale.
        func block(first: Int, count: Int) -> [Bool] {
            guard count > 0 else { return [] }
            let spread2 = (0..<count).map { j in
                max(0, variance((0..<G).map { estimate[$0][first + j] }) - (0..<G).reduce(0) { $0 + pow(error[$1][first + j], 2) } / Double(G))
            }.reduce(0, +) / Double(count)
            let spread = spread2.squareRoot()
            return (0..<G).flatMap { g in (0..<count).map { j in error[g][first + j] < spread } }
        }
        if rule.intercept == .byData { intercept = block(first: 0, count: 1) }
        if rule.seasonality == .byData {
            fourier = block(first: 1, count: F)
            trend = block(first: 1 + F, count: nT)
        }
        for c in 0..<C where rule.roas == .byData || rule.roas == .partial {
            let live = (0..<G).filter { mediaColumn[$0][c] != nil }
            guard live.count >= 2 else { continue }
            let b = live.map { estimate[$0][mediaColumn[$0][c]!] }, d = live.map { error[$0][mediaColumn[$0][c]!] }
            let w = d.map { 1 / ($0 * $0) }
            let pooled = zip(b, w).reduce(0) { $0 + $1.0 * $1.1 } / w.reduce(0, +)
            let reference = pooled > 0 ? pooled : priorROAS[c]
            let relative = b.map { $0 / reference }, relativeError = d.map { $0 / reference }
            let spread = max(0, variance(relative) - relativeError.reduce(0) { $0 + $1 * $1 } / Double(live.count)).squareRoot()
            for (i, g) in live.enumerated() {
                if rule.roas == .partial {
                    roasWeight[c][g] = GeoPartialCentring.weight(spread: spread, standardError: relativeError[i])
                } else {
                    roas[c][g] = relativeError[i] < spread
                }
            }
        }
    }

    /// Ordinary least squares by the normal equations (Cholesky, with a tiny ridge so a column
    /// that repeats another does not stop it): coefficients and their standard errors with σ̂² =
    /// RSS/(T − p). Nil when there are not more periods than columns plus one.
    public static func leastSquares(columns: [[Double]], target y: [Double]) -> (estimate: [Double], standardError: [Double])? {
        let p = columns.count, T = y.count
        guard T > p + 1 else { return nil }
        var a = [Double](repeating: 0, count: p * p), rhs = [Double](repeating: 0, count: p)
        for i in 0..<p {
            for j in 0...i {
                var s = 0.0
                for t in 0..<T { s += columns[i][t] * columns[j][t] }
                a[i * p + j] = s; a[j * p + i] = s
            }
            var s = 0.0
            for t in 0..<T { s += columns[i][t] * y[t] }
            rhs[i] = s
        }
        let ridge = 1e-10 * ((0..<p).map { a[$0 * p + $0] }.max() ?? 1)
        for i in 0..<p { a[i * p + i] += ridge }
        // Cholesky a = L·Lᵀ, then the inverse column by column.
        var l = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0...i {
                var s = a[i * p + j]
                for k in 0..<j { s -= l[i * p + k] * l[j * p + k] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * p + i] = s.squareRoot()
                } else {
                    l[i * p + j] = s / l[j * p + j]
                }
            }
        }
        func solve(_ b: [Double]) -> [Double] {
            var v = b
            for i in 0..<p { for k in 0..<i { v[i] -= l[i * p + k] * v[k] }; v[i] /= l[i * p + i] }
            for i in stride(from: p - 1, through: 0, by: -1) { for k in (i + 1)..<p { v[i] -= l[k * p + i] * v[k] }; v[i] /= l[i * p + i] }
            return v
        }
        let beta = solve(rhs)
        var rss = 0.0
        for t in 0..<T {
            var f = 0.0
            for i in 0..<p { f += beta[i] * columns[i][t] }
            rss += (y[t] - f) * (y[t] - f)
        }
        let sigma2 = rss / Double(T - p)
        let se = (0..<p).map { i -> Double in
            var e = [Double](repeating: 0, count: p)
            e[i] = 1
            return (sigma2 * solve(e)[i]).squareRoot()
        }
        return (beta, se)
    }
}
