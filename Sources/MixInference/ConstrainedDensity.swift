/// The support of one block of a density's parameters: a scalar with its `Constraint`, or a
/// vector of `size` weights on the simplex (positive, summing to 1; `SimplexTransform`), which
/// the sampler sees as size − 1 unconstrained coordinates.
public enum ParameterSupport: Sendable, Equatable {
    case scalar(Constraint)
    case simplex(size: Int)

    /// Entries of θ the block covers.
    public var constrainedCount: Int {
        if case .simplex(let size) = self { return size }
        return 1
    }

    /// Unconstrained coordinates the sampler sees for it.
    public var unconstrainedCount: Int { constrainedCount - (isSimplex ? 1 : 0) }

    var isSimplex: Bool { if case .simplex = self { return true } else { return false } }

    /// Why the block cannot be used, or nil.
    public var problem: String? {
        switch self {
        case .scalar(let c): return c.problem
        case .simplex(let size): return size >= 2 ? nil : "simplex(size: \(size)) needs at least 2 weights"
        }
    }
}

/// A density written on the natural scale of its parameters (σ > 0, p in (0, 1), weights on a
/// simplex, …), sampled on the real line: x ↦ θ = T(x) per block, and
///
///     log p(x) = log p_θ(T(x)) + log |det ∂θ/∂x|,
///     ∂log p/∂x = (∂θ/∂x)ᵀ ∂log p_θ/∂θ + ∂ log |det ∂θ/∂x| / ∂x.
///
/// The sampler sees unconstrained coordinates named `sigma_log`, `p_logit`, `w_stick[1]`, …;
/// `constrained(_:)` turns its result back into draws of θ under the plain names, so summaries,
/// quantiles and HDIs are on the scale the user thinks in.
///
/// ```swift
/// let model = ConstrainedDensity(parameters: [("mu", .real), ("sigma", .positive)]) { θ in
///     (-θ[0] * θ[0] / 2 - θ[1], [-θ[0], -1])            // μ ~ N(0, 1), σ ~ Exponential(1)
/// }
/// let rows = model.constrained(try sample(model, settings: SamplerSettings(seed: 1))).summary()
/// ```
public struct ConstrainedDensity<Base: LogDensity>: LogDensity {
    /// The density of θ on its natural scale (gradient with respect to θ).
    public private(set) var base: Base
    /// One support per block of θ, in the base density's order.
    public let supports: [ParameterSupport]
    /// Names of the unconstrained coordinates the sampler sees.
    public let parameterNames: [String]
    public let dimension: Int
    private var theta: [Double]
    private var thetaGradient: [Double]
    /// Per scalar: dθ/dx; per simplex: the stick's z and r (`SimplexTransform`'s scratch).
    private var slope: [Double]

    /// Wraps `base` (a density of θ) whose parameters are all scalars: one constraint each.
    public init(_ base: Base, constraints: [Constraint]) {
        self.init(base, supports: constraints.map { .scalar($0) })
    }

    /// Wraps `base` (a density of θ); the blocks must cover its parameters exactly, in order.
    public init(_ base: Base, supports: [ParameterSupport]) {
        let covered = supports.reduce(0) { $0 + $1.constrainedCount }
        precondition(covered == base.dimension,
                     "ConstrainedDensity: supports cover \(covered) parameters of a density of dimension \(base.dimension)")
        if let problem = supports.lazy.compactMap(\.problem).first { preconditionFailure("ConstrainedDensity: \(problem)") }
        self.base = base
        self.supports = supports
        var names: [String] = [], start = 0
        for support in supports {
            switch support {
            case .scalar(let c):
                names.append(base.parameterNames[start] + c.unconstrainedSuffix)
            case .simplex(let size):
                let stem = Self.stem(of: base.parameterNames[start])
                names += (1..<size).map { "\(stem)_stick[\($0)]" }
            }
            start += support.constrainedCount
        }
        parameterNames = names
        dimension = names.count
        theta = [Double](repeating: 0, count: base.dimension)
        thetaGradient = theta
        slope = [Double](repeating: 0, count: 2 * base.dimension)
    }

    public mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        var logJacobian = 0.0
        var xi = 0, ti = 0
        for support in supports {
            switch support {
            case .scalar(let c):
                let e = c.evaluate(x[xi])
                theta[ti] = e.value
                slope[2 * ti] = e.derivative
                logJacobian += e.logJacobian
                gradient[xi] = e.logJacobianDerivative
            case .simplex(let size):
                for j in 0..<(size - 1) { gradient[xi + j] = 0 }
                logJacobian += theta.withUnsafeMutableBufferPointer { t in
                    slope.withUnsafeMutableBufferPointer { s in
                        SimplexTransform.constrain(UnsafeBufferPointer(rebasing: x[xi..<(xi + size - 1)]),
                                                   into: UnsafeMutableBufferPointer(rebasing: t[ti..<(ti + size)]),
                                                   stick: UnsafeMutableBufferPointer(rebasing: s[(2 * ti)..<(2 * ti + 2 * size - 1)]))
                    }
                }
            }
            xi += support.unconstrainedCount
            ti += support.constrainedCount
        }
        for i in thetaGradient.indices { thetaGradient[i] = 0 }
        let value = theta.withUnsafeBufferPointer { t in
            thetaGradient.withUnsafeMutableBufferPointer { base.logDensity(at: t, gradient: $0) }
        }
        xi = 0; ti = 0
        for support in supports {
            switch support {
            case .scalar:
                gradient[xi] += thetaGradient[ti] * slope[2 * ti]
            case .simplex(let size):
                thetaGradient.withUnsafeBufferPointer { g in
                    slope.withUnsafeBufferPointer { s in
                        SimplexTransform.pullback(thetaGradient: UnsafeBufferPointer(rebasing: g[ti..<(ti + size)]),
                                                  stick: UnsafeBufferPointer(rebasing: s[(2 * ti)..<(2 * ti + 2 * size - 1)]),
                                                  into: UnsafeMutableBufferPointer(rebasing: gradient[xi..<(xi + size - 1)]))
                    }
                }
            }
            xi += support.unconstrainedCount
            ti += support.constrainedCount
        }
        return value + logJacobian
    }

    /// θ = T(x) for one unconstrained point.
    public func constrain(_ x: [Double]) -> [Double] {
        var theta = [Double](repeating: 0, count: base.dimension)
        var stick = [Double](repeating: 0, count: 2 * base.dimension)
        var xi = 0, ti = 0
        for support in supports {
            switch support {
            case .scalar(let c):
                theta[ti] = c.constrain(x[xi])
            case .simplex(let size):
                x.withUnsafeBufferPointer { xs in
                    theta.withUnsafeMutableBufferPointer { t in
                        stick.withUnsafeMutableBufferPointer { s in
                            _ = SimplexTransform.constrain(UnsafeBufferPointer(rebasing: xs[xi..<(xi + size - 1)]),
                                                           into: UnsafeMutableBufferPointer(rebasing: t[ti..<(ti + size)]),
                                                           stick: s)
                        }
                    }
                }
            }
            xi += support.unconstrainedCount
            ti += support.constrainedCount
        }
        return theta
    }

    /// x = T⁻¹(θ): a point on the natural scale (e.g. an init) as the sampler's coordinates.
    public func unconstrain(_ theta: [Double]) -> [Double] {
        var x: [Double] = [], ti = 0
        for support in supports {
            switch support {
            case .scalar(let c): x.append(c.unconstrain(theta[ti]))
            case .simplex(let size): x += SimplexTransform.unconstrain(Array(theta[ti..<(ti + size)]))
            }
            ti += support.constrainedCount
        }
        return x
    }

    /// The same run with every draw mapped to θ and named as the base density names it; sampler
    /// statistics, warm-up and settings are unchanged.
    public func constrained(_ result: SamplingResult) -> SamplingResult {
        precondition(result.dimension == dimension, "a result of dimension \(result.dimension) for a density of dimension \(dimension)")
        var values: [Double] = []
        values.reserveCapacity(result.chains * result.draws * base.dimension)
        for start in stride(from: 0, to: result.values.count, by: dimension) {
            values += constrain(Array(result.values[start..<(start + dimension)]))
        }
        return result.replacingDraws(values, names: base.parameterNames)
    }

    /// `w[1]` → `w`, so a simplex's unconstrained coordinates read `w_stick[1]`, ….
    private static func stem(of name: String) -> String {
        guard let bracket = name.firstIndex(of: "[") else { return name }
        return String(name[..<bracket])
    }
}

extension ConstrainedDensity where Base == ArrayLogDensity {
    /// A density given as a closure on the natural scale: θ ↦ (log p(θ), ∇θ log p(θ)).
    public init(parameters: [(name: String, constraint: Constraint)],
                _ body: @escaping @Sendable ([Double]) -> (value: Double, gradient: [Double])) {
        self.init(ArrayLogDensity(names: parameters.map(\.name), body), constraints: parameters.map(\.constraint))
    }

    /// A density given as a closure on the natural scale, with blocks of any support: each block
    /// names its parameters (`["w[1]", "w[2]", "w[3]"]` for a 3-simplex).
    public init(blocks: [(names: [String], support: ParameterSupport)],
                _ body: @escaping @Sendable ([Double]) -> (value: Double, gradient: [Double])) {
        for block in blocks where block.names.count != block.support.constrainedCount {
            preconditionFailure("ConstrainedDensity: \(block.names.count) names for a block of \(block.support.constrainedCount) parameters")
        }
        self.init(ArrayLogDensity(names: blocks.flatMap(\.names), body), supports: blocks.map(\.support))
    }
}
