import Foundation

/// Geo intercepts sampled *conditionally*: the sampler's coordinate for geo g's intercept is
/// ζ_g ~ Normal(0, 1), independent of every other parameter, and the intercept is
/// b_g = b̄ + m_g + ζ_g·d_g, where m_g and d_g are the mean and sd of b_g − b̄ given everything else.
///
/// Why: with few geos the pooled intercept scale s_b can be near 0, and then the centred
/// intercepts (b_g ~ Normal(b̄, s_b)) sit in a funnel (geo-4x104 seed 4: s_b 0.056 ± 0.057, its
/// divergences at s_b low), while non-centred ones tie b̄, s_b and ζ into a ridge because each
/// geo's T periods pin its own intercept down. The intercept enters the Normal likelihood
/// linearly with a Normal prior, so it can be integrated out exactly; the coordinates that remain
/// see the *marginal* posterior, whose only trace of s_b is a smooth one-dimensional factor.
///
/// The math (notation of `GeoStructure`; v = σ_g², s = s_b). Let r_t = ỹ[g,t] − (b̄ + rest_t),
/// with rest_t everything in μ[g,t] but the intercept, Q = Σ_t r_t², S = Σ_t r_t and D = v + T·s².
/// Integrating b_g ~ Normal(b̄, s²) out of Π_t Normal(ỹ_t; b_g + rest_t, v) gives
/// r ~ Normal(0, v·I + s²·11ᵀ), whose inverse is (I − s²/D·11ᵀ)/v and determinant v^(T−1)·D
/// (Sherman–Morrison and the matrix determinant lemma):
///
///     ℓ_g = −Q/(2v) + s²S²/(2vD) − (T−1)/2·log v − ½·log D − T/2·log 2π
///     ∂ℓ_g/∂μ_t = (r_t − s²S/D)/v                      (μ_t = b̄ + rest_t: the usual e_t, shifted)
///     ∂ℓ_g/∂v   = Q/(2v²) − s²S²(2v + T s²)/(2v²D²) − (T−1)/(2v) − 1/(2D)
///     ∂ℓ_g/∂s²  = S²/(2D²) − T/(2D)
///
/// Given the rest, b_g − b̄ is Normal with precision P = T/v + 1/s² and mean (S/v)/P, so
/// m_g = S/(v·P) and d_g = P^(−1/2). The joint density of (rest, b_g) is
/// exp(ℓ_g)·Normal(b_g; b̄ + m_g, d_g)·p(rest), and the map ζ_g ↦ b_g has Jacobian d_g, so in
/// (rest, ζ_g) it is exp(ℓ_g)·φ(ζ_g)·p(rest): the listed Normal(0, 1) prior of the coordinate is
/// already φ, and the density adds ℓ_g in place of the geo's likelihood and intercept prior.
/// The posterior is unchanged; the natural intercept (what draws and reports hold) is b_g.
enum GeoConditionalIntercept {
    /// Geo g's marginal log likelihood ℓ_g for residuals r (in `e` on entry) with Q = Σ r²;
    /// on return `e` holds ∂ℓ_g/∂μ_t. Also returns ∂ℓ_g/∂σ_g and ∂ℓ_g/∂s_b.
    @inline(__always)
    static func likelihood(_ e: UnsafeMutablePointer<Double>, squares Q: Double, periods T: Int, sigma: Double,
                           scale s: Double) -> (value: Double, dSigma: Double, dScale: Double) {
        var S = 0.0
        for t in 0..<T { S += e[t] }
        let v = sigma * sigma, s2 = s * s, n = Double(T), D = v + n * s2
        let shift = s2 * S / D, inv = 1 / v
        for t in 0..<T { e[t] = (e[t] - shift) * inv }
        let value = -0.5 * Q * inv + 0.5 * s2 * S * S * inv / D - 0.5 * (n - 1) * log(v) - 0.5 * log(D) - 0.5 * n * log(2 * Double.pi)
        let dv = 0.5 * Q * inv * inv - 0.5 * s2 * S * S * (2 * v + n * s2) * inv * inv / (D * D) - 0.5 * (n - 1) * inv - 0.5 / D
        let ds2 = 0.5 * S * S / (D * D) - 0.5 * n / D
        return (value, 2 * sigma * dv, 2 * s * ds2)
    }

    /// m_g and d_g: the mean and sd of b_g − b̄ given the rest, from S = Σ_t r_t.
    static func conditional(residualSum S: Double, periods T: Int, sigma: Double, scale s: Double) -> (mean: Double, sd: Double) {
        let v = sigma * sigma, precision = Double(T) / v + 1 / (s * s)
        return (S / (v * precision), 1 / precision.squareRoot())
    }
}

extension GeoStructure {
    /// Geo g's m_g and d_g (`GeoConditionalIntercept`) for natural parameters `x` (its own
    /// intercept entry is not read).
    func interceptGivenRest(_ x: [Double], geo g: Int) -> (mean: Double, sd: Double) {
        let T = periodCount, C = channels.count, F = 2 * fourierOrder, K = controlNames.count
        var rest = [Double](repeating: 0, count: T)
        x.withUnsafeBufferPointer { p in
            let base = p.baseAddress!
            for t in 0..<T {
                var m = 0.0
                for j in 0..<F { m += fourier.value(base, j, g) * fourierBasis[j * T + t] }
                if let tr = trend { m += tr.value(base, 0, g) * trendBasis[t] }
                for k in 0..<K { m += x[controlOffset + k] * controls[(g * K + k) * T + t] }
                rest[t] = m
            }
        }
        for c in 0..<C where active[g * C + c] {
            let (h, H) = saturated(x, geo: g, channel: c)
            let m = exp(logROAS(x, geo: g, channel: c)) * spendInTargetUnits[g * C + c] / H
            for t in 0..<T { rest[t] += m * h[t] }
        }
        var S = 0.0
        for t in 0..<T { S += scaledTarget[g * T + t] - x[intercept.mean] - rest[t] }
        return GeoConditionalIntercept.conditional(residualSum: S, periods: T, sigma: x[sigmaOffset + g], scale: x[intercept.scale!])
    }
}
