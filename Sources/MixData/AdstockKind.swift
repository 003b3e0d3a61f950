import Foundation

/// The adstock kinds a config can name (`model.adstock`): `MixPlanConfig.AdstockKind`.
public typealias AdstockKind = MixPlanConfig.AdstockKind

extension MixPlanConfig {
    /// A carryover kind (DESIGN.md §2): the one place that defines each adstock. Every stage asks
    /// this type — the config (its YAML spelling, parameter names and count, the rows-needed
    /// rule), the model (weights and their derivatives, default priors), the response draws and
    /// charts (weights), the calibration summary (parameter symbols) and the report (its name in
    /// prose) — so a new kind is one case here plus its tests and docs. (The model's whole-series
    /// loops, `Adstock` in MixModel, add only speed: a recursion for geometric, a convolution for
    /// every other kind.)
    ///
    /// Every kind yields weights w[0…L-1] over the lag window L (`model.adstock_max_lag`),
    /// normalised to sum to 1, and the adstocked signal is a[t] = Σ_l w[l] x̃[t-l] with x̃ = 0
    /// before the first row. Because the weights sum to 1 the steady-state factor is 1 for every
    /// kind (`steadyStateFactor`): a steady spend level s gives a steady adstocked level s, which is
    /// why the steady response curve is the saturation curve of the spend itself.
    ///
    /// All kinds are written as v[l] = exp(g[l]) with a log-weight g that is smooth in the
    /// parameters, so the normalisation is a softmax:
    ///
    ///     w[l] = exp(g[l]) / Σ_j exp(g[j])
    ///     ∂w[l]/∂p = w[l] · (∂g[l]/∂p − Σ_j w[j] ∂g[j]/∂p)
    ///
    /// and, for the model's gradient, with q[l] = Σ_t (∂ℓ/∂a[t]) x̃[t-l]:
    ///
    ///     ∂ℓ/∂p = Σ_l q[l] ∂w[l]/∂p
    ///
    /// or, summing in the other order, ∂ℓ/∂p = Σ_t (∂ℓ/∂a[t]) · Σ_l (∂w[l]/∂p) x̃[t-l]: the
    /// derivative of the adstocked series is the same convolution with ∂w/∂p in place of w, which is
    /// how the model computes it (one extra pass over the data per adstock parameter).
    /// Log-weights per kind (l = 0…L-1):
    /// - geometric:   g = l·ln α                         ∂g/∂α = l/α
    /// - delayed:     g = (l−θ)²·ln α                    ∂g/∂α = (l−θ)²/α,  ∂g/∂θ = −2(l−θ)·ln α
    /// - Weibull CDF: g = −Σ_{i=1}^{l+1} (i/λ)^k         (survival products, as Robyn's `weibull_cdf`)
    /// - Weibull PDF: g = ln k − ln λ + (k−1) ln((l+1)/λ) − ((l+1)/λ)^k   (the density at lag l+1)
    public enum AdstockKind: String, Sendable, Equatable, CaseIterable, Codable {
        case geometric, delayed
        case weibullCDF = "weibull_cdf"
        case weibullPDF = "weibull_pdf"

        /// Parameter names in the order the model stores them (before the saturation's). Config
        /// prior keys are `adstock_<name>`.
        public var parameterNames: [String] {
            switch self {
            case .geometric: return ["alpha"]
            case .delayed: return ["alpha", "theta"]
            case .weibullCDF, .weibullPDF: return ["lambda", "k"]
            }
        }

        /// The parameters' symbols in labels and prose ("α"), in `parameterNames` order.
        public var parameterSymbols: [String] {
            switch self {
            case .geometric: return ["α"]
            case .delayed: return ["α", "θ"]
            case .weibullCDF, .weibullPDF: return ["λ", "k"]
            }
        }

        /// `parameterNames.count`, without building the array (a test checks the two agree).
        public var parameterCount: Int { self == .geometric ? 1 : 2 }

        /// The kind's name in prose ("Weibull CDF").
        public var displayName: String {
            switch self {
            case .geometric: return "geometric"
            case .delayed: return "delayed"
            case .weibullCDF: return "Weibull CDF"
            case .weibullPDF: return "Weibull PDF"
            }
        }

        /// PyMC-Marketing 0.19's default priors, one per parameter (the same under both
        /// `model.default_priors` sets: the ROAS set changes only the saturation and β priors).
        public var defaultPriors: [PriorSpec] {
            switch self {
            case .geometric: return [PriorSpec(.beta, ["alpha": 1, "beta": 3])]
            case .delayed: return [PriorSpec(.beta, ["alpha": 1, "beta": 3]), PriorSpec(.halfNormal, ["sigma": 1])]
            case .weibullCDF: return [PriorSpec.gamma(mean: 2, sd: 2.5), PriorSpec.gamma(mean: 2, sd: 2.5)]
            case .weibullPDF: return [PriorSpec.gamma(mean: 2, sd: 1), PriorSpec.gamma(mean: 3, sd: 1)]
            }
        }

        /// Steady adstocked level ÷ steady spend level: Σ_l w[l], which is 1 for every kind since
        /// the weights are normalised. The steady response per period at spend s is therefore
        /// the saturation curve at s itself (`JointEvaluator.steadyResponse`, the response curves).
        public static let steadyStateFactor = 1.0

        /// Normalised weights w[0…L-1] for the given parameters (for arrays; the model's hot loop
        /// uses the allocation-free form).
        public func weights(_ parameters: [Double], lags L: Int) -> [Double] {
            var w = [Double](repeating: 0, count: L)
            var dw = [Double](repeating: 0, count: L * parameterCount)
            parameters.withUnsafeBufferPointer { p in
                w.withUnsafeMutableBufferPointer { wp in
                    dw.withUnsafeMutableBufferPointer { dp in weights(p, into: wp, derivatives: dp) }
                }
            }
            return w
        }

        /// Writes w[l] into `w` (its count is the lag window L) and ∂w[l]/∂p_k into
        /// `derivatives[k·L + l]` (length at least `parameterCount`·L). Allocation-free: the model
        /// calls it once per channel per gradient evaluation.
        public func weights(_ p: UnsafeBufferPointer<Double>, into w: UnsafeMutableBufferPointer<Double>,
                            derivatives dw: UnsafeMutableBufferPointer<Double>) {
            let L = w.count
            let np = parameterCount
            // First pass: log-weights into w, their parameter derivatives into dw.
            for l in 0..<L {
                let (g, d0, d1) = logWeight(lag: l, p)
                w[l] = g
                dw[l] = d0
                if np == 2 { dw[L + l] = d1 }
            }
            var maxG = -Double.infinity
            for l in 0..<L where w[l] > maxG { maxG = w[l] }
            var total = 0.0
            for l in 0..<L {
                let v = Foundation.exp(w[l] - maxG)
                w[l] = v
                total += v
            }
            for l in 0..<L { w[l] /= total }
            for k in 0..<np {
                var mean = 0.0
                for l in 0..<L { mean += w[l] * dw[k * L + l] }
                for l in 0..<L { dw[k * L + l] = w[l] * (dw[k * L + l] - mean) }
            }
        }

        /// g[l] and ∂g[l]/∂p for lag l (the second derivative slot is 0 for one-parameter kinds).
        @inline(__always)
        private func logWeight(lag l: Int, _ p: UnsafeBufferPointer<Double>) -> (Double, Double, Double) {
            let x = Double(l)
            switch self {
            case .geometric:
                let alpha = p[0]
                return (x * Foundation.log(alpha), x / alpha, 0)
            case .delayed:
                let alpha = p[0], theta = p[1]
                let d = x - theta
                let la = Foundation.log(alpha)
                return (d * d * la, d * d / alpha, -2 * d * la)
            case .weibullCDF:
                let lambda = p[0], k = p[1]
                var g = 0.0, dl = 0.0, dk = 0.0
                for i in 1...(l + 1) {
                    let r = Double(i) / lambda
                    let rk = Foundation.pow(r, k)
                    g -= rk
                    dl += k * rk / lambda
                    dk -= rk * Foundation.log(r)
                }
                return (g, dl, dk)
            case .weibullPDF:
                let lambda = p[0], k = p[1]
                let t = x + 1
                let r = t / lambda
                let lr = Foundation.log(r)
                let rk = Foundation.pow(r, k)
                let g = Foundation.log(k) - Foundation.log(lambda) + (k - 1) * lr - rk
                let dl = -1 / lambda - (k - 1) / lambda + k * rk / lambda
                let dk = 1 / k + lr - rk * lr
                return (g, dl, dk)
            }
        }

        /// Every kind's parameter count in words, for the rows-needed rule:
        /// "geometric 1, delayed 2, Weibull CDF 2, Weibull PDF 2".
        public static var parameterCountsText: String {
            allCases.map { "\($0.displayName) \($0.parameterCount)" }.joined(separator: ", ")
        }
    }
}
