/// How to run the sampler. Defaults follow Stan: 4 chains × 1000 warm-up × 1000 draws,
/// target acceptance 0.8, maximum tree depth 10, diagonal metric, inits uniform in (−2, 2).
public struct SamplerSettings: Sendable, Equatable {
    /// Number of independent chains.
    public var chains: Int = 4
    /// Warm-up (adaptation) iterations per chain; not returned.
    public var warmup: Int = 1000
    /// Kept iterations per chain.
    public var draws: Int = 1000
    /// Keep every `thin`-th post-warm-up iteration (`draws` counts kept draws).
    public var thin: Int = 1
    /// Target mean acceptance statistic for dual averaging; raise (e.g. 0.9–0.99) to remove divergences.
    public var targetAcceptance: Double = 0.8
    /// Maximum number of trajectory doublings (2^depth leapfrog steps at most).
    public var maxTreeDepth: Int = 10
    /// Seed of the whole run; chain c uses stream c of this seed.
    public var seed: UInt64
    /// Mass-matrix form adapted during warm-up.
    public var metric: MetricKind = .diagonal
    /// How warm-up estimates a diagonal metric (a dense one always uses the draws' covariance).
    public var metricAdaptation: MetricAdaptation = .drawVariance
    /// Random inits are uniform in (−initRadius, initRadius) on the unconstrained scale.
    public var initRadius: Double = 2
    /// Attempts at a random init with finite density and gradient before giving up.
    public var initAttempts: Int = 100
    /// Optional user inits: one point per chain, or a single point used by every chain.
    public var inits: [[Double]]? = nil
    /// Optional starting step size (warm start); otherwise 1, refined by Stan's heuristic.
    public var initialStepSize: Double? = nil
    /// Optional starting inverse metric (n values for diagonal, n·n row-major for dense).
    public var initialInverseMetric: [Double]? = nil
    /// Maximum worker threads (nil: one per chain; the OS spreads them over the cores).
    /// The draws do not depend on this value.
    public var maxThreads: Int? = nil

    public init(seed: UInt64) { self.seed = seed }

    /// Convenience initialiser for the common knobs.
    public init(chains: Int = 4, warmup: Int = 1000, draws: Int = 1000, targetAcceptance: Double = 0.8,
                maxTreeDepth: Int = 10, seed: UInt64, metric: MetricKind = .diagonal) {
        self.chains = chains
        self.warmup = warmup
        self.draws = draws
        self.targetAcceptance = targetAcceptance
        self.maxTreeDepth = maxTreeDepth
        self.seed = seed
        self.metric = metric
    }

    /// Throws `SamplerError.invalidSettings` naming the first bad field and what it must be.
    public func validate(dimension: Int) throws {
        func bad(_ text: String) -> SamplerError { .invalidSettings(text) }
        guard dimension > 0 else { throw bad("the density has dimension \(dimension); it must have at least one parameter") }
        guard chains >= 1 else { throw bad("chains is \(chains); it must be at least 1") }
        guard warmup >= 0 else { throw bad("warmup is \(warmup); it must be 0 or more") }
        guard draws >= 1 else { throw bad("draws is \(draws); it must be at least 1") }
        guard thin >= 1 else { throw bad("thin is \(thin); it must be at least 1") }
        guard targetAcceptance > 0, targetAcceptance < 1 else { throw bad("targetAcceptance is \(targetAcceptance); it must lie strictly between 0 and 1") }
        guard (1...30).contains(maxTreeDepth) else { throw bad("maxTreeDepth is \(maxTreeDepth); it must be between 1 and 30") }
        guard initRadius >= 0, initRadius.isFinite else { throw bad("initRadius is \(initRadius); it must be a finite number ≥ 0") }
        guard initAttempts >= 1 else { throw bad("initAttempts is \(initAttempts); it must be at least 1") }
        if let inits {
            guard inits.count == 1 || inits.count == chains else {
                throw bad("inits has \(inits.count) points; give 1 (shared) or one per chain (\(chains))")
            }
            for (c, point) in inits.enumerated() where point.count != dimension {
                throw bad("inits[\(c)] has \(point.count) values; the density has dimension \(dimension)")
            }
        }
        if let step = initialStepSize, !(step > 0 && step.isFinite) {
            throw bad("initialStepSize is \(step); it must be a finite number > 0")
        }
        if let inverse = initialInverseMetric {
            let expected = metric == .diagonal ? dimension : dimension * dimension
            guard inverse.count == expected else {
                throw bad("initialInverseMetric has \(inverse.count) values; a \(metric.rawValue) metric of dimension \(dimension) needs \(expected)")
            }
            if metric == .diagonal, let v = inverse.first(where: { !($0 > 0 && $0.isFinite) }) {
                throw bad("initialInverseMetric contains \(v); diagonal entries must be finite and > 0")
            }
        }
        if let threads = maxThreads, threads < 1 { throw bad("maxThreads is \(threads); it must be at least 1") }
    }
}

/// How warm-up estimates the metric.
public enum MetricAdaptation: String, Sendable, Codable {
    /// Stan's: the draws' variance over doubling windows (`WindowedAdaptation`).
    case drawVariance
    /// √(var(draws)/var(gradients)) from overlapping windows refreshed every few iterations, and
    /// the draws' variance over its last three quarters at its end (`GradientMetricAdaptation`):
    /// a fraction of the warm-up gradients on large geo panels. Diagonal metric only; a dense one
    /// uses Stan's.
    case drawAndGradientVariance
}

/// Why sampling stopped without a result.
public enum SamplerError: Error, CustomStringConvertible, Equatable {
    /// A setting is out of range; the text names it and the allowed values.
    case invalidSettings(String)
    /// No random init with a finite log density and gradient was found.
    case initialisationFailed(chain: Int, attempts: Int, radius: Double)
    /// A user-supplied init has a non-finite log density or gradient.
    case nonFiniteInitialPoint([Double])
    /// The `isCancelled` callback returned true.
    case cancelled

    public var description: String {
        switch self {
        case .invalidSettings(let text):
            return "Invalid sampler settings: \(text)."
        case let .initialisationFailed(chain, attempts, radius):
            return "Chain \(chain + 1) could not start: none of \(attempts) random points drawn uniformly in (−\(radius), \(radius)) on the unconstrained scale had a finite log density and gradient. Check the model for impossible data or priors, or supply inits."
        case .nonFiniteInitialPoint(let point):
            return "The initial point \(point) has a non-finite log density or gradient; choose an init inside the support of the model."
        case .cancelled:
            return "Sampling was cancelled before it finished."
        }
    }
}

/// Progress of one chain, reported to the optional callback (from worker threads).
public struct SamplingProgress: Sendable, Equatable {
    /// Zero-based chain index.
    public var chain: Int
    /// Iterations finished (warm-up + sampling, counting thinned-out ones).
    public var iteration: Int
    /// Total iterations this chain will run.
    public var totalIterations: Int
    /// True while still in warm-up.
    public var isWarmup: Bool
    /// Divergent transitions so far in this chain (warm-up included).
    public var divergences: Int

    public init(chain: Int, iteration: Int, totalIterations: Int, isWarmup: Bool, divergences: Int) {
        self.chain = chain
        self.iteration = iteration
        self.totalIterations = totalIterations
        self.isWarmup = isWarmup
        self.divergences = divergences
    }
}
