import Foundation

/// The support of one scalar parameter, and the smooth bijection θ = T(x) from the real line
/// that the sampler works through (as Stan's constrained types and TensorFlow Probability's
/// bijectors do). `ConstrainedDensity` applies it and adds log |dθ/dx|, so the user writes the
/// density on the natural scale of θ.
///
/// | constraint              | θ = T(x)                 | log |dθ/dx|                   |
/// |-------------------------|--------------------------|-------------------------------|
/// | `real`                  | x                        | 0                             |
/// | `positive`              | eˣ                       | x                             |
/// | `lowerBounded(a)`       | a + eˣ                   | x                             |
/// | `unitInterval`          | s = 1/(1 + e⁻ˣ)          | log s + log(1 − s)            |
/// | `bounded(lower: a, upper: b)` | a + (b − a)·s      | log(b − a) + log s + log(1 − s) |
public enum Constraint: Sendable, Equatable {
    case real
    case positive
    case lowerBounded(Double)
    case unitInterval
    case bounded(lower: Double, upper: Double)

    /// What the transform gives at one unconstrained value x.
    public struct Evaluation: Sendable, Equatable {
        /// θ = T(x).
        public var value: Double
        /// dθ/dx.
        public var derivative: Double
        /// log |dθ/dx|, the term added to the log density.
        public var logJacobian: Double
        /// d log |dθ/dx| / dx, its contribution to the gradient.
        public var logJacobianDerivative: Double
    }

    /// θ = T(x), its derivative and the log-Jacobian with its derivative. The logistic is evaluated
    /// without overflow: log s = −log(1 + e⁻ˣ) and log(1 − s) = log s − x, so even |x| = 800 gives
    /// a finite log-Jacobian.
    public func evaluate(_ x: Double) -> Evaluation {
        switch self {
        case .real:
            return Evaluation(value: x, derivative: 1, logJacobian: 0, logJacobianDerivative: 0)
        case .positive:
            let e = Foundation.exp(x)
            return Evaluation(value: e, derivative: e, logJacobian: x, logJacobianDerivative: 1)
        case .lowerBounded(let a):
            let e = Foundation.exp(x)
            return Evaluation(value: a + e, derivative: e, logJacobian: x, logJacobianDerivative: 1)
        case .unitInterval:
            return Self.logistic(x, lower: 0, width: 1)
        case .bounded(let a, let b):
            return Self.logistic(x, lower: a, width: b - a)
        }
    }

    /// θ = T(x).
    public func constrain(_ x: Double) -> Double { evaluate(x).value }

    /// x = T⁻¹(θ), e.g. to turn an init on the natural scale into the sampler's; NaN outside the
    /// support, ±∞ on its boundary.
    public func unconstrain(_ theta: Double) -> Double {
        switch self {
        case .real: return theta
        case .positive: return theta >= 0 ? Foundation.log(theta) : .nan
        case .lowerBounded(let a): return theta >= a ? Foundation.log(theta - a) : .nan
        case .unitInterval: return Self.logit(theta)
        case .bounded(let a, let b): return Self.logit((theta - a) / (b - a))
        }
    }

    /// Why the constraint cannot be used, or nil when it can (bounds finite, lower < upper).
    public var problem: String? {
        switch self {
        case .lowerBounded(let a) where !a.isFinite:
            return "lowerBounded(\(a)) needs a finite bound"
        case .bounded(let a, let b) where !(a.isFinite && b.isFinite && a < b):
            return "bounded(lower: \(a), upper: \(b)) needs finite bounds with lower < upper"
        default:
            return nil
        }
    }

    /// A short tag for the unconstrained coordinate's name (`sigma_log`, `p_logit`).
    var unconstrainedSuffix: String {
        switch self {
        case .real: return ""
        case .positive, .lowerBounded: return "_log"
        case .unitInterval, .bounded: return "_logit"
        }
    }

    private static func logit(_ u: Double) -> Double {
        guard u >= 0, u <= 1 else { return .nan }
        return Foundation.log(u) - Foundation.log1p(-u)
    }

    /// a + w·s with s = logistic(x); s and 1 − s are each formed from e^(−|x|) so neither loses digits.
    private static func logistic(_ x: Double, lower a: Double, width w: Double) -> Evaluation {
        let e = Foundation.exp(-abs(x))
        let s = x >= 0 ? 1 / (1 + e) : e / (1 + e)
        let complement = x >= 0 ? e / (1 + e) : 1 / (1 + e)
        let logS = x >= 0 ? -Foundation.log1p(e) : x - Foundation.log1p(e)
        return Evaluation(value: a + w * s, derivative: w * s * complement,
                          logJacobian: Foundation.log(w) + 2 * logS - x,
                          logJacobianDerivative: complement - s)
    }
}
