import Foundation

/// The coordinates NUTS moves in, and the map to the model's natural parameters.
///
/// Every parameter is unconstrained by its prior's support (log, logit, scaled logit) — except a
/// channel's saturation ceiling β when its prior lives on (0, ∞). β and the curve's shape
/// (logistic λ, Michaelis–Menten λ, Hill S and K) are only weakly identified one at a time: data
/// pin down the size of the effect, so the posterior of (log λ, log β) is a narrow curved ridge
/// (β·tanh(λa/2) ≈ const) that forces tiny steps and causes divergences. The sampler therefore
/// moves in
///
///     v = log m,   m = β · h(r; θ)
///
/// the channel's effect at a reference level r of its scaled spend (its mean over the training
/// periods), where h is the saturation with β = 1 and θ its shape parameters. A channel
/// calibrated by an experiment (a lift test or a `lift_roi_prior`) measures instead the effect's
/// mean slope over the tested interval [r₀, r], h = (h(r) − h(r₀))/(r − r₀): the experiment pins
/// that quantity, so its narrow constraint lies along one coordinate rather than across a curve
/// in (θ, v). Then β = e^v / h(θ). The priors stay on the natural parameters (DESIGN.md §2); only the Jacobian
/// changes. With θ = θ(u_θ) by its own support transform, the map (u_θ, v) → (θ, β) is triangular,
/// so
///
///     log |J| = Σ log |dθ_k/du_k| + log β,     ∂ log β/∂v = 1,   ∂ log β/∂θ_k = −∂ log h/∂θ_k
///
/// and the chain rule through β adds −(∂ℓ/∂β·β + 1)·∂ log h/∂θ_k·dθ_k/du_k to each shape
/// coordinate's gradient (ℓ the whole log density, prior included). The posterior on the natural
/// parameters, and so every saved draw, is exactly the same distribution as without this step.
///
/// With a channel calibrated by an experiment, the intercept is sampled as the centred baseline
/// intercept + (the calibrated channels' mean effect) instead (`InterceptCentring`), and the
/// channel's positive shape parameters move on the softplus scale instead of the log scale
/// (`SoftplusScale`); the Jacobian above then has log σ(u_k) for those log|dθ_k/du_k|.
extension ModelStructure {
    /// Natural-scale parameters for a point in the sampler's coordinates.
    public func constrain(_ u: [Double]) -> [Double] {
        var x = zip(parameters, u).enumerated().map { i, pu in
            onSoftplusScale(i) ? SoftplusScale.constrain(pu.1).x : pu.0.prior.constrain(pu.1).x
        }
        for ch in channels {
            guard ch.effectReference != nil else { continue }
            let b = ch.saturationOffset + ch.saturation.parameterCount - 1
            x[b] = exp(u[b]) / ch.referenceEffect(shape: Array(x[ch.saturationOffset..<b]))
        }
        if centresIntercept { x[interceptIndex] = u[interceptIndex] - centredEffect(x) }
        return x
    }

    /// The sampler's coordinates for natural-scale parameters (each inside its support).
    public func unconstrain(_ x: [Double]) -> [Double] {
        var u = zip(parameters, x).enumerated().map { i, px in
            onSoftplusScale(i) ? SoftplusScale.unconstrain(px.1) : px.0.prior.unconstrain(px.1)
        }
        for ch in channels {
            guard ch.effectReference != nil else { continue }
            let b = ch.saturationOffset + ch.saturation.parameterCount - 1
            u[b] = log(x[b]) + log(ch.referenceEffect(shape: Array(x[ch.saturationOffset..<b])))
        }
        if centresIntercept { u[interceptIndex] = x[interceptIndex] + centredEffect(x) }
        return u
    }
}
