import Foundation
import MixData

/// Diminishing returns, applied to the adstocked, scaled spend a ≥ 0 (DESIGN.md §2).
///
/// - logistic:          β (1 − e^(−λa)) / (1 + e^(−λa)) = β tanh(λa/2)
/// - Hill:              β a^S / (a^S + K^S)
/// - Michaelis–Menten:  β a / (λ + a)
///
/// Each gives its value, ∂/∂a and ∂/∂(each parameter); parameters are passed in the order of
/// `parameterNames`, with β (the ceiling) always last.
public struct Saturation: Sendable, Equatable {
    public typealias Kind = MixPlanConfig.SaturationKind

    public let kind: Kind

    public init(kind: Kind) { self.kind = kind }

    /// Parameter names in order (`Kind.parameterNames`); `beta` is last for every kind.
    public var parameterNames: [String] { kind.parameterNames }

    public var parameterCount: Int { kind.parameterCount }

    /// PyMC-Marketing 0.19's default priors, one per parameter.
    public var defaultPriors: [PriorSpec] {
        switch kind {
        case .logistic: return [PriorSpec(.gamma, ["alpha": 3, "beta": 1]), PriorSpec(.halfNormal, ["sigma": 2])]
        case .hill: return Array(repeating: PriorSpec(.halfNormal, ["sigma": 1.5]), count: 3)
        case .michaelisMenten: return [PriorSpec(.halfNormal, ["sigma": 1]), PriorSpec.gamma(mean: 2, sd: 1)]
        }
    }

    /// The default priors of the `model.default_priors` set `defaults`, one per parameter. Under
    /// `.roas` the shape priors keep their mode away from a flat curve: Hill's slope S → 0 and
    /// Michaelis–Menten's λ → 0 turn the curve into a constant β that trades off against the
    /// intercept, a funnel the sampler diverges in; Hill's half-saturation κ is kept inside the
    /// scaled spend's range. Hill's S is Gamma(6, 4) (mean 1.5, sd 0.61): a lighter upper tail
    /// than Gamma(4, 2.67), since a large S makes the curve a switch whose curvature the sampler
    /// diverges in (issue 20, recovery-delayed-hill). The logistic λ is Gamma(2, 0.5) (mode 2,
    /// mean 4, P(λ > 8) ≈ 9 % against 1.4 % for PyMC-Marketing's Gamma(3, 1)), so a channel the
    /// data show near saturation (recovery-long-carryover's λ = 8) is not pulled to a less
    /// saturated, lower-ROAS curve. (β's prior is replaced by the ROAS prior there, see
    /// `ModelStructure`.)
    public func defaultPriors(_ defaults: MixPlanConfig.PriorDefaults) -> [PriorSpec] {
        guard defaults == .roas else { return defaultPriors }
        switch kind {
        case .logistic: return [PriorSpec(.gamma, ["alpha": 2, "beta": 0.5]), PriorSpec(.halfNormal, ["sigma": 2])]
        case .hill: return [PriorSpec(.gamma, ["alpha": 6, "beta": 4]), PriorSpec.gamma(mean: 0.5, sd: 0.3), PriorSpec(.halfNormal, ["sigma": 2])]
        case .michaelisMenten: return [PriorSpec.gamma(mean: 1, sd: 0.5), PriorSpec.gamma(mean: 2, sd: 1)]
        }
    }

    /// The saturated value at `a`.
    @inline(__always)
    public func value(_ a: Double, _ p: UnsafeBufferPointer<Double>) -> Double {
        switch kind {
        case .logistic:
            let q = exp(-p[0] * a)
            return p[1] * (1 - q) / (1 + q)
        case .hill:
            guard a > 0 else { return 0 }
            let r = exp(p[0] * (log(a) - log(p[1])))
            return p[2] * r / (1 + r)
        case .michaelisMenten: return p[1] * a / (p[0] + a)
        }
    }

    /// Value, ∂/∂a, and ∂/∂p_k written into `dp` (length `parameterCount`).
    @inline(__always)
    public func evaluate(_ a: Double, _ p: UnsafeBufferPointer<Double>, dp: UnsafeMutablePointer<Double>) -> (value: Double, slope: Double) {
        switch kind {
        case .logistic:
            let lambda = p[0], beta = p[1]
            // tanh(λa/2) through one exp: libm's tanh costs several times more, and this is the
            // model's innermost call (a ≥ 0, so q ∈ (0, 1] and nothing overflows).
            let q = exp(-lambda * a)
            let th = (1 - q) / (1 + q)
            let sech2 = 4 * q / ((1 + q) * (1 + q))
            dp[0] = beta * 0.5 * a * sech2
            dp[1] = th
            return (beta * th, beta * 0.5 * lambda * sech2)
        case .hill:
            let s = p[0], kappa = p[1], beta = p[2]
            guard a > 0 else {
                dp[0] = 0; dp[1] = 0; dp[2] = 0
                // The slope at 0 is β/K for S = 1, 0 for S > 1 and unbounded for S < 1.
                let slope = s == 1 ? beta / kappa : (s > 1 ? 0 : Double.infinity)
                return (0, slope)
            }
            let lr = log(a) - log(kappa)
            let r = exp(s * lr)
            let h = r / (1 + r)
            let dh = 1 / ((1 + r) * (1 + r)) // dh/dr
            dp[0] = beta * dh * r * lr
            dp[1] = -beta * dh * s * r / kappa
            dp[2] = h
            return (beta * h, beta * dh * s * r / a)
        case .michaelisMenten:
            let lambda = p[0], beta = p[1]
            let d = lambda + a
            dp[0] = -beta * a / (d * d)
            dp[1] = a / d
            return (beta * a / d, beta * lambda / (d * d))
        }
    }

    /// Convenience for arrays (not for hot paths).
    public func value(_ a: Double, parameters: [Double]) -> Double {
        parameters.withUnsafeBufferPointer { value(a, $0) }
    }

    /// ∂value/∂a for arrays (not for hot paths).
    public func slope(_ a: Double, parameters: [Double]) -> Double {
        var dp = [Double](repeating: 0, count: parameterCount)
        return parameters.withUnsafeBufferPointer { p in dp.withUnsafeMutableBufferPointer { evaluate(a, p, dp: $0.baseAddress!).slope } }
    }
}

extension Saturation {
    /// The whole series at once, for the model's hot loop (the switch on `kind` is taken once,
    /// not per period): adds β·h(a[t]) to `sum[t]`, writes ∂/∂a into `slope[t]` and ∂/∂p_k into
    /// `dp[k·stride + t]` for t < `count`, with the same formulas as `evaluate`.
    ///
    /// Where a ≤ 0 the slope is written as 0: every input in the lag window is then 0, so ∂a/∂(any
    /// adstock parameter) is 0 too, and Hill's infinite slope at 0 (S < 1) must not turn 0 into NaN.
    @inline(__always)
    func accumulate(_ a: UnsafePointer<Double>, count T: Int, _ p: UnsafeBufferPointer<Double>,
                    into sum: UnsafeMutablePointer<Double>, slope: UnsafeMutablePointer<Double>,
                    dp: UnsafeMutablePointer<Double>, stride: Int) {
        switch kind {
        case .logistic:
            let lambda = p[0], beta = p[1]
            let dLambda = dp, dBeta = dp + stride
            // tanh(λa/2) through q = e^(−λa) (libm's tanh costs several times more), all q first
            // by the vectorised exp (VectorExp.swift), kept in dBeta until it is overwritten.
            vectorExp(a, scale: -lambda, into: dBeta, count: T)
            for t in 0..<T {
                let at = a[t]
                let q = dBeta[t]
                let inv = 1 / (1 + q)
                let th = (1 - q) * inv
                let half = 2 * beta * q * inv * inv       // β·sech²(λa/2)/2
                sum[t] += beta * th
                slope[t] = at > 0 ? half * lambda : 0
                dLambda[t] = half * at
                dBeta[t] = th
            }
        case .michaelisMenten:
            let lambda = p[0], beta = p[1]
            let dLambda = dp, dBeta = dp + stride
            for t in 0..<T {
                let at = a[t]
                let inv = 1 / (lambda + at)
                let h = at * inv
                sum[t] += beta * h
                slope[t] = at > 0 ? beta * lambda * inv * inv : 0
                dLambda[t] = -beta * h * inv
                dBeta[t] = h
            }
        case .hill:
            let s = p[0], kappa = p[1], beta = p[2]
            let logKappa = log(kappa)
            let dS = dp, dKappa = dp + stride, dBeta = dp + 2 * stride
            for t in 0..<T {
                let at = a[t]
                guard at > 0 else {
                    slope[t] = 0; dS[t] = 0; dKappa[t] = 0; dBeta[t] = 0
                    continue
                }
                let lr = log(at) - logKappa
                let r = exp(s * lr)
                let inv = 1 / (1 + r)
                let h = r * inv
                let dh = inv * inv                         // dh/dr
                sum[t] += beta * h
                slope[t] = beta * dh * s * r / at
                dS[t] = beta * dh * r * lr
                dKappa[t] = -beta * dh * s * r / kappa
                dBeta[t] = h
            }
        }
    }
}
