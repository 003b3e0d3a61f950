import Foundation
import MixData

extension PriorSpec {
    /// P(X ≤ x) under this prior, for every family MixPlan parses (Gamma by shape/rate,
    /// InverseGamma through Q(α, β/x), TruncatedNormal renormalised on its interval).
    ///
    /// Used to state how much prior mass an interval holds (the constrained-prior solver and the
    /// `mixplan elicit` table).
    public func cdf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        switch family {
        case .normal:
            return SpecialFunctions.normalCDF((x - self["mu"]) / self["sigma"])
        case .halfNormal:
            return x <= 0 ? 0 : erf(x / (self["sigma"] * 2.0.squareRoot()))
        case .halfCauchy:
            return x <= 0 ? 0 : 2 / Double.pi * atan(x / self["beta"])
        case .beta:
            return SpecialFunctions.regularizedBeta(x, self["alpha"], self["beta"])
        case .gamma:
            return SpecialFunctions.regularizedGammaP(self["alpha"], x * self["beta"])
        case .logNormal:
            return x <= 0 ? 0 : SpecialFunctions.normalCDF((log(x) - self["mu"]) / self["sigma"])
        case .laplace:
            let z = (x - self["mu"]) / self["b"]
            return z < 0 ? 0.5 * exp(z) : 1 - 0.5 * exp(-z)
        case .uniform:
            return min(1, max(0, (x - self["lower"]) / (self["upper"] - self["lower"])))
        case .truncatedNormal:
            let mu = self["mu"], sigma = self["sigma"]
            let lower = parameters["lower"] ?? -.infinity, upper = parameters["upper"] ?? .infinity
            if x <= lower { return 0 }
            if x >= upper { return 1 }
            let a = SpecialFunctions.normalCDF((lower - mu) / sigma), b = SpecialFunctions.normalCDF((upper - mu) / sigma)
            return (SpecialFunctions.normalCDF((x - mu) / sigma) - a) / (b - a)
        case .exponential:
            return x <= 0 ? 0 : -expm1(-self["lam"] * x)
        case .inverseGamma:
            return x <= 0 ? 0 : SpecialFunctions.regularizedGammaQ(self["alpha"], self["beta"] / x)
        }
    }

    /// P(lower ≤ X ≤ upper).
    public func mass(lower: Double, upper: Double) -> Double { cdf(upper) - cdf(lower) }
}
