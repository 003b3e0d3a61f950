import Foundation
import MixData
import MixModel
import MixOptimize

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
    public init(_ spec: PriorSpec, mass: Double = Interval.defaultMass) {
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

    /// P(X ≤ x) under the prior (`PriorSpec.cdf`, shared with the constrained-prior solver).
    public static func cdf(_ s: PriorSpec, _ x: Double) -> Double { s.cdf(x) }

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

    static func normalCDF(_ z: Double) -> Double { SpecialFunctions.normalCDF(z) }
}
