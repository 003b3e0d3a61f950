import Foundation
import MixData

/// Carryover: how spend in one period keeps acting in later ones (DESIGN.md §2).
///
/// Every kind yields weights w[0…L-1] over the lag window, normalised to sum to 1, and the
/// adstocked signal is a[t] = Σ_l w[l] x̃[t-l] with x̃ = 0 before the first row. Because the
/// weights sum to 1, a steady spend level s gives a steady adstocked level s.
///
/// All kinds are written as v[l] = exp(g[l]) with a log-weight g that is smooth in the
/// parameters, so the normalisation is a softmax:
///
///     w[l] = exp(g[l]) / Σ_j exp(g[j])
///     ∂w[l]/∂p = w[l] · (∂g[l]/∂p − Σ_j w[j] ∂g[j]/∂p)
///
/// and, for the model's gradient, with q[l] = Σ_t (∂ℓ/∂a[t]) x̃[t-l]:
///
///     ∂ℓ/∂p = Σ_l q[l] ∂w[l]/∂p
///
/// or, summing in the other order, ∂ℓ/∂p = Σ_t (∂ℓ/∂a[t]) · Σ_l (∂w[l]/∂p) x̃[t-l]: the
/// derivative of the adstocked series is the same convolution with ∂w/∂p in place of w, which is
/// how `MediaMixModel` computes it (one extra pass over the data per adstock parameter).
/// Log-weights per kind (l = 0…L-1):
/// - geometric:   g = l·ln α                         ∂g/∂α = l/α
/// - delayed:     g = (l−θ)²·ln α                    ∂g/∂α = (l−θ)²/α,  ∂g/∂θ = −2(l−θ)·ln α
/// - Weibull CDF: g = −Σ_{i=1}^{l+1} (i/λ)^k         (survival products, as Robyn's `weibull_cdf`)
/// - Weibull PDF: g = ln k − ln λ + (k−1) ln((l+1)/λ) − ((l+1)/λ)^k   (the density at lag l+1)
public struct Adstock: Sendable, Equatable {
    public typealias Kind = MixPlanConfig.AdstockKind

    public let kind: Kind
    /// Lag window L (number of weights).
    public let maxLag: Int

    public init(kind: Kind, maxLag: Int) {
        precondition(maxLag >= 1, "adstock lag window must be at least 1")
        self.kind = kind
        self.maxLag = maxLag
    }

    /// Parameter names in the order `weights` expects them.
    public var parameterNames: [String] {
        switch kind {
        case .geometric: return ["alpha"]
        case .delayed: return ["alpha", "theta"]
        case .weibullCDF, .weibullPDF: return ["lambda", "k"]
        }
    }

    /// PyMC-Marketing 0.19's default priors, one per parameter.
    public var defaultPriors: [PriorSpec] {
        switch kind {
        case .geometric: return [PriorSpec(.beta, ["alpha": 1, "beta": 3])]
        case .delayed: return [PriorSpec(.beta, ["alpha": 1, "beta": 3]), PriorSpec(.halfNormal, ["sigma": 1])]
        case .weibullCDF: return [PriorSpec.gamma(mean: 2, sd: 2.5), PriorSpec.gamma(mean: 2, sd: 2.5)]
        case .weibullPDF: return [PriorSpec.gamma(mean: 2, sd: 1), PriorSpec.gamma(mean: 3, sd: 1)]
        }
    }

    /// Normalised weights for the given parameters.
    public func weights(_ parameters: [Double]) -> [Double] {
        var w = [Double](repeating: 0, count: maxLag)
        var dw = [Double](repeating: 0, count: maxLag * parameterNames.count)
        parameters.withUnsafeBufferPointer { p in
            w.withUnsafeMutableBufferPointer { wp in
                dw.withUnsafeMutableBufferPointer { dp in weights(p, into: wp, derivatives: dp) }
            }
        }
        return w
    }

    /// Writes w[l] into `w` (length L) and ∂w[l]/∂p_k into `derivatives[k·L + l]`.
    /// Allocation-free: the model calls it once per channel per gradient evaluation.
    public func weights(_ p: UnsafeBufferPointer<Double>, into w: UnsafeMutableBufferPointer<Double>,
                        derivatives dw: UnsafeMutableBufferPointer<Double>) {
        let L = maxLag
        let np = kind == .geometric ? 1 : 2
        // First pass: log-weights into w, their parameter derivatives into dw.
        for l in 0..<L {
            let (g, d0, d1) = logWeight(lag: l, p)
            w[l] = g
            dw[l] = d0
            if np == 2 { dw[L + l] = d1 }
        }
        var maxG = -Double.infinity
        for l in 0..<L where w[l] > maxG { maxG = w[l] }
        var total = 0.0
        for l in 0..<L {
            let v = exp(w[l] - maxG)
            w[l] = v
            total += v
        }
        for l in 0..<L { w[l] /= total }
        for k in 0..<np {
            var mean = 0.0
            for l in 0..<L { mean += w[l] * dw[k * L + l] }
            for l in 0..<L { dw[k * L + l] = w[l] * (dw[k * L + l] - mean) }
        }
    }

    /// g[l] and ∂g[l]/∂p for lag l.
    @inline(__always)
    private func logWeight(lag l: Int, _ p: UnsafeBufferPointer<Double>) -> (Double, Double, Double) {
        let x = Double(l)
        switch kind {
        case .geometric:
            let alpha = p[0]
            return (x * log(alpha), x / alpha, 0)
        case .delayed:
            let alpha = p[0], theta = p[1]
            let d = x - theta
            let la = log(alpha)
            return (d * d * la, d * d / alpha, -2 * d * la)
        case .weibullCDF:
            let lambda = p[0], k = p[1]
            var g = 0.0, dl = 0.0, dk = 0.0
            for i in 1...(l + 1) {
                let r = Double(i) / lambda
                let rk = pow(r, k)
                g -= rk
                dl += k * rk / lambda
                dk -= rk * log(r)
            }
            return (g, dl, dk)
        case .weibullPDF:
            let lambda = p[0], k = p[1]
            let t = x + 1
            let r = t / lambda
            let lr = log(r)
            let rk = pow(r, k)
            let g = log(k) - log(lambda) + (k - 1) * lr - rk
            let dl = -1 / lambda - (k - 1) / lambda + k * rk / lambda
            let dk = 1 / k + lr - rk * lr
            return (g, dl, dk)
        }
    }

    /// The adstocked series a[t] = Σ_l w[l] x[t-l] (x = 0 before the start).
    public static func apply(weights w: [Double], to x: [Double]) -> [Double] {
        var a = [Double](repeating: 0, count: x.count)
        for t in 0..<x.count {
            var s = 0.0
            for l in 0..<min(w.count, t + 1) { s += w[l] * x[t - l] }
            a[t] = s
        }
        return a
    }
}

extension Adstock {
    /// a[t] = Σ_{l ≤ min(L−1, t)} w[l]·x[t−l] for t < T: the same sums, in the same order of l, as
    /// `apply` (so the same bits), computed as L passes over the series that the compiler can
    /// vectorise instead of T short dependent chains.
    @inline(__always)
    static func convolve(_ w: UnsafePointer<Double>, lags L: Int, _ x: UnsafePointer<Double>,
                         into a: UnsafeMutablePointer<Double>, periods T: Int) {
        let w0 = w[0]
        for t in 0..<T { a[t] = w0 * x[t] }
        var l = 1
        while l < min(L, T) {
            let wl = w[l]
            let shifted = x - l
            for t in l..<T { a[t] += wl * shifted[t] }
            l += 1
        }
    }
}

/// The adstock kinds a config can name (`model.adstock`).
public typealias AdstockKind = MixPlanConfig.AdstockKind
