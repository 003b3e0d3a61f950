import Foundation

/// posteriordb `eight_schools-eight_schools_noncentered`.
///
/// x = (θ̃₁…θ̃₈, μ, s = log τ); θⱼ = μ + τ θ̃ⱼ.
/// log p = Σ −θ̃ⱼ²/2 + Σ −(yⱼ − θⱼ)²/(2σⱼ²) − μ²/50 − log(1 + τ²/25) + s   (half-Cauchy(0, 5) on τ, Jacobian s).
/// With rⱼ = (yⱼ − θⱼ)/σⱼ²: ∂/∂θ̃ⱼ = −θ̃ⱼ + τ rⱼ, ∂/∂μ = Σ rⱼ − μ/25,
/// ∂/∂s = τ Σ rⱼ θ̃ⱼ − 2(τ²/25)/(1 + τ²/25) + 1.
public struct EightSchoolsNoncentered: ReferencePosterior {
    public static let posteriorName = "eight_schools-eight_schools_noncentered"
    public let y: [Double]
    public let sigma: [Double]

    public init(y: [Double], sigma: [Double]) {
        self.y = y
        self.sigma = sigma
    }

    public init(data: PosteriorData) throws {
        let j = try data.int("J")
        self.init(y: try data.doubles("y", count: j), sigma: try data.doubles("sigma", count: j))
    }

    public var dimension: Int { y.count + 2 }
    public var parameterNames: [String] { (1...y.count).map { "theta_trans[\($0)]" } + ["mu", "tau_log"] }
    public var reportedNames: [String] { (1...y.count).map { "theta[\($0)]" } + ["mu", "tau"] }

    public func reported(_ x: ArraySlice<Double>) -> [Double] {
        let b = x.startIndex, j = y.count
        let mu = x[b + j], tau = Foundation.exp(x[b + j + 1])
        return (0..<j).map { mu + tau * x[b + $0] } + [mu, tau]
    }

    public mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
        let j = y.count
        let mu = x[j], s = x[j + 1], tau = Foundation.exp(s)
        var lp = -mu * mu / 50
        var sumR = 0.0, sumRTheta = 0.0
        for k in 0..<j {
            let t = x[k]
            let resid = y[k] - (mu + tau * t)
            let r = resid / (sigma[k] * sigma[k])
            lp += -0.5 * t * t - 0.5 * resid * r
            g[k] = -t + tau * r
            sumR += r
            sumRTheta += r * t
        }
        let u = tau * tau / 25
        lp += -Foundation.log1p(u) + s
        g[j] = sumR - mu / 25
        g[j + 1] = tau * sumRTheta - 2 * u / (1 + u) + 1
        return lp
    }
}
