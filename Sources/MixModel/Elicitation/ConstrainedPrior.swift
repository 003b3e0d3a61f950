import Foundation
import MixData

/// Finds the prior of a given family whose central `mass` lies on [lower, upper] — the
/// constrained-prior problem of PyMC's `find_constrained_prior`, solved here by quantile matching.
///
/// Two parameters need two conditions. Mass alone leaves a one-parameter family of answers, so the
/// interval is required to be the prior's *central* (equal-tailed) interval:
///
///     F(lower) = (1 − mass)/2,   F(upper) = (1 + mass)/2.
///
/// This is what "the prior's 95 % interval is the elicited posterior's 95 % interval" means when
/// both are equal-tailed, it has a unique answer for every family below, and it needs no other
/// summary of the posterior (matching the mean too would over-determine a two-parameter family).
///
/// - Normal(μ, σ), LogNormal(μ, σ): closed form, μ = midpoint (of the logs), σ = half-width / z.
/// - Gamma(α, β) (shape, rate): β only rescales, so the shape alone sets the ratio of the two
///   quantiles, which falls monotonically from ∞ to 1 as α grows; bisection on log α finds it,
///   then β = Q_α(p₁)/lower.
/// - Beta(α, β): for each α the lower condition fixes β (F(lower) rises monotonically in β);
///   bisection on log α then matches the upper condition, whose residual runs from below (α → 0:
///   mass piles at the ends) to above (α → ∞: mass piles at `lower`).
///
/// Every answer is checked: the achieved mass F(upper) − F(lower) must equal `mass` within
/// `tolerance` or it throws. The default, 1e-7, is far inside the 1e-4 calibration needs and above
/// the CDFs' own error at shapes near 1e6–1e9 (~1e-9, from rounding in their log prefactor); at
/// ordinary shapes the solver reaches rounding level.
public enum ConstrainedPrior {
    /// A solved prior and how well it meets the request.
    public struct Fit: Sendable, Equatable {
        public var spec: PriorSpec
        public var lower: Double
        public var upper: Double
        public var requestedMass: Double
        /// F(upper) − F(lower) under `spec`.
        public var achievedMass: Double
    }

    /// Why a request cannot be met.
    public struct SolverError: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var description: String { message }
    }

    /// Families with a solver.
    public static let families: [PriorSpec.Family] = [.beta, .gamma, .logNormal, .normal]

    /// The prior of `family` with central mass `mass` on [lower, upper].
    public static func solve(_ family: PriorSpec.Family, lower: Double, upper: Double, mass: Double = 0.95,
                             tolerance: Double = 1e-7) throws -> Fit {
        func fail(_ text: String) -> SolverError { SolverError(message: text) }
        let interval = "[\(lower), \(upper)]"
        guard mass > 0, mass < 1 else { throw fail("the mass must lie strictly between 0 and 1, got \(mass)") }
        guard lower.isFinite, upper.isFinite else { throw fail("the interval \(interval) must have finite ends") }
        guard lower < upper else { throw fail("the interval \(interval) is empty: its lower end must be below its upper end") }
        let p1 = (1 - mass) / 2, p2 = (1 + mass) / 2
        let spec: PriorSpec
        switch family {
        case .normal:
            let z = SpecialFunctions.normalQuantile(p2)
            spec = PriorSpec(.normal, ["mu": (lower + upper) / 2, "sigma": (upper - lower) / (2 * z)])
        case .logNormal:
            guard lower > 0 else { throw fail("a LogNormal lives on (0, ∞), but the interval \(interval) reaches \(lower)") }
            let z = SpecialFunctions.normalQuantile(p2)
            let (a, b) = (log(lower), log(upper))
            spec = PriorSpec(.logNormal, ["mu": (a + b) / 2, "sigma": (b - a) / (2 * z)])
        case .gamma:
            guard lower > 0 else { throw fail("a Gamma lives on (0, ∞), but the interval \(interval) reaches \(lower)") }
            spec = try solveGamma(lower: lower, upper: upper, p1: p1, p2: p2, fail: fail)
        case .beta:
            guard lower > 0, upper < 1 else { throw fail("a Beta lives on (0, 1), but the interval \(interval) leaves it") }
            spec = try solveBeta(lower: lower, upper: upper, p1: p1, p2: p2, fail: fail)
        default:
            throw fail("there is no constrained-prior solver for \(family.rawValue); use one of \(families.map(\.rawValue).joined(separator: ", "))")
        }
        let achieved = spec.mass(lower: lower, upper: upper)
        guard abs(achieved - mass) <= tolerance, spec.parameters.values.allSatisfy(\.isFinite) else {
            throw fail("no \(family.rawValue) puts \(mass) of its mass centrally on \(interval) within reach of the solver (best found: \(spec), mass \(achieved)); the interval is too narrow or too wide for this family")
        }
        return Fit(spec: spec, lower: lower, upper: upper, requestedMass: mass, achievedMass: achieved)
    }

    // MARK: - Gamma

    private static let logShapeRange = (log(1e-3), log(1e9))

    private static func solveGamma(lower: Double, upper: Double, p1: Double, p2: Double,
                                   fail: (String) -> SolverError) throws -> PriorSpec {
        // For shape α and rate 1, q₁ = Q_α(p₁); the rate that puts p₁ below `lower` is q₁/lower,
        // and the residual is P(α, upper·q₁/lower) − p₂, rising with α.
        func residual(_ logShape: Double) -> Double {
            let a = exp(logShape)
            let q1 = gammaQuantile(p1, shape: a)
            return SpecialFunctions.regularizedGammaP(a, upper * q1 / lower) - p2
        }
        guard let logShape = bisect(residual, logShapeRange.0, logShapeRange.1) else {
            throw fail("no Gamma with shape between 1e-3 and 1e9 puts the central mass on [\(lower), \(upper)] (upper/lower = \(upper / lower) is too \(residual(logShapeRange.1) < 0 ? "close to 1" : "large"))")
        }
        let shape = exp(logShape)
        return PriorSpec(.gamma, ["alpha": shape, "beta": gammaQuantile(p1, shape: shape) / lower])
    }

    /// The p-quantile of Gamma(shape, rate 1), by bisection on log x.
    static func gammaQuantile(_ p: Double, shape: Double) -> Double {
        var lo = -745.0, hi = log(shape + 60 * (shape.squareRoot() + 1))
        while SpecialFunctions.regularizedGammaP(shape, exp(hi)) < p { hi += 5 }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid == lo || mid == hi { break }
            if SpecialFunctions.regularizedGammaP(shape, exp(mid)) < p { lo = mid } else { hi = mid }
        }
        return exp(0.5 * (lo + hi))
    }

    // MARK: - Beta

    private static func solveBeta(lower: Double, upper: Double, p1: Double, p2: Double,
                                  fail: (String) -> SolverError) throws -> PriorSpec {
        // For α, the β with F(lower) = p₁ (F rises with β), by bisection on log β.
        func betaFor(_ a: Double) -> Double? {
            let f = { (logB: Double) in SpecialFunctions.regularizedBeta(lower, a, exp(logB)) - p1 }
            return bisect(f, log(1e-8), log(1e12)).map(exp)
        }
        func residual(_ logA: Double) -> Double {
            let a = exp(logA)
            guard let b = betaFor(a) else { return .nan }
            return SpecialFunctions.regularizedBeta(upper, a, b) - p2
        }
        // Small α may leave no β with F(lower) = p₁ (NaN); scan up from 1e-3 for the first
        // bracket where the residual turns from negative to non-negative, then bisect in it.
        var bracket: (Double, Double)?
        var previous: Double?
        for logA in stride(from: log(1e-3), through: log(1e9), by: 0.5) {
            let r = residual(logA)
            guard !r.isNaN else { previous = nil; continue }
            if r >= 0 { if let p = previous { bracket = (p, logA) }; break }
            previous = logA
        }
        guard let (lo, hi) = bracket, let logA = bisect(residual, lo, hi), let b = betaFor(exp(logA)) else {
            throw fail("no Beta with parameters between 1e-3 and 1e9 puts the central mass on [\(lower), \(upper)]; the interval is too narrow or too close to 0 or 1")
        }
        return PriorSpec(.beta, ["alpha": exp(logA), "beta": b])
    }

    /// The root of an increasing f on [lo, hi] by bisection to the last bit, or nil when f does
    /// not change sign there (or is NaN at an end).
    private static func bisect(_ f: (Double) -> Double, _ lo: Double, _ hi: Double) -> Double? {
        var (lo, hi) = (lo, hi)
        let fLo = f(lo), fHi = f(hi)
        guard fLo <= 0, fHi >= 0 else { return nil }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid == lo || mid == hi { break }
            let v = f(mid)
            if v.isNaN { return nil }
            if v < 0 { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }
}
