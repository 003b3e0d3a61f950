import Foundation

/// The adstocked series and its parameter derivatives, as the model's hot loop computes them.
///
/// Geometric adstock has a recursion that costs O(T) instead of the convolution's O(T·L). With
/// the unnormalised sum b[t] = Σ_{l<L} α^l x[t−l] (x = 0 before the first period),
///
///     b[t]  = α·b[t−1] + x[t] − α^L·x[t−L]                      (shift the window by one)
///     b′[t] = b[t−1] + α·b′[t−1] − L·α^(L−1)·x[t−L]            (its derivative in α)
///
/// (applied two steps at a time, see `geometricRecursion`)
///
/// and with S = Σ_{l<L} α^l, S′ = Σ_{l<L} l·α^(l−1) the normalised series and its α-derivative are
///
///     a[t] = b[t]/S,      ∂a[t]/∂α = (b′[t] − a[t]·S′)/S.
///
/// Rounding errors in b are damped by α < 1 at every step, so the result agrees with the
/// convolution to a few ulps of max b (checked to 1e-12 in `TransformTests`). One exception is
/// restored exactly: when the whole window is zero (L or more zero-spend periods in a row), the
/// subtraction would leave a rounding residue of ~1e-17 where the convolution gives 0, so b and
/// b′ are reset to 0 there — saturations treat a = 0 specially (Hill's slope at 0). Series without
/// such a run (the usual case, known once from the data: `hasEmptyWindow`) skip that check and run
/// the two chains side by side in the two lanes of one SIMD register.
extension Adstock {
    /// True when `x` has L or more zeros in a row after a non-zero value, where the recursion must
    /// reset to an exact 0. (Leading zeros need no reset: the sums stay exactly 0 until the first
    /// spend.)
    static func hasEmptyWindow(_ x: UnsafePointer<Double>, lags L: Int, periods T: Int) -> Bool {
        var t0 = 0
        while t0 < T && x[t0] == 0 { t0 += 1 }
        var run = 0
        for t in t0..<T {
            run = x[t] == 0 ? run + 1 : 0
            if run >= L { return true }
        }
        return false
    }

    /// Writes a[t] into `a` and ∂a[t]/∂p_k into `da[k·T + t]` for t < T. `w` and `dw` are scratch
    /// of length L and 2L (the weights and their derivatives, used by the convolution path);
    /// `emptyWindows` is `hasEmptyWindow(x, …)` (true is always correct, false is faster).
    /// Allocation-free.
    @inline(__always)
    func adstock(_ p: UnsafeBufferPointer<Double>, _ x: UnsafePointer<Double>, periods T: Int,
                 into a: UnsafeMutablePointer<Double>, derivatives da: UnsafeMutablePointer<Double>,
                 weightScratch w: UnsafeMutablePointer<Double>, derivativeScratch dw: UnsafeMutablePointer<Double>,
                 emptyWindows: Bool = true) {
        let L = maxLag
        if kind == .geometric {
            Adstock.geometricRecursion(alpha: p[0], lags: L, x, into: a, derivative: da, periods: T, emptyWindows: emptyWindows)
            return
        }
        let np = parameterCount
        weights(p, into: UnsafeMutableBufferPointer(start: w, count: L),
                derivatives: UnsafeMutableBufferPointer(start: dw, count: 2 * L))
        Adstock.convolve(w, lags: L, x, into: a, periods: T)
        for k in 0..<np { Adstock.convolve(dw + k * L, lags: L, x, into: da + k * T, periods: T) }
    }

    /// The geometric recursion above: a[t] and ∂a[t]/∂α for t < T.
    ///
    /// Run two periods at a time so that consecutive periods sit on independent dependency chains:
    /// with u[t] = x[t] − α^L·x[t−L] and v[t] = u[t] + α·u[t−1] (computed first, in one vectorised
    /// pass),
    ///
    ///     b[t]  = α²·b[t−2] + v[t]
    ///     b′[t] = 2α·b[t−2] + α²·b′[t−2] + v′[t],   v′[t] = x[t−1] − L·α^(L−1)·(x[t−L] + α·x[t−L−1]) − α^L·x[t−L−1]
    @inline(__always)
    static func geometricRecursion(alpha: Double, lags L: Int, _ x: UnsafePointer<Double>,
                                   into a: UnsafeMutablePointer<Double>, derivative da: UnsafeMutablePointer<Double>,
                                   periods T: Int, emptyWindows: Bool = true) {
        // S, S′ and α^L, L·α^(L−1) by direct sums/products (exact for α near 1, unlike (1−α^L)/(1−α)).
        var s = 0.0, ds = 0.0, power = 1.0, previous = 0.0
        for l in 0..<L {
            s += power
            ds += Double(l) * previous
            previous = power
            power *= alpha
        }
        let alphaL = power, dAlphaL = Double(L) * previous
        let invS = 1 / s, dsOverS = ds * invS
        // Pass 1: v into a, v′ into da (x = 0 before the first period).
        for t in 0..<min(T, L + 1) {
            let x1 = t >= 1 ? x[t - 1] : 0
            let xL = t >= L ? x[t - L] : 0
            a[t] = x[t] + alpha * x1 - alphaL * xL
            da[t] = x1 - dAlphaL * xL
        }
        if T > L + 1 {
            let x1 = x - 1, xL = x - L, xL1 = x - (L + 1)
            let lead = alphaL + alpha * dAlphaL
            for t in (L + 1)..<T {
                a[t] = x[t] + alpha * x1[t] - alphaL * (xL[t] + alpha * xL1[t])
                da[t] = x1[t] - dAlphaL * xL[t] - lead * xL1[t]
            }
        }
        // Pass 2: the two interleaved chains, normalised as they are written.
        let alpha2 = alpha * alpha, twoAlpha = 2 * alpha
        if !emptyWindows {
            // Lanes (t, t+1) from (t−2, t−1): b = α²·b + v and b′ = 2α·b + α²·b′ + v′ on both lanes.
            var b = SIMD2<Double>(), db = SIMD2<Double>()
            var t = 0
            while t + 2 <= T {
                let v = UnsafeRawPointer(a + t).loadUnaligned(as: SIMD2<Double>.self)
                let dv = UnsafeRawPointer(da + t).loadUnaligned(as: SIMD2<Double>.self)
                let nb = alpha2 * b + v
                db = (twoAlpha * b + dv) + alpha2 * db
                b = nb
                let at = b * invS
                let dat = db * invS - at * dsOverS
                a[t] = at[0]; a[t + 1] = at[1]
                da[t] = dat[0]; da[t + 1] = dat[1]
                t += 2
            }
            if t < T {
                let bt = alpha2 * b[0] + a[t]
                let dbt = (twoAlpha * b[0] + da[t]) + alpha2 * db[0]
                a[t] = bt * invS
                da[t] = dbt * invS - a[t] * dsOverS
            }
            return
        }
        var b1 = 0.0, b2 = 0.0, db1 = 0.0, db2 = 0.0 // b[t−1], b[t−2] and their derivatives
        var zeroRun = L // the window before the first period is all zero
        for t in 0..<T {
            var b = alpha2 * b2 + a[t]
            var db = (twoAlpha * b2 + da[t]) + alpha2 * db2
            zeroRun = x[t] == 0 ? zeroRun + 1 : 0
            if zeroRun >= L { b = 0; db = 0 }
            b2 = b1; b1 = b
            db2 = db1; db1 = db
            let at = b * invS
            a[t] = at
            da[t] = db * invS - at * dsOverS
        }
    }

    /// The adstocked series and its derivative in each parameter, by the model's own kernel (the
    /// recursion for geometric, the convolution otherwise). Not for hot paths: it allocates.
    public func adstockWithDerivatives(_ x: [Double], parameters: [Double]) -> (values: [Double], derivatives: [[Double]]) {
        let T = x.count, L = maxLag, np = parameterNames.count
        var a = [Double](repeating: 0, count: T)
        var da = [Double](repeating: 0, count: max(1, np * T))
        var w = [Double](repeating: 0, count: L), dw = [Double](repeating: 0, count: 2 * L)
        guard T > 0 else { return ([], Array(repeating: [], count: np)) }
        parameters.withUnsafeBufferPointer { p in
            x.withUnsafeBufferPointer { xp in
                a.withUnsafeMutableBufferPointer { ap in
                    da.withUnsafeMutableBufferPointer { dap in
                        w.withUnsafeMutableBufferPointer { wp in
                            dw.withUnsafeMutableBufferPointer { dwp in
                                adstock(p, xp.baseAddress!, periods: T, into: ap.baseAddress!, derivatives: dap.baseAddress!,
                                        weightScratch: wp.baseAddress!, derivativeScratch: dwp.baseAddress!,
                                        emptyWindows: Adstock.hasEmptyWindow(xp.baseAddress!, lags: L, periods: T))
                            }
                        }
                    }
                }
            }
        }
        return (a, (0..<np).map { k in Array(da[(k * T)..<((k + 1) * T)]) })
    }
}
