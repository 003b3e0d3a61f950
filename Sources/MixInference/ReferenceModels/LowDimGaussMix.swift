import Foundation

/// posteriordb `low_dim_gauss_mix-low_dim_gauss_mix`: a two-component normal mixture.
///
/// x = (a, b, s₁, s₂, l): μ₁ = a, μ₂ = a + eᵇ (ordered), σₖ = e^{sₖ}, θ = logistic(l).
/// log p = Σₙ log(θ N(yₙ|μ₁,σ₁) + (1−θ) N(yₙ|μ₂,σ₂)) − Σ μₖ²/8 − Σ σₖ²/8 + 4 log θ + 4 log(1−θ)
///         + b + s₁ + s₂ + log θ + log(1−θ)   (priors Normal(0,2), half-Normal(0,2), Beta(5,5); Jacobians).
/// With responsibilities wₙ = θN₁/(θN₁ + (1−θ)N₂): ∂/∂μ₁ = Σ wₙ(yₙ−μ₁)/σ₁², ∂/∂σ₁ = Σ wₙ(−1/σ₁ + (yₙ−μ₁)²/σ₁³),
/// ∂/∂θ = Σ (wₙ/θ − (1−wₙ)/(1−θ)); then the chain rule through the transforms.
public struct LowDimGaussMix: ReferencePosterior {
    public static let posteriorName = "low_dim_gauss_mix-low_dim_gauss_mix"
    public let y: [Double]

    public init(y: [Double]) { self.y = y }

    public init(data: PosteriorData) throws {
        let n = try data.int("N")
        self.init(y: try data.doubles("y", count: n))
    }

    public var dimension: Int { 5 }
    public var parameterNames: [String] { ["mu_1", "mu_gap_log", "sigma_log[1]", "sigma_log[2]", "theta_logit"] }
    public var reportedNames: [String] { ["mu[1]", "mu[2]", "sigma[1]", "sigma[2]", "theta"] }

    public func reported(_ x: ArraySlice<Double>) -> [Double] {
        let b = x.startIndex
        return [x[b], x[b] + Foundation.exp(x[b + 1]), Foundation.exp(x[b + 2]), Foundation.exp(x[b + 3]),
                1 / (1 + Foundation.exp(-x[b + 4]))]
    }

    public mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
        let gap = Foundation.exp(x[1])
        let mu1 = x[0], mu2 = x[0] + gap
        let sigma1 = Foundation.exp(x[2]), sigma2 = Foundation.exp(x[3])
        let l = x[4]
        // log θ and log(1 − θ) computed stably from the logit.
        let logTheta = -softplus(-l), logOneMinus = -softplus(l)
        let theta = Foundation.exp(logTheta)
        let c1 = logTheta - x[2], c2 = logOneMinus - x[3]
        let inv1 = 1 / (sigma1 * sigma1), inv2 = 1 / (sigma2 * sigma2)
        var lp = 0.0
        var dMu1 = 0.0, dMu2 = 0.0, dSigma1 = 0.0, dSigma2 = 0.0, sumW = 0.0
        for v in y {
            let d1 = v - mu1, d2 = v - mu2
            let a = c1 - 0.5 * d1 * d1 * inv1
            let b = c2 - 0.5 * d2 * d2 * inv2
            // log(eᵃ + eᵇ) = max + log1p(e^−|a−b|); the same exponential gives w = eᵃ/(eᵃ + eᵇ).
            let e = Foundation.exp(-abs(a - b))
            lp += Swift.max(a, b) + Foundation.log1p(e)
            let w = a >= b ? 1 / (1 + e) : e / (1 + e)
            sumW += w
            dMu1 += w * d1 * inv1
            dMu2 += (1 - w) * d2 * inv2
            dSigma1 += w * (d1 * d1 * inv1 - 1)      // σ₁ ∂/∂σ₁
            dSigma2 += (1 - w) * (d2 * d2 * inv2 - 1)
        }
        let count = Double(y.count)
        // Priors and Jacobians.
        lp += -(mu1 * mu1 + mu2 * mu2) / 8 - (sigma1 * sigma1 + sigma2 * sigma2) / 8
        lp += 5 * (logTheta + logOneMinus) + x[1] + x[2] + x[3]
        dMu1 -= mu1 / 4
        dMu2 -= mu2 / 4
        g[0] = dMu1 + dMu2
        g[1] = dMu2 * gap + 1
        g[2] = dSigma1 - sigma1 * sigma1 / 4 + 1
        g[3] = dSigma2 - sigma2 * sigma2 / 4 + 1
        // θ ∂/∂θ of the likelihood is Σw − Nθ … times (1−θ): ∂/∂l = Σ(w − θ); prior+Jacobian 5(1 − 2θ).
        g[4] = (sumW - count * theta) + 5 * (1 - 2 * theta)
        return lp
    }

    @inline(__always)
    private func softplus(_ z: Double) -> Double {
        z > 0 ? z + Foundation.log1p(Foundation.exp(-z)) : Foundation.log1p(Foundation.exp(z))
    }
}
