/// Diagonal metric adaptation that learns from draws *and* their gradients while warm-up runs,
/// then ends on the draws' variance over most of warm-up.
///
/// For a Gaussian coordinate with variance σ², the gradient of the log density has variance
/// 1/σ², so √(var(x)/var(∇)) recovers σ² from any spread of points, even points still drifting
/// toward the typical set, where the draws' variance alone is wrong. Warm-up can therefore trust
/// an estimate from a few dozen draws and refresh it often, instead of running long stretches on
/// the stale metric of Stan's doubling windows. On geo panels that halves warm-up's leapfrog steps
/// (geo-8x156: 296–411 k → 158–218 k per fit); see `mixplan-bench geo-convergence --adaptation=stan`.
///
/// The ratio is exact only for Gaussians; in a funnel it is too short along the neck, and a run
/// sampled with it alone had about half the minimum ESS per draw. So the metric warm-up ends on,
/// the one the kept draws use, is Stan's regularised variance of every draw from a quarter of
/// warm-up to the terminal buffer (about 700 draws). That window can take in a chain still
/// settling: on geo-8x156 seed 5 at target acceptance 0.95 one chain moved through iterations
/// 300–600 and a quarter of the draws then ran to tree depth 10, where a window from half-way
/// passed; but on geo-50x208 (what this adaptation is used for, `GeoFit.adaptation(for:)`) the
/// window from a quarter passed the gate on both seeds measured in 11.6–13.4 minutes, and seed
/// 1 with the window from half-way ran over 30 minutes (with builds alongside; a refit, it seems).
///
/// Schedule for W warm-up iterations: an initial buffer (10, step size only); adaptation until the
/// terminal buffer (the last 50), with two overlapping estimators: every iteration feeds both and,
/// every 10 iterations in the first 30 % of warm-up and every 50 after, the metric becomes the
/// older one's estimate and a fresh one replaces it, so each metric comes from the last one to
/// two such periods. Dual averaging of the step size runs on across these updates; at the start
/// of the terminal buffer the final metric is set and the step size is re-initialised and
/// restarted (`restartsStepSize(at:)`). Short warm-ups scale the buffers as `WindowedAdaptation`
/// does.
final class GradientMetricAdaptation {
    let warmup: Int
    let initBuffer: Int
    let termBuffer: Int
    /// First iteration of the late phase (longer switch period).
    let earlyEnd: Int
    /// First iteration whose draw counts toward the final, draws-only estimate.
    let finalWindowStart: Int
    let earlySwitch = 10
    let lateSwitch = 50
    /// False when warm-up is too short (< 20); the step size is still adapted.
    let enabled: Bool

    private let n: Int
    private var counter = 0
    private var sinceSwitch = 0
    private var older: Moments
    private var younger: Moments
    private let finalWindow: Moments
    private let estimate: UnsafeMutablePointer<Double>

    init(warmup: Int, dimension: Int) {
        self.warmup = warmup
        n = dimension
        enabled = warmup >= 20
        var ib = 10, tb = 50
        if ib + tb + 2 * earlySwitch > warmup {
            ib = Int(0.15 * Double(warmup))
            tb = Int(0.1 * Double(warmup))
        }
        initBuffer = ib
        termBuffer = tb
        earlyEnd = ib + Int(0.3 * Double(warmup))
        finalWindowStart = max(ib, warmup / 4)
        older = Moments(dimension: dimension)
        younger = Moments(dimension: dimension)
        finalWindow = Moments(dimension: dimension)
        estimate = .allocate(capacity: max(1, dimension))
        estimate.initialize(repeating: 1, count: max(1, dimension))
    }

    deinit { estimate.deallocate() }

    /// True at the iteration after which the sampler re-initialises and restarts the step size:
    /// the last one before the terminal buffer, when the final metric has just been set.
    func restartsStepSize(at iteration: Int) -> Bool {
        enabled && iteration == warmup - termBuffer - 1
    }

    /// Feeds warm-up iteration's draw and the potential's gradient there (either sign: only its
    /// variance is used). Returns true when the metric was replaced.
    @discardableResult
    func learn(position q: UnsafeBufferPointer<Double>, gradient g: UnsafeBufferPointer<Double>, metric: Metric) -> Bool {
        defer { counter += 1 }
        guard enabled, counter >= initBuffer, counter < warmup - termBuffer else { return false }
        older.add(q, g)
        younger.add(q, g)
        if counter >= finalWindowStart { finalWindow.add(q, g) }
        sinceSwitch += 1
        if counter == warmup - termBuffer - 1 {
            if finalWindow.count >= 10 {
                finalWindow.writeDrawVariance(into: estimate)
            } else if !(older.count >= 3 && older.writeGradientScaled(into: estimate)) {
                return false
            }
            metric.setInverse(estimate)
            return true
        }
        guard sinceSwitch >= (counter < earlyEnd ? earlySwitch : lateSwitch) else { return false }
        sinceSwitch = 0
        let updated = older.count >= 3 && older.writeGradientScaled(into: estimate)
        if updated { metric.setInverse(estimate) }
        swap(&older, &younger)
        younger.reset()
        return updated
    }
}

/// Running means and squared deviations of positions and gradients (Welford), per coordinate.
private final class Moments {
    let n: Int
    private(set) var count = 0
    private let meanQ, m2Q, meanG, m2G: UnsafeMutablePointer<Double>

    init(dimension: Int) {
        n = dimension
        let size = max(1, dimension)
        meanQ = .allocate(capacity: size); m2Q = .allocate(capacity: size)
        meanG = .allocate(capacity: size); m2G = .allocate(capacity: size)
        for buffer in [meanQ, m2Q, meanG, m2G] { buffer.initialize(repeating: 0, count: size) }
    }

    deinit { for buffer in [meanQ, m2Q, meanG, m2G] { buffer.deallocate() } }

    func reset() {
        count = 0
        for buffer in [meanQ, m2Q, meanG, m2G] { buffer.update(repeating: 0, count: n) }
    }

    func add(_ q: UnsafeBufferPointer<Double>, _ g: UnsafeBufferPointer<Double>) {
        count += 1
        let w = 1 / Double(count)
        for i in 0..<n {
            let dq = q[i] - meanQ[i]
            meanQ[i] += dq * w
            m2Q[i] += dq * (q[i] - meanQ[i])
            let dg = g[i] - meanG[i]
            meanG[i] += dg * w
            m2G[i] += dg * (g[i] - meanG[i])
        }
    }

    /// Stan's regularised variance of the draws, (c/(c+5))·var + 10⁻³·5/(c+5) for c draws.
    func writeDrawVariance(into out: UnsafeMutablePointer<Double>) {
        let c = Double(count)
        for i in 0..<n { out[i] = c / (c + 5) * m2Q[i] / (c - 1) + 1e-3 * 5 / (c + 5) }
    }

    /// √(var q / var g) per coordinate, clamped to [10⁻¹⁰, 10¹⁰]; a coordinate whose gradient did
    /// not vary gets its draws' variance, one with no finite value keeps its current entry.
    /// False if no coordinate gave a finite value.
    func writeGradientScaled(into out: UnsafeMutablePointer<Double>) -> Bool {
        var any = false
        for i in 0..<n {
            let vq = m2Q[i], vg = m2G[i]
            let value = vg > 0 ? (vq / vg).squareRoot() : vq / Double(max(1, count - 1))
            guard value.isFinite, value > 0 else { continue }
            out[i] = Swift.min(1e10, Swift.max(1e-10, value))
            any = true
        }
        return any
    }
}
