import Foundation

/// e^(s·x) for a whole buffer at once, two lanes at a time (libm's `exp` is one opaque call per
/// element and was the model's single most expensive operation: one per period and channel for
/// the logistic saturation).
///
/// Method (table-driven, as in most libms): s·x = (64m + j)·ln 2/64 + r with k = 64m + j =
/// round(s·x·64/ln 2), 0 ≤ j < 64 and |r| ≤ ln 2/128; then e^(s·x) = 2^m · 2^(j/64) · e^r, with
/// 2^(j/64) from a table of 64 values and e^r − 1 by its Taylor polynomial to degree 5, whose
/// truncation error (ln 2/128)^6/6! ≈ 4e-17 is a fifth of an ulp. The rounding uses the 1.5·2^52
/// shifter (adding it leaves k in the low mantissa bits), 2^m is built from its bit pattern, and
/// ln 2/64 is split into a high part with trailing zero bits (so k·high is exact for the k that
/// occur) and the remainder, which keeps r accurate to an ulp. Result: relative error ≤ 4e-16
/// against libm (checked in `KernelTests`).
///
/// Domain: any s·x ≤ 709 (larger values would overflow and are clamped to e^709); s·x < −708
/// returns 0 (the true value is below 3e-308, the smallest normal double).
@inline(__always)
public func vectorExp(_ x: UnsafePointer<Double>, scale s: Double = 1, into y: UnsafeMutablePointer<Double>, count n: Int) {
    let table = exp2Sixtyfourths
    table.withUnsafeBufferPointer { tp in
        let t = tp.baseAddress!
        var i = 0
        while i + 2 <= n {
            let v = s * UnsafeRawPointer(x + i).loadUnaligned(as: SIMD2<Double>.self)
            let e = exp2Lanes(v, table: t)
            y[i] = e[0]; y[i + 1] = e[1]
            i += 2
        }
        if i < n { y[i] = exp2Lanes(SIMD2(repeating: s * x[i]), table: t)[0] }
    }
}

/// 2^(j/64) for j = 0…63.
private let exp2Sixtyfourths: [Double] = (0..<64).map { exp2(Double($0) / 64) }

/// e^v on both lanes by the method of `vectorExp`.
@inline(__always)
private func exp2Lanes(_ v: SIMD2<Double>, table: UnsafePointer<Double>) -> SIMD2<Double> {
    let sixtyFourOverLn2 = 92.33248261689366          // 64/ln 2
    let ln2Hi = 0.01083042469326756                    // ln 2/64 to 32 significant bits
    let ln2Lo = 2.9815858269852933e-12                 // ln 2/64 − ln2Hi
    let shifter = 6755399441055744.0                   // 1.5·2^52
    let xi = v.replacing(with: 709, where: v .> 709)
    let kd = xi * sixtyFourOverLn2 + shifter
    let kf = kd - shifter
    let r = (xi - kf * ln2Hi) - kf * ln2Lo
    // e^r − 1 = r + r²·(1/2 + r/6 + r²/24 + r³/120), pairs first (Estrin) for shorter chains.
    let r2 = r * r
    let q = (0.5 + r * (1.0 / 6)) + r2 * (1.0 / 24 + r * (1.0 / 120))
    let em1 = r + r2 * q
    // k from kd's bits (kd = shifter + k exactly, same exponent): j = k mod 64, m = ⌊k/64⌋.
    let k0 = Int64(bitPattern: kd[0].bitPattern &- shifter.bitPattern)
    let k1 = Int64(bitPattern: kd[1].bitPattern &- shifter.bitPattern)
    let t = SIMD2(table[Int(k0 & 63)], table[Int(k1 & 63)])
    let scale = SIMD2(Double(bitPattern: UInt64(bitPattern: ((k0 >> 6) &+ 1023) << 52)),
                      Double(bitPattern: UInt64(bitPattern: ((k1 >> 6) &+ 1023) << 52)))
    let result = (t + t * em1) * scale
    return result.replacing(with: 0, where: xi .< -708)
}

/// e^x of every element by the same method (not for hot paths: it allocates the result).
public func vectorExp(_ x: [Double]) -> [Double] {
    var y = [Double](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
            guard let xb = xp.baseAddress, let yb = yp.baseAddress else { return }
            vectorExp(xb, into: yb, count: x.count)
        }
    }
    return y
}
