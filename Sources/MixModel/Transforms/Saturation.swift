import Foundation
import MixData

/// The model's name for the one saturation type, `MixPlanConfig.SaturationKind` (MixData), which
/// owns each curve's parameters, priors, value, derivatives and Excel formula. This file adds only
/// the model's whole-series loop.
public typealias Saturation = MixPlanConfig.SaturationKind

extension MixPlanConfig.SaturationKind {
    public typealias Kind = MixPlanConfig.SaturationKind

    /// The family itself (kept so `Saturation(kind:)` reads as it did when this was a wrapper).
    public init(kind: Kind) { self = kind }

    /// The family itself.
    public var kind: Kind { self }

    /// The saturated value at `a` (β last in `p`).
    @inline(__always)
    public func value(_ a: Double, _ p: UnsafeBufferPointer<Double>) -> Double {
        evaluate(a, p, dp: nil).value
    }
}

extension MixPlanConfig.SaturationKind {
    /// The whole series at once, for the model's hot loop (the switch on the family is taken
    /// once, not per period): adds β·h(a[t]) to `sum[t]`, writes ∂/∂a into `slope[t]` and ∂/∂p_k
    /// into `dp[k·stride + t]` for t < `count`. The three original families have loops written
    /// out for speed (the same formulas as `evaluate`, checked against it by TransformTests);
    /// any other family goes through `evaluate` period by period, so a new family needs nothing here.
    ///
    /// Where a ≤ 0 the slope is written as 0: every input in the lag window is then 0, so ∂a/∂(any
    /// adstock parameter) is 0 too, and Hill's infinite slope at 0 (S < 1) must not turn 0 into NaN.
    @inline(__always)
    public func accumulate(_ a: UnsafePointer<Double>, count T: Int, _ p: UnsafeBufferPointer<Double>,
                    into sum: UnsafeMutablePointer<Double>, slope: UnsafeMutablePointer<Double>,
                    dp: UnsafeMutablePointer<Double>, stride: Int) {
        switch self {
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
        default:
            let n = parameterCount
            withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { scratch in
                let d = scratch.baseAddress!
                for t in 0..<T {
                    let at = a[t]
                    let r = evaluate(at, p, dp: d)
                    sum[t] += r.value
                    slope[t] = at > 0 ? r.slope : 0
                    for k in 0..<n { dp[k * stride + t] = d[k] }
                }
            }
        }
    }
}
