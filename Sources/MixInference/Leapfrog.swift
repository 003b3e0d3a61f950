/// A point in phase space: position q, momentum p, gradient g = ∇log p(q) and potential
/// V = −log p(q). The three vectors live in memory owned by a `PhaseSpace` arena.
struct PhasePoint {
    let q: UnsafeMutablePointer<Double>
    let p: UnsafeMutablePointer<Double>
    let g: UnsafeMutablePointer<Double>
    var potential: Double = .infinity

    /// Copies `other` into this point's buffers (no allocation).
    @inline(__always)
    mutating func assign(_ other: PhasePoint, dimension n: Int) {
        q.update(from: other.q, count: n)
        p.update(from: other.p, count: n)
        g.update(from: other.g, count: n)
        potential = other.potential
    }
}

/// One arena of doubles carved into vectors of length n; freed as a whole.
final class PhaseSpace {
    let dimension: Int
    private let storage: UnsafeMutablePointer<Double>
    private let capacity: Int
    private var used = 0

    init(dimension: Int, vectors: Int) {
        self.dimension = dimension
        capacity = max(1, dimension * vectors)
        storage = .allocate(capacity: capacity)
        storage.initialize(repeating: 0, count: capacity)
    }

    deinit { storage.deallocate() }

    /// The next unused vector of length n.
    func vector() -> UnsafeMutablePointer<Double> {
        precondition(used + dimension <= capacity, "PhaseSpace arena exhausted")
        defer { used += dimension }
        return storage + used
    }

    /// A fresh phase point (three vectors).
    func point() -> PhasePoint {
        PhasePoint(q: vector(), p: vector(), g: vector())
    }
}

/// The explicit leapfrog integrator (Stan's `expl_leapfrog`): half step in momentum, full step
/// in position, gradient, half step in momentum. It only moves the state; the tree logic lives in `NUTS`.
enum Leapfrog {
    /// Evaluates the density at `z.q`, filling `z.g` and `z.potential`. A non-finite log density
    /// or gradient sets the potential to +∞, which the sampler then reports as a divergence.
    /// The gradient buffer is zeroed first (the `LogDensity` contract), so densities may use `+=`.
    @inline(__always)
    static func updateGradient<D: LogDensity>(_ z: inout PhasePoint, density: inout D, dimension n: Int) {
        z.g.update(repeating: 0, count: n)
        let lp = density.logDensity(at: UnsafeBufferPointer(start: z.q, count: n),
                                    gradient: UnsafeMutableBufferPointer(start: z.g, count: n))
        var finite = lp.isFinite
        if finite {
            for i in 0..<n where !z.g[i].isFinite { finite = false; break }
        }
        z.potential = finite ? -lp : .infinity
    }

    /// One leapfrog step of size `epsilon` (negative to integrate backward in time).
    @inline(__always)
    static func step<D: LogDensity>(_ z: inout PhasePoint, epsilon: Double, metric: Metric,
                                    density: inout D, velocity: UnsafeMutablePointer<Double>) {
        let n = metric.dimension
        let half = 0.5 * epsilon
        for i in 0..<n { z.p[i] += half * z.g[i] }
        metric.velocity(z.p, into: velocity)
        for i in 0..<n { z.q[i] += epsilon * velocity[i] }
        updateGradient(&z, density: &density, dimension: n)
        if z.potential.isFinite {
            for i in 0..<n { z.p[i] += half * z.g[i] }
        }
    }
}
