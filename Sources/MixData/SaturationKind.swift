import Foundation

/// The saturation families a config can name (`model.saturation`): `MixPlanConfig.SaturationKind`.
public typealias SaturationKind = MixPlanConfig.SaturationKind

extension MixPlanConfig {
    /// A saturation family (DESIGN.md §2): the one place that defines each curve. Every stage asks
    /// this type — the config (its YAML spelling, parameter names and count), the model (value and
    /// derivatives, default priors), the optimiser (value, slope, curvature, concavity) and the
    /// workbook (its Excel formula) — so a new family is one case here plus its tests and docs.
    ///
    /// Every family is f(a) = β·h(a; θ) on the adstocked, scaled spend a ≥ 0, with the ceiling β
    /// entering linearly and stored last: the sampler reparameterises β by the effect at a
    /// reference level, calibration and the time-varying multiplier scale it, and the optimiser
    /// folds target units into it. Parameters are passed in `parameterNames` order (θ, then β).
    ///
    /// - logistic:          β (1 − e^(−λa)) / (1 + e^(−λa)) = β tanh(λa/2)
    /// - Hill:              β a^S / (a^S + K^S)
    /// - Michaelis–Menten:  β a / (λ + a)
    /// - tanh:              β tanh(a/c): PyMC-Marketing's `tanh_saturation` b·tanh(x/(b·c′)) with
    ///                      β = b and c = b·c′, so that β stays linear (c′ = c/β is its initial
    ///                      slope's inverse, c the level where the curve reaches tanh 1 ≈ 76 % of β).
    public enum SaturationKind: String, Sendable, Equatable, CaseIterable, Codable {
        case logistic, hill
        case michaelisMenten = "michaelis_menten"
        case tanh

        /// Parameter names in the order the model stores them; `beta` (the ceiling) is last for
        /// every family. Config prior keys are `saturation_<name>`.
        public var parameterNames: [String] {
            switch self {
            case .logistic: return ["lambda", "beta"]
            case .hill: return ["slope", "kappa", "beta"]
            case .michaelisMenten: return ["lambda", "beta"]
            case .tanh: return ["c", "beta"]
            }
        }

        /// The parameters' symbols in labels and prose ("λ"), in `parameterNames` order.
        public var parameterSymbols: [String] {
            switch self {
            case .logistic, .michaelisMenten: return ["λ", "β"]
            case .hill: return ["S", "K", "β"]
            case .tanh: return ["c", "β"]
            }
        }

        /// `parameterNames.count`, without building the array (the model's gradient asks often;
        /// a test checks the two agree).
        public var parameterCount: Int {
            switch self {
            case .logistic, .michaelisMenten, .tanh: return 2
            case .hill: return 3
            }
        }

        /// The family's name in prose and in the workbook ("Michaelis–Menten").
        public var displayName: String {
            switch self {
            case .logistic: return "logistic"
            case .hill: return "Hill"
            case .michaelisMenten: return "Michaelis\u{2013}Menten"
            case .tanh: return "tanh"
            }
        }

        /// PyMC-Marketing 0.19's default priors, one per parameter (`model.default_priors:
        /// pymc-marketing`).
        public var defaultPriors: [PriorSpec] {
            switch self {
            case .logistic: return [PriorSpec(.gamma, ["alpha": 3, "beta": 1]), PriorSpec(.halfNormal, ["sigma": 2])]
            case .hill: return Array(repeating: PriorSpec(.halfNormal, ["sigma": 1.5]), count: 3)
            case .michaelisMenten: return [PriorSpec(.halfNormal, ["sigma": 1]), PriorSpec.gamma(mean: 2, sd: 1)]
            case .tanh: return [PriorSpec(.halfNormal, ["sigma": 1]), PriorSpec(.halfNormal, ["sigma": 1])]
            }
        }

        /// The default priors of the `model.default_priors` set `defaults`, one per parameter. Under
        /// `.roas` the shape priors keep their mode away from a flat curve: Hill's slope S → 0,
        /// Michaelis–Menten's λ → 0 and tanh's c → 0 turn the curve into a constant β that trades
        /// off against the intercept, a funnel the sampler diverges in; Hill's half-saturation κ
        /// is kept inside the scaled spend's range. Hill's S is Gamma(6, 4) (mean 1.5, sd 0.61): a
        /// lighter upper tail than Gamma(4, 2.67), since a large S makes the curve a switch whose
        /// curvature the sampler diverges in (issue 20, recovery-delayed-hill). The logistic λ is
        /// Gamma(2.5, 0.75) (mode 2, mean 3.3, P(λ > 8) ≈ 3.5 % against 1.4 % for PyMC-Marketing's
        /// Gamma(3, 1)): its upper tail lets a channel the data show near saturation
        /// (recovery-long-carryover's λ = 8) keep its curve, yet is lighter than the 9.2 % of the
        /// Gamma(2, 0.5) it replaced, whose reach into the effect–λ ridge of a large, flat,
        /// saturated curve left always-on fits diverging. Recovery benchmark at defaults, seeds
        /// 1–20 (session 10): recovery-always-on passes the gate 14 / 20 at the first fit and
        /// 20 / 20 with `sampler.retry` (9 and 18 with Gamma(2, 0.5)); all seven families 130 / 140
        /// first fits and 140 / 140 with the retry; the price is long-carryover's ROAS coverage at
        /// exactly 90 % (95 % before). (β's prior is replaced by the ROAS prior there, see
        /// `ModelStructure`.)
        public func defaultPriors(_ defaults: PriorDefaults) -> [PriorSpec] {
            guard defaults == .roas else { return defaultPriors }
            switch self {
            case .logistic: return [PriorSpec(.gamma, ["alpha": 2.5, "beta": 0.75]), PriorSpec(.halfNormal, ["sigma": 2])]
            case .hill: return [PriorSpec(.gamma, ["alpha": 6, "beta": 4]), PriorSpec.gamma(mean: 0.5, sd: 0.3), PriorSpec(.halfNormal, ["sigma": 2])]
            case .michaelisMenten: return [PriorSpec.gamma(mean: 1, sd: 0.5), PriorSpec.gamma(mean: 2, sd: 1)]
            case .tanh: return [PriorSpec.gamma(mean: 1, sd: 0.5), PriorSpec(.halfNormal, ["sigma": 2])]
            }
        }

        /// Value and ∂/∂a at a ≥ 0, and ∂/∂p_k written into `dp` (length `parameterCount`) when
        /// given. At a = 0 Hill's slope is β/K for S = 1, 0 for S > 1 and +∞ for S < 1 (callers
        /// that need finite numbers clamp it).
        @inlinable @inline(__always)
        public func evaluate(_ a: Double, _ p: UnsafeBufferPointer<Double>, dp: UnsafeMutablePointer<Double>?) -> (value: Double, slope: Double) {
            switch self {
            case .logistic:
                let lambda = p[0], beta = p[1]
                // tanh(λa/2) through one exp: libm's tanh costs several times more, and this is the
                // model's innermost call (a ≥ 0, so q ∈ (0, 1] and nothing overflows).
                let q = Foundation.exp(-lambda * a)
                let th = (1 - q) / (1 + q)
                let sech2 = 4 * q / ((1 + q) * (1 + q))
                if let dp { dp[0] = beta * 0.5 * a * sech2; dp[1] = th }
                return (beta * th, beta * 0.5 * lambda * sech2)
            case .hill:
                let s = p[0], kappa = p[1], beta = p[2]
                guard a > 0 else {
                    if let dp { dp[0] = 0; dp[1] = 0; dp[2] = 0 }
                    return (0, s == 1 ? beta / kappa : (s > 1 ? 0 : .infinity))
                }
                let lr = Foundation.log(a) - Foundation.log(kappa)
                let r = Foundation.exp(s * lr)
                let h = r / (1 + r)
                let dh = 1 / ((1 + r) * (1 + r)) // dh/dr
                if let dp { dp[0] = beta * dh * r * lr; dp[1] = -beta * dh * s * r / kappa; dp[2] = h }
                return (beta * h, beta * dh * s * r / a)
            case .michaelisMenten:
                let lambda = p[0], beta = p[1]
                let d = lambda + a
                if let dp { dp[0] = -beta * a / (d * d); dp[1] = a / d }
                return (beta * a / d, beta * lambda / (d * d))
            case .tanh:
                // t = tanh(u), u = a/c ≥ 0, through q = e^(−2u) ∈ (0, 1]; 1 − t² = 4q/(1 + q)².
                let c = p[0], beta = p[1]
                let u = a / c
                let q = Foundation.exp(-2 * u)
                let t = (1 - q) / (1 + q)
                let sech2 = 4 * q / ((1 + q) * (1 + q))
                if let dp { dp[0] = -beta * sech2 * u / c; dp[1] = t }
                return (beta * t, beta * sech2 / c)
            }
        }

        /// d²f/da² at a ≥ 0: logistic βλ²·q(q − 1)/(1 + q)³·2 with q = e^(−λa); Michaelis–Menten
        /// −2βλ/(λ + a)³; Hill, with r = (a/K)^S, βS·r·[(S − 1) − (S + 1)r]/(a²(1 + r)³); tanh
        /// −2β·t(1 − t²)/c². At a = 0 Hill's is ±∞ where the slope is not differentiable; callers
        /// clamp. The optimiser's Newton curvature.
        @inlinable
        public func curvature(_ a: Double, _ p: UnsafeBufferPointer<Double>) -> Double {
            switch self {
            case .logistic:
                let lambda = p[0], beta = p[1]
                let q = Foundation.exp(-lambda * a)
                let inv = 1 / (1 + q)
                return 2 * beta * lambda * lambda * q * (q - 1) * inv * inv * inv
            case .michaelisMenten:
                let inv = 1 / (p[0] + a)
                return -2 * p[1] * p[0] * inv * inv * inv
            case .hill:
                let s = p[0], k = p[1], beta = p[2]
                guard a > 0 else {
                    if s == 1 { return -2 * beta / (k * k) }
                    if s == 2 { return 2 * beta / (k * k) }
                    return s > 2 ? 0 : (s > 1 ? .infinity : -.infinity)
                }
                let r = Foundation.exp(s * (Foundation.log(a) - Foundation.log(k)))
                let inv = 1 / (1 + r)
                return beta * s * r * ((s - 1) - (s + 1) * r) * inv * inv * inv / (a * a)
            case .tanh:
                let c = p[0], beta = p[1]
                let q = Foundation.exp(-2 * a / c)
                let t = (1 - q) / (1 + q)
                let sech2 = 4 * q / ((1 + q) * (1 + q))
                return -2 * beta * t * sech2 / (c * c)
            }
        }

        /// Whether the curve with shape parameters `p` (θ, β last) is concave on a ≥ 0: all
        /// families but Hill with S > 1, whose curve is S-shaped. The optimiser then solves the
        /// mean objective exactly by its KKT conditions.
        @inlinable
        public func isConcave(_ p: UnsafeBufferPointer<Double>) -> Bool {
            self != .hill || p[0] <= 1
        }

        /// The curve as an Excel formula (no leading `=`), given the expression of the level a
        /// and one name or cell per parameter in `parameterNames` order.
        public func excelFormula(level a: String, parameters p: [String]) -> String {
            precondition(p.count == parameterCount, "one name per parameter")
            switch self {
            case .logistic: return "\(p[1])*(1-EXP(-\(p[0])*\(a)))/(1+EXP(-\(p[0])*\(a)))"
            case .hill: return "\(p[2])*\(a)^\(p[0])/(\(a)^\(p[0])+\(p[1])^\(p[0]))"
            case .michaelisMenten: return "\(p[1])*\(a)/(\(p[0])+\(a))"
            case .tanh: return "\(p[1])*TANH(\(a)/\(p[0]))"
            }
        }

        /// The saturated value at `a` (for arrays; not for hot paths).
        public func value(_ a: Double, parameters: [Double]) -> Double {
            parameters.withUnsafeBufferPointer { evaluate(a, $0, dp: nil).value }
        }

        /// ∂value/∂a (for arrays; not for hot paths).
        public func slope(_ a: Double, parameters: [Double]) -> Double {
            parameters.withUnsafeBufferPointer { evaluate(a, $0, dp: nil).slope }
        }

        /// Every family's parameter count in words, for the rows-needed rule:
        /// "logistic 2, Hill 3, Michaelis–Menten 2, tanh 2".
        public static var parameterCountsText: String {
            allCases.map { "\($0.displayName) \($0.parameterCount)" }.joined(separator: ", ")
        }
    }
}
