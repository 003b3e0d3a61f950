import Foundation
import MixData

/// A prior density with its support, ready for the sampler: built from a `PriorSpec`.
///
/// The sampler moves on ℝ; `Support` maps an unconstrained u to the parameter x and adds the
/// log-Jacobian, so `logDensityUnconstrained(u)` = log p(x(u)) + log |dx/du|.
public struct Prior: Sendable, Equatable, CustomStringConvertible {
    /// Where a parameter lives, and how it is unconstrained.
    public enum Support: Sendable, Equatable {
        /// ℝ: x = u.
        case real
        /// (lower, ∞): x = lower + e^u.
        case lowerBounded(Double)
        /// (lower, upper): x = lower + (upper − lower)·logistic(u).
        case interval(Double, Double)
    }

    public let spec: PriorSpec
    /// The density's math as plain values (no reference-counted storage), for hot loops.
    public let kernel: PriorKernel

    /// Builds the density; throws when the spec's parameters are invalid.
    public init(_ spec: PriorSpec) throws {
        self.spec = spec
        kernel = try PriorKernel(spec)
    }

    public var support: Support { kernel.support }
    public var description: String { spec.description }

    /// log p(x) (normalised) and d log p/dx; −∞ outside the support.
    public func logDensity(_ x: Double) -> (value: Double, derivative: Double) { kernel.logDensity(x) }
    /// Maps unconstrained u to x, returning x, dx/du, log|dx/du| and its derivative in u.
    public func constrain(_ u: Double) -> (x: Double, dxdu: Double, logJacobian: Double, dLogJacobian: Double) { kernel.constrain(u) }
    /// The unconstrained u for a point x inside the support.
    public func unconstrain(_ x: Double) -> Double { kernel.unconstrain(x) }
    /// log p(x(u)) + log|dx/du| and its derivative in u: what the sampler sees.
    public func logDensityUnconstrained(_ u: Double) -> (value: Double, derivative: Double, x: Double) { kernel.logDensityUnconstrained(u) }

    public static func == (a: Prior, b: Prior) -> Bool { a.spec == b.spec }
}

/// The numbers and formulas of one prior: family, support and precomputed constants.
public struct PriorKernel: Sendable {
    public let family: PriorSpec.Family
    public let support: Prior.Support
    private let a: Double, b: Double, c: Double, d: Double, logNorm: Double

    init(_ spec: PriorSpec) throws {
        family = spec.family
        func need(_ name: String) throws -> Double {
            guard let v = spec.parameters[name], v.isFinite else {
                throw PriorError(spec: spec, message: "parameter \(name) is missing or not finite")
            }
            return v
        }
        func positive(_ name: String) throws -> Double {
            let v = try need(name)
            guard v > 0 else { throw PriorError(spec: spec, message: "parameter \(name) must be > 0, got \(v)") }
            return v
        }
        let halfLog2Pi = 0.5 * log(2 * Double.pi)
        switch spec.family {
        case .normal:
            a = try need("mu"); b = try positive("sigma"); c = 0; d = 0
            logNorm = -log(b) - halfLog2Pi
            support = .real
        case .halfNormal:
            a = 0; b = try positive("sigma"); c = 0; d = 0
            logNorm = log(2) - log(b) - halfLog2Pi
            support = .lowerBounded(0)
        case .halfCauchy:
            a = 0; b = try positive("beta"); c = 0; d = 0
            logNorm = log(2 / (Double.pi * b))
            support = .lowerBounded(0)
        case .beta:
            a = try positive("alpha"); b = try positive("beta"); c = 0; d = 0
            logNorm = -(lgamma(a) + lgamma(b) - lgamma(a + b))
            support = .interval(0, 1)
        case .gamma:
            a = try positive("alpha"); b = try positive("beta"); c = 0; d = 0
            logNorm = a * log(b) - lgamma(a)
            support = .lowerBounded(0)
        case .logNormal:
            a = try need("mu"); b = try positive("sigma"); c = 0; d = 0
            logNorm = -log(b) - halfLog2Pi
            support = .lowerBounded(0)
        case .laplace:
            a = try need("mu"); b = try positive("b"); c = 0; d = 0
            logNorm = -log(2 * b)
            support = .real
        case .uniform:
            a = try need("lower"); b = try need("upper"); c = 0; d = 0
            guard b > a else { throw PriorError(spec: spec, message: "upper must exceed lower") }
            logNorm = -log(b - a)
            support = .interval(a, b)
        case .truncatedNormal:
            a = try need("mu"); b = try positive("sigma")
            c = spec.parameters["lower"] ?? -.infinity
            d = spec.parameters["upper"] ?? .infinity
            guard d > c, !c.isNaN, !d.isNaN else { throw PriorError(spec: spec, message: "upper must exceed lower") }
            let mass = PriorKernel.normalCDF((d - a) / b) - PriorKernel.normalCDF((c - a) / b)
            guard mass > 0 else { throw PriorError(spec: spec, message: "the interval holds no probability mass") }
            logNorm = -log(b) - halfLog2Pi - log(mass)
            if c.isFinite && d.isFinite { support = .interval(c, d) }
            else if c.isFinite { support = .lowerBounded(c) }
            else if d.isFinite { throw PriorError(spec: spec, message: "an upper bound needs a finite lower bound too") }
            else { support = .real }
        case .exponential:
            a = try positive("lam"); b = 0; c = 0; d = 0
            logNorm = log(a)
            support = .lowerBounded(0)
        case .inverseGamma:
            a = try positive("alpha"); b = try positive("beta"); c = 0; d = 0
            logNorm = a * log(b) - lgamma(a)
            support = .lowerBounded(0)
        }
    }

    /// log p(x) (normalised) and d log p/dx; −∞ outside the support.
    @inline(__always)
    public func logDensity(_ x: Double) -> (value: Double, derivative: Double) {
        switch family {
        case .normal, .truncatedNormal:
            if family == .truncatedNormal && (x < c || x > d) { return (-.infinity, 0) }
            let z = (x - a) / b
            return (logNorm - 0.5 * z * z, -z / b)
        case .halfNormal:
            guard x >= 0 else { return (-.infinity, 0) }
            let z = x / b
            return (logNorm - 0.5 * z * z, -z / b)
        case .halfCauchy:
            guard x >= 0 else { return (-.infinity, 0) }
            return (logNorm - log1p((x / b) * (x / b)), -2 * x / (b * b + x * x))
        case .beta:
            guard x > 0, x < 1 else { return (-.infinity, 0) }
            return (logNorm + (a - 1) * log(x) + (b - 1) * log1p(-x), (a - 1) / x - (b - 1) / (1 - x))
        case .gamma:
            guard x > 0 else { return (-.infinity, 0) }
            return (logNorm + (a - 1) * log(x) - b * x, (a - 1) / x - b)
        case .logNormal:
            guard x > 0 else { return (-.infinity, 0) }
            let lx = log(x)
            let z = (lx - a) / b
            return (logNorm - lx - 0.5 * z * z, -1 / x - z / (b * x))
        case .laplace:
            let r = x - a
            return (logNorm - abs(r) / b, r > 0 ? -1 / b : (r < 0 ? 1 / b : 0))
        case .uniform:
            guard x >= a, x <= b else { return (-.infinity, 0) }
            return (logNorm, 0)
        case .exponential:
            guard x >= 0 else { return (-.infinity, 0) }
            return (logNorm - a * x, -a)
        case .inverseGamma:
            guard x > 0 else { return (-.infinity, 0) }
            return (logNorm - (a + 1) * log(x) - b / x, -(a + 1) / x + b / (x * x))
        }
    }

    /// Maps unconstrained u to x, returning x, dx/du, log|dx/du| and its derivative in u.
    @inline(__always)
    public func constrain(_ u: Double) -> (x: Double, dxdu: Double, logJacobian: Double, dLogJacobian: Double) {
        switch support {
        case .real:
            return (u, 1, 0, 0)
        case .lowerBounded(let lower):
            let e = exp(u)
            return (lower + e, e, u, 1)
        case .interval(let lower, let upper):
            let s = PriorKernel.logistic(u)
            let width = upper - lower
            let oneMinus = PriorKernel.logistic(-u)
            // log J = log(width) + log s + log(1 − s), computed stably for large |u|.
            let logJ = log(width) - PriorKernel.softplus(-u) - PriorKernel.softplus(u)
            return (lower + width * s, width * s * oneMinus, logJ, oneMinus - s)
        }
    }

    /// The unconstrained u for a point x inside the support.
    public func unconstrain(_ x: Double) -> Double {
        switch support {
        case .real: return x
        case .lowerBounded(let lower): return log(x - lower)
        case .interval(let lower, let upper):
            let s = (x - lower) / (upper - lower)
            return log(s) - log1p(-s)
        }
    }

    /// log p(x(u)) + log|dx/du| and its derivative in u: what the sampler sees.
    @inline(__always)
    public func logDensityUnconstrained(_ u: Double) -> (value: Double, derivative: Double, x: Double) {
        let t = constrain(u)
        let p = logDensity(t.x)
        return (p.value + t.logJacobian, p.derivative * t.dxdu + t.dLogJacobian, t.x)
    }

    @inline(__always) static func logistic(_ u: Double) -> Double { u >= 0 ? 1 / (1 + exp(-u)) : exp(u) / (1 + exp(u)) }
    @inline(__always) static func softplus(_ u: Double) -> Double { u > 0 ? u + log1p(exp(-u)) : log1p(exp(u)) }
    static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
}

/// A prior whose parameters make no density (e.g. a negative scale).
public struct PriorError: Error, CustomStringConvertible, Equatable {
    public var spec: PriorSpec
    public var message: String
    public var description: String { "prior \(spec): \(message)" }
}
