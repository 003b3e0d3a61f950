import Foundation

/// Which mass matrix the sampler adapts during warm-up.
public enum MetricKind: String, Sendable, Codable {
    /// One scale per coordinate (Stan's `diag_e`, the default).
    case diagonal
    /// A full covariance (Stan's `dense_e`): better for strongly correlated posteriors, O(n²) per step.
    case dense
}

/// The Euclidean metric of the Hamiltonian: kinetic energy ½ pᵀ M⁻¹ p and momentum draws p ~ N(0, M).
///
/// Stores the inverse metric M⁻¹ (diagonal vector or dense row-major matrix) and, for the dense
/// case, its Cholesky factor L (M⁻¹ = L Lᵀ) so a momentum is drawn as p = L⁻ᵀ z, whose covariance
/// is (L Lᵀ)⁻¹ = M. All buffers are allocated once; nothing here allocates after `init`.
final class Metric {
    let kind: MetricKind
    let dimension: Int
    /// M⁻¹: n entries (diagonal) or n·n (dense, row-major).
    let inverse: UnsafeMutablePointer<Double>
    /// Dense only: lower Cholesky factor of M⁻¹, row-major.
    private let cholesky: UnsafeMutablePointer<Double>
    /// Dense only: √ of the diagonal entries, for the diagonal case the per-coordinate √M⁻¹.
    private let scratch: UnsafeMutablePointer<Double>

    init(kind: MetricKind, dimension n: Int) {
        self.kind = kind
        dimension = n
        let size = kind == .diagonal ? n : n * n
        inverse = .allocate(capacity: size)
        cholesky = .allocate(capacity: max(1, kind == .dense ? n * n : 1))
        scratch = .allocate(capacity: max(1, n))
        setUnit()
    }

    deinit {
        inverse.deallocate()
        cholesky.deallocate()
        scratch.deallocate()
    }

    /// Resets M⁻¹ to the identity.
    func setUnit() {
        let n = dimension
        if kind == .diagonal {
            inverse.update(repeating: 1, count: n)
        } else {
            inverse.update(repeating: 0, count: n * n)
            for i in 0..<n { inverse[i * n + i] = 1 }
        }
        _ = factorize()
    }

    /// Copies a new inverse metric in (length n or n·n by kind). Returns false if a dense matrix
    /// is not positive definite (the old metric is then kept).
    @discardableResult
    func setInverse(_ values: UnsafePointer<Double>) -> Bool {
        let size = kind == .diagonal ? dimension : dimension * dimension
        if kind == .diagonal {
            inverse.update(from: values, count: size)
            return true
        }
        let saved = UnsafeMutablePointer<Double>.allocate(capacity: size)
        defer { saved.deallocate() }
        saved.update(from: inverse, count: size)
        inverse.update(from: values, count: size)
        if factorize() { return true }
        inverse.update(from: saved, count: size)
        _ = factorize()
        return false
    }

    /// The inverse metric as an array (n or n·n values).
    var inverseArray: [Double] {
        Array(UnsafeBufferPointer(start: inverse, count: kind == .diagonal ? dimension : dimension * dimension))
    }

    private func factorize() -> Bool {
        guard kind == .dense else { return true }
        let n = dimension
        for i in 0..<n {
            for j in 0...i {
                var sum = inverse[i * n + j]
                for k in 0..<j { sum -= cholesky[i * n + k] * cholesky[j * n + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { return false }
                    cholesky[i * n + i] = sum.squareRoot()
                } else {
                    cholesky[i * n + j] = sum / cholesky[j * n + j]
                }
            }
            for j in (i + 1)..<max(i + 1, n) { cholesky[i * n + j] = 0 }
        }
        return true
    }

    /// Kinetic energy ½ pᵀ M⁻¹ p.
    @inline(__always)
    func kineticEnergy(_ p: UnsafePointer<Double>) -> Double {
        let n = dimension
        var sum = 0.0
        if kind == .diagonal {
            for i in 0..<n { sum += inverse[i] * p[i] * p[i] }
        } else {
            for i in 0..<n {
                var row = 0.0
                for j in 0..<n { row += inverse[i * n + j] * p[j] }
                sum += p[i] * row
            }
        }
        return 0.5 * sum
    }

    /// Velocity ∂τ/∂p = M⁻¹ p (the "p sharp" of Betancourt 2017), written into `out`.
    @inline(__always)
    func velocity(_ p: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let n = dimension
        if kind == .diagonal {
            for i in 0..<n { out[i] = inverse[i] * p[i] }
        } else {
            for i in 0..<n {
                var row = 0.0
                for j in 0..<n { row += inverse[i * n + j] * p[j] }
                out[i] = row
            }
        }
    }

    /// Draws p ~ N(0, M) into `p`.
    @inline(__always)
    func sampleMomentum(into p: UnsafeMutablePointer<Double>, rng: inout RandomStream) {
        let n = dimension
        if kind == .diagonal {
            for i in 0..<n { p[i] = rng.normal() / inverse[i].squareRoot() }
        } else {
            for i in 0..<n { scratch[i] = rng.normal() }
            // Solve Lᵀ p = z by back substitution.
            for i in stride(from: n - 1, through: 0, by: -1) {
                var sum = scratch[i]
                for k in (i + 1)..<max(i + 1, n) { sum -= cholesky[k * n + i] * p[k] }
                p[i] = sum / cholesky[i * n + i]
            }
        }
    }
}
