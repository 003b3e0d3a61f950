import Foundation

/// Compares a density's gradient with central finite differences, coordinate by coordinate:
/// the check to run before sampling a hand-written `LogDensity`.
///
/// With step hᵢ = `relativeStep`·max(1, |xᵢ|) the central difference (f(x + hᵢeᵢ) − f(x − hᵢeᵢ))/2hᵢ
/// has truncation error about hᵢ²·|f‴|/6 and rounding error about ε·|f|/hᵢ (ε ≈ 2.2e-16); the
/// default hᵢ ≈ 1e-5 (near ε^⅓, where the two balance) leaves both near 1e-10·(|f‴| + |f|).
/// Each coordinate's error is scaled as |analytic − numeric| / (1 + |numeric|), so large and small
/// partial derivatives are judged alike; a wrong term typically shows as an error of 1e-2 or more.
public struct GradientCheck: Sendable, Equatable {
    /// One coordinate's comparison.
    public struct Entry: Sendable, Equatable {
        public var index: Int
        public var name: String
        public var analytic: Double
        public var numeric: Double
        /// |analytic − numeric| / (1 + |numeric|); NaN when either is not finite.
        public var error: Double
    }

    /// The point checked.
    public var point: [Double]
    /// log p at `point`.
    public var logDensity: Double
    /// One entry per coordinate.
    public var entries: [Entry]

    /// The coordinate with the largest error (a non-finite one counts as largest).
    public var worst: Entry? {
        func rank(_ e: Entry) -> Double { e.error.isNaN ? .infinity : e.error }
        return entries.max { rank($0) < rank($1) }
    }

    /// True when every coordinate's scaled error is at most `tolerance` (default 1e-5, see above).
    public func passes(tolerance: Double = 1e-5) -> Bool {
        entries.allSatisfy { $0.error <= tolerance }
    }

    /// Checks `density` at `point`. The density is copied, so its scratch space is untouched; the
    /// gradient buffer is zeroed before every call, as the sampler does.
    public init<D: LogDensity>(_ density: D, at point: [Double], relativeStep: Double = 1e-5) {
        precondition(point.count == density.dimension, "a point of \(point.count) values for a density of dimension \(density.dimension)")
        var model = density
        let n = point.count
        var gradient = [Double](repeating: 0, count: n)
        var scratch = gradient
        func evaluate(_ x: [Double], into g: inout [Double]) -> Double {
            for i in 0..<n { g[i] = 0 }
            return x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { model.logDensity(at: xp, gradient: $0) } }
        }
        self.point = point
        logDensity = evaluate(point, into: &gradient)
        var x = point
        var entries: [Entry] = []
        for i in 0..<n {
            let h = relativeStep * max(1, abs(point[i]))
            x[i] = point[i] + h
            let up = evaluate(x, into: &scratch)
            x[i] = point[i] - h
            let down = evaluate(x, into: &scratch)
            x[i] = point[i]
            // Divide by the step actually taken (x ± h rounds), not the nominal h.
            let numeric = (up - down) / ((point[i] + h) - (point[i] - h))
            let error = gradient[i].isFinite && numeric.isFinite ? abs(gradient[i] - numeric) / (1 + abs(numeric)) : .nan
            entries.append(Entry(index: i, name: density.parameterNames[i], analytic: gradient[i], numeric: numeric, error: error))
        }
        self.entries = entries
    }
}
