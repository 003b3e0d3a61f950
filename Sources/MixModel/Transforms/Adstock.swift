import Foundation
import MixData

/// Carryover as the model runs it: an `AdstockKind` (MixData), which owns each kind's parameters,
/// priors, weights and their derivatives, with the lag window L. This type adds only the model's
/// whole-series loops (`apply`, `convolve`, and in AdstockKernels.swift the geometric recursion).
public struct Adstock: Sendable, Equatable {
    public typealias Kind = MixPlanConfig.AdstockKind

    public let kind: Kind
    /// Lag window L (number of weights).
    public let maxLag: Int

    public init(kind: Kind, maxLag: Int) {
        precondition(maxLag >= 1, "adstock lag window must be at least 1")
        self.kind = kind
        self.maxLag = maxLag
    }

    /// Parameter names in the order `weights` expects them (`Kind.parameterNames`).
    public var parameterNames: [String] { kind.parameterNames }

    /// `Kind.parameterCount`.
    public var parameterCount: Int { kind.parameterCount }

    /// `Kind.defaultPriors`, one per parameter.
    public var defaultPriors: [PriorSpec] { kind.defaultPriors }

    /// Normalised weights for the given parameters over this lag window.
    public func weights(_ parameters: [Double]) -> [Double] { kind.weights(parameters, lags: maxLag) }

    /// Writes w[l] into `w` (length L) and ∂w[l]/∂p_k into `derivatives[k·L + l]`
    /// (`Kind.weights(_:into:derivatives:)`). Allocation-free.
    @inline(__always)
    public func weights(_ p: UnsafeBufferPointer<Double>, into w: UnsafeMutableBufferPointer<Double>,
                        derivatives dw: UnsafeMutableBufferPointer<Double>) {
        precondition(w.count == maxLag, "one weight per lag")
        kind.weights(p, into: w, derivatives: dw)
    }

    /// The adstocked series a[t] = Σ_l w[l] x[t-l] (x = 0 before the start).
    public static func apply(weights w: [Double], to x: [Double]) -> [Double] {
        var a = [Double](repeating: 0, count: x.count)
        for t in 0..<x.count {
            var s = 0.0
            for l in 0..<min(w.count, t + 1) { s += w[l] * x[t - l] }
            a[t] = s
        }
        return a
    }
}

extension Adstock {
    /// a[t] = Σ_{l ≤ min(L−1, t)} w[l]·x[t−l] for t < T: the same sums, in the same order of l, as
    /// `apply` (so the same bits), computed as L passes over the series that the compiler can
    /// vectorise instead of T short dependent chains.
    @inline(__always)
    static func convolve(_ w: UnsafePointer<Double>, lags L: Int, _ x: UnsafePointer<Double>,
                         into a: UnsafeMutablePointer<Double>, periods T: Int) {
        let w0 = w[0]
        for t in 0..<T { a[t] = w0 * x[t] }
        var l = 1
        while l < min(L, T) {
            let wl = w[l]
            let shifted = x - l
            for t in l..<T { a[t] += wl * shifted[t] }
            l += 1
        }
    }
}
