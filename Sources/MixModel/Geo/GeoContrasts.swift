import Foundation
import MixInference

/// The geo model's density in *contrast coordinates*: every fully non-centred pooled block keeps the
/// geos' common level out of its ζ's.
///
/// Why: with ζ_g ~ Normal(0, 1) and value_g = mean + scale·ζ_g, data that pin the geos' values down
/// leave one direction almost free — the mean up and every ζ_g down by the same amount over the
/// scale. Its length grows with the number of geos, and NUTS must travel it on every draw: on
/// geo-8x156 the three longest directions of the posterior were exactly these (social's log ROAS
/// mean with its eight ζ's, and each Fourier mean with its ζ's, 2.2× the metric's length;
/// `mixplan-bench geo-diagnose`).
///
/// The sampler moves instead, per entry of such a block (over its G geos; for a channel's ROAS,
/// the G geos where it spends),
///
///     ν = mean + scale·ζ̄,   ζ̄ = (1/G)·Σ_g ζ_g,   c_k = h_kᵀζ  (k = 1 … G−1)
///
/// with h_k the Helmert contrasts, an orthonormal basis of the vectors that sum to zero:
/// h_k = (1, …, 1, −k, 0, …, 0)/√(k(k+1)) with k ones. So ζ = ζ̄·1 + Σ_k c_k·h_k and
/// mean = ν − scale·ζ̄: ν is the geos' average value, which the data measure; the c_k are their
/// deviations; ζ̄ keeps its prior Normal(0, 1/G), tilted only through the mean's prior. ν sits in the
/// mean's slot, ζ̄ in the first geo's ζ slot and c_k in the (k+1)-th geo's. For a given scale the map is linear
/// with constant Jacobian √G, and the scale's own coordinate is unchanged, so the posterior is the
/// same: each evaluation maps the point to the model's coordinates, runs `GeoDensity` there, and
/// pulls the gradient back; `sample` maps the draws back, so nothing downstream sees contrasts.
/// Blocks with a centred or partially centred entry, entries whose mean is not on ℝ, and one-geo
/// models are left as they are. Under `GeoEffect.beta` each channel's pooled mean of log β is
/// also shifted by its reference log(H/X) (`GeoBetaShift`), after the contrasts are mapped back.
public struct GeoContrastDensity: LogDensity {
    /// One entry of a pooled block: its mean's coordinate, its scale's, and its ζ per geo.
    struct Entry: Sendable {
        let mean: Int
        let scale: Int
        let zeta: [Int]
    }

    public private(set) var base: GeoDensity
    /// Threads one evaluation may use (`GeoDensity.threads`).
    public var threads: Int {
        get { base.threads }
        set { base.threads = newValue }
    }
    /// The work that pays for one more thread (`GeoDensity.cellsPerThread`).
    public var cellsPerThread: Int {
        get { base.cellsPerThread }
        set { base.cellsPerThread = newValue }
    }
    let entries: [Entry]
    let scaleKernels: [PriorKernel]
    /// Pooled means of log β sampled shifted by the channel's reference log(H/X) (`GeoBetaShift`).
    let shift: GeoBetaShift
    private var scratch: Scratch

    /// `enabled: false` (benchmarks) samples the model's own coordinates; `shiftsBeta: false`
    /// (benchmarks) leaves the pooled means of log β unshifted.
    public init(structure s: GeoStructure, enabled: Bool = true, shiftsBeta: Bool = true) {
        base = GeoDensity(structure: s)
        var entries: [Entry] = []
        let G = s.geoCount
        if enabled, G > 1 {
            // A channel's ROAS block takes only the geos where it spends: an idle cell's ζ is a
            // free Normal(0, 1) the data never see, and averaging it into ν would mix that noise
            // into what the data measure.
            let C = s.channels.count
            let blocks = [(s.intercept, [Bool](repeating: true, count: G)), (s.fourier, [Bool](repeating: true, count: G))]
                + (s.trend.map { [($0, [Bool](repeating: true, count: G))] } ?? [])
                + s.channels.indices.map { c in (s.channels[c].roas, (0..<G).map { s.active[$0 * C + c] }) }
            for (block, live) in blocks {
                guard let scale = block.scale, let z = block.z, !block.centred.contains(true), !block.weight.contains(where: { $0 > 0 }) else { continue }
                if block.mean == s.intercept.mean, s.conditionalIntercept.contains(true) { continue }
                for j in 0..<block.count {
                    // ν = mean + scale·ζ̄ is formed on the mean's own coordinate, so that must be the value itself.
                    guard case .real = s.parameters[block.mean + j].prior.support else { continue }
                    let geos = (0..<G).filter { live[$0] }
                    guard !geos.isEmpty else { continue }
                    entries.append(Entry(mean: block.mean + j, scale: scale, zeta: geos.map { z + $0 * block.count + j }))
                }
            }
        }
        self.entries = entries
        scaleKernels = entries.map { s.parameters[$0.scale].prior.kernel }
        shift = GeoBetaShift(structure: s, enabled: shiftsBeta)
        scratch = Scratch(s.dimension, shift)
    }

    public var dimension: Int { base.dimension }
    /// How many pooled entries (a block's mean with its ζ per geo) are in contrast coordinates.
    public var entryCount: Int { entries.count }
    /// The model's names; the mean and ζ slots of a block in contrast coordinates hold ν, ζ̄ and c_k.
    public var parameterNames: [String] { base.parameterNames }

    public mutating func logDensity(at q: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        if entries.isEmpty && shift.isEmpty { return base.logDensity(at: q, gradient: gradient) }
        if !isKnownUniquelyReferenced(&scratch) { scratch = Scratch(dimension, shift) }
        let n = dimension, u = scratch.point, gu = scratch.gradient
        for i in 0..<n { u[i] = q[i]; gu[i] = 0 }
        toModel(from: q.baseAddress!, into: u)
        shift.toModel(u, scratch: scratch.shifts)
        let lp = base.logDensity(at: UnsafeBufferPointer(start: u, count: n), gradient: UnsafeMutableBufferPointer(start: gu, count: n))
        shift.pullBack(gu, scratch: scratch.shifts)
        for i in 0..<n { gradient[i] = gu[i] }
        for (e, kernel) in zip(entries, scaleKernels) { Self.pullBack(e, kernel, at: q.baseAddress!, modelGradient: gu, into: gradient.baseAddress!) }
        return lp
    }

    /// The model's coordinates for contrast coordinates `q`, entry by entry (`u` already holds the
    /// coordinates no entry touches).
    @inline(__always)
    func toModel(from q: UnsafePointer<Double>, into u: UnsafeMutablePointer<Double>) {
        for (e, kernel) in zip(entries, scaleKernels) { Self.toModel(e, kernel, from: q, into: u) }
    }

    /// The model's coordinates of one entry for contrast coordinates `q` (other coordinates untouched).
    @inline(__always)
    static func toModel(_ e: Entry, _ kernel: PriorKernel, from q: UnsafePointer<Double>, into u: UnsafeMutablePointer<Double>) {
        let scale = kernel.constrain(q[e.scale]).x
        let G = e.zeta.count, mean = q[e.zeta[0]]
        var tail = 0.0                                   // Σ_{k>g} c_k/√(k(k+1))
        for g in stride(from: G - 1, through: 0, by: -1) {
            var v = mean + tail
            if g >= 1 {
                let w = q[e.zeta[g]] / (Double(g) * Double(g + 1)).squareRoot()
                v -= Double(g) * w
                tail += w
            }
            u[e.zeta[g]] = v
        }
        u[e.mean] = q[e.mean] - scale * mean
    }

    /// Adds the chain rule of one entry's map to `gradient` (which starts as `modelGradient`).
    @inline(__always)
    static func pullBack(_ e: Entry, _ kernel: PriorKernel, at q: UnsafePointer<Double>, modelGradient gu: UnsafePointer<Double>,
                         into gradient: UnsafeMutablePointer<Double>) {
        let t = kernel.constrain(q[e.scale])
        let dMean = gu[e.mean]
        gradient[e.mean] = dMean
        gradient[e.scale] += -q[e.zeta[0]] * t.dxdu * dMean
        // ∂ℓ/∂c_k = h_kᵀ ∂ℓ/∂ζ and ∂ℓ/∂ζ̄ = Σ_g ∂ℓ/∂ζ_g − scale·∂ℓ/∂mean.
        gradient[e.zeta[0]] = helmertTranspose(e, of: gu, into: gradient) - t.x * dMean
    }

    /// Writes h_kᵀv into `out`'s slot of the (k+1)-th geo for k = 1 … G−1, reading v from the entry's
    /// ζ slots of `v`, and returns Σ_g v_g. The same transpose gives the contrasts of a point
    /// (`contrasts(of:)`) and the gradient in them (`pullBack`).
    @inline(__always)
    static func helmertTranspose(_ e: Entry, of v: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) -> Double {
        var head = v[e.zeta[0]]                          // Σ_{g<k} v_g
        for k in 1..<e.zeta.count {
            let d = v[e.zeta[k]]
            out[e.zeta[k]] = (head - Double(k) * d) / (Double(k) * Double(k + 1)).squareRoot()
            head += d
        }
        return head
    }

    /// The sampler's coordinates for a point `u` in the model's coordinates (the inverse of
    /// `model(of:)`; diagnostics read the sampler's geometry through it).
    public func contrasts(of u: [Double]) -> [Double] {
        var u = u
        u.withUnsafeMutableBufferPointer { shift.fromModel($0.baseAddress!, scratch: scratch.shifts) }
        var q = u
        u.withUnsafeBufferPointer { up in
            q.withUnsafeMutableBufferPointer { qp in
                let u = up.baseAddress!, q = qp.baseAddress!
                for (e, kernel) in zip(entries, scaleKernels) {
                    let mean = Self.helmertTranspose(e, of: u, into: q) / Double(e.zeta.count)
                    q[e.zeta[0]] = mean
                    q[e.mean] = u[e.mean] + kernel.constrain(u[e.scale]).x * mean
                }
            }
        }
        return q
    }

    /// The model's coordinates for a point `q` in the sampler's coordinates.
    public func model(of q: [Double]) -> [Double] {
        var u = q
        q.withUnsafeBufferPointer { qp in
            u.withUnsafeMutableBufferPointer {
                toModel(from: qp.baseAddress!, into: $0.baseAddress!)
                shift.toModel($0.baseAddress!, scratch: scratch.shifts)
            }
        }
        return u
    }

    /// Samples the posterior of `structure` in contrast coordinates (unless `enabled` is false) and
    /// returns the run with every draw in the model's coordinates and names.
    public static func sample(_ structure: GeoStructure, settings: SamplerSettings, enabled: Bool = true, shiftsBeta: Bool = true,
                              progress: ((SamplingProgress) -> Void)? = nil) throws -> SamplingResult {
        var density = GeoContrastDensity(structure: structure, enabled: enabled, shiftsBeta: shiftsBeta)
        density.threads = threadsPerEvaluation(settings)
        return density.inModelCoordinates(try MixInference.sample(density, settings: settings, progress: progress))
    }

    /// `run` (from `sample`, in the model's coordinates) with every chain continued for `draws`
    /// more draws (`MixInference.continueChains`: no new warm-up), sampled in the same coordinates.
    public static func continueChains(_ structure: GeoStructure, run: SamplingResult, draws: Int, enabled: Bool = true,
                                      shiftsBeta: Bool = true, progress: ((SamplingProgress) -> Void)? = nil) throws -> SamplingResult {
        var density = GeoContrastDensity(structure: structure, enabled: enabled, shiftsBeta: shiftsBeta)
        if let settings = run.settings { density.threads = threadsPerEvaluation(settings) }
        let n = run.dimension
        // Only where each chain stopped is needed, in the sampler's coordinates.
        let last = (0..<run.chains).map { c in
            density.contrasts(of: Array(run.values[((c * run.draws + run.draws - 1) * n)..<((c * run.draws + run.draws) * n)]))
        }
        let more = try MixInference.continueChains(density, of: run, draws: draws, positions: last, progress: progress)
        return run.appending(density.inModelCoordinates(more))
    }

    /// `run`'s draws mapped from the sampler's coordinates to the model's.
    func inModelCoordinates(_ run: SamplingResult) -> SamplingResult {
        guard !entries.isEmpty || !shift.isEmpty else { return run }
        let n = run.dimension
        var values = run.values
        let shifts = scratch.shifts
        run.values.withUnsafeBufferPointer { q in
            values.withUnsafeMutableBufferPointer { u in
                for d in 0..<(run.chains * run.draws) {
                    toModel(from: q.baseAddress! + d * n, into: u.baseAddress! + d * n)
                    shift.toModel(u.baseAddress! + d * n, scratch: shifts)
                }
            }
        }
        return run.replacingDraws(values, names: base.parameterNames)
    }

    /// The cores left to each chain when there are more cores than chains running at once (at
    /// least 1): a single chain on 8 cores splits each evaluation's geos over 8 threads.
    public static func threadsPerEvaluation(_ settings: SamplerSettings, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        let running = min(settings.chains, settings.maxThreads ?? settings.chains)
        return max(1, cores / max(1, running))
    }

    /// Per-chain scratch: the point in the model's coordinates and the gradient there, and the β shift's.
    private final class Scratch {
        let point, gradient: UnsafeMutablePointer<Double>
        let shifts: GeoBetaShift.Scratch
        init(_ n: Int, _ shift: GeoBetaShift) {
            shifts = GeoBetaShift.Scratch(shift)
            point = .allocate(capacity: max(n, 1)); point.initialize(repeating: 0, count: max(n, 1))
            gradient = .allocate(capacity: max(n, 1)); gradient.initialize(repeating: 0, count: max(n, 1))
        }
        deinit { point.deallocate(); gradient.deallocate() }
    }
}
