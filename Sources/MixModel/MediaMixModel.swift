import Foundation
import MixInference

/// The media mix model's log posterior on the unconstrained scale, with its hand-written
/// gradient — what NUTS samples.
///
///     μ[t] = intercept + Σ_c sat_c(Σ_l w_c[l] x̃[t−l,c]) + Σ_k γ_k z[t,k] + Σ_j fourier_j[t] + δ·t/T
///     ỹ[t] ~ Normal(μ[t], σ)   (or Student-t(ν, μ[t], σ))
///
/// With `model.time_varying_media` the channel sum is multiplied by m[t], and with
/// `model.time_varying_intercept` a drift is added to the intercept; both terms and their
/// gradients live in `TimeVaryingDensity` (TimeVarying/), called at three points below.
///
/// With e[t] = ∂ℓ/∂μ[t], every parameter's gradient is Σ_t e[t]·∂μ[t]/∂p: for a coefficient
/// its regressor; for a saturation parameter ∂sat/∂p; for an adstock parameter
/// sat′(a[t])·Σ_l (∂w[l]/∂p) x̃[t−l] (see `Adstock`). Priors and log-Jacobians are added per
/// parameter by the prior kernels; a saturation ceiling β is sampled as the log of the channel's
/// effect at a reference spend level (see `SamplerCoordinates.swift`), which adds one chain-rule
/// term to the saturation shape parameters' gradients.
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
        for i in 0..<ws.dimension where !ws.samplesEffect[i] {
            let prior = kernels[i]
            let t = ws.softplus[i] ? SoftplusScale.constrain(u[i]) : prior.constrain(u[i])
            let p = prior.logDensity(t.x)
            lp += p.value + t.logJacobian
            g[i] = p.derivative * t.dxdu + t.dLogJacobian
            ws.natural[i] = t.x
            ws.dxdu[i] = t.dxdu
        }
        ws.centring?.begin(u, natural: ws.natural, dxdu: ws.dxdu, gradient: g)
        // Saturation ceilings sampled as log effect at the reference level (SamplerCoordinates.swift).
        for c in 0..<ws.channelCount {
            let ch = ws.channels[c]
            guard ch.effectReference > 0 else { continue }
            let shape = ch.saturationCount - 1, b = ch.saturationOffset + shape
            let unit = ws.unitParameters, dUnit = ws.unitDerivatives
            for k in 0..<shape { unit[k] = ws.natural[ch.saturationOffset + k] }
            unit[shape] = 1
            var h = ch.saturation.evaluate(ch.effectReference, UnsafeBufferPointer(start: unit, count: shape + 1), dp: dUnit).value
            if ch.effectReferenceStart >= 0 {
                // The mean slope over [r₀, r] (SamplerCoordinates.swift) and its shape derivatives.
                let dLow = ws.unitDerivativesLow
                let low = ch.saturation.evaluate(ch.effectReferenceStart, UnsafeBufferPointer(start: unit, count: shape + 1), dp: dLow).value
                let width = ch.effectReference - ch.effectReferenceStart
                h = (h - low) / width
                for k in 0..<shape { dUnit[k] = (dUnit[k] - dLow[k]) / width }
            }
            let logBeta = u[b] - log(h)
            let beta = exp(logBeta)
            let p = kernels[b].logDensity(beta)
            lp += p.value + logBeta
            g[b] = p.derivative * beta + 1
            ws.natural[b] = beta
            ws.dxdu[b] = beta
            for k in 0..<shape { ws.chain[c * 2 + k] = dUnit[k] / h * ws.dxdu[ch.saturationOffset + k] }
        }
        guard lp.isFinite else { return -.infinity }
        var value = evaluate(lp: lp, ws: ws, g: g)
        if let terms = ws.calibration {
            value += terms.add(natural: ws.natural, dxdu: ws.dxdu, columns: ws.channelColumns, totals: ws.columnTotals,
                               firstChannelParameter: ws.firstChannelParameter, gradient: g)
        }
        // A centred baseline (InterceptCentring): the intercept's prior, and its chain rule into the channels.
        if let centring = ws.centring {
            value += centring.finish(natural: ws.natural, dxdu: ws.dxdu, totals: ws.columnTotals,
                                     firstChannelParameter: ws.firstChannelParameter, periods: ws.T, gradient: g)
        }
        // β depends on the shape parameters through h(r; θ): g[b] now holds ∂ℓ/∂β·β + 1.
        for c in 0..<ws.channelCount {
            let ch = ws.channels[c]
            guard ch.effectReference > 0 else { continue }
            let shape = ch.saturationCount - 1, b = ch.saturationOffset + shape
            for k in 0..<shape { g[ch.saturationOffset + k] -= g[b] * ws.chain[c * 2 + k] }
        }
        return value
    }

    /// Scratch buffers sized for one structure, allocated once per chain.
    private final class Workspace {
        let natural, dxdu, mu, e, a, da, slope, weights, weightDerivatives: UnsafeMutablePointer<Double>
        /// h(r; θ)'s parameters and derivatives, and per channel ∂ log h/∂θ_k · dθ_k/du_k.
        let unitParameters, unitDerivatives, unitDerivativesLow, chain: UnsafeMutablePointer<Double>
        /// True for the shape parameters that move on `SoftplusScale` (calibrated channels').
        let softplus: UnsafeMutablePointer<Bool>
        /// True for the β coordinates sampled as a log effect (handled after the prior loop), and
        /// for the intercept when the sampler moves the centred baseline (`InterceptCentring`).
        let samplesEffect: UnsafeMutablePointer<Bool>
        /// Lift tests and ROI priors (`Calibration/`), nil when the model has none.
        let calibration: CalibrationTerms?
        /// The centred baseline sampled instead of the intercept (`InterceptCentring`), if any.
        let centring: InterceptCentring?
        /// The baseline regressors (controls, Fourier terms, trend; constant) followed by ∂μ[t]/∂p
        /// for every channel parameter p, `channelColumns[(p − firstChannelParameter)·T + t]`: every
        /// coefficient's and channel parameter's gradient is then one dot product with e = ∂ℓ/∂μ,
        /// and one pass over the block gives them all.
        let baseline, channelColumns: UnsafeMutablePointer<Double>
        /// Read-only copies of the structure's data and layout, as raw memory so the hot loop
        /// does no reference counting.
        let xs, y: UnsafeMutablePointer<Double>
        /// The index of each baseline column's coefficient (the intercept's first, for its column of
        /// ones), and scratch for their coefficients.
        let baselineScratch: UnsafeMutablePointer<Double>
        let baselineIndex: UnsafeMutablePointer<Int>
        /// Σ_t e[t]·column[t] for the baseline columns, then the channel parameters' columns.
        let columnSums: UnsafeMutablePointer<Double>
        /// Σ_t column[t] for the channel parameters' columns, which the centred baseline and the
        /// ROI priors need (`needsTotals`); computed once per evaluation for both.
        let columnTotals: UnsafeMutablePointer<Double>
        let needsTotals: Bool
        let priors: UnsafeMutablePointer<PriorKernel>
        let channels: UnsafeMutablePointer<ChannelKernel>
        /// The HSGP terms (TimeVarying/), nil for a static model.
        let timeVarying: TimeVaryingDensity?
        let dimension, T, channelCount, firstChannelParameter, channelParameterCount: Int
        let baselineCount, interceptIndex, sigmaIndex: Int
        let nuIndex: Int?
        /// Owns every buffer above; freed with the workspace.
        private let arena: ScratchArena

        init(_ s: ModelStructure) {
            let n = s.dimension, T = s.periodCount, C = s.channels.count
            let L = s.channels.map(\.adstock.maxLag).max() ?? 1
            let arena = ScratchArena()
            let buffer = arena.buffer
            func copy(_ values: [Double]) -> UnsafeMutablePointer<Double> { values.isEmpty ? buffer(0) : arena.allocate(values) }
            let first = s.channels.first?.adstockOffset ?? 0
            let channelParameters = s.channels.last.map { $0.saturationOffset + $0.saturation.parameterCount - first } ?? 0
            natural = buffer(n); dxdu = buffer(n); mu = buffer(T); e = buffer(T)
            a = buffer(T); da = buffer(2 * T); slope = buffer(T)
            weights = buffer(L); weightDerivatives = buffer(2 * L)
            unitParameters = buffer(3); unitDerivatives = buffer(3); unitDerivativesLow = buffer(3); chain = buffer(2 * C)
            xs = copy(s.scaledSpend); y = copy(s.scaledTarget)
            let K = s.controlNames.count, F = 2 * s.fourierOrder
            // The intercept is the first baseline column (all ones).
            var indices = [s.interceptIndex] + (0..<K).map { s.controlOffset + $0 } + (0..<F).map { s.fourierOffset + $0 }
            if let ti = s.trendIndex { indices.append(ti) }
            baseline = copy([Double](repeating: 1, count: T) + s.controls + s.fourier + (s.trendIndex == nil ? [] : s.trend)
                            + [Double](repeating: 0, count: channelParameters * T))
            channelColumns = baseline + indices.count * T
            baselineScratch = buffer(indices.count)
            baselineIndex = arena.allocate(indices)
            baselineCount = indices.count
            columnSums = buffer(indices.count + channelParameters)
            columnTotals = buffer(channelParameters)
            priors = arena.allocate(s.parameters.map(\.prior.kernel))
            let xs = self.xs
            channels = arena.allocate(s.channels.enumerated().map { c, ch in
                var kernel = ChannelKernel(ch)
                kernel.emptyWindows = Adstock.hasEmptyWindow(xs + c * T, lags: ch.adstock.maxLag, periods: T)
                return kernel
            })
            softplus = arena.allocate(repeating: false, count: n)
            for i in 0..<n where s.onSoftplusScale(i) { softplus[i] = true }
            samplesEffect = arena.allocate(repeating: false, count: n)
            for ch in s.channels where ch.effectReference != nil {
                samplesEffect[ch.saturationOffset + ch.saturation.parameterCount - 1] = true
            }
            timeVarying = TimeVaryingDensity.make(s)
            calibration = s.calibration.isEmpty ? nil : CalibrationTerms(s, timeVarying: timeVarying)
            centring = InterceptCentring(s)
            if let centring { samplesEffect[centring.interceptIndex] = true }
            needsTotals = centring != nil || !s.calibration.roiPriors.isEmpty
            dimension = n; self.T = T; channelCount = C
            firstChannelParameter = first; channelParameterCount = channelParameters
            interceptIndex = s.interceptIndex; sigmaIndex = s.sigmaIndex
            nuIndex = s.nuIndex
            self.arena = arena
        }
    }

    /// μ, the likelihood, and the gradient of everything but the priors (added by the caller).
    ///
    /// Forward pass: the baseline terms, then per channel the adstocked series a = w ∗ x̃ and its
    /// parameter derivatives ∂a/∂p = (∂w/∂p) ∗ x̃ (the same convolution with the weights'
    /// derivatives; for geometric adstock an O(T) recursion instead, see `AdstockKernels.swift`),
    /// then the saturation, which adds to μ and gives ∂μ/∂p for its own parameters
    /// directly and sat′(a)·∂a/∂p for the adstock's. Backward pass: e[t] = ∂ℓ/∂μ[t] from the
    /// likelihood, and every parameter's gradient is Σ_t e[t]·∂μ[t]/∂p, a dot product.
    @inline(__always)
    private func evaluate(lp lp0: Double, ws: Workspace, g: UnsafeMutableBufferPointer<Double>) -> Double {
        let T = ws.T
        let x = ws.natural, dxdu = ws.dxdu, mu = ws.mu, e = ws.e
        let xs = ws.xs, columns = ws.channelColumns
        let K = ws.baselineCount, baseline = ws.baseline, coefficients = ws.baselineScratch, baselineIndex = ws.baselineIndex
        var lp = lp0
        // Baseline: intercept, controls, seasonality, trend.
        for k in 0..<K { coefficients[k] = x[baselineIndex[k]] }
        setColumns(coefficients, baseline, columns: K, into: mu, periods: T)
        let tv = ws.timeVarying
        lp += tv?.forward(x, mu: mu) ?? 0
        let mediaSink = tv?.mediaSink ?? mu

        // Channels.
        let a = ws.a, da = ws.da, slope = ws.slope, w = ws.weights, dw = ws.weightDerivatives
        for c in 0..<ws.channelCount {
            let ch = ws.channels[c]
            let np = ch.adstockCount
            ch.adstock.adstock(UnsafeBufferPointer(start: x + ch.adstockOffset, count: np), xs + c * T, periods: T,
                               into: a, derivatives: da, weightScratch: w, derivativeScratch: dw, emptyWindows: ch.emptyWindows)
            let adstockColumns = columns + (ch.adstockOffset - ws.firstChannelParameter) * T
            let saturationColumns = columns + (ch.saturationOffset - ws.firstChannelParameter) * T
            ch.saturation.accumulate(a, count: T, UnsafeBufferPointer(start: x + ch.saturationOffset, count: ch.saturationCount),
                                     into: mediaSink, slope: slope, dp: saturationColumns, stride: T)
            for k in 0..<np {
                let column = adstockColumns + k * T, dak = da + k * T
                for t in 0..<T { column[t] = slope[t] * dak[t] }
            }
        }
        if ws.needsTotals { sumColumns(columns, columns: ws.channelParameterCount, periods: T, into: ws.columnTotals) }
        ws.centring?.apply(natural: x, totals: ws.columnTotals, firstChannelParameter: ws.firstChannelParameter, mu: mu, periods: T)
        tv?.combine(mu: mu)

        // Likelihood and e[t] = ∂ℓ/∂μ[t], or e[t]/eScale where that saves a pass.
        let y = ws.y
        var eScale = 1.0
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
            let ss = residuals(y, mu, into: e, T)
            if tv == nil {
                eScale = inv2
            } else {
                for t in 0..<T { e[t] *= inv2 }
            }
            lp += -0.5 * ss * inv2 - Double(T) * (log(sigma) + 0.5 * log(2 * Double.pi))
            dSigma = ss * inv2 / sigma - Double(T) / sigma
        }
        g[ws.sigmaIndex] += dSigma * dxdu[ws.sigmaIndex]

        // Backward pass: Σ_t e[t]·∂μ[t]/∂p for every parameter (e∘m for the channels' parameters
        // when a multiplier scales the media).
        let sums = ws.columnSums, P = ws.channelParameterCount
        if let tv {
            let eMedia = tv.backward(e: e, dxdu: dxdu, g: g, x: x)
            dotColumns(e, baseline, columns: K, periods: T, into: sums)
            dotColumns(eMedia, columns, columns: P, periods: T, into: sums + K)
        } else {
            dotColumns(e, baseline, columns: K + P, periods: T, into: sums)
        }
        for k in 0..<K {
            let i = baselineIndex[k]
            g[i] += eScale * sums[k] * dxdu[i]
        }
        for p in 0..<P {
            let i = ws.firstChannelParameter + p
            g[i] += eScale * sums[K + p] * dxdu[i]
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
