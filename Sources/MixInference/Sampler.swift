import Foundation

/// Runs NUTS with Stan-style warm-up on `density`: `settings.chains` chains in parallel threads,
/// chain c driven by random stream c of `settings.seed`, so the draws are identical for the same
/// seed whatever the number of threads or their timing.
///
/// Each chain: init (user point, or uniform in ±`initRadius` with retries) → step-size heuristic →
/// `warmup` iterations of `NUTS` transitions with `StepSizeAdaptation` and, by
/// `settings.metricAdaptation`, Stan's `WindowedAdaptation` (step size re-initialised after every
/// metric update) or `GradientMetricAdaptation` → `draws × thin` iterations at the final step size
/// and metric.
///
/// ```swift
/// let result = try sample(model, settings: SamplerSettings(seed: 7))
/// let rows = result.summary()                       // one row per parameter
/// let roi = result.derived { θ in θ[θ.startIndex] * 2 }
/// let roiRow = QuantitySummary(name: "roi", chains: roi)
/// ```
///
/// - Parameters:
///   - progress: called from worker threads about every 1 % of a chain's iterations and at its
///     end; must be thread-safe and quick.
///   - isCancelled: polled once per iteration by every chain; returning true stops all chains and
///     the call throws `SamplerError.cancelled`.
public func sample<D: LogDensity>(_ density: D, settings: SamplerSettings,
                                  progress: ((SamplingProgress) -> Void)? = nil,
                                  isCancelled: (() -> Bool)? = nil) throws -> SamplingResult {
    try runChains(density, settings: settings, starts: nil, progress: progress, isCancelled: isCancelled)
}

/// Where a continued chain starts (`continueChains`): its last position, the step size and
/// inverse metric it adapted, and a random stream none of the run's chains used.
struct ChainStart {
    let position: [Double]
    let stepSize: Double
    let inverseMetric: [Double]
    let stream: Int
}

/// The chains of `sample`, or with `starts` (one per chain, `settings.warmup` 0) continued chains.
func runChains<D: LogDensity>(_ density: D, settings: SamplerSettings, starts: [ChainStart]?,
                              progress: ((SamplingProgress) -> Void)?, isCancelled: (() -> Bool)?) throws -> SamplingResult {
    let n = density.dimension
    try settings.validate(dimension: n)
    let start = DispatchTime.now().uptimeNanoseconds
    let chains = settings.chains
    let perChain = settings.draws * n
    let values = UnsafeMutableBufferPointer<Double>.allocate(capacity: chains * perChain)
    values.initialize(repeating: .nan)
    defer { values.deallocate() }
    let zeroStats = TransitionStats(stepSize: .nan, treeDepth: 0, leapfrogSteps: 0, divergent: false,
                                    energy: .nan, acceptanceStat: .nan, logDensity: .nan)
    let stats = UnsafeMutableBufferPointer<TransitionStats>.allocate(capacity: chains * settings.draws)
    stats.initialize(repeating: zeroStats)
    defer { stats.deallocate() }
    let outcomes = UnsafeMutableBufferPointer<ChainOutcome?>.allocate(capacity: chains)
    outcomes.initialize(repeating: nil)
    defer { outcomes.deallocate() }
    let stop = StopFlag()

    let workers = min(chains, settings.maxThreads ?? chains)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var c = worker
        while c < chains {
            let outcome: ChainOutcome
            do {
                let runner = ChainRunner(density: density, settings: settings, chain: c, start: starts?[c],
                                         values: values.baseAddress! + c * perChain,
                                         stats: stats.baseAddress! + c * settings.draws,
                                         progress: progress, isCancelled: isCancelled, stop: stop)
                let (info, steps, gradients) = try runner.run()
                outcome = .finished(info, leapfrogs: steps, gradients: gradients)
            } catch {
                stop.set()
                outcome = .failed(error)
            }
            outcomes[c] = outcome
            c += workers
        }
    }

    var warmups: [WarmupInfo] = []
    var leapfrogs = 0
    var gradients = 0
    var firstError: Error?
    for c in 0..<chains {
        switch outcomes[c] {
        case .finished(let info, let steps, let evaluations)?:
            warmups.append(info)
            leapfrogs += steps
            gradients += evaluations
        case .failed(let error)?:
            // Prefer the chain's real failure over the `.cancelled` it caused in the other chains.
            if firstError == nil || (firstError as? SamplerError) == .cancelled { firstError = error }
        case nil:
            firstError = firstError ?? SamplerError.cancelled
        }
    }
    if let firstError { throw firstError }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return SamplingResult(parameterNames: density.parameterNames, chains: chains, draws: settings.draws,
                          dimension: n, values: Array(values), stats: Array(stats), warmup: warmups,
                          totalLeapfrogSteps: leapfrogs, gradientEvaluations: gradients, seconds: seconds,
                          settings: settings)
}

private enum ChainOutcome {
    case finished(WarmupInfo, leapfrogs: Int, gradients: Int)
    case failed(Error)
}

/// Set by the first chain that fails so the others stop early.
private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// One chain from init through warm-up to its last kept draw.
private struct ChainRunner<D: LogDensity> {
    let density: D
    let settings: SamplerSettings
    let chain: Int
    /// A continued chain's start (no warm-up); nil for a new chain.
    let start: ChainStart?
    let values: UnsafeMutablePointer<Double>
    let stats: UnsafeMutablePointer<TransitionStats>
    let progress: ((SamplingProgress) -> Void)?
    let isCancelled: (() -> Bool)?
    let stop: StopFlag

    /// Random init uniform in (−r, r), retried until density and gradient are finite.
    private func initialise(_ nuts: NUTS<D>) throws {
        if let inits = settings.inits {
            try nuts.setPosition(inits.count == 1 ? inits[0] : inits[chain])
            return
        }
        let n = density.dimension
        var point = [Double](repeating: 0, count: n)
        let r = settings.initRadius
        for _ in 0..<settings.initAttempts {
            for i in 0..<n { point[i] = nuts.rng.uniform(-r, r) }
            if (try? nuts.setPosition(point)) != nil { return }
        }
        throw SamplerError.initialisationFailed(chain: chain, attempts: settings.initAttempts, radius: r)
    }

    func run() throws -> (WarmupInfo, Int, Int) {
        let n = density.dimension
        let metric = Metric(kind: settings.metric, dimension: n)
        if let inverse = start?.inverseMetric ?? settings.initialInverseMetric {
            guard inverse.count == (settings.metric == .diagonal ? n : n * n),
                  inverse.withUnsafeBufferPointer({ metric.setInverse($0.baseAddress!) }) else {
                throw SamplerError.invalidSettings(start == nil ? "initialInverseMetric is not positive definite"
                                                   : "chain \(chain)'s adapted inverse metric is not positive definite or has the wrong size")
            }
        }
        let nuts = NUTS(density: density, metric: metric, stepSize: start?.stepSize ?? settings.initialStepSize ?? 1,
                        maxTreeDepth: settings.maxTreeDepth, rng: RandomStream(seed: settings.seed, stream: start?.stream ?? chain))
        if let start { try nuts.setPosition(start.position) } else { try initialise(nuts) }

        let warmup = settings.warmup
        let total = warmup + settings.draws * settings.thin
        let reportEvery = max(1, total / 100)
        var stepAdaptation = StepSizeAdaptation(target: settings.targetAcceptance)
        let gradientWindows = settings.metric == .diagonal && settings.metricAdaptation == .drawAndGradientVariance
            ? GradientMetricAdaptation(warmup: warmup, dimension: n) : nil
        let windows = gradientWindows == nil ? WindowedAdaptation(warmup: warmup, kind: settings.metric, dimension: n) : nil
        if warmup > 0 {
            nuts.initializeStepSize()
            stepAdaptation.restart(from: nuts.stepSize)
        }
        var leapfrogs = 0
        var divergences = 0
        var kept = 0
        var warmupSteps: [Int] = []
        warmupSteps.reserveCapacity(warmup)
        for iteration in 0..<total {
            if stop.isSet || (isCancelled?() ?? false) {
                stop.set()
                throw SamplerError.cancelled
            }
            let s = nuts.transition()
            leapfrogs += s.leapfrogSteps
            if s.divergent { divergences += 1 }
            if iteration < warmup {
                warmupSteps.append(s.leapfrogSteps)
                nuts.stepSize = stepAdaptation.learn(acceptanceStat: s.acceptanceStat)
                if let gradientWindows {
                    nuts.withPositionAndGradient { gradientWindows.learn(position: $0, gradient: $1, metric: metric) }
                    if gradientWindows.restartsStepSize(at: iteration) {
                        nuts.initializeStepSize()
                        stepAdaptation.restart(from: nuts.stepSize)
                    }
                } else if let windows, nuts.withPosition({ windows.learn(position: $0, metric: metric) }) {
                    nuts.initializeStepSize()
                    stepAdaptation.restart(from: nuts.stepSize)
                }
                if iteration == warmup - 1 { nuts.stepSize = stepAdaptation.finalStepSize }
            } else if (iteration - warmup) % settings.thin == settings.thin - 1 {
                nuts.withPosition { q in (values + kept * n).update(from: q.baseAddress!, count: n) }
                stats[kept] = s
                kept += 1
            }
            if let progress, (iteration + 1) % reportEvery == 0 || iteration + 1 == total {
                progress(SamplingProgress(chain: chain, iteration: iteration + 1, totalIterations: total,
                                          isWarmup: iteration < warmup, divergences: divergences))
            }
        }
        return (WarmupInfo(stepSize: nuts.stepSize, inverseMetric: metric.inverseArray, metric: settings.metric, leapfrogSteps: warmupSteps),
                leapfrogs, nuts.gradientEvaluations)
    }
}
