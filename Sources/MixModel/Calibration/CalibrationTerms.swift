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
///
/// Every sum R needs is a sum of a column the likelihood has just written (`MediaMixModel`'s
/// channel columns, ∂μ[t]/∂p for each channel parameter p over the same scaled spend): β's column
/// is h(a[t]) = sat(a[t])/β (sat is linear in β), a shape parameter's is ∂sat/∂θ, an adstock
/// parameter's is sat′(a[t])·∂a[t]/∂q. So R = k·β·Σ_t m[t]·h(a[t]) and each ∂R/∂q = k·Σ_t m[t]·column_q[t]:
/// without a multiplier these are the column totals the model sums once per evaluation (shared
/// with `InterceptCentring`), not a second adstock convolution and saturation per channel and
/// gradient (which doubled the fit time of a model under the default ROAS priors); with one,
/// one weighted dot product per parameter.
///
/// **Incremental-ROI prior** (`lift_roi_prior`, Meridian's mROI-style prior on what an experiment
/// measured). r = u · (sat(a₁) − sat(a₀)), u = max y/Δx, the lift test's own f and scaling, is
/// linear in β too, so the same change of variables applies with r in place of R:
/// T = log p_r(r) + log r − log β − log p_β(β), where log r − log β = log|∂r/∂β| is a function
/// of the shape parameters only; ∂T/∂θ_k = (p_r′/p_r + 1/r) · u · (∂sat(a₁)/∂θ_k − ∂sat(a₀)/∂θ_k).
/// Adstock and a time-varying multiplier do not enter (steady spend, as for the lift test).
///
/// Both effect priors keep β below `CalibrationLayout.betaBound` (see `effectTerm`).
final class CalibrationTerms {
    private let layout: CalibrationLayout
    private let channels: [ChannelKernel]
    private let T: Int
    /// Scratch: the saturation's parameter derivatives at the lift tests' two levels.
    private let point: UnsafeMutablePointer<Double>
    private let betaPriors: [PriorKernel]
    private let liftBetaPriors: [PriorKernel]
    /// The media multiplier's terms (its m[t] of this evaluation and its pull-back), if any.
    private let timeVarying: TimeVaryingDensity?
    /// m[t] (all ones without a media multiplier).
    private let multiplier: UnsafePointer<Double>

    init(_ s: ModelStructure, timeVarying: TimeVaryingDensity? = nil) {
        layout = s.calibration
        T = s.periodCount
        channels = s.channels.map(ChannelKernel.init)
        func buffer(_ n: Int) -> UnsafeMutablePointer<Double> {
            let b = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
            b.initialize(repeating: 0, count: max(n, 1))
            return b
        }
        point = buffer(6)
        self.timeVarying = timeVarying?.media == nil ? nil : timeVarying
        if let tv = self.timeVarying {
            multiplier = UnsafePointer(tv.multiplier)
        } else {
            let ones = buffer(T)
            for t in 0..<T { ones[t] = 1 }
            multiplier = UnsafePointer(ones)
        }
        func betaPrior(_ c: Int) -> PriorKernel {
            let ch = s.channels[c]
            return s.parameters[ch.saturationOffset + ch.saturation.parameterCount - 1].prior.kernel
        }
        betaPriors = layout.roiPriors.map { betaPrior($0.channel) }
        liftBetaPriors = layout.liftROIPriors.map { betaPrior($0.channel) }
    }

    deinit {
        point.deallocate()
        if timeVarying == nil { multiplier.deallocate() }
    }

    /// Adds the calibration terms' derivatives, times dx/du, to `g`, and returns their log
    /// density. `x` holds the natural parameters, `dxdu` their derivatives in the sampler's
    /// coordinates (for a β sampled as a log effect, β itself: see `SamplerCoordinates.swift`;
    /// the caller's chain-rule step through β then carries these terms too). `columns` holds the
    /// likelihood's ∂μ[t]/∂p (without the multiplier) for every channel parameter p from
    /// `firstChannelParameter`, T rows each, at this `x`, and `totals` their sums over t (see the
    /// type's comment).
    func add(natural x: UnsafePointer<Double>, dxdu: UnsafePointer<Double>, columns: UnsafePointer<Double>,
             totals: UnsafePointer<Double>, firstChannelParameter first: Int, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
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
            lp += roiTerm(roi, betaPrior: betaPriors[n], columns: columns, totals: totals, first: first, x: x, dxdu: dxdu, g: g)
        }
        for (n, lift) in layout.liftROIPriors.enumerated() {
            lp += liftROITerm(lift, betaPrior: liftBetaPriors[n], x: x, dxdu: dxdu, g: g)
        }
        if let tv = timeVarying, !layout.roiPriors.isEmpty { tv.pullBackMultiplier(x, dxdu: dxdu, g: g) }
        return lp
    }

    /// The change of variables shared by both effect priors: for a quantity q = β · k(θ) with
    /// prior p_q, the value T = log p_q(q) + log q − log β − log p_β(β), the factor ∂T/∂q + 1/q
    /// that multiplies ∂q/∂(shape or adstock parameter), and ∂T/∂β. Nil outside q, β > 0.
    ///
    /// The conditional prior p_q(q)·q/β is multiplied by (1 − β/B), B = `CalibrationLayout.betaBound`:
    /// p_q alone leaves β free along the curve's linear limit (logistic λ → 0 with β·λ fixed, where
    /// q does not change), so a chain could drift to β ≈ 1e9; the factor makes the density vanish
    /// at B and keeps every draw below it, while changing the prior on q by at most β/B (1 % at
    /// β = 1, a ceiling as large as the largest target).
    private static func effectTerm(_ q: Double, beta: Double, prior: Prior, betaPrior: PriorKernel)
        -> (value: Double, outer: Double, dBeta: Double)? {
        let bound = CalibrationLayout.betaBound
        guard q > 0, beta > 0, beta < bound else { return nil }
        let pq = prior.kernel.logDensity(q)
        let pb = betaPrior.logDensity(beta)
        return (pq.value + log(q) - log(beta) - pb.value + log1p(-beta / bound), pq.derivative + 1 / q,
                pq.derivative * q / beta - pb.derivative - 1 / (bound - beta))
    }

    /// One incremental-ROI prior's term (see the type's comment).
    private func liftROITerm(_ lift: CalibrationLayout.LiftROIPrior, betaPrior: PriorKernel,
                             x: UnsafePointer<Double>, dxdu: UnsafePointer<Double>, g: UnsafeMutableBufferPointer<Double>) -> Double {
        let ch = channels[lift.channel]
        let d0 = point, d1 = point + 3
        let p = UnsafeBufferPointer(start: x + ch.saturationOffset, count: ch.saturationCount)
        let before = ch.saturation.evaluate(lift.level, p, dp: d0).value
        let during = ch.saturation.evaluate(lift.levelDuring, p, dp: d1).value
        let u = lift.unitsPerScaledChange
        let b = ch.saturationOffset + ch.saturationCount - 1
        guard let term = Self.effectTerm(u * (during - before), beta: x[b], prior: lift.prior, betaPrior: betaPrior) else { return -.infinity }
        for j in 0..<(ch.saturationCount - 1) {
            let i = ch.saturationOffset + j
            g[i] += term.outer * u * (d1[j] - d0[j]) * dxdu[i]
        }
        g[b] += term.dBeta * dxdu[b]
        return term.value
    }

    /// One ROI prior's term T (see the type's comment), from the channel's likelihood columns.
    private func roiTerm(_ roi: CalibrationLayout.ROIPrior, betaPrior: PriorKernel, columns: UnsafePointer<Double>,
                         totals: UnsafePointer<Double>, first: Int,
                         x: UnsafePointer<Double>, dxdu: UnsafePointer<Double>, g: UnsafeMutableBufferPointer<Double>) -> Double {
        let ch = channels[roi.channel]
        let b = ch.saturationOffset + ch.saturationCount - 1
        let beta = x[b]
        let k = roi.unitsPerScaledEffect
        let m = multiplier, weighted = timeVarying != nil
        /// Σ_t m[t]·column_p[t] for the channel parameter p (the plain total when m ≡ 1).
        func total(_ p: Int) -> Double {
            weighted ? dot(m, columns + (p - first) * T, T) : totals[p - first]
        }
        let roas = k * beta * total(b)
        guard let term = Self.effectTerm(roas, beta: beta, prior: roi.prior, betaPrior: betaPrior) else { return -.infinity }
        let scale = term.outer * k
        // Adstock then shape parameters: ∂R/∂q = k Σ_t m[t] ∂sat(a[t])/∂q.
        for i in ch.adstockOffset..<(ch.adstockOffset + ch.adstockCount) { g[i] += scale * total(i) * dxdu[i] }
        for i in ch.saturationOffset..<b { g[i] += scale * total(i) * dxdu[i] }
        g[b] += term.dBeta * dxdu[b]
        // The multiplier: ∂T/∂m[t] = outer · k · sat(a[t]) = outer · k · β · h(a[t]).
        if let tv = timeVarying {
            let dm = tv.multiplierCotangent, column = columns + (b - first) * T, scaleBeta = scale * beta
            for t in 0..<T { dm[t] += scaleBeta * column[t] }
        }
        return term.value
    }
}
