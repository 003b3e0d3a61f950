import Foundation
import MixInference

/// The media mix model's log posterior on the unconstrained scale, with its hand-written
/// gradient — what NUTS samples.
///
///     μ[t] = intercept + Σ_c sat_c(Σ_l w_c[l] x̃[t−l,c]) + Σ_k γ_k z[t,k] + Σ_j fourier_j[t] + δ·t/T
///     ỹ[t] ~ Normal(μ[t], σ)   (or Student-t(ν, μ[t], σ))
///
/// With e[t] = ∂ℓ/∂μ[t], every coefficient's gradient is a dot product of e with its
/// regressor; a saturation parameter's is Σ_t e[t] ∂sat/∂p; and an adstock parameter's goes
/// through the weights, Σ_l (∂w[l]/∂p) Σ_t e[t] sat′(a[t]) x̃[t−l] (see `Adstock`). Priors and
/// log-Jacobians are added per parameter by `Prior.logDensityUnconstrained`.
///
/// Scratch space lives in the value; each sampler chain works on its own copy, so evaluation
/// allocates nothing.
public struct MediaMixModel: LogDensity {
    public let structure: ModelStructure
    private var workspace: Workspace

    public init(structure: ModelStructure) {
        self.structure = structure
        workspace = Workspace(structure)
    }

    public var dimension: Int { structure.dimension }
    public var parameterNames: [String] { structure.parameterNames }

    public mutating func logDensity(at u: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
        // Copies (one per chain) share the workspace until first use; then each gets its own.
        if !isKnownUniquelyReferenced(&workspace) { workspace = Workspace(structure) }
        let ws = workspace
        let s = structure
        var lp = 0.0
        // Priors, Jacobians, natural values.
        for i in 0..<s.dimension {
            let prior = s.parameters[i].prior
            let t = prior.constrain(u[i])
            let p = prior.logDensity(t.x)
            lp += p.value + t.logJacobian
            g[i] = p.derivative * t.dxdu + t.dLogJacobian
            ws.natural[i] = t.x
            ws.dxdu[i] = t.dxdu
        }
        guard lp.isFinite else { return -.infinity }
        return s.scaledSpend.withUnsafeBufferPointer { xs in
            evaluate(lp: lp, x: ws.natural, dxdu: ws.dxdu, mu: ws.mu, e: ws.e, slope: ws.slope, satGrad: ws.satGrad,
                     w: ws.weights, dw: ws.weightDerivatives, sp: ws.satParams, xs: xs, g: g, T: s.periodCount)
        }
    }

    /// Scratch buffers sized for one structure, allocated once per chain.
    private final class Workspace {
        let natural, dxdu, mu, e, weights, weightDerivatives, slope, satGrad, satParams: UnsafeMutableBufferPointer<Double>

        init(_ s: ModelStructure) {
            let n = s.dimension, T = s.periodCount, C = s.channels.count
            let L = s.channels.map(\.adstock.maxLag).max() ?? 1
            func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
                let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
                b.initialize(repeating: 0)
                return b
            }
            natural = buffer(n); dxdu = buffer(n); mu = buffer(T); e = buffer(T)
            weights = buffer(L); weightDerivatives = buffer(2 * L)
            slope = buffer(C * T); satGrad = buffer(C * 3 * T); satParams = buffer(3)
        }

        deinit {
            for b in [natural, dxdu, mu, e, weights, weightDerivatives, slope, satGrad, satParams] { b.deallocate() }
        }
    }

    @inline(__always)
    private func evaluate(lp lp0: Double, x: UnsafeMutableBufferPointer<Double>, dxdu: UnsafeMutableBufferPointer<Double>, mu: UnsafeMutableBufferPointer<Double>,
                          e: UnsafeMutableBufferPointer<Double>, slope: UnsafeMutableBufferPointer<Double>,
                          satGrad: UnsafeMutableBufferPointer<Double>, w: UnsafeMutableBufferPointer<Double>,
                          dw: UnsafeMutableBufferPointer<Double>, sp: UnsafeMutableBufferPointer<Double>,
                          xs: UnsafeBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>, T: Int) -> Double {
        let s = structure
        var lp = lp0
        // Baseline: intercept, controls, seasonality, trend.
        let intercept = x[s.interceptIndex]
        for t in 0..<T { mu[t] = intercept }
        s.controls.withUnsafeBufferPointer { z in
            for k in 0..<s.controlNames.count {
                let gamma = x[s.controlOffset + k]
                for t in 0..<T { mu[t] += gamma * z[k * T + t] }
            }
        }
        s.fourier.withUnsafeBufferPointer { f in
            for j in 0..<(2 * s.fourierOrder) {
                let gamma = x[s.fourierOffset + j]
                for t in 0..<T { mu[t] += gamma * f[j * T + t] }
            }
        }
        if let ti = s.trendIndex {
            let delta = x[ti]
            s.trend.withUnsafeBufferPointer { tr in for t in 0..<T { mu[t] += delta * tr[t] } }
        }
        // Channels: adstock, saturation, and the per-period derivatives for the backward pass.
        for (c, ch) in s.channels.enumerated() {
            let L = ch.adstock.maxLag
            ch.adstock.weights(UnsafeBufferPointer(rebasing: x[ch.adstockOffset..<(ch.adstockOffset + ch.adstock.parameterNames.count)]),
                               into: UnsafeMutableBufferPointer(rebasing: w[0..<L]),
                               derivatives: UnsafeMutableBufferPointer(rebasing: dw[0..<(2 * L)]))
            let np = ch.saturation.parameterCount
            for k in 0..<np { sp[k] = x[ch.saturationOffset + k] }
            let params = UnsafeBufferPointer(rebasing: sp[0..<np])
            var dp: (Double, Double, Double) = (0, 0, 0)
            let base = c * T
            for t in 0..<T {
                var a = 0.0
                let upper = min(L, t + 1)
                for l in 0..<upper { a += w[l] * xs[base + t - l] }
                let r = withUnsafeMutablePointer(to: &dp) { ptr in
                    ptr.withMemoryRebound(to: Double.self, capacity: 3) { ch.saturation.evaluate(a, params, dp: $0) }
                }
                mu[t] += r.value
                // With a = 0 every input in the window is 0, so ∂a/∂(weights) vanishes; Hill with
                // S < 1 has an infinite slope there, and ∞·0 must not poison the gradient.
                slope[base + t] = a > 0 ? r.slope : 0
                satGrad[(c * 3) * T + t] = dp.0
                satGrad[(c * 3 + 1) * T + t] = dp.1
                satGrad[(c * 3 + 2) * T + t] = dp.2
            }
        }
        // Likelihood and e[t] = ∂ℓ/∂μ[t].
        let sigma = x[s.sigmaIndex]
        var dSigma = 0.0
        s.scaledTarget.withUnsafeBufferPointer { y in
            if let ni = s.nuIndex {
                let nu = x[ni]
                let constant = lgamma(0.5 * (nu + 1)) - lgamma(0.5 * nu) - 0.5 * log(nu * Double.pi) - log(sigma)
                var dNu = 0.5 * Double(T) * (digamma(0.5 * (nu + 1)) - digamma(0.5 * nu) - 1 / nu)
                let s2 = sigma * sigma
                for t in 0..<T {
                    let r = y[t] - mu[t]
                    let z2 = r * r / s2
                    let denom = nu * s2 + r * r
                    lp += constant - 0.5 * (nu + 1) * log1p(z2 / nu)
                    e[t] = (nu + 1) * r / denom
                    dSigma += -1 / sigma + (nu + 1) * r * r / (sigma * denom)
                    dNu += 0.5 * (-log1p(z2 / nu) + (nu + 1) * z2 / (nu * (nu + z2)))
                }
                g[ni] += dNu * dxdu[ni]
            } else {
                let inv2 = 1 / (sigma * sigma)
                var ss = 0.0
                for t in 0..<T {
                    let r = y[t] - mu[t]
                    ss += r * r
                    e[t] = r * inv2
                }
                lp += -0.5 * ss * inv2 - Double(T) * (log(sigma) + 0.5 * log(2 * Double.pi))
                dSigma = ss * inv2 / sigma - Double(T) / sigma
            }
        }
        g[s.sigmaIndex] += dSigma * dxdu[s.sigmaIndex]

        // Backward pass: coefficients.
        var sumE = 0.0
        for t in 0..<T { sumE += e[t] }
        g[s.interceptIndex] += sumE * dxdu[s.interceptIndex]
        s.controls.withUnsafeBufferPointer { z in
            for k in 0..<s.controlNames.count {
                var d = 0.0
                for t in 0..<T { d += e[t] * z[k * T + t] }
                g[s.controlOffset + k] += d * dxdu[s.controlOffset + k]
            }
        }
        s.fourier.withUnsafeBufferPointer { f in
            for j in 0..<(2 * s.fourierOrder) {
                var d = 0.0
                for t in 0..<T { d += e[t] * f[j * T + t] }
                g[s.fourierOffset + j] += d * dxdu[s.fourierOffset + j]
            }
        }
        if let ti = s.trendIndex {
            var d = 0.0
            s.trend.withUnsafeBufferPointer { tr in for t in 0..<T { d += e[t] * tr[t] } }
            g[ti] += d * dxdu[ti]
        }
        // Channels: saturation parameters, then adstock parameters through the weights.
        for (c, ch) in s.channels.enumerated() {
            let base = c * T
            for k in 0..<ch.saturation.parameterCount {
                var d = 0.0
                let off = (c * 3 + k) * T
                for t in 0..<T { d += e[t] * satGrad[off + t] }
                g[ch.saturationOffset + k] += d * dxdu[ch.saturationOffset + k]
            }
            let L = ch.adstock.maxLag
            let np = ch.adstock.parameterNames.count
            // Recompute weight derivatives for this channel (the buffer was reused per channel).
            ch.adstock.weights(UnsafeBufferPointer(rebasing: x[ch.adstockOffset..<(ch.adstockOffset + np)]),
                               into: UnsafeMutableBufferPointer(rebasing: w[0..<L]),
                               derivatives: UnsafeMutableBufferPointer(rebasing: dw[0..<(2 * L)]))
            var dp0 = 0.0, dp1 = 0.0
            for l in 0..<L {
                var q = 0.0
                if l < T {
                    for t in l..<T { q += e[t] * slope[base + t] * xs[base + t - l] }
                }
                dp0 += q * dw[l]
                if np == 2 { dp1 += q * dw[L + l] }
            }
            g[ch.adstockOffset] += dp0 * dxdu[ch.adstockOffset]
            if np == 2 { g[ch.adstockOffset + 1] += dp1 * dxdu[ch.adstockOffset + 1] }
        }
        return lp
    }
}

/// ψ(x), the digamma function, for x > 0: recurrence up to x ≥ 6, then the asymptotic series.
func digamma(_ x0: Double) -> Double {
    var x = x0
    var result = 0.0
    while x < 6 {
        result -= 1 / x
        x += 1
    }
    let f = 1 / (x * x)
    let series = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240 + f * (-1.0 / 132)))))
    return result + log(x) - 0.5 / x + series
}
