import Foundation
import MixInference

/// Standard normal in n dimensions, optionally with per-coordinate scales; counts its calls.
struct ScaledNormal: LogDensity {
    let scales: [Double]
    var calls = 0
    var dimension: Int { scales.count }
    var parameterNames: [String] { (0..<scales.count).map { "x[\($0 + 1)]" } }

    mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        calls += 1
        var lp = 0.0
        for i in 0..<scales.count {
            let z = x[i] / scales[i]
            lp -= 0.5 * z * z
            gradient[i] = -z / scales[i]
        }
        return lp
    }
}

/// Conjugate normal mean: μ ~ N(0, 1), yᵢ ~ N(μ, 1). Posterior N(Σy/(n+1), 1/(n+1)).
struct NormalMean: LogDensity {
    let y: [Double]
    var dimension: Int { 1 }
    var parameterNames: [String] { ["mu"] }

    mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        let mu = x[0]
        var lp = -0.5 * mu * mu
        var g = -mu
        for v in y {
            lp -= 0.5 * (v - mu) * (v - mu)
            g += v - mu
        }
        gradient[0] = g
        return lp
    }
}

/// A standard normal cut off at x₁ < 1: the density is −∞ beyond (or NaN when `nanOutside`),
/// so trajectories that cross the wall must be reported as divergent, never crash.
struct WalledNormal: LogDensity {
    var nanOutside = false
    var dimension: Int { 2 }
    var parameterNames: [String] { ["a", "b"] }

    mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        gradient[0] = -x[0]
        gradient[1] = -x[1]
        if x[0] >= 1 { return nanOutside ? .nan : -.infinity }
        return -0.5 * (x[0] * x[0] + x[1] * x[1])
    }
}

/// Nowhere finite: initialisation must fail with a clear error.
struct NowhereFinite: LogDensity {
    var dimension: Int { 3 }
    var parameterNames: [String] { ["a", "b", "c"] }
    mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        for i in 0..<3 { gradient[i] = 0 }
        return -.infinity
    }
}

/// A correlated 2-D Gaussian (ρ = 0.95, scales 1 and 10) for the dense metric.
struct CorrelatedNormal: LogDensity {
    let rho = 0.95
    let scales = [1.0, 10.0]
    var dimension: Int { 2 }
    var parameterNames: [String] { ["u", "v"] }
    mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        let a = x[0] / scales[0], b = x[1] / scales[1]
        let k = 1 / (1 - rho * rho)
        gradient[0] = -k * (a - rho * b) / scales[0]
        gradient[1] = -k * (b - rho * a) / scales[1]
        return -0.5 * k * (a * a - 2 * rho * a * b + b * b)
    }
}
