/// What warm-up settled on for one chain.
public struct WarmupInfo: Sendable, Equatable {
    /// Step size used for every kept draw.
    public var stepSize: Double
    /// Adapted inverse metric: n values (diagonal) or n·n row-major (dense).
    public var inverseMetric: [Double]
    /// Form of `inverseMetric`.
    public var metric: MetricKind
    /// Leapfrog steps of each warm-up iteration, so where warm-up spends its gradients can be read.
    public var leapfrogSteps: [Int] = []
}

/// The output of `sample`: draws of every unconstrained parameter plus per-draw sampler statistics.
///
/// Draws are stored contiguously, chain-major: value (chain c, draw d, parameter p) is
/// `values[(c * draws + d) * dimension + p]`; statistics likewise at `stats[c * draws + d]`.
public struct SamplingResult: Sendable {
    /// Names of the unconstrained coordinates, from the density.
    public let parameterNames: [String]
    public let chains: Int
    /// Kept draws per chain.
    public let draws: Int
    /// Number of parameters.
    public let dimension: Int
    /// All draws, chain × draw × parameter.
    public let values: [Double]
    /// Sampler statistics per kept draw, chain × draw.
    public let stats: [TransitionStats]
    /// Per chain: the adapted step size and metric.
    public let warmup: [WarmupInfo]
    /// Total leapfrog steps (= gradient evaluations in trajectories) over all chains, warm-up included.
    public let totalLeapfrogSteps: Int
    /// All log-density/gradient evaluations (leapfrog steps plus inits and step-size searches).
    public let gradientEvaluations: Int
    /// Wall-clock seconds of the whole run.
    public let seconds: Double
    /// The settings that produced the run (nil when built by hand without them), so diagnostics
    /// such as `health()` need not be told the maximum tree depth again.
    public let settings: SamplerSettings?

    public init(parameterNames: [String], chains: Int, draws: Int, dimension: Int, values: [Double],
                stats: [TransitionStats], warmup: [WarmupInfo], totalLeapfrogSteps: Int, gradientEvaluations: Int, seconds: Double,
                settings: SamplerSettings? = nil) {
        self.parameterNames = parameterNames
        self.chains = chains
        self.draws = draws
        self.dimension = dimension
        self.values = values
        self.stats = stats
        self.warmup = warmup
        self.totalLeapfrogSteps = totalLeapfrogSteps
        self.gradientEvaluations = gradientEvaluations
        self.seconds = seconds
        self.settings = settings
    }

    /// The same run with other draws per kept transition (e.g. mapped to a constrained scale, where
    /// a simplex has one coordinate more than the sampler saw): `names.count` values per draw.
    public func replacingDraws(_ values: [Double], names: [String]) -> SamplingResult {
        precondition(values.count == chains * draws * names.count, "replacement draws must keep chains × draws")
        return SamplingResult(parameterNames: names, chains: chains, draws: draws, dimension: names.count, values: values,
                              stats: stats, warmup: warmup, totalLeapfrogSteps: totalLeapfrogSteps,
                              gradientEvaluations: gradientEvaluations, seconds: seconds, settings: settings)
    }

    /// One value.
    public func value(chain: Int, draw: Int, parameter: Int) -> Double {
        values[(chain * draws + draw) * dimension + parameter]
    }

    /// The draws of parameter `p` as [chain][draw] (the shape `Diagnostics` takes).
    public func chainsOf(parameter p: Int) -> [[Double]] {
        (0..<chains).map { c in (0..<draws).map { d in values[(c * draws + d) * dimension + p] } }
    }

    /// A derived quantity f(θ) evaluated at every draw, as [chain][draw].
    public func derived(_ f: (ArraySlice<Double>) -> Double) -> [[Double]] {
        (0..<chains).map { c in
            (0..<draws).map { d in
                let start = (c * draws + d) * dimension
                return f(values[start..<start + dimension])
            }
        }
    }

    /// Statistics of one chain, in draw order.
    public func stats(chain c: Int) -> ArraySlice<TransitionStats> {
        stats[(c * draws)..<((c + 1) * draws)]
    }

    /// Divergent kept transitions (all chains).
    public var divergences: Int { stats.reduce(0) { $0 + ($1.divergent ? 1 : 0) } }

    /// Kept transitions that stopped at the maximum tree depth.
    public func maxTreeDepthHits(maxTreeDepth: Int) -> Int {
        stats.reduce(0) { $0 + ($1.treeDepth >= maxTreeDepth ? 1 : 0) }
    }

    /// The maximum tree depth of the run: from `settings`, else Stan's default of 10.
    public var maxTreeDepth: Int { settings?.maxTreeDepth ?? 10 }

    /// Per chain: kept transitions that stopped at `maxTreeDepth`.
    public var maxTreeDepthHitsPerChain: [Int] {
        (0..<chains).map { c in stats(chain: c).reduce(0) { $0 + ($1.treeDepth >= maxTreeDepth ? 1 : 0) } }
    }

    /// Per chain: divergent kept transitions.
    public var divergencesPerChain: [Int] {
        (0..<chains).map { c in stats(chain: c).reduce(0) { $0 + ($1.divergent ? 1 : 0) } }
    }

    /// Step size below which a chain counts as stuck: at 1e-8 a trajectory of 2¹⁰ steps moves
    /// about 1e-5 posterior sds, so the chain's draws are practically one point.
    public static let collapsedStepSize = 1e-8

    /// Chains (zero-based) whose step size after warm-up is below `collapsedStepSize` or not finite.
    public var collapsedStepSizeChains: [Int] {
        warmup.indices.filter { !(warmup[$0].stepSize >= Self.collapsedStepSize && warmup[$0].stepSize.isFinite) }
    }

    /// Leapfrog steps in kept transitions only.
    public var samplingLeapfrogSteps: Int { stats.reduce(0) { $0 + $1.leapfrogSteps } }
}
