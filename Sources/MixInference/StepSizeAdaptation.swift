import Foundation

/// Dual averaging of the log step size toward a target mean acceptance statistic
/// (Nesterov 2009, as used by Hoffman & Gelman 2014 and Stan's `stepsize_adaptation`).
///
/// With H̄ₜ the running mean of (δ − αₜ): xₜ = μ − √t/γ · H̄ₜ and x̄ₜ = t^−κ xₜ + (1 − t^−κ) x̄ₜ₋₁;
/// warm-up ends at ε = exp(x̄).
public struct StepSizeAdaptation: Sendable {
    /// Target acceptance statistic δ (default 0.8).
    public var target: Double
    /// Regularisation scale γ (0.05).
    public var gamma: Double = 0.05
    /// Iteration offset t₀ that damps early iterations (10).
    public var t0: Double = 10
    /// Decay exponent κ of the averaging weights (0.75).
    public var kappa: Double = 0.75
    /// Shrinkage point μ, log(10 ε₀) after each restart.
    public var mu: Double = 0

    private var counter = 0.0
    private var sBar = 0.0
    private var xBar = 0.0

    public init(target: Double) { self.target = target }

    /// Restarts the averages and shrinks toward log(10 · `stepSize`).
    public mutating func restart(from stepSize: Double) {
        mu = Foundation.log(10 * stepSize)
        counter = 0; sBar = 0; xBar = 0
    }

    /// Updates from one transition's acceptance statistic and returns the next step size.
    public mutating func learn(acceptanceStat: Double) -> Double {
        counter += 1
        let accept = Swift.min(1, acceptanceStat.isNaN ? 0 : acceptanceStat)
        let eta = 1 / (counter + t0)
        sBar = (1 - eta) * sBar + eta * (target - accept)
        let x = mu - sBar * counter.squareRoot() / gamma
        let xEta = Foundation.pow(counter, -kappa)
        xBar = (1 - xEta) * xBar + xEta * x
        return Foundation.exp(x)
    }

    /// The step size to sample with after warm-up: exp(x̄).
    public var finalStepSize: Double { Foundation.exp(xBar) }
}
