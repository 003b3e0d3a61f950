import Foundation

/// The calibration terms of the log density, with their gradient: each lift test's likelihood
/// and each ROI prior (see `CalibrationLayout`). One instance per sampler chain (it owns scratch
/// buffers), so evaluation allocates nothing.
///
/// **Lift test** (PyMC-Marketing's `add_lift_test_measurements`, Robyn's calibration). With the
/// channel's steady-state response on the model's scales, sat(a; θ, β) at the adstocked level a,
///
///     Δỹ ~ Normal(sat(a₁) − sat(a₀), σ̃),   a₀ = x/max x, a₁ = (x + Δx)/max x,
///     Δỹ = Δy/max y, σ̃ = σ/max y,
///
/// so ∂/∂p = r/σ̃² · (∂sat(a₁)/∂p − ∂sat(a₀)/∂p) with r = Δỹ − (sat(a₁) − sat(a₀)), for every
/// saturation parameter p (β included). Adstock does not enter: a steady spend adstocks to itself.
///
/// **ROI prior** (Google Meridian's route). ROAS R = k · Σ_t sat(a[t]; θ, β), k = max y / Σ_t x[t],
/// is linear in β, so a prior density p_R on R fixes β's prior given the other parameters by a
/// change of variables: p(β | θ, adstock) = p_R(R) · ∂R/∂β = p_R(R) · R/β. That conditional
/// replaces β's own prior (the term also subtracts the β prior the model adds, so it is not
/// counted twice); the prior on ROAS implied before seeing data is then exactly p_R whatever the
/// shape and carryover parameters are. The term and its derivatives:
///
///     T = log p_R(R) + log R − log β − log p_β(β)
///     ∂T/∂β = p_R′(R)/p_R(R)·R/β − (log p_β)′(β)
///     ∂T/∂q = (p_R′(R)/p_R(R) + 1/R) · ∂R/∂q     (q a shape or adstock parameter)
///
/// with ∂R/∂q = k · Σ_t ∂sat(a[t])/∂q, through sat′(a[t])·∂a[t]/∂q for the adstock's parameters.
/// With a time-varying media multiplier m[t] the channel's contribution is m[t]·sat(a[t]), so
/// R = k · Σ_t m[t]·sat(a[t]) (still linear in β), every sum above is weighted by m[t], and
/// ∂T/∂m[t] = (p_R′(R)/p_R(R) + 1/R) · k · sat(a[t]) goes back to the GP's parameters through
/// `TimeVaryingDensity.pullBackMultiplier`.
final class CalibrationTerms {
    private let layout: CalibrationLayout
    private let channels: [ChannelKernel]
    private let T: Int
    /// Scratch: adstocked level, its derivatives, saturation sums, slopes and parameter columns.
    private let a, da, sum, slope, dp, w, dw, point: UnsafeMutablePointer<Double>
    private let spend: UnsafeMutablePointer<Double>
    private let betaPriors: [PriorKernel]
    /// The media multiplier's terms (its m[t] of this evaluation and its pull-back), if any.
    private let timeVarying: TimeVaryingDensity?
    /// m[t] (all ones without a media multiplier).
    private let multiplier: UnsafePointer<Double>

    init(_ s: ModelStructure, timeVarying: TimeVaryingDensity? = nil) {
        layout = s.calibration
        T = s.periodCount
        channels = s.channels.map(ChannelKernel.init)
        let L = max(s.channels.map(\.adstock.maxLag).max() ?? 1, 1)
        func buffer(_ n: Int) -> UnsafeMutablePointer<Double> {
            let b = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
            b.initialize(repeating: 0, count: max(n, 1))
            return b
        }
        let rows = layout.roiPriors.isEmpty ? 0 : T
        a = buffer(rows); da = buffer(2 * rows); sum = buffer(rows); slope = buffer(rows); dp = buffer(3 * rows)
        w = buffer(L); dw = buffer(2 * L); point = buffer(6)
        spend = buffer(layout.roiPriors.count * rows)
        self.timeVarying = timeVarying?.media == nil ? nil : timeVarying
        if let tv = self.timeVarying {
            multiplier = UnsafePointer(tv.multiplier)
        } else {
            let ones = buffer(T)
            for t in 0..<T { ones[t] = 1 }
            multiplier = UnsafePointer(ones)
        }
        for (i, roi) in layout.roiPriors.enumerated() {
            for t in 0..<T { spend[i * T + t] = s.scaledSpend[roi.channel * T + t] }
        }
        betaPriors = layout.roiPriors.map { roi in
            let ch = s.channels[roi.channel]
            return s.parameters[ch.saturationOffset + ch.saturation.parameterCount - 1].prior.kernel
        }
    }

    deinit {
        for b in [a, da, sum, slope, dp, w, dw, point, spend] { b.deallocate() }
        if timeVarying == nil { multiplier.deallocate() }
    }

    /// Adds the calibration terms' derivatives, times dx/du, to `g`, and returns their log
    /// density. `x` holds the natural parameters, `dxdu` their derivatives in the sampler's
    /// coordinates (for a β sampled as a log effect, β itself: see `SamplerCoordinates.swift`;
    /// the caller's chain-rule step through β then carries these terms too).
    func add(natural x: UnsafePointer<Double>, dxdu: UnsafePointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
        var lp = 0.0
        let halfLog2Pi = 0.5 * log(2 * Double.pi)
        let d0 = point, d1 = point + 3
        for test in layout.liftTests {
            let ch = channels[test.channel]
            let p = UnsafeBufferPointer(start: x + ch.saturationOffset, count: ch.saturationCount)
            let before = ch.saturation.evaluate(test.level, p, dp: d0).value
            let during = ch.saturation.evaluate(test.levelDuring, p, dp: d1).value
            let s = test.standardError
            let r = test.change - (during - before)
            lp += -0.5 * r * r / (s * s) - log(s) - halfLog2Pi
            let scale = r / (s * s)
            for k in 0..<ch.saturationCount {
                let i = ch.saturationOffset + k
                g[i] += scale * (d1[k] - d0[k]) * dxdu[i]
            }
        }
        if let tv = timeVarying, !layout.roiPriors.isEmpty { tv.clearMultiplierCotangent() }
        for (n, roi) in layout.roiPriors.enumerated() {
            lp += roiTerm(roi, betaPrior: betaPriors[n], spend: spend + n * T, x: x, dxdu: dxdu, g: g)
        }
        if let tv = timeVarying, !layout.roiPriors.isEmpty { tv.pullBackMultiplier(x, dxdu: dxdu, g: g) }
        return lp
    }

    /// One ROI prior's term T (see the type's comment).
    private func roiTerm(_ roi: CalibrationLayout.ROIPrior, betaPrior: PriorKernel, spend: UnsafePointer<Double>,
                         x: UnsafePointer<Double>, dxdu: UnsafePointer<Double>, g: UnsafeMutableBufferPointer<Double>) -> Double {
        let ch = channels[roi.channel]
        let L = ch.adstock.maxLag, np = ch.adstockCount
        ch.adstock.weights(UnsafeBufferPointer(start: x + ch.adstockOffset, count: np),
                           into: UnsafeMutableBufferPointer(start: w, count: L),
                           derivatives: UnsafeMutableBufferPointer(start: dw, count: 2 * L))
        Adstock.convolve(w, lags: L, spend, into: a, periods: T)
        for k in 0..<np { Adstock.convolve(dw + k * L, lags: L, spend, into: da + k * T, periods: T) }
        for t in 0..<T { sum[t] = 0 }
        ch.saturation.accumulate(a, count: T, UnsafeBufferPointer(start: x + ch.saturationOffset, count: ch.saturationCount),
                                 into: sum, slope: slope, dp: dp, stride: T)
        let k = roi.unitsPerScaledEffect
        let m = multiplier
        var total = 0.0
        for t in 0..<T { total += m[t] * sum[t] }
        let roas = k * total
        let b = ch.saturationOffset + ch.saturationCount - 1
        let beta = x[b]
        guard roas > 0, beta > 0 else { return -.infinity }
        let pr = roi.prior.kernel.logDensity(roas)
        let pb = betaPrior.logDensity(beta)
        let outer = pr.derivative + 1 / roas
        // Shape parameters: ∂R/∂θ_k = k Σ_t m[t] ∂sat/∂θ_k.
        for j in 0..<(ch.saturationCount - 1) {
            var s = 0.0
            for t in 0..<T { s += m[t] * dp[j * T + t] }
            let i = ch.saturationOffset + j
            g[i] += outer * k * s * dxdu[i]
        }
        // Adstock parameters: ∂R/∂q = k Σ_t m[t] sat′(a[t]) ∂a[t]/∂q.
        for j in 0..<np {
            var s = 0.0
            for t in 0..<T { s += m[t] * slope[t] * da[j * T + t] }
            let i = ch.adstockOffset + j
            g[i] += outer * k * s * dxdu[i]
        }
        g[b] += (pr.derivative * roas / beta - pb.derivative) * dxdu[b]
        // The multiplier: ∂T/∂m[t] = outer · k · sat(a[t]).
        if let tv = timeVarying {
            let dm = tv.multiplierCotangent, scale = outer * k
            for t in 0..<T { dm[t] += scale * sum[t] }
        }
        return pr.value + log(roas) - log(beta) - pb.value
    }
}
