import Foundation
import MixData

/// The horizon response of one logistic or Michaelis–Menten channel over all draws, as a tight
/// vectorised loop: everything that does not depend on the spend s is computed once here.
///
/// `HorizonResponse` writes the response as Σ_j m_j·f(α_j·s + o_j) over K terms per draw (ramp-up
/// periods, the steady block with multiplicity H − L + 1, the carryover tail), where α_j are
/// partial adstock weight sums and o_j the history's share. For these two families the term is
///
///     logistic:         f = β (1 − e)/(1 + e),  e = exp(−z),  z = r_j·s + c_j,
///                       r_j = λ α_j / scale,  c_j = λ o_j / scale
///                       f' = 2β r_j e/(1 + e)²,   f'' = 2β r_j² e (e − 1)/(1 + e)³
///     Michaelis–Menten: f = β a/(λ + a),  a = r_j·s + c_j,  r_j = α_j / scale,  c_j = o_j / scale
///                       f' = β λ r_j/(λ + a)²,     f'' = −2β λ r_j²/(λ + a)³
///
/// (derivatives in s). Coefficients are stored term-major with the draws padded to a multiple of
/// four, so four draws are evaluated at once with SIMD arithmetic and a polynomial exp. β is
/// factored out of the term sum. The naive path (`HorizonResponse.evaluate(channel:draw:spend:)`)
/// stays as the reference the tests compare against.
struct HorizonKernel {
    /// `.logistic` or `.michaelisMenten`.
    let kind: SaturationKind
    let terms: Int
    let draws: Int
    /// Draws rounded up to a multiple of 4 (padding draws have β = 0).
    let padded: Int
    /// r_j per draw, term-major: rate[j·padded + d].
    private var rate: [Double]
    /// c_j per draw, term-major.
    private var shift: [Double]
    /// Multiplicity m_j of each term (the same in every draw).
    private let weight: [Double]
    /// β·targetScale per draw.
    private var beta: [Double]
    /// λ per draw (Michaelis–Menten only).
    private var lambda: [Double]

    /// nil for the other families (they keep the term-by-term path, which evaluates any
    /// `SaturationKind`); this kernel is a speed-up for the two common ones, checked against
    /// that path by FastPathTests.
    /// - Parameters:
    ///   - p: the channel's per-draw parameters and normalised adstock weights.
    ///   - history: the channel's current spend x₀.
    init?(channel p: ChannelDraws, settings: HorizonSettings, history: Double) {
        switch p.family {
        case .logistic, .michaelisMenten: kind = p.family
        default: return nil
        }
        let h = settings.periods, lags = p.lagCount
        draws = p.drawCount
        padded = (draws + 3) / 4 * 4
        // Term layout (the same for every draw): ramp-up periods t < min(H, L−1), the steady
        // block when H > L − 1, the tail periods H…H+L−2 when counted.
        var layout: [(kind: Int, t: Int, m: Double)] = []
        for t in 0..<min(h, lags - 1) { layout.append((0, t, 1)) }
        if h > lags - 1 { layout.append((1, 0, Double(h - (lags - 1)))) }
        if settings.countCarryoverTail { for t in h..<(h + lags - 1) { layout.append((2, t, 1)) } }
        terms = layout.count
        weight = layout.map(\.m)
        rate = [Double](repeating: 0, count: terms * padded)
        shift = rate
        beta = [Double](repeating: 0, count: padded)
        lambda = [Double](repeating: 1, count: padded)
        let inverse = 1 / p.spendScale
        var cum = [Double](repeating: 0, count: lags)
        for d in 0..<draws {
            var running = 0.0
            for l in 0..<lags { running += p.carryover[d * lags + l]; cum[l] = running }
            func big(_ t: Int) -> Double { t < 0 ? 0 : (t >= lags - 1 ? 1 : cum[t]) }
            // Both families store (λ, β) per draw.
            let lambdaD = p.parameters[2 * d], betaD = p.parameters[2 * d + 1]
            let scale = kind == .logistic ? lambdaD * inverse : inverse
            for (j, term) in layout.enumerated() {
                let a: Double, o: Double
                switch term.kind {
                case 0: a = big(term.t); o = history * (1 - big(term.t))
                case 1: a = 1; o = 0
                default: a = big(term.t) - big(term.t - h); o = history * (1 - big(term.t))
                }
                rate[j * padded + d] = a * scale
                shift[j * padded + d] = o * scale
            }
            beta[d] = betaD * p.targetScale
            lambda[d] = lambdaD
        }
    }

    /// Per-draw horizon response, slope and curvature at spend `s`, written into whichever
    /// buffers are given (each of `draws` elements); returns their means. Allocation-free.
    func run(spend s: Double, values: UnsafeMutableBufferPointer<Double>?, slopes: UnsafeMutableBufferPointer<Double>?,
             curvatures: UnsafeMutableBufferPointer<Double>?) -> (value: Double, slope: Double, curvature: Double) {
        // Two halves of the draws on the two cores when the work pays for the hand-off
        // (~16k terms ≈ 0.1 ms); the halves and the order of their sums are fixed, so the result
        // does not depend on scheduling.
        let chunks = terms * padded >= 16_384 ? 2 : 1
        let blocks = padded / 4
        var sumV = SIMD4<Double>(), sumG = SIMD4<Double>(), sumH = SIMD4<Double>()
        withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: 3 * chunks) { out in
            let body = { (i: Int) in
                let r = self.run(spend: s, from: 4 * (blocks * i / chunks), to: 4 * (blocks * (i + 1) / chunks),
                                 values: values, slopes: slopes, curvatures: curvatures)
                out[3 * i] = r.0; out[3 * i + 1] = r.1; out[3 * i + 2] = r.2
            }
            if chunks == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: body) }
            for i in 0..<chunks { sumV += out[3 * i]; sumG += out[3 * i + 1]; sumH += out[3 * i + 2] }
        }
        let n = Double(draws)
        return (sumV.sum() / n, sumG.sum() / n, sumH.sum() / n)
    }

    /// Draws `start..<end` (multiples of 4): writes their outputs, returns lane-wise sums.
    private func run(spend s: Double, from start: Int, to end: Int, values: UnsafeMutableBufferPointer<Double>?,
                     slopes: UnsafeMutableBufferPointer<Double>?,
                     curvatures: UnsafeMutableBufferPointer<Double>?) -> (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>) {
        var sumV = SIMD4<Double>(), sumG = SIMD4<Double>(), sumH = SIMD4<Double>()
        let logistic = kind == .logistic
        rate.withUnsafeBufferPointer { r in
            shift.withUnsafeBufferPointer { c in
                beta.withUnsafeBufferPointer { b in
                    lambda.withUnsafeBufferPointer { lam in
                        let rp = UnsafeRawPointer(r.baseAddress!), cp = UnsafeRawPointer(c.baseAddress!)
                        let bp = UnsafeRawPointer(b.baseAddress!), lp = UnsafeRawPointer(lam.baseAddress!)
                        let spend = SIMD4<Double>(repeating: s), zero = SIMD4<Double>(), one = SIMD4<Double>(repeating: 1)
                        var d = start
                        while d < end {
                            var v = zero, g = zero, h = zero
                            if logistic {
                                for j in 0..<terms {
                                    let offset = (j * padded + d) * 8
                                    let rj = rp.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                                    let z = rj * spend + cp.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                                    // a = max(·, 0) as in the naive path (z = λa).
                                    let e = HorizonKernel.exp(-z.replacing(with: zero, where: z .< zero))
                                    let inv = one / (one + e)
                                    let m = SIMD4<Double>(repeating: weight[j])
                                    let q = m * e * inv * inv * rj
                                    v += m * (one - e) * inv
                                    g += q
                                    h += q * rj * (e - one) * inv
                                }
                                g *= 2
                                h *= 2
                            } else {
                                let l = lp.loadUnaligned(fromByteOffset: d * 8, as: SIMD4<Double>.self)
                                for j in 0..<terms {
                                    let offset = (j * padded + d) * 8
                                    let rj = rp.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                                    var a = rj * spend + cp.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                                    a.replace(with: zero, where: a .< zero)
                                    let inv = one / (l + a)
                                    let m = SIMD4<Double>(repeating: weight[j])
                                    let q = m * rj * inv * inv
                                    v += m * a * inv
                                    g += q
                                    h -= q * rj * inv
                                }
                                g *= l
                                h *= 2 * l
                            }
                            let bd = bp.loadUnaligned(fromByteOffset: d * 8, as: SIMD4<Double>.self)
                            v *= bd
                            g *= bd
                            h *= bd
                            sumV += v
                            sumG += g
                            sumH += h
                            for i in 0..<min(4, draws - d) {
                                values?[d + i] = v[i]
                                slopes?[d + i] = g[i]
                                curvatures?[d + i] = h[i]
                            }
                            d += 4
                        }
                    }
                }
            }
        }
        return (sumV, sumG, sumH)
    }

    /// e^x for x ≤ 0 (clamped below at −708, where it is ~1e−308), four lanes at once, to within
    /// a few ulp: x = k·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor series to r¹³ (the
    /// remainder r¹⁴/14! < 5e−18 is below rounding), 2^k put straight into the exponent bits.
    /// Cody–Waite reduction with fdlibm's split of ln 2 keeps k·ln2Hi exact.
    @inline(__always)
    static func exp(_ x: SIMD4<Double>) -> SIMD4<Double> {
        let floor = SIMD4<Double>(repeating: -708)
        let x = x.replacing(with: floor, where: x .< floor)
        // Adding 1.5·2⁵² rounds x·log₂e to an integer held in the low mantissa bits.
        let shifter = SIMD4<Double>(repeating: 6_755_399_441_055_744.0)
        let t = x * 1.4426950408889634 + shifter
        let k = t - shifter
        let r = (x - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10
        var p = SIMD4<Double>(repeating: 1.0 / 6_227_020_800)   // 1/13!
        p = p * r + 1.0 / 479_001_600
        p = p * r + 1.0 / 39_916_800
        p = p * r + 1.0 / 3_628_800
        p = p * r + 1.0 / 362_880
        p = p * r + 1.0 / 40_320
        p = p * r + 1.0 / 5_040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // Low 12 bits of t's pattern are k (mod 2¹²); k + 1023 ∈ [1, 1023] is the biased exponent.
        let bits = unsafeBitCast(t, to: SIMD4<UInt64>.self)
        let scale = unsafeBitCast((bits &+ 1023) &<< 52, to: SIMD4<Double>.self)
        return p * scale
    }
}
