/// A density written on the natural scale of its parameters (σ > 0, p in (0, 1), …), sampled on
/// the real line: x ↦ θ = T(x) per `Constraint`, and
///
///     log p(x) = log p_θ(T(x)) + Σᵢ log |dθᵢ/dxᵢ|,
///     ∂log p/∂xᵢ = ∂log p_θ/∂θᵢ · dθᵢ/dxᵢ + d log |dθᵢ/dxᵢ| / dxᵢ.
///
/// The sampler sees unconstrained coordinates named `sigma_log`, `p_logit`, …; `constrained(_:)`
/// turns its result back into draws of θ under the plain names, so summaries, quantiles and HDIs
/// are on the scale the user thinks in.
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
    /// One constraint per parameter, in the base density's order.
    public let constraints: [Constraint]
    /// Names of the unconstrained coordinates the sampler sees.
    public let parameterNames: [String]
    private var theta: [Double]
    private var thetaGradient: [Double]
    private var slope: [Double]

    public var dimension: Int { constraints.count }

    /// Wraps `base` (a density of θ); `constraints` must have one entry per parameter and usable bounds.
    public init(_ base: Base, constraints: [Constraint]) {
        precondition(constraints.count == base.dimension,
                     "ConstrainedDensity: \(constraints.count) constraints for a density of dimension \(base.dimension)")
        if let problem = constraints.lazy.compactMap(\.problem).first { preconditionFailure("ConstrainedDensity: \(problem)") }
        self.base = base
        self.constraints = constraints
        parameterNames = zip(base.parameterNames, constraints).map { $0 + $1.unconstrainedSuffix }
        theta = [Double](repeating: 0, count: constraints.count)
        thetaGradient = theta
        slope = theta
    }

    public mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        var logJacobian = 0.0
        for i in 0..<constraints.count {
            let e = constraints[i].evaluate(x[i])
            theta[i] = e.value
            slope[i] = e.derivative
            logJacobian += e.logJacobian
            gradient[i] = e.logJacobianDerivative
            thetaGradient[i] = 0
        }
        let value = theta.withUnsafeBufferPointer { t in
            thetaGradient.withUnsafeMutableBufferPointer { base.logDensity(at: t, gradient: $0) }
        }
        for i in 0..<constraints.count { gradient[i] += thetaGradient[i] * slope[i] }
        return value + logJacobian
    }

    /// θ = T(x) for one unconstrained point.
    public func constrain(_ x: [Double]) -> [Double] {
        zip(constraints, x).map { $0.constrain($1) }
    }

    /// x = T⁻¹(θ): a point on the natural scale (e.g. an init) as the sampler's coordinates.
    public func unconstrain(_ theta: [Double]) -> [Double] {
        zip(constraints, theta).map { $0.unconstrain($1) }
    }

    /// The same run with every draw mapped to θ and named as the base density names it; sampler
    /// statistics, warm-up and settings are unchanged.
    public func constrained(_ result: SamplingResult) -> SamplingResult {
        precondition(result.dimension == dimension, "a result of dimension \(result.dimension) for a density of dimension \(dimension)")
        var values = result.values
        let n = dimension
        for start in stride(from: 0, to: values.count, by: n) {
            for i in 0..<n { values[start + i] = constraints[i].constrain(values[start + i]) }
        }
        return result.replacingDraws(values, names: base.parameterNames)
    }
}

extension ConstrainedDensity where Base == ArrayLogDensity {
    /// A density given as a closure on the natural scale: θ ↦ (log p(θ), ∇θ log p(θ)).
    public init(parameters: [(name: String, constraint: Constraint)],
                _ body: @escaping @Sendable ([Double]) -> (value: Double, gradient: [Double])) {
        self.init(ArrayLogDensity(names: parameters.map(\.name), body), constraints: parameters.map(\.constraint))
    }
}
