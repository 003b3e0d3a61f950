/// The log density's matrix–vector products over blocks of T-long columns (column k of X starts at
/// X + k·T): μ = X·c in the forward pass and X′e in the backward pass. Four columns share one pass
/// over t, so the shared vector is streamed once per four columns instead of once per column, and
/// the sums are held in two-lane SIMD accumulators (the compiler does not vectorise a floating-point
/// reduction by itself, as that would reorder the additions). Allocation-free.

/// y[t] = Σ_k c[k]·X[k·T + t] for t < T (0 when K = 0).
@inline(__always)
func setColumns(_ c: UnsafePointer<Double>, _ X: UnsafePointer<Double>, columns K: Int,
                into y: UnsafeMutablePointer<Double>, periods T: Int) {
    var k = 0
    // The first group writes y, later ones add to it.
    switch K {
    case 0:
        for t in 0..<T { y[t] = 0 }
    case 1:
        let c0 = c[0]
        for t in 0..<T { y[t] = c0 * X[t] }
        k = 1
    case 2:
        let c0 = c[0], c1 = c[1], x1 = X + T
        for t in 0..<T { y[t] = c0 * X[t] + c1 * x1[t] }
        k = 2
    default:
        let c0 = c[0], c1 = c[1], c2 = c[2], x1 = X + T, x2 = x1 + T
        for t in 0..<T { y[t] = (c0 * X[t] + c1 * x1[t]) + c2 * x2[t] }
        k = 3
    }
    while k + 4 <= K {
        let c0 = c[k], c1 = c[k + 1], c2 = c[k + 2], c3 = c[k + 3]
        let x0 = X + k * T, x1 = x0 + T, x2 = x1 + T, x3 = x2 + T
        for t in 0..<T { y[t] += (c0 * x0[t] + c1 * x1[t]) + (c2 * x2[t] + c3 * x3[t]) }
        k += 4
    }
    while k + 2 <= K {
        let c0 = c[k], c1 = c[k + 1]
        let x0 = X + k * T, x1 = x0 + T
        for t in 0..<T { y[t] += c0 * x0[t] + c1 * x1[t] }
        k += 2
    }
    if k < K {
        let c0 = c[k], x0 = X + k * T
        for t in 0..<T { y[t] += c0 * x0[t] }
    }
}

/// r[t] = y[t] − μ[t] for t < T, returning Σ r[t]².
@inline(__always)
func residuals(_ y: UnsafePointer<Double>, _ mu: UnsafePointer<Double>, into r: UnsafeMutablePointer<Double>, _ T: Int) -> Double {
    var s0 = SIMD2<Double>(), s1 = SIMD2<Double>()
    var t = 0
    while t + 4 <= T {
        let r0 = load2(y + t) - load2(mu + t), r1 = load2(y + t + 2) - load2(mu + t + 2)
        store2(r0, r + t); store2(r1, r + t + 2)
        s0 += r0 * r0
        s1 += r1 * r1
        t += 4
    }
    var s = (s0 + s1).sum()
    while t < T {
        r[t] = y[t] - mu[t]
        s += r[t] * r[t]
        t += 1
    }
    return s
}

/// out[k] = Σ_t e[t]·X[k·T + t] for k < K.
@inline(__always)
func dotColumns(_ e: UnsafePointer<Double>, _ X: UnsafePointer<Double>, columns K: Int, periods T: Int,
                into out: UnsafeMutablePointer<Double>) {
    let pairs = T / 2
    var k = 0
    while k + 4 <= K {
        let x0 = X + k * T, x1 = x0 + T, x2 = x1 + T, x3 = x2 + T
        var s0 = SIMD2<Double>(), s1 = SIMD2<Double>(), s2 = SIMD2<Double>(), s3 = SIMD2<Double>()
        for i in 0..<pairs {
            let t = 2 * i
            let ev = load2(e + t)
            s0 += ev * load2(x0 + t)
            s1 += ev * load2(x1 + t)
            s2 += ev * load2(x2 + t)
            s3 += ev * load2(x3 + t)
        }
        var r0 = s0.sum(), r1 = s1.sum(), r2 = s2.sum(), r3 = s3.sum()
        if T % 2 == 1 {
            let t = T - 1
            r0 += e[t] * x0[t]; r1 += e[t] * x1[t]; r2 += e[t] * x2[t]; r3 += e[t] * x3[t]
        }
        out[k] = r0; out[k + 1] = r1; out[k + 2] = r2; out[k + 3] = r3
        k += 4
    }
    while k < K {
        out[k] = dot(e, X + k * T, T)
        k += 1
    }
}

/// out[k] = Σ_t X[k·T + t] for k < K: the column totals, two columns per pass in two-lane
/// accumulators (a plain loop would add one number per floating-point latency).
@inline(__always)
func sumColumns(_ X: UnsafePointer<Double>, columns K: Int, periods T: Int, into out: UnsafeMutablePointer<Double>) {
    let quads = T / 4
    var k = 0
    while k + 2 <= K {
        let x0 = X + k * T, x1 = x0 + T
        var a0 = SIMD2<Double>(), a1 = SIMD2<Double>(), b0 = SIMD2<Double>(), b1 = SIMD2<Double>()
        for i in 0..<quads {
            let t = 4 * i
            a0 += load2(x0 + t); a1 += load2(x0 + t + 2)
            b0 += load2(x1 + t); b1 += load2(x1 + t + 2)
        }
        var r0 = (a0 + a1).sum(), r1 = (b0 + b1).sum()
        for t in (4 * quads)..<T {
            r0 += x0[t]; r1 += x1[t]
        }
        out[k] = r0; out[k + 1] = r1
        k += 2
    }
    if k < K {
        let x0 = X + k * T
        var a0 = SIMD2<Double>(), a1 = SIMD2<Double>()
        for i in 0..<quads {
            let t = 4 * i
            a0 += load2(x0 + t); a1 += load2(x0 + t + 2)
        }
        var r0 = (a0 + a1).sum()
        for t in (4 * quads)..<T { r0 += x0[t] }
        out[k] = r0
    }
}

/// Σ a[i]·b[i] for i < n, in two two-lane partial sums.
@inline(__always)
func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s0 = SIMD2<Double>(), s1 = SIMD2<Double>()
    var i = 0
    while i + 4 <= n {
        s0 += load2(a + i) * load2(b + i)
        s1 += load2(a + i + 2) * load2(b + i + 2)
        i += 4
    }
    var s = (s0 + s1).sum()
    while i < n {
        s += a[i] * b[i]
        i += 1
    }
    return s
}

/// Stores v at p, p + 1 (no alignment required).
@inline(__always)
private func store2(_ v: SIMD2<Double>, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD2<Double>.self)
}

/// Two consecutive doubles as one SIMD value (no alignment required).
@inline(__always)
private func load2(_ p: UnsafePointer<Double>) -> SIMD2<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD2<Double>.self)
}
