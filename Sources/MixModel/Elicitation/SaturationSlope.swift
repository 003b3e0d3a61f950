import Foundation

extension Saturation {
    /// The curve's slope s(a) = ∂value/∂a at scaled spend a > 0, and ∂s/∂p_k written into `dp`
    /// (length `parameterCount`) — what a lift test measures in derivative space.
    ///
    /// - logistic, s = (βλ/2)·sech²(λa/2):
    ///   ∂s/∂λ = (β/2)·sech²(λa/2)·(1 − λa·tanh(λa/2)),  ∂s/∂β = (λ/2)·sech²(λa/2)
    /// - Michaelis–Menten, s = βλ/(λ+a)²:  ∂s/∂λ = β(a − λ)/(λ+a)³,  ∂s/∂β = λ/(λ+a)²
    /// - Hill, s = β·S·r/(a(1+r)²) with r = (a/K)^S:
    ///   ∂log s/∂S = 1/S + log(a/K)·(1−r)/(1+r),  ∂log s/∂K = −(S/K)·(1−r)/(1+r),  ∂s/∂β = s/β
    public func slopeGradient(_ a: Double, _ p: UnsafeBufferPointer<Double>, dp: UnsafeMutablePointer<Double>) -> Double {
        switch kind {
        case .logistic:
            let lambda = p[0], beta = p[1]
            let q = exp(-lambda * a)
            let th = (1 - q) / (1 + q)
            let sech2 = 4 * q / ((1 + q) * (1 + q))
            dp[0] = 0.5 * beta * sech2 * (1 - lambda * a * th)
            dp[1] = 0.5 * lambda * sech2
            return 0.5 * beta * lambda * sech2
        case .michaelisMenten:
            let lambda = p[0], beta = p[1]
            let d = lambda + a
            dp[0] = beta * (a - lambda) / (d * d * d)
            dp[1] = lambda / (d * d)
            return beta * lambda / (d * d)
        case .hill:
            let s = p[0], kappa = p[1], beta = p[2]
            let lr = log(a) - log(kappa)
            let r = exp(s * lr)
            let slope = beta * s * r / (a * (1 + r) * (1 + r))
            let ratio = (1 - r) / (1 + r)
            dp[0] = slope * (1 / s + lr * ratio)
            dp[1] = -slope * (s / kappa) * ratio
            dp[2] = slope / beta
            return slope
        }
    }

    /// `slopeGradient` for arrays (not for hot paths): the slope and its parameter gradient.
    public func slopeGradient(_ a: Double, parameters: [Double]) -> (slope: Double, gradient: [Double]) {
        var dp = [Double](repeating: 0, count: parameterCount)
        let s = parameters.withUnsafeBufferPointer { p in dp.withUnsafeMutableBufferPointer { slopeGradient(a, p, dp: $0.baseAddress!) } }
        return (s, dp)
    }
}
