/// A log density written as a closure on arrays: `x ↦ (log p(x), ∇log p(x))`.
///
/// The quickest way to sample a small model without writing a `LogDensity` type:
///
/// ```swift
/// let model = ArrayLogDensity(names: ["a", "b"]) { x in
///     (-0.5 * (x[0] * x[0] + x[1] * x[1]), [-x[0], -x[1]])
/// }
/// ```
///
/// Each call allocates the gradient array the closure returns (and whatever the closure itself
/// allocates); a model whose gradient takes only a few µs and that is sampled often is faster as
/// a `LogDensity` conformer writing straight into the sampler's buffer. The closure runs on several threads at once (one per chain), hence `@Sendable`;
/// a gradient of the wrong length makes the point non-finite (a divergence), never a crash.
public struct ArrayLogDensity: LogDensity {
    public let parameterNames: [String]
    /// The closure: log density up to a constant, and its gradient (one entry per parameter).
    public let body: @Sendable ([Double]) -> (value: Double, gradient: [Double])
    private var point: [Double]

    public var dimension: Int { parameterNames.count }

    /// A density over `names.count` unconstrained parameters.
    public init(names: [String], _ body: @escaping @Sendable ([Double]) -> (value: Double, gradient: [Double])) {
        parameterNames = names
        self.body = body
        point = [Double](repeating: 0, count: names.count)
    }

    /// A density over `dimension` parameters named `x[1]`, `x[2]`, ….
    public init(dimension: Int, _ body: @escaping @Sendable ([Double]) -> (value: Double, gradient: [Double])) {
        self.init(names: (0..<dimension).map { "x[\($0 + 1)]" }, body)
    }

    public mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        for i in 0..<point.count { point[i] = x[i] }
        let (value, g) = body(point)
        guard g.count == gradient.count else {
            for i in 0..<gradient.count { gradient[i] = .nan }
            return .nan
        }
        for i in 0..<g.count { gradient[i] = g[i] }
        return value
    }
}
