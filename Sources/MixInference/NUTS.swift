import Foundation

/// What one NUTS transition reports (one row of sampler statistics).
public struct TransitionStats: Sendable, Equatable {
    /// Step size used for this transition.
    public var stepSize: Double
    /// Tree depth reached (number of doublings).
    public var treeDepth: Int
    /// Leapfrog steps taken (gradient evaluations).
    public var leapfrogSteps: Int
    /// True when the energy error exceeded the divergence threshold or the density was not finite.
    public var divergent: Bool
    /// Hamiltonian H = −log p(q) + ½ pᵀ M⁻¹ p at the selected point (used for E-BFMI).
    public var energy: Double
    /// Mean Metropolis acceptance probability over the trajectory (the dual-averaging target).
    public var acceptanceStat: Double
    /// log p(q) at the selected point.
    public var logDensity: Double
}

/// The No-U-Turn transition (Hoffman & Gelman 2014, in the multinomial form of Betancourt 2017,
/// laid out like Stan's `base_nuts`): the trajectory doubles forward or backward at random until
/// the generalised U-turn criterion fires on the whole tree, on any sub-tree, or on the two extra
/// sub-trees Stan checks across the seam of each merge; the next state is drawn from the trajectory
/// with weights exp(−H), biased toward the newer half at each merge.
///
/// One instance per chain; all buffers (one set per tree level) are allocated in `init`, so a
/// transition performs no heap allocation.
public final class NUTS<Density: LogDensity> {
    /// The chain's own copy of the target.
    public private(set) var density: Density
    /// Leapfrog step size ε.
    public var stepSize: Double
    /// Maximum number of tree doublings.
    public let maxTreeDepth: Int
    /// Energy error beyond which a trajectory is declared divergent (Stan: 1000).
    public let maxEnergyError: Double = 1000
    /// The chain's random stream.
    public var rng: RandomStream
    /// Log-density/gradient evaluations so far (leapfrog steps, step-size search, init).
    public private(set) var gradientEvaluations = 0

    let n: Int
    let metric: Metric
    private let arena: PhaseSpace
    private var z: PhasePoint
    private var zForward: PhasePoint, zBackward: PhasePoint, zSample: PhasePoint, zPropose: PhasePoint
    private var zInit: PhasePoint
    private let velocity: UnsafeMutablePointer<Double>
    private let pFwdFwd, pSharpFwdFwd, pFwdBck, pSharpFwdBck: UnsafeMutablePointer<Double>
    private let pBckFwd, pSharpBckFwd, pBckBck, pSharpBckBck: UnsafeMutablePointer<Double>
    private let rho, rhoForward, rhoBackward: UnsafeMutablePointer<Double>
    /// Per tree level (1…maxDepth): scratch of `buildTree`.
    private var levels: [Level]
    private var divergent = false

    private struct Level {
        var proposeFinal: PhasePoint
        let pInitEnd, pSharpInitEnd, rhoInit, pFinalBeg, pSharpFinalBeg, rhoFinal: UnsafeMutablePointer<Double>
    }

    /// Creates a chain at `initialPoint` (which must have a finite density and gradient).
    public convenience init(density: Density, metric kind: MetricKind = .diagonal, stepSize: Double = 1,
                            maxTreeDepth: Int = 10, rng: RandomStream, initialPoint: [Double]) throws {
        self.init(density: density, metric: Metric(kind: kind, dimension: density.dimension),
                  stepSize: stepSize, maxTreeDepth: maxTreeDepth, rng: rng)
        try setPosition(initialPoint)
    }

    init(density: Density, metric: Metric, stepSize: Double, maxTreeDepth: Int, rng: RandomStream) {
        self.density = density
        self.metric = metric
        self.stepSize = stepSize
        self.maxTreeDepth = maxTreeDepth
        self.rng = rng
        n = density.dimension
        let depth = max(1, maxTreeDepth)
        arena = PhaseSpace(dimension: n, vectors: 6 * 3 + 12 + (depth + 1) * 9)
        z = arena.point(); zForward = arena.point(); zBackward = arena.point()
        zSample = arena.point(); zPropose = arena.point(); zInit = arena.point()
        velocity = arena.vector()
        pFwdFwd = arena.vector(); pSharpFwdFwd = arena.vector(); pFwdBck = arena.vector(); pSharpFwdBck = arena.vector()
        pBckFwd = arena.vector(); pSharpBckFwd = arena.vector(); pBckBck = arena.vector(); pSharpBckBck = arena.vector()
        rho = arena.vector(); rhoForward = arena.vector(); rhoBackward = arena.vector()
        levels = []
        levels.reserveCapacity(depth + 1)
        for _ in 0...depth {
            levels.append(Level(proposeFinal: arena.point(), pInitEnd: arena.vector(), pSharpInitEnd: arena.vector(),
                                rhoInit: arena.vector(), pFinalBeg: arena.vector(), pSharpFinalBeg: arena.vector(),
                                rhoFinal: arena.vector()))
        }
    }

    /// The current position (unconstrained parameters).
    public var position: [Double] { Array(UnsafeBufferPointer(start: z.q, count: n)) }

    /// Read-only view of the current position without copying.
    public func withPosition<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: z.q, count: n))
    }

    /// Read-only views of the current position and the potential's gradient there (−∇ log p).
    @discardableResult
    func withPositionAndGradient<R>(_ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: z.q, count: n), UnsafeBufferPointer(start: z.g, count: n))
    }

    /// log p at the current position.
    public var currentLogDensity: Double { -z.potential }

    /// Moves the chain to `point`; throws if the density or gradient there is not finite.
    public func setPosition(_ point: [Double]) throws {
        guard point.count == n else { throw SamplerError.invalidSettings("an initial point has \(point.count) values but the density has dimension \(n)") }
        for i in 0..<n { z.q[i] = point[i] }
        Leapfrog.updateGradient(&z, density: &density, dimension: n)
        gradientEvaluations += 1
        guard z.potential.isFinite else { throw SamplerError.nonFiniteInitialPoint(point) }
    }

    @inline(__always)
    private func hamiltonian(_ point: PhasePoint) -> Double {
        point.potential + metric.kineticEnergy(point.p)
    }

    @inline(__always)
    private func logSumExp(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        let m = Swift.max(a, b)
        return m + Foundation.log(Foundation.exp(a - m) + Foundation.exp(b - m))
    }

    @inline(__always)
    private func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        var s = 0.0
        for i in 0..<n { s += a[i] * b[i] }
        return s
    }

    /// The generalised no-U-turn criterion for a trajectory with momentum sum `rho`
    /// (ρ = ρ₁ + ρ₂ when given as two parts): p♯₋·ρ > 0 and p♯₊·ρ > 0.
    @inline(__always)
    private func persists(_ pSharpMinus: UnsafePointer<Double>, _ pSharpPlus: UnsafePointer<Double>,
                          _ rho1: UnsafePointer<Double>, _ rho2: UnsafePointer<Double>? = nil) -> Bool {
        var plus = dot(pSharpPlus, rho1), minus = dot(pSharpMinus, rho1)
        if let rho2 {
            plus += dot(pSharpPlus, rho2)
            minus += dot(pSharpMinus, rho2)
        }
        return plus > 0 && minus > 0
    }

    /// Stan's step-size heuristic: double or halve ε until the one-step acceptance crosses 0.8.
    public func initializeStepSize() {
        guard stepSize > 0, stepSize <= 1e7, stepSize.isFinite else { return }
        zInit.assign(z, dimension: n)
        func oneStepEnergyChange() -> Double {
            z.assign(zInit, dimension: n)
            metric.sampleMomentum(into: z.p, rng: &rng)
            let h0 = hamiltonian(z)
            Leapfrog.step(&z, epsilon: stepSize, metric: metric, density: &density, velocity: velocity)
            gradientEvaluations += 1
            var h = hamiltonian(z)
            if h.isNaN { h = .infinity }
            return h0 - h
        }
        let threshold = Foundation.log(0.8)
        let direction = oneStepEnergyChange() > threshold ? 1 : -1
        for _ in 0..<200 {
            let delta = oneStepEnergyChange()
            if direction == 1 && !(delta > threshold) { break }
            if direction == -1 && !(delta < threshold) { break }
            stepSize = direction == 1 ? 2 * stepSize : 0.5 * stepSize
            if stepSize > 1e7 || stepSize < 1e-300 { break }
        }
        z.assign(zInit, dimension: n)
    }

    /// Runs one NUTS transition from the current state and moves the chain to the selected point.
    public func transition() -> TransitionStats {
        metric.sampleMomentum(into: z.p, rng: &rng)
        zForward.assign(z, dimension: n); zBackward.assign(z, dimension: n)
        zSample.assign(z, dimension: n); zPropose.assign(z, dimension: n)
        pFwdFwd.update(from: z.p, count: n); pFwdBck.update(from: z.p, count: n)
        pBckFwd.update(from: z.p, count: n); pBckBck.update(from: z.p, count: n)
        metric.velocity(z.p, into: pSharpFwdFwd)
        pSharpFwdBck.update(from: pSharpFwdFwd, count: n)
        pSharpBckFwd.update(from: pSharpFwdFwd, count: n)
        pSharpBckBck.update(from: pSharpFwdFwd, count: n)
        rho.update(from: z.p, count: n)

        var logSumWeight = 0.0
        let h0 = hamiltonian(z)
        var leapfrogs = 0
        var sumMetropolis = 0.0
        var depth = 0
        divergent = false

        while depth < maxTreeDepth {
            rhoForward.update(repeating: 0, count: n)
            rhoBackward.update(repeating: 0, count: n)
            var logSumWeightSubtree = -Double.infinity
            let valid: Bool
            if rng.uniform() > 0.5 {
                z.assign(zForward, dimension: n)
                // The old trajectory becomes the backward sub-tree: its forward end is the old
                // trajectory's forward end (Stan fixed the same bookkeeping in stan-dev/stan#2800).
                rhoBackward.update(from: rho, count: n)
                pBckFwd.update(from: pFwdFwd, count: n)
                pSharpBckFwd.update(from: pSharpFwdFwd, count: n)
                valid = buildTree(depth: depth, propose: &zPropose, pSharpBeg: pSharpFwdBck, pSharpEnd: pSharpFwdFwd,
                                  rho: rhoForward, pBeg: pFwdBck, pEnd: pFwdFwd, h0: h0, sign: 1,
                                  leapfrogs: &leapfrogs, logSumWeight: &logSumWeightSubtree, sumMetropolis: &sumMetropolis)
                zForward.assign(z, dimension: n)
            } else {
                z.assign(zBackward, dimension: n)
                // The old trajectory becomes the forward sub-tree: its backward end is the old
                // trajectory's backward end.
                rhoForward.update(from: rho, count: n)
                pFwdBck.update(from: pBckBck, count: n)
                pSharpFwdBck.update(from: pSharpBckBck, count: n)
                valid = buildTree(depth: depth, propose: &zPropose, pSharpBeg: pSharpBckFwd, pSharpEnd: pSharpBckBck,
                                  rho: rhoBackward, pBeg: pBckFwd, pEnd: pBckBck, h0: h0, sign: -1,
                                  leapfrogs: &leapfrogs, logSumWeight: &logSumWeightSubtree, sumMetropolis: &sumMetropolis)
                zBackward.assign(z, dimension: n)
            }
            if !valid { break }
            depth += 1

            // Biased progressive sampling: prefer the new sub-tree by its total weight.
            if logSumWeightSubtree > logSumWeight {
                zSample.assign(zPropose, dimension: n)
            } else if rng.uniform() < Foundation.exp(logSumWeightSubtree - logSumWeight) {
                zSample.assign(zPropose, dimension: n)
            }
            logSumWeight = logSumExp(logSumWeight, logSumWeightSubtree)

            for i in 0..<n { rho[i] = rhoBackward[i] + rhoForward[i] }
            var persist = persists(pSharpBckBck, pSharpFwdFwd, rho)
            persist = persist && persists(pSharpBckBck, pSharpFwdBck, rhoBackward, pFwdBck)
            persist = persist && persists(pSharpBckFwd, pSharpFwdFwd, rhoForward, pBckFwd)
            if !persist { break }
        }

        z.assign(zSample, dimension: n)
        return TransitionStats(stepSize: stepSize, treeDepth: depth, leapfrogSteps: leapfrogs, divergent: divergent,
                               energy: hamiltonian(z), acceptanceStat: leapfrogs > 0 ? sumMetropolis / Double(leapfrogs) : 0,
                               logDensity: -z.potential)
    }

    /// Builds a sub-tree of 2^depth leapfrog steps from the current state `z` in direction `sign`,
    /// writing its multinomial proposal, boundary momenta/velocities and momentum sum. Returns false
    /// when the sub-tree diverged or made a U-turn (then the caller discards it).
    private func buildTree(depth: Int, propose: inout PhasePoint,
                           pSharpBeg: UnsafeMutablePointer<Double>, pSharpEnd: UnsafeMutablePointer<Double>,
                           rho: UnsafeMutablePointer<Double>, pBeg: UnsafeMutablePointer<Double>, pEnd: UnsafeMutablePointer<Double>,
                           h0: Double, sign: Double, leapfrogs: inout Int, logSumWeight: inout Double,
                           sumMetropolis: inout Double) -> Bool {
        if depth == 0 {
            Leapfrog.step(&z, epsilon: sign * stepSize, metric: metric, density: &density, velocity: velocity)
            leapfrogs += 1
            gradientEvaluations += 1
            var h = hamiltonian(z)
            if h.isNaN { h = .infinity }
            if h - h0 > maxEnergyError { divergent = true }
            logSumWeight = logSumExp(logSumWeight, h0 - h)
            sumMetropolis += h0 - h > 0 ? 1 : Foundation.exp(h0 - h)
            propose.assign(z, dimension: n)
            metric.velocity(z.p, into: pSharpBeg)
            pSharpEnd.update(from: pSharpBeg, count: n)
            for i in 0..<n { rho[i] += z.p[i] }
            pBeg.update(from: z.p, count: n)
            pEnd.update(from: z.p, count: n)
            return !divergent
        }

        let level = levels[depth]
        // Initial half of the sub-tree.
        var logSumWeightInit = -Double.infinity
        level.rhoInit.update(repeating: 0, count: n)
        let validInit = buildTree(depth: depth - 1, propose: &propose, pSharpBeg: pSharpBeg, pSharpEnd: level.pSharpInitEnd,
                                  rho: level.rhoInit, pBeg: pBeg, pEnd: level.pInitEnd, h0: h0, sign: sign,
                                  leapfrogs: &leapfrogs, logSumWeight: &logSumWeightInit, sumMetropolis: &sumMetropolis)
        if !validInit { return false }

        // Final half.
        var proposeFinal = level.proposeFinal
        var logSumWeightFinal = -Double.infinity
        level.rhoFinal.update(repeating: 0, count: n)
        let validFinal = buildTree(depth: depth - 1, propose: &proposeFinal, pSharpBeg: level.pSharpFinalBeg, pSharpEnd: pSharpEnd,
                                   rho: level.rhoFinal, pBeg: level.pFinalBeg, pEnd: pEnd, h0: h0, sign: sign,
                                   leapfrogs: &leapfrogs, logSumWeight: &logSumWeightFinal, sumMetropolis: &sumMetropolis)
        if !validFinal { return false }

        // Multinomial sample between the two halves.
        let logSumWeightSubtree = logSumExp(logSumWeightInit, logSumWeightFinal)
        logSumWeight = logSumExp(logSumWeight, logSumWeightSubtree)
        if logSumWeightFinal > logSumWeightSubtree {
            propose.assign(proposeFinal, dimension: n)
        } else if rng.uniform() < Foundation.exp(logSumWeightFinal - logSumWeightSubtree) {
            propose.assign(proposeFinal, dimension: n)
        }

        // U-turn checks: the whole sub-tree, then each half extended by the first state of the other.
        var persist = persists(pSharpBeg, pSharpEnd, level.rhoInit, level.rhoFinal)
        persist = persist && persists(pSharpBeg, level.pSharpFinalBeg, level.rhoInit, level.pFinalBeg)
        persist = persist && persists(level.pSharpInitEnd, pSharpEnd, level.rhoFinal, level.pInitEnd)
        for i in 0..<n { rho[i] += level.rhoInit[i] + level.rhoFinal[i] }
        return persist
    }
}
