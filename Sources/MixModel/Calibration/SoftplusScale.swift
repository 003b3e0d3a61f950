import Foundation

/// The softplus scale θ = log(1 + e^u) for a positive saturation shape parameter (logistic or
/// Michaelis–Menten λ, Hill's S and κ) of a channel whose β the sampler derives from a tested
/// slope (`ChannelLayout.effectReferenceStart`, and `SlopeModel`).
///
/// Why not the log scale: with the slope over the tested interval pinned, β = slope/h̄(θ) grows
/// like e^(a·θ) as the curve saturates (logistic λ → ∞ at spend level a), so β's prior ends the
/// posterior at large θ with a wall — HalfNormal's −β²/2s² is −c·e^(2aθ). In u = log θ that is
/// −c·e^(2a·e^u), which no step size crosses without diverging (issue 26: 28–51 divergences in
/// `elicit`'s fit, a handful in the MMM's); on the softplus scale, linear in u for large θ, it is
/// −c·e^(2au), the ordinary tail of a log-scale HalfNormal. Small θ still moves on a log scale
/// (θ ≈ e^u for u → −∞), where the shape priors need it.
///
///     dθ/du = σ(u),   log|dθ/du| = log σ(u) = −softplus(−u),   d log|dθ/du|/du = 1 − σ(u)
///
/// with σ the logistic function. The prior stays on θ (DESIGN.md §2); only the Jacobian changes.
public enum SoftplusScale {
    /// θ, dθ/du, log|dθ/du| and its derivative, as `Prior.constrain` returns them.
    @inline(__always)
    public static func constrain(_ u: Double) -> (x: Double, dxdu: Double, logJacobian: Double, dLogJacobian: Double) {
        let sigma = 1 / (1 + exp(-u))
        return (softplus(u), sigma, -softplus(-u), 1 - sigma)
    }

    /// u for θ > 0: log(e^θ − 1).
    public static func unconstrain(_ x: Double) -> Double {
        x > 1 ? x + log(-expm1(-x)) : log(expm1(x))
    }

    /// log(1 + e^u) without overflow.
    @inline(__always)
    static func softplus(_ u: Double) -> Double { u > 0 ? u + log1p(exp(-u)) : log1p(exp(u)) }
}

extension ModelStructure {
    /// Whether parameter i moves on `SoftplusScale`: a shape parameter on (0, ∞) of a channel
    /// whose β is derived from the slope over a tested interval.
    public func onSoftplusScale(_ i: Int) -> Bool {
        guard case .lowerBounded(0) = parameters[i].prior.support else { return false }
        return channels.contains { ch in
            ch.effectReferenceStart != nil && i >= ch.saturationOffset && i < ch.saturationOffset + ch.saturation.parameterCount - 1
        }
    }
}
