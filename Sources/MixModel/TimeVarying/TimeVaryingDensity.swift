import Foundation

/// The time-varying terms of the log density and their hand-written gradient, called from
/// `MediaMixModel` at three points of its evaluation; scratch space allocated once per chain.
///
/// Forward, for each GP: s_j = η·√S₁(√λ_j; ℓ), w_j = s_j·z_j, f = Φ·w.
/// - intercept drift: μ[t] += f_d[t] (columns of Φ centred);
/// - media: m[t] = T·e^(f[t]) / Σ_s e^(f[s]); the channels' summed saturation M[t] is collected
///   apart and μ[t] += m[t]·M[t].
///
/// Backward, with e[t] = ∂ℓ/∂μ[t]:
/// - a channel parameter p: ∂ℓ/∂p = Σ_t e[t]·m[t]·∂M[t]/∂p, so the channel dot products use e∘m;
/// - media: ∂ℓ/∂m[t] = e[t]·M[t] =: a[t]; through the normalisation ∂m[t]/∂f[s] = m[t](δ_ts − m[s]/T),
///   so ∂ℓ/∂f[s] = m[s]·(a[s] − (1/T)Σ_t a[t]m[t]);
/// - drift: ∂ℓ/∂f[t] = e[t];
/// - then with b = Φᵀ·∂ℓ/∂f: ∂ℓ/∂z_j = b_j·s_j, ∂ℓ/∂η = Σ_j b_j·w_j/η and
///   ∂ℓ/∂ℓ = Σ_j b_j·w_j·½·∂log S₁(√λ_j; ℓ)/∂ℓ; each times its dx/du.
final class TimeVaryingDensity {
    /// One GP's basis and buffers.
    struct Part {
        let m, lengthScale, amplitude, coefficients: Int
        let kernel: HSGPBasis.Kernel
        /// Φ column-major (j·T + t), √λ_j, and per evaluation s_j, w_j, ½∂log S₁/∂ℓ, b_j, f[t], ∂ℓ/∂f[t].
        let phi, omega, s, w, halfDLog, b, f, gf: UnsafeMutablePointer<Double>
    }

    let T: Int
    let media, drift: Part?
    /// Σ_c sat_c[t] (M), the multiplier m, and e∘m.
    let mediaSum, multiplier, scaledResidual: UnsafeMutablePointer<Double>
    private var owned: [UnsafeMutablePointer<Double>] = []

    /// Nil for a static model, so `MediaMixModel` keeps its static path unchanged.
    static func make(_ s: ModelStructure) -> TimeVaryingDensity? {
        s.timeVarying.isOn ? TimeVaryingDensity(s) : nil
    }

    private init(_ s: ModelStructure) {
        let T = s.periodCount
        self.T = T
        var owned: [UnsafeMutablePointer<Double>] = []
        func buffer(_ n: Int) -> UnsafeMutablePointer<Double> {
            let b = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
            b.initialize(repeating: 0, count: max(n, 1))
            owned.append(b)
            return b
        }
        func part(_ c: HSGPComponent?) -> Part? {
            guard let c else { return nil }
            let m = c.basis.count
            let phi = buffer(m * T), omega = buffer(m)
            for (i, v) in c.phi.enumerated() { phi[i] = v }
            for j in 0..<m { omega[j] = c.basis.frequency(j) }
            return Part(m: m, lengthScale: c.lengthScaleIndex, amplitude: c.amplitudeIndex, coefficients: c.coefficientOffset,
                        kernel: c.basis.kernel, phi: phi, omega: omega, s: buffer(m), w: buffer(m), halfDLog: buffer(m),
                        b: buffer(m), f: buffer(T), gf: buffer(T))
        }
        media = part(s.timeVarying.media)
        drift = part(s.timeVarying.intercept)
        mediaSum = buffer(T); multiplier = buffer(T); scaledResidual = buffer(T)
        self.owned = owned
    }

    deinit { for b in owned { b.deallocate() } }

    /// Where the channels accumulate their saturation: the separate sum M when media vary.
    var mediaSink: UnsafeMutablePointer<Double>? { media == nil ? nil : mediaSum }

    /// Before the channel loop: adds the drift to μ, computes m, and clears M.
    @inline(__always)
    func forward(_ x: UnsafeMutablePointer<Double>, mu: UnsafeMutablePointer<Double>) {
        if let d = drift {
            latent(d, x)
            for t in 0..<T { mu[t] += d.f[t] }
        }
        if let p = media {
            latent(p, x)
            var top = -Double.infinity
            for t in 0..<T { top = max(top, p.f[t]) }
            var sum = 0.0
            for t in 0..<T {
                let q = exp(p.f[t] - top)
                multiplier[t] = q
                sum += q
            }
            let scale = Double(T) / sum
            for t in 0..<T { multiplier[t] *= scale; mediaSum[t] = 0 }
        }
    }

    /// After the channel loop: μ[t] += m[t]·M[t].
    @inline(__always)
    func combine(mu: UnsafeMutablePointer<Double>) {
        guard media != nil else { return }
        for t in 0..<T { mu[t] += multiplier[t] * mediaSum[t] }
    }

    /// After e = ∂ℓ/∂μ: adds the GP parameters' gradients to g and returns the vector the channel
    /// parameters' dot products use (e∘m with a media multiplier, else e).
    @inline(__always)
    func backward(e: UnsafeMutablePointer<Double>, dxdu: UnsafeMutablePointer<Double>,
                  g: UnsafeMutableBufferPointer<Double>, x: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<Double> {
        if let d = drift {
            for t in 0..<T { d.gf[t] = e[t] }
            pullBack(d, x, dxdu: dxdu, g: g)
        }
        guard let p = media else { return e }
        let m = multiplier
        var mean = 0.0
        for t in 0..<T {
            let a = e[t] * mediaSum[t]
            p.gf[t] = a
            mean += a * m[t]
        }
        mean /= Double(T)
        for t in 0..<T {
            p.gf[t] = m[t] * (p.gf[t] - mean)
            scaledResidual[t] = e[t] * m[t]
        }
        pullBack(p, x, dxdu: dxdu, g: g)
        return scaledResidual
    }

    /// s_j, w_j = s_j·z_j, ½∂log S₁/∂ℓ, and f = Φ·w.
    @inline(__always)
    private func latent(_ p: Part, _ x: UnsafeMutablePointer<Double>) {
        let l = x[p.lengthScale], eta = x[p.amplitude]
        for t in 0..<T { p.f[t] = 0 }
        for j in 0..<p.m {
            let w0 = p.omega[j]
            let s = eta * exp(0.5 * HSGPBasis.logUnitSpectralDensity(p.kernel, omega: w0, lengthScale: l))
            p.s[j] = s
            p.w[j] = s * x[p.coefficients + j]
            p.halfDLog[j] = 0.5 * HSGPBasis.dLogUnitSpectralDensity(p.kernel, omega: w0, lengthScale: l)
            axpy(p.w[j], p.phi + j * T, p.f, T)
        }
    }

    /// b = Φᵀ·gf, then the gradients of z, η and ℓ (times dx/du).
    @inline(__always)
    private func pullBack(_ p: Part, _ x: UnsafeMutablePointer<Double>, dxdu: UnsafeMutablePointer<Double>, g: UnsafeMutableBufferPointer<Double>) {
        var dEta = 0.0, dL = 0.0
        for j in 0..<p.m {
            let b = dot(p.phi + j * T, p.gf, T)
            let i = p.coefficients + j
            g[i] += b * p.s[j] * dxdu[i]
            let bw = b * p.w[j]
            dEta += bw
            dL += bw * p.halfDLog[j]
        }
        g[p.amplitude] += dEta / x[p.amplitude] * dxdu[p.amplitude]
        g[p.lengthScale] += dL * dxdu[p.lengthScale]
    }
}
