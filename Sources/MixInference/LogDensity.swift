/// A target for the sampler: an unnormalised log density on ℝⁿ with its gradient.
///
/// The sampler knows nothing else about the model. For quick models written with arrays see
/// `ArrayLogDensity`, and for parameters with a constrained support `ConstrainedDensity`. Conformers keep any scratch space they need
/// inside themselves; the sampler gives each chain its own copy (value semantics), so
/// `logDensity(at:gradient:)` may mutate that scratch space without locks and must not allocate.
public protocol LogDensity {
    /// Number of unconstrained parameters n.
    var dimension: Int { get }
    /// A name per unconstrained coordinate, in order (e.g. `tau_log`, `beta[1]`).
    var parameterNames: [String] { get }
    /// Returns log p(x) up to a constant and writes ∂log p/∂x into `gradient` (length n).
    /// Non-finite results are allowed; the sampler treats them as divergences.
    ///
    /// Gradient-buffer contract: every caller in MixInference (the sampler, `GradientCheck`,
    /// `ConstrainedDensity`) sets `gradient` to zeros before the call, so a density may either
    /// assign each entry or accumulate terms into it with `+=`. Callers outside MixInference
    /// must do the same.
    mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double
}
