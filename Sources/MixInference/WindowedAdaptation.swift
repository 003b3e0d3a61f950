/// Stan's windowed metric adaptation, with a shorter start.
///
/// Warm-up is split into an initial fast buffer (10 iterations, step size only), a series of slow
/// windows (15, 30, 60, … iterations; the last one stretched to end where the terminal buffer
/// begins) in which draws are collected to estimate the posterior (co)variance, and a terminal fast
/// buffer (50). For fewer than 75 warm-up iterations the buffers become 15 % / 75 % / 10 %.
///
/// Stan starts with 75 + 25 iterations on the unit metric. On media mix posteriors, whose
/// parameters differ in scale by orders of magnitude, those iterations run at a tiny step size
/// with trees at or near the maximum depth and cost about half of all warm-up gradients: on
/// weekly-5ch (4 chains × 1000 + 1000) the total fell from 574 k to 318 k gradients with the first
/// metric estimate after 25 iterations instead of 100, and from 1.22 M to 0.98 M on a 10-channel,
/// 25-control model, at the same minimum ESS (bench/peers and `mixplan-bench model --fit`). The
/// first estimate, from 15 draws still on their way to the typical set, is only a rough
/// rescaling; the doubling windows that follow replace it.
/// At the end of each slow window the inverse metric becomes the regularised estimate
/// (n/(n+5))·Σ̂ + 10⁻³·(5/(n+5))·I, shrinking toward a small identity while n is small.
final class WindowedAdaptation {
    let warmup: Int
    private(set) var initBuffer: Int
    private(set) var termBuffer: Int
    private(set) var baseWindow: Int
    /// False when warm-up is too short (< 20) for metric adaptation; step size is still adapted.
    let enabled: Bool

    private var counter = 0
    private var windowSize: Int
    private var nextWindowEnd: Int

    private let kind: MetricKind
    private let n: Int
    private var samples = 0
    private let mean: UnsafeMutablePointer<Double>
    private let m2: UnsafeMutablePointer<Double>
    private let delta: UnsafeMutablePointer<Double>
    private let estimate: UnsafeMutablePointer<Double>

    init(warmup: Int, kind: MetricKind, dimension: Int, initBuffer: Int = 10, termBuffer: Int = 50, baseWindow: Int = 15) {
        self.warmup = warmup
        self.kind = kind
        n = dimension
        var ib = initBuffer, tb = termBuffer, bw = baseWindow
        enabled = warmup >= 20
        if ib + bw + tb > warmup {
            ib = Int(0.15 * Double(warmup))
            tb = Int(0.1 * Double(warmup))
            bw = warmup - (ib + tb)
        }
        self.initBuffer = ib; self.termBuffer = tb; self.baseWindow = bw
        windowSize = bw
        nextWindowEnd = ib + bw - 1
        let size = kind == .diagonal ? n : n * n
        mean = .allocate(capacity: max(1, n)); mean.initialize(repeating: 0, count: max(1, n))
        delta = .allocate(capacity: max(1, n)); delta.initialize(repeating: 0, count: max(1, n))
        m2 = .allocate(capacity: max(1, size)); m2.initialize(repeating: 0, count: max(1, size))
        estimate = .allocate(capacity: max(1, size)); estimate.initialize(repeating: 0, count: max(1, size))
    }

    deinit {
        mean.deallocate(); m2.deallocate(); delta.deallocate(); estimate.deallocate()
    }

    private var inSlowWindow: Bool {
        counter >= initBuffer && counter < warmup - termBuffer && counter != warmup
    }

    private var atWindowEnd: Bool {
        counter == nextWindowEnd && counter != warmup
    }

    /// Stan's rule: double the window, but if the one after would overrun the terminal buffer,
    /// stretch this one to reach it.
    private func computeNextWindow() {
        let lastSlowIteration = warmup - termBuffer - 1
        if nextWindowEnd == lastSlowIteration { return }
        windowSize *= 2
        nextWindowEnd = counter + windowSize
        if nextWindowEnd != lastSlowIteration {
            let boundary = nextWindowEnd + 2 * windowSize
            if boundary >= warmup - termBuffer { nextWindowEnd = lastSlowIteration }
        }
    }

    private func addSample(_ q: UnsafeBufferPointer<Double>) {
        samples += 1
        let inv = 1 / Double(samples)
        for i in 0..<n {
            delta[i] = q[i] - mean[i]
            mean[i] += delta[i] * inv
        }
        if kind == .diagonal {
            for i in 0..<n { m2[i] += delta[i] * (q[i] - mean[i]) }
        } else {
            for i in 0..<n {
                for j in 0..<n { m2[i * n + j] += delta[i] * (q[j] - mean[j]) }
            }
        }
    }

    /// Feeds one warm-up draw. Returns true when a slow window just ended and `metric` was updated
    /// (the caller then re-initialises the step size and restarts dual averaging).
    func learn(position q: UnsafeBufferPointer<Double>, metric: Metric) -> Bool {
        guard enabled else { counter += 1; return false }
        if inSlowWindow { addSample(q) }
        if atWindowEnd {
            computeNextWindow()
            let count = Double(samples)
            let shrink = count / (count + 5)
            let ridge = 1e-3 * 5 / (count + 5)
            if kind == .diagonal {
                for i in 0..<n { estimate[i] = shrink * m2[i] / (count - 1) + ridge }
            } else {
                for i in 0..<n {
                    for j in 0..<n {
                        estimate[i * n + j] = shrink * m2[i * n + j] / (count - 1) + (i == j ? ridge : 0)
                    }
                }
            }
            metric.setInverse(estimate)
            samples = 0
            mean.update(repeating: 0, count: n)
            m2.update(repeating: 0, count: kind == .diagonal ? n : n * n)
            counter += 1
            return true
        }
        counter += 1
        return false
    }
}
