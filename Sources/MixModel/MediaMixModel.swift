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
        var lp = 0.0
        // Priors, Jacobians, natural values.
        let kernels = ws.priors
        for i in 0..<ws.dimension {
            let prior = kernels[i]
            let t = prior.constrain(u[i])
            let p = prior.logDensity(t.x)
            lp += p.value + t.logJacobian
            g[i] = p.derivative * t.dxdu + t.dLogJacobian
            ws.natural[i] = t.x
            ws.dxdu[i] = t.dxdu
        }
        guard lp.isFinite else { return -.infinity }
        return evaluate(lp: lp, ws: ws, g: g)
    }

    /// Scratch buffers sized for one structure, allocated once per chain.
    private final class Workspace {
        let natural, dxdu, mu, e, weights, weightDerivatives, slope, satGrad, satParams: UnsafeMutableBufferPointer<Double>
        /// Read-only copies of the structure's data and layout, as raw memory so the hot loop
        /// does no reference counting.
        let xs, y, z, fourier, trend: UnsafeMutableBufferPointer<Double>
        let priors: UnsafeMutableBufferPointer<PriorKernel>
        let channels: UnsafeMutableBufferPointer<Channel>
        let dimension, T, controlCount, controlOffset, fourierCount, fourierOffset, interceptIndex, sigmaIndex: Int
        let trendIndex, nuIndex: Int?

        /// One channel's layout as plain values.
        struct Channel {
            var adstock: Adstock
            var adstockCount: Int
            var adstockOffset: Int
            var saturation: Saturation
            var saturationCount: Int
            var saturationOffset: Int
        }

        init(_ s: ModelStructure) {
            let n = s.dimension, T = s.periodCount, C = s.channels.count
            let L = s.channels.map(\.adstock.maxLag).max() ?? 1
            func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
                let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
                b.initialize(repeating: 0)
                return b
            }
            natural = buffer(n); dxdu = buffer(n); mu = buffer(T); e = buffer(T)
            weights = buffer(L); weightDerivatives = buffer(C * 2 * L)
            slope = buffer(C * T); satGrad = buffer(C * 3 * T); satParams = buffer(3)
            func copy(_ a: [Double]) -> UnsafeMutableBufferPointer<Double> {
                let b = buffer(a.count)
                for i in a.indices { b[i] = a[i] }
                return b
            }
            xs = copy(s.scaledSpend); y = copy(s.scaledTarget); z = copy(s.controls)
            fourier = copy(s.fourier); trend = copy(s.trend)
            priors = UnsafeMutableBufferPointer<PriorKernel>.allocate(capacity: max(n, 1))
            for i in 0..<n { (priors.baseAddress! + i).initialize(to: s.parameters[i].prior.kernel) }
            channels = UnsafeMutableBufferPointer<Channel>.allocate(capacity: max(C, 1))
            for (c, ch) in s.channels.enumerated() {
                (channels.baseAddress! + c).initialize(to: Channel(
                    adstock: ch.adstock, adstockCount: ch.adstock.parameterNames.count, adstockOffset: ch.adstockOffset,
                    saturation: ch.saturation, saturationCount: ch.saturation.parameterCount, saturationOffset: ch.saturationOffset))
            }
            dimension = n; self.T = T
            controlCount = s.controlNames.count; controlOffset = s.controlOffset
            fourierCount = 2 * s.fourierOrder; fourierOffset = s.fourierOffset
            interceptIndex = s.interceptIndex; sigmaIndex = s.sigmaIndex
            trendIndex = s.trendIndex; nuIndex = s.nuIndex
            channelCount = C
        }
        let channelCount: Int

        deinit {
            for b in [natural, dxdu, mu, e, weights, weightDerivatives, slope, satGrad, satParams, xs, y, z, fourier, trend] { b.deallocate() }
            priors.deallocate()
            channels.deallocate()
        }
    }

    @inline(__always)
    private func evaluate(lp lp0: Double, ws: Workspace, g: UnsafeMutableBufferPointer<Double>) -> Double {
        let T = ws.T
        let x = ws.natural, dxdu = ws.dxdu, mu = ws.mu, e = ws.e
        let slope = ws.slope, satGrad = ws.satGrad, w = ws.weights, dw = ws.weightDerivatives
        let xs = ws.xs, z = ws.z, f = ws.fourier
        var lp = lp0
        // Baseline: intercept, controls, seasonality, trend.
        let intercept = x[ws.interceptIndex]
        for t in 0..<T { mu[t] = intercept }
        for k in 0..<ws.controlCount {
            let gamma = x[ws.controlOffset + k]
            for t in 0..<T { mu[t] += gamma * z[k * T + t] }
        }
        for j in 0..<ws.fourierCount {
            let gamma = x[ws.fourierOffset + j]
            for t in 0..<T { mu[t] += gamma * f[j * T + t] }
        }
        if let ti = ws.trendIndex {
            let delta = x[ti]
            for t in 0..<T { mu[t] += delta * ws.trend[t] }
        }
        // Channels: adstock, saturation, and the per-period derivatives for the backward pass.
        for c in 0..<ws.channelCount {
            let ch = ws.channels[c]
            let L = ch.adstock.maxLag
            ch.adstock.weights(UnsafeBufferPointer(rebasing: x[ch.adstockOffset..<(ch.adstockOffset + ch.adstockCount)]),
                               into: UnsafeMutableBufferPointer(rebasing: w[0..<L]),
                               derivatives: UnsafeMutableBufferPointer(rebasing: dw[(c * 2 * L)..<((c + 1) * 2 * L)]))
            let params = UnsafeBufferPointer(rebasing: x[ch.saturationOffset..<(ch.saturationOffset + ch.saturationCount)])
            let dp = ws.satParams.baseAddress!
            let base = c * T
            let g0 = (c * 3) * T, g1 = g0 + T, g2 = g1 + T
            for t in 0..<T {
                var a = 0.0
                let upper = min(L, t &+ 1)
                let row = base &+ t
                for l in 0..<upper { a += w[l] * xs[row &- l] }
                let r = ch.saturation.evaluate(a, params, dp: dp)
                mu[t] += r.value
                // With a = 0 every input in the window is 0, so ∂a/∂(weights) vanishes; Hill with
                // S < 1 has an infinite slope there, and ∞·0 must not poison the gradient.
                slope[base + t] = a > 0 ? r.slope : 0
                satGrad[g0 + t] = dp[0]
                satGrad[g1 + t] = dp[1]
                satGrad[g2 + t] = ch.saturationCount == 3 ? dp[2] : 0
            }
        }
        // Likelihood and e[t] = ∂ℓ/∂μ[t].
        let y = ws.y
        let sigma = x[ws.sigmaIndex]
        var dSigma = 0.0
        if let ni = ws.nuIndex {
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
        g[ws.sigmaIndex] += dSigma * dxdu[ws.sigmaIndex]

        // Backward pass: coefficients.
        var sumE = 0.0
        for t in 0..<T { sumE += e[t] }
        g[ws.interceptIndex] += sumE * dxdu[ws.interceptIndex]
        for k in 0..<ws.controlCount {
            var d = 0.0
            for t in 0..<T { d += e[t] * z[k * T + t] }
            g[ws.controlOffset + k] += d * dxdu[ws.controlOffset + k]
        }
        for j in 0..<ws.fourierCount {
            var d = 0.0
            for t in 0..<T { d += e[t] * f[j * T + t] }
            g[ws.fourierOffset + j] += d * dxdu[ws.fourierOffset + j]
        }
        if let ti = ws.trendIndex {
            var d = 0.0
            for t in 0..<T { d += e[t] * ws.trend[t] }
            g[ti] += d * dxdu[ti]
        }
        // Channels: saturation parameters, then adstock parameters through the weights.
        for c in 0..<ws.channelCount {
            let ch = ws.channels[c]
            let base = c * T
            for k in 0..<ch.saturationCount {
                var d = 0.0
                let off = (c * 3 + k) * T
                for t in 0..<T { d += e[t] * satGrad[off + t] }
                g[ch.saturationOffset + k] += d * dxdu[ch.saturationOffset + k]
            }
            let L = ch.adstock.maxLag
            let np = ch.adstockCount
            // This channel's ∂w/∂p, kept from the forward pass.
            let dwc = c * 2 * L
            // q[l] = Σ_t e[t]·sat′(a[t])·x̃[t−l], accumulated with t outside so the L sums are
            // independent (no single long chain of dependent additions). `w` is free again here.
            for l in 0..<L { w[l] = 0 }
            for t in 0..<T {
                let v = e[t] * slope[base &+ t]
                let row = base &+ t
                let upper = min(L, t &+ 1)
                for l in 0..<upper { w[l] += v * xs[row &- l] }
            }
            var dp0 = 0.0, dp1 = 0.0
            for l in 0..<L {
                dp0 += w[l] * dw[dwc &+ l]
                if np == 2 { dp1 += w[l] * dw[dwc &+ L &+ l] }
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
