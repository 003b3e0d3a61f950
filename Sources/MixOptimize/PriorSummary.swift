import Foundation
import MixData
import MixModel

/// A prior's mean and central interval, computed exactly from its family's distribution
/// function, so reports can put the prior next to the posterior (what the data and the
/// experiments added). The interval is equal-tailed, like the posterior `Interval`s.
public struct PriorSummary: Sendable, Equatable {
    public var spec: PriorSpec
    /// The prior mean; +∞ when it does not exist (HalfCauchy; InverseGamma with α ≤ 1).
    public var mean: Double
    /// The (1 − mass)/2 and (1 + mass)/2 quantiles.
    public var lower: Double
    public var upper: Double

    /// Summarises `spec` with a central interval of `mass` (0.94 for 3 %–97 %).
    public init(_ spec: PriorSpec, mass: Double = 0.94) {
        self.spec = spec
        mean = Self.mean(spec)
        lower = Self.quantile(spec, (1 - mass) / 2)
        upper = Self.quantile(spec, (1 + mass) / 2)
    }

    /// The mean and interval as an `Interval` (for tables shared with posterior rows).
    public var interval: Interval { Interval(mean: mean, lower: lower, upper: upper) }

    /// The prior mean in closed form (standard results for each family).
    public static func mean(_ s: PriorSpec) -> Double {
        switch s.family {
        case .normal, .laplace: return s["mu"]
        case .halfNormal: return s["sigma"] * (2 / Double.pi).squareRoot()
        case .halfCauchy: return .infinity
        case .beta: return s["alpha"] / (s["alpha"] + s["beta"])
        case .gamma: return s["alpha"] / s["beta"]
        case .logNormal: return exp(s["mu"] + 0.5 * s["sigma"] * s["sigma"])
        case .uniform: return 0.5 * (s["lower"] + s["upper"])
        case .exponential: return 1 / s["lam"]
        case .inverseGamma: return s["alpha"] > 1 ? s["beta"] / (s["alpha"] - 1) : .infinity
        case .truncatedNormal:
            // μ + σ (φ(a) − φ(b)) / (Φ(b) − Φ(a)) with a, b the standardised bounds.
            let mu = s["mu"], sigma = s["sigma"]
            let a = ((s.parameters["lower"] ?? -.infinity) - mu) / sigma, b = ((s.parameters["upper"] ?? .infinity) - mu) / sigma
            func phi(_ z: Double) -> Double { z.isFinite ? exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() : 0 }
            return mu + sigma * (phi(a) - phi(b)) / (normalCDF(b) - normalCDF(a))
        }
    }

    /// P(X ≤ x) under the prior.
    public static func cdf(_ s: PriorSpec, _ x: Double) -> Double {
        switch s.family {
        case .normal: return normalCDF((x - s["mu"]) / s["sigma"])
        case .halfNormal: return x <= 0 ? 0 : erf(x / (s["sigma"] * 2.0.squareRoot()))
        case .halfCauchy: return x <= 0 ? 0 : 2 / Double.pi * atan(x / s["beta"])
        case .beta: return x <= 0 ? 0 : x >= 1 ? 1 : regularizedBeta(x, s["alpha"], s["beta"])
        case .gamma: return x <= 0 ? 0 : regularizedGammaP(s["alpha"], s["beta"] * x)
        case .logNormal: return x <= 0 ? 0 : normalCDF((log(x) - s["mu"]) / s["sigma"])
        case .laplace:
            let z = (x - s["mu"]) / s["b"]
            return z < 0 ? 0.5 * exp(z) : 1 - 0.5 * exp(-z)
        case .uniform: return min(1, max(0, (x - s["lower"]) / (s["upper"] - s["lower"])))
        case .exponential: return x <= 0 ? 0 : -expm1(-s["lam"] * x)
        case .inverseGamma: return x <= 0 ? 0 : 1 - regularizedGammaP(s["alpha"], s["beta"] / x)
        case .truncatedNormal:
            let mu = s["mu"], sigma = s["sigma"]
            let lo = s.parameters["lower"] ?? -.infinity, hi = s.parameters["upper"] ?? .infinity
            if x <= lo { return 0 }
            if x >= hi { return 1 }
            let ca = normalCDF((lo - mu) / sigma)
            return (normalCDF((x - mu) / sigma) - ca) / (normalCDF((hi - mu) / sigma) - ca)
        }
    }

    /// The p-quantile, by bisection on `cdf` (monotone for every family): the bracket grows
    /// by doubling until it holds p, then is halved to the last representable double.
    public static func quantile(_ s: PriorSpec, _ p: Double) -> Double {
        var lo: Double, hi: Double
        switch s.family {
        case .beta: (lo, hi) = (0, 1)
        case .uniform: (lo, hi) = (s["lower"], s["upper"])
        case .halfNormal, .halfCauchy, .gamma, .logNormal, .exponential, .inverseGamma:
            lo = 0; hi = 1
            while cdf(s, hi) < p && hi < 1e300 { lo = hi; hi *= 2 }
        case .truncatedNormal where (s.parameters["lower"] ?? -.infinity).isFinite && (s.parameters["upper"] ?? .infinity).isFinite:
            (lo, hi) = (s["lower"], s["upper"])
        case .normal, .laplace, .truncatedNormal:
            let centre = s["mu"], scale = s.family == .laplace ? s["b"] : s["sigma"]
            var w = scale
            lo = max(centre - w, s.parameters["lower"] ?? -.infinity); hi = centre + w
            while cdf(s, lo) > p && w < 1e300 { w *= 2; lo = max(centre - w, s.parameters["lower"] ?? -.infinity) }
            while cdf(s, hi) < p && w < 1e300 { w *= 2; hi = centre + w }
        }
        for _ in 0..<400 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            if cdf(s, mid) < p { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// The regularised lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a): its power series
    /// below x = a + 1, else 1 − Q(a, x) from Legendre's continued fraction for Q, evaluated by
    /// the modified Lentz method (Abramowitz & Stegun 6.5.29 and 6.5.31).
    static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 0 }
        guard x.isFinite else { return 1 }
        let logPrefix = -x + a * log(x) - lgamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, n = a
            for _ in 0..<10_000 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-17 { break }
            }
            return min(1, sum * exp(logPrefix))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-16 { break }
        }
        return max(0, 1 - exp(logPrefix) * h)
    }

    /// The regularised incomplete beta function I_x(a, b), from its continued fraction
    /// (Abramowitz & Stegun 26.5.8) by the modified Lentz method, on whichever side of the
    /// mean it converges fast (using I_x(a, b) = 1 − I_{1−x}(b, a)).
    static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        guard x > 0 else { return 0 }
        guard x < 1 else { return 1 }
        let logPrefix = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) { return exp(logPrefix) * betaFraction(x, a, b) / a }
        return 1 - exp(logPrefix) * betaFraction(1 - x, b, a) / b
    }

    private static func betaFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1..<10_000 {
            let m = Double(m), m2 = 2 * m
            // Even step: d_{2m} = m (b − m) x / ((a + 2m − 1)(a + 2m)).
            var term = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + term * d; if abs(d) < tiny { d = tiny }
            c = 1 + term / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            // Odd step: d_{2m+1} = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
            term = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + term * d; if abs(d) < tiny { d = tiny }
            c = 1 + term / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-16 { break }
        }
        return h
    }
}
