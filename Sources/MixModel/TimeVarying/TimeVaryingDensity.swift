import Foundation

/// The time-varying terms of the log density and their hand-written gradient, called from
/// `MediaMixModel` at three points of its evaluation; scratch space allocated once per chain.
///
/// Forward, for each GP: w_j = √S₁(√λ_j; ℓ)·v_j for j < k and η·√S₁(√λ_j; ℓ)·z_j from k on
/// (s_j the factor of the coefficient), f = Φ·w, and the prior v_j ~ Normal(0, η) (see
/// `HSGPComponent` for the two forms).
/// - intercept drift: μ[t] += f_d[t] (columns of Φ centred);
/// - media: m[t] = T·e^(f[t]) / Σ_s e^(f[s]); the channels' summed saturation M[t] is collected
///   apart and μ[t] += m[t]·M[t].
///
/// Backward, with e[t] = ∂ℓ/∂μ[t]:
/// - a channel parameter p: ∂ℓ/∂p = Σ_t e[t]·m[t]·∂M[t]/∂p, so the channel dot products use e∘m;
/// - media: ∂ℓ/∂m[t] = e[t]·M[t] =: a[t]; through the normalisation ∂m[t]/∂f[s] = m[t](δ_ts − m[s]/T),
///   so ∂ℓ/∂f[s] = m[s]·(a[s] − (1/T)Σ_t a[t]m[t]);
/// - drift: ∂ℓ/∂f[t] = e[t];
/// - then with b = Φᵀ·∂ℓ/∂f: ∂ℓ/∂c_j = b_j·s_j, ∂ℓ/∂ℓ = Σ_j b_j·w_j·½·∂log S₁(√λ_j; ℓ)/∂ℓ and
///   ∂ℓ/∂η = Σ_{j≥k} b_j·w_j/η; each times its dx/du.
final class TimeVaryingDensity {
    /// One GP's basis and buffers.
    final class Part {
        /// k: coefficients below it are v_j ~ Normal(0, η), from it on η·z_j (`HSGPComponent`).
        let m, lengthScale, amplitude, coefficients, carriers: Int
        let kernel: HSGPBasis.Kernel
        /// Φ column-major (j·T + t), √λ_j, and per evaluation s_j (the factor w_j = s_j·c_j: √S₁ for
        /// j < k, η·√S₁ from k on), w_j, ½∂log S₁/∂ℓ, b_j, f[t], ∂ℓ/∂f[t].
        let phi, omega, s, w, halfDLog, b, f, gf: UnsafeMutablePointer<Double>
        /// Basis functions in use this evaluation: s_j decreases with j, and the terms with
        /// √S₁(√λ_j) < 1e-13·√S₁(√λ_1) change f by less than its rounding error, so they are left out of f and
        /// of the gradient alike (value and gradient stay exactly consistent). A long length-scale
        /// with an exponentiated-quadratic kernel typically needs well under half of m.
        var active = 0
        /// Σ_{j<k} v_j² this evaluation (for the amplitude's gradient).
        var sumSquares = 0.0

        init(m: Int, lengthScale: Int, amplitude: Int, coefficients: Int, carriers: Int, kernel: HSGPBasis.Kernel,
             phi: UnsafeMutablePointer<Double>, omega: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>,
             w: UnsafeMutablePointer<Double>, halfDLog: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>,
             f: UnsafeMutablePointer<Double>, gf: UnsafeMutablePointer<Double>) {
            self.m = m; self.lengthScale = lengthScale; self.amplitude = amplitude; self.coefficients = coefficients
            self.carriers = carriers
            self.kernel = kernel; self.phi = phi; self.omega = omega; self.s = s; self.w = w; self.halfDLog = halfDLog
            self.b = b; self.f = f; self.gf = gf
        }
    }

    /// Relative size below which a basis function's weight is negligible (see `Part.active`).
    static let negligible = 1e-13

    let T: Int
    let media, drift: Part?
    /// Σ_c sat_c[t] (M), the multiplier m, e∘m, and ∂/∂m[t] of terms outside the likelihood.
    let mediaSum, multiplier, scaledResidual, multiplierCotangent: UnsafeMutablePointer<Double>
    /// Owns every buffer of the parts and above; freed with the density.
    private let arena = ScratchArena()

    /// Nil for a static model, so `MediaMixModel` keeps its static path unchanged.
    static func make(_ s: ModelStructure) -> TimeVaryingDensity? {
        s.timeVarying.isOn ? TimeVaryingDensity(s) : nil
    }

    private init(_ s: ModelStructure) {
        let T = s.periodCount
        self.T = T
        let buffer = arena.buffer
        func part(_ c: HSGPComponent?) -> Part? {
            guard let c else { return nil }
            let m = c.basis.count
            let phi = buffer(m * T), omega = buffer(m)
            for (i, v) in c.phi.enumerated() { phi[i] = v }
            for j in 0..<m { omega[j] = c.basis.frequency(j) }
            return Part(m: m, lengthScale: c.lengthScaleIndex, amplitude: c.amplitudeIndex, coefficients: c.coefficientOffset,
                        carriers: c.amplitudeCarriers,
                        kernel: c.basis.kernel, phi: phi, omega: omega, s: buffer(m), w: buffer(m), halfDLog: buffer(m),
                        b: buffer(m), f: buffer(T), gf: buffer(T))
        }
        media = part(s.timeVarying.media)
        drift = part(s.timeVarying.intercept)
        mediaSum = buffer(T); multiplier = buffer(T); scaledResidual = buffer(T); multiplierCotangent = buffer(T)
    }

    /// Where the channels accumulate their saturation: the separate sum M when media vary.
    var mediaSink: UnsafeMutablePointer<Double>? { media == nil ? nil : mediaSum }

    /// Before the channel loop: adds the drift to μ, computes m, and clears M. Returns the
    /// coefficients' prior correction (see `coefficientPrior`).
    @inline(__always)
    func forward(_ x: UnsafeMutablePointer<Double>, mu: UnsafeMutablePointer<Double>) -> Double {
        var lp = 0.0
        if let d = drift {
            lp += coefficientPrior(d, x)
            latent(d, x)
            for t in 0..<T { mu[t] += d.f[t] }
        }
        if let p = media {
            lp += coefficientPrior(p, x)
            latent(p, x)
            var top = -Double.infinity
            for t in 0..<T { top = max(top, p.f[t]) }
            for t in 0..<T { multiplier[t] = p.f[t] - top }
            vectorExp(multiplier, into: multiplier, count: T)
            var sum = 0.0
            for t in 0..<T { sum += multiplier[t] }
            let scale = Double(T) / sum
            for t in 0..<T { multiplier[t] *= scale; mediaSum[t] = 0 }
        }
        return lp
    }

    /// The first k coefficients v_j ~ Normal(0, η): the amplitude is carried by them rather than
    /// multiplied into their basis weights (see `HSGPComponent`). Their parameters are declared
    /// with a Normal(0, 1) prior, which the model adds; this returns the difference,
    /// Σ_{j<k} [½v_j² − ½v_j²/η² − log η], and keeps Σ v_j² for ∂/∂η = Σ_{j<k} v_j²/η³ − k/η;
    /// ∂/∂v_j = v_j(1 − 1/η²) is added in `pullBack`.
    @inline(__always)
    private func coefficientPrior(_ p: Part, _ x: UnsafeMutablePointer<Double>) -> Double {
        let eta = x[p.amplitude]
        let inv2 = 1 / (eta * eta)
        var ss = 0.0
        for j in 0..<p.carriers { let v = x[p.coefficients + j]; ss += v * v }
        p.sumSquares = ss
        return 0.5 * ss * (1 - inv2) - Double(p.carriers) * log(eta)
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
        for t in 0..<T {
            p.gf[t] = e[t] * mediaSum[t]
            scaledResidual[t] = e[t] * multiplier[t]
        }
        throughNormalisation(p)
        pullBack(p, x, dxdu: dxdu, g: g)
        return scaledResidual
    }

    /// gf = ∂/∂m[t] on entry, ∂/∂f[t] on return: ∂m[t]/∂f[s] = m[t](δ_ts − m[s]/T).
    @inline(__always)
    private func throughNormalisation(_ p: Part) {
        let m = multiplier
        var mean = 0.0
        for t in 0..<T { mean += p.gf[t] * m[t] }
        mean /= Double(T)
        for t in 0..<T { p.gf[t] = m[t] * (p.gf[t] - mean) }
    }

    /// Zeroes `multiplierCotangent` (before terms outside the likelihood add their ∂/∂m[t]).
    func clearMultiplierCotangent() {
        for t in 0..<T { multiplierCotangent[t] = 0 }
    }

    /// Adds to g the gradient of the GP's parameters of terms whose ∂/∂m[t] is in
    /// `multiplierCotangent` (the ROI prior's, `CalibrationTerms`), through the normalisation and
    /// Φᵀ; uses the basis weights of this evaluation's `forward`.
    func pullBackMultiplier(_ x: UnsafePointer<Double>, dxdu: UnsafePointer<Double>, g: UnsafeMutableBufferPointer<Double>) {
        guard let p = media else { return }
        for t in 0..<T { p.gf[t] = multiplierCotangent[t] }
        throughNormalisation(p)
        pullBack(p, x, dxdu: dxdu, g: g, prior: false)
    }

    /// s_j, w_j = s_j·c_j, ½∂log S₁/∂ℓ, and f = Φ·w. The unit spectral densities (`HSGPBasis`) are
    /// written out here without logarithms, so a basis function costs one exp (EQ) or one sqrt
    /// (Matérn 5/2), and s_j is √S₁ for j < k, η·√S₁ from k on:
    ///     EQ:         √S₁ = (2π)^¼·√ℓ·exp(−ℓ²ω_j²/4),        ½∂log S₁/∂ℓ = ½(1/ℓ − ℓω_j²)
    ///     Matérn 5/2: √S₁ = √(16/3·5^(5/2))·ℓ^(−5/2)·q_j^(3/2), q_j = 1/(5/ℓ² + ω_j²),
    ///                 ½∂log S₁/∂ℓ = ½(−5/ℓ + 30/(ℓ(5 + ℓ²ω_j²)))
    @inline(__always)
    private func latent(_ p: Part, _ x: UnsafeMutablePointer<Double>) {
        let eq = p.kernel == .exponentiatedQuadratic
        let l = x[p.lengthScale], eta = x[p.amplitude]
        let scale = eq ? Self.eqConstant * l.squareRoot() : Self.maternConstant / (l * l * l.squareRoot())
        let l2 = l * l, inverseL = 1 / l, fiveOverL2 = 5 / l2
        var cutoff = 0.0
        p.active = p.m
        for j in 0..<p.m {
            let w2 = p.omega[j] * p.omega[j]
            let s: Double
            if eq {
                s = scale * exp(-0.25 * l2 * w2)
                p.halfDLog[j] = 0.5 * (inverseL - l * w2)
            } else {
                let v = 1 / (fiveOverL2 + w2)
                s = scale * v * v.squareRoot()
                p.halfDLog[j] = 0.5 * (-5 * inverseL + 30 * inverseL / (5 + l2 * w2))
            }
            if j == 0 { cutoff = Self.negligible * s } else if s < cutoff { p.active = j; break }
            p.s[j] = j < p.carriers ? s : eta * s
            p.w[j] = p.s[j] * x[p.coefficients + j]
        }
        basisProduct(p.phi, p.w, columns: p.active, rows: T, into: p.f)
    }

    /// (2π)^¼ and √(16/3·5^(5/2)): the constant factors of √S₁ for the two kernels.
    static let eqConstant = pow(2 * Double.pi, 0.25)
    static let maternConstant = (16.0 / 3.0 * pow(5.0, 2.5)).squareRoot()

    /// b = Φᵀ·gf, then the gradients of the coefficients, ℓ and η (times dx/du): ∂/∂c_j = b_j·s_j,
    /// ∂/∂ℓ = Σ_j b_j·w_j·½∂log S₁/∂ℓ, ∂/∂η = Σ_{j≥k} b_j·w_j/η; with `prior`, also those of the
    /// v_j's prior (see `coefficientPrior`).
    @inline(__always)
    private func pullBack(_ p: Part, _ x: UnsafePointer<Double>, dxdu: UnsafePointer<Double>, g: UnsafeMutableBufferPointer<Double>,
                          prior: Bool = true) {
        basisTransposeProduct(p.phi, p.gf, columns: p.active, rows: T, into: p.b)
        let eta = x[p.amplitude], shrink = prior ? 1 - 1 / (eta * eta) : 0
        var dL = 0.0, dEta = 0.0
        for j in 0..<p.active {
            let b = p.b[j]
            let i = p.coefficients + j
            let bw = b * p.w[j]
            if j < p.carriers {
                g[i] += (b * p.s[j] + x[i] * shrink) * dxdu[i]
            } else {
                g[i] += b * p.s[j] * dxdu[i]
                dEta += bw
            }
            dL += bw * p.halfDLog[j]
        }
        g[p.lengthScale] += dL * dxdu[p.lengthScale]
        var etaGradient = dEta / eta
        if prior {
            for j in p.active..<max(p.active, p.carriers) { let i = p.coefficients + j; g[i] += x[i] * shrink * dxdu[i] }
            etaGradient += (p.sumSquares / (eta * eta) - Double(p.carriers)) / eta
        }
        g[p.amplitude] += etaGradient * dxdu[p.amplitude]
    }
}

/// f = Φ·w over the first `columns` columns of the column-major T×m basis Φ (`phi[j·T + t]`).
/// Blocked over eight rows at a time, summing over the columns in registers: each basis value
/// is loaded once and f is stored once (an axpy per column would load and store f m times; the
/// GP's two matrix–vector products are most of its cost).
@inline(__always)
func basisProduct(_ phi: UnsafePointer<Double>, _ w: UnsafePointer<Double>, columns m: Int, rows T: Int,
                  into f: UnsafeMutablePointer<Double>) {
    typealias V = SIMD4<Double>
    var t = 0
    while t + 8 <= T {
        var a0 = V(repeating: 0), a1 = V(repeating: 0)
        var column = UnsafeRawPointer(phi + t)
        for j in 0..<m {
            let wj = V(repeating: w[j])
            a0 += wj * column.loadUnaligned(as: V.self)
            a1 += wj * column.loadUnaligned(fromByteOffset: 32, as: V.self)
            column += T * 8
        }
        UnsafeMutableRawPointer(f + t).storeBytes(of: a0, as: V.self)
        UnsafeMutableRawPointer(f + t + 4).storeBytes(of: a1, as: V.self)
        t += 8
    }
    while t < T {
        var a = 0.0
        for j in 0..<m { a += w[j] * phi[j * T + t] }
        f[t] = a
        t += 1
    }
}

/// b = Φᵀ·g over the first `columns` columns (b_j = Σ_t φ_j(t)·g[t]), four columns at a time so
/// each element of g is loaded once per four columns; each column's sum is then reduced.
@inline(__always)
func basisTransposeProduct(_ phi: UnsafePointer<Double>, _ g: UnsafePointer<Double>, columns m: Int, rows T: Int,
                           into b: UnsafeMutablePointer<Double>) {
    typealias V = SIMD4<Double>
    let body = T & ~3
    var j = 0
    while j + 4 <= m {
        let c0 = UnsafeRawPointer(phi + j * T), c1 = c0 + T * 8, c2 = c1 + T * 8, c3 = c2 + T * 8
        var s0 = V(repeating: 0), s1 = V(repeating: 0), s2 = V(repeating: 0), s3 = V(repeating: 0)
        var offset = 0
        for t in stride(from: 0, to: body, by: 4) {
            let gv = UnsafeRawPointer(g + t).loadUnaligned(as: V.self)
            s0 += gv * c0.loadUnaligned(fromByteOffset: offset, as: V.self)
            s1 += gv * c1.loadUnaligned(fromByteOffset: offset, as: V.self)
            s2 += gv * c2.loadUnaligned(fromByteOffset: offset, as: V.self)
            s3 += gv * c3.loadUnaligned(fromByteOffset: offset, as: V.self)
            offset += 32
        }
        var r0 = s0.sum(), r1 = s1.sum(), r2 = s2.sum(), r3 = s3.sum()
        for t in body..<T {
            r0 += phi[j * T + t] * g[t]; r1 += phi[(j + 1) * T + t] * g[t]
            r2 += phi[(j + 2) * T + t] * g[t]; r3 += phi[(j + 3) * T + t] * g[t]
        }
        b[j] = r0; b[j + 1] = r1; b[j + 2] = r2; b[j + 3] = r3
        j += 4
    }
    while j < m {
        var r = 0.0
        for t in 0..<T { r += phi[j * T + t] * g[t] }
        b[j] = r
        j += 1
    }
}
