import Foundation
import MixInference
import XCTest

/// Central finite differences, the independent truth every hand-written gradient is checked
/// against.
///
/// Step h = 1e-5·max(1, |x|): the central difference's truncation error is O(h²) ≈ 1e-10
/// relative and its rounding error O(ε·|f|/h), so agreement to 1e-6 relative plus that rounding
/// bound (see `checkGradient`) leaves a margin for a correct gradient while any wrong term
/// (errors of order 1e-3 and up) fails.
enum FiniteDifference {
    static func derivative(at x: Double, _ f: (Double) -> Double) -> Double {
        let h = 1e-5 * max(1, abs(x))
        return (f(x + h) - f(x - h)) / (2 * h)
    }

    static func gradient(at x: [Double], _ f: ([Double]) -> Double) -> [Double] {
        (0..<x.count).map { i in
            derivative(at: x[i]) { v in
                var y = x
                y[i] = v
                return f(y)
            }
        }
    }

    /// log |det ∂f/∂x| from a central-difference Jacobian (Gaussian elimination with partial
    /// pivoting), for checking the log-Jacobian of a joint change of variables.
    static func logAbsJacobianDeterminant(at x: [Double], _ f: ([Double]) -> [Double]) -> Double {
        let n = x.count
        var a = (0..<n).map { j in gradient(at: x) { f($0)[j] } }
        var logDet = 0.0
        for k in 0..<n {
            let p = (k..<n).max { abs(a[$0][k]) < abs(a[$1][k]) }!
            a.swapAt(p, k)
            guard a[k][k] != 0 else { return -.infinity }
            logDet += log(abs(a[k][k]))
            for i in (k + 1)..<max(k + 1, n) {
                let factor = a[i][k] / a[k][k]
                for j in k..<n { a[i][j] -= factor * a[k][j] }
            }
        }
        return logDet
    }

    /// The log density of `density` at `u` (its gradient is computed and dropped).
    static func value<D: LogDensity>(of density: D, at u: [Double]) -> Double {
        var density = density
        var g = [Double](repeating: 0, count: u.count)
        return u.withUnsafeBufferPointer { up in g.withUnsafeMutableBufferPointer { density.logDensity(at: up, gradient: $0) } }
    }

    /// Evaluates `density` and its hand-written gradient at `u`, asserts the gradient equals
    /// central finite differences of the log density (see `assertClose`), and returns the value.
    @discardableResult
    static func checkGradient<D: LogDensity>(of density: D, at u: [Double], context: String = "",
                                             file: StaticString = #filePath, line: UInt = #line) -> Double {
        var density = density
        func value(_ point: [Double], into g: inout [Double]) -> Double {
            point.withUnsafeBufferPointer { up in g.withUnsafeMutableBufferPointer { density.logDensity(at: up, gradient: $0) } }
        }
        var g = [Double](repeating: 0, count: u.count)
        let lp = value(u, into: &g)
        var scratch = g
        let numeric = gradient(at: u) { value($0, into: &scratch) }
        // Rounding: f(x ± h) carry an absolute error of a few ε·|f| (more where terms cancel), and
        // the central difference divides it by 2h, so allow roundingFactor·ε·|f|/h on top of the
        // relative tolerance (≈ 2e-7 per 100 units of log density; a wrong term is off by ≳ 1e-3).
        let rounding = roundingFactor * Double.ulpOfOne * abs(lp) / 1e-5
        assertClose(g, numeric, absoluteSlack: rounding, names: density.parameterNames, context: context, file: file, line: line)
        return lp
    }

    /// How many ε·|f| of rounding error a density's evaluation may carry: it sums a few hundred
    /// terms of mixed sign, so the error of the total is a multiple of ε times its magnitude.
    static let roundingFactor = 100.0

    /// Asserts |a − b| ≤ tol·max(1, |b|) + absoluteSlack for each component, naming the component.
    static func assertClose(_ analytic: [Double], _ numeric: [Double], tolerance: Double = 1e-6, absoluteSlack: Double = 0,
                            names: [String]? = nil, context: String = "", file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(analytic.count, numeric.count, file: file, line: line)
        for i in 0..<min(analytic.count, numeric.count) {
            let scale = max(1, abs(numeric[i]))
            let label = names?[i] ?? "component \(i)"
            XCTAssertLessThanOrEqual(abs(analytic[i] - numeric[i]), tolerance * scale + absoluteSlack,
                                     "\(context) \(label): analytic \(analytic[i]) vs finite difference \(numeric[i])",
                                     file: file, line: line)
        }
    }
}

/// A small deterministic generator for test inputs (SplitMix64).
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * Double(next() >> 11) / Double(1 << 53)
    }
}
