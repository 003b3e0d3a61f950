import Foundation
import MixData
import MixInference

/// A fitted media mix model: the data it saw, its settings, and the posterior draws on the
/// natural scale. Everything later stages need (contributions, ROAS, response curves,
/// optimisation, reports) comes from this value — the original CSV is not needed again.
public struct FittedModel: Sendable {
    /// The effective configuration of the fit.
    public var config: MixPlanConfig
    /// All rows: the training rows followed by `holdout` rows kept out of the fit.
    public var dataset: Dataset
    /// Periods at the end of `dataset` not used for fitting.
    public var holdout: Int
    /// The model laid out on the training rows.
    public let structure: ModelStructure
    public var chains: Int
    public var drawsPerChain: Int
    /// Natural-scale draws: `draws[(chain·drawsPerChain + draw)·n + p]`.
    public var draws: [Double]
    /// Sampler diagnostics and timing.
    public var sampler: SamplerReport
    /// The posterior-mean fit against the intercept-and-seasonality baseline, computed from the
    /// draws when the model is made (so models saved before the verdict had it still load).
    public private(set) var baseline: ConvergenceVerdict.BaselineFit
    /// The training rows' posterior-mean μ (`SeasonalBaseline.meanFit`), computed when the model
    /// is made: the in-sample fit every output quotes, so `fit`'s R² and the baseline check's agree.
    public private(set) var meanFit: [Double] = []
    /// The out-of-sample backtest run with the fit (nil when none was run, or in models saved
    /// before backtests existed).
    public var backtest: Backtest?
    /// Per-draw sampler statistics (nil in models saved before they were kept).
    public var sampleStats: SampleStats?

    /// Number of posterior draws over all chains.
    public var drawCount: Int { chains * drawsPerChain }
    public var parameterNames: [String] { structure.parameterNames }
    /// Training rows only.
    public var trainingData: Dataset { dataset.prefix(dataset.periodCount - holdout) }

    public init(config: MixPlanConfig, dataset: Dataset, holdout: Int, chains: Int, drawsPerChain: Int,
                draws: [Double], sampler: SamplerReport) throws {
        self.config = config
        self.dataset = dataset
        self.holdout = holdout
        self.structure = try ModelStructure(dataset: dataset.prefix(dataset.periodCount - holdout), model: config.model,
                                            liftTests: config.calibration.liftTests,
                                            configPath: config.path.isEmpty ? "config" : config.path)
        self.chains = chains
        self.drawsPerChain = drawsPerChain
        self.draws = draws
        self.sampler = sampler
        self.baseline = ConvergenceVerdict.BaselineFit(description: "", modelRMSE: .nan, baselineRMSE: .nan, modelR2: .nan, baselineR2: .nan)
        precondition(draws.count == chains * drawsPerChain * structure.dimension, "draw array does not match the model")
        meanFit = SeasonalBaseline.meanFit(model: self)
        baseline = SeasonalBaseline.compare(model: self)
    }

    /// Whether the fit may advise: the sampler's checks and the baseline comparison (DESIGN §8).
    public var verdict: ConvergenceVerdict {
        let corners = (sampler.degenerateCorners ?? []).map {
            ConvergenceVerdict.Reason(check: .degenerateCorner, message: $0.problem,
                                      nextStep: "the chain sits where the curve is flat or its ceiling is huge, a ridge the data cannot rule out: give the channel an roi_prior (or a lift test), or a saturation prior away from 0, and refit")
        }
        return ConvergenceVerdict(health: sampler.health(draws: drawCount), modelReasons: corners, baseline: baseline)
    }

    /// Indices of at most `maxDraws` draws spread evenly over all of them (`DrawThinning`).
    public func thinnedDrawIndices(maxDraws: Int) -> [Int] {
        DrawThinning.indices(count: drawCount, maxDraws: maxDraws)
    }

    /// Draw i (0 ..< drawCount) as a natural-scale parameter vector.
    public func draw(_ i: Int) -> [Double] {
        let n = structure.dimension
        return Array(draws[(i * n)..<((i + 1) * n)])
    }

    /// A parameter's draws as [chain][draw], for diagnostics.
    public func chains(ofParameter p: Int) -> [[Double]] {
        let n = structure.dimension
        return (0..<chains).map { c in (0..<drawsPerChain).map { d in draws[((c * drawsPerChain) + d) * n + p] } }
    }

    /// Posterior mean of every natural-scale parameter.
    public var posteriorMean: [Double] {
        let n = structure.dimension
        var mean = [Double](repeating: 0, count: n)
        for i in 0..<drawCount { for p in 0..<n { mean[p] += draws[i * n + p] } }
        return mean.map { $0 / Double(drawCount) }
    }

    /// An evaluator over all rows (training + holdout).
    public var evaluator: ModelEvaluator { ModelEvaluator(structure: structure, dataset: dataset) }
}

/// What the sampler did: the figures the convergence verdict judges (DESIGN.md §8), and cost.
public struct SamplerReport: Sendable, Codable, Equatable {
    /// ArviZ-style summary of every natural-scale parameter.
    public var parameters: [ParameterSummary]
    public var divergences: Int
    public var maxTreeDepthHits: Int
    public var maxTreeDepth: Int
    public var ebfmi: [Double]
    public var stepSizes: [Double]
    public var gradientEvaluations: Int
    public var seconds: Double
    public var seed: UInt64
    public var warmup: Int
    public var targetAcceptance: Double
    /// Adapted inverse metric (its diagonal, averaged over chains, unconstrained scale): lets the
    /// next fit on grown data start adapted (nil in models saved before it was recorded).
    public var inverseMetricDiagonal: [Double]? = nil
    /// Chains stuck in a degenerate corner of a channel's curve (`DegenerateCorner`; nil in
    /// models saved before it was checked).
    public var degenerateCorners: [DegenerateCorner]? = nil
    /// Set when this fit is the refit `sampler.retry` made after a first fit failed on
    /// divergences alone (nil when the first fit stands, and in models saved before retries).
    public var retry: FitRetry? = nil

    public var maxRhat: Double { parameters.map(\.rhat).max() ?? .nan }
    public var minEssBulk: Double { parameters.map(\.essBulk).min() ?? .nan }
    public var minEssTail: Double { parameters.map(\.essTail).min() ?? .nan }

    /// The figures `ConvergenceVerdict` judges, for a run of `draws` kept draws over all chains.
    public func health(draws: Int) -> SamplerHealth {
        SamplerHealth(divergences: divergences, maxTreeDepthHits: maxTreeDepthHits, draws: draws, ebfmi: ebfmi,
                      maxRhat: maxRhat, minEssBulk: minEssBulk, minEssTail: minEssTail, maxTreeDepth: maxTreeDepth,
                      stepSizes: stepSizes,
                      collapsedStepSizeChains: stepSizes.indices.filter { !(stepSizes[$0] >= SamplingResult.collapsedStepSize && stepSizes[$0].isFinite) })
    }
}

/// One row of the parameter summary (ArviZ's columns).
public struct ParameterSummary: Sendable, Codable, Equatable {
    public var name: String
    public var mean: Double
    public var sd: Double
    public var hdi3: Double
    public var hdi97: Double
    public var mcseMean: Double
    public var mcseSD: Double
    public var essBulk: Double
    public var essTail: Double
    public var rhat: Double

    public init(_ q: QuantitySummary) {
        name = q.name; mean = q.mean; sd = q.sd; hdi3 = q.hdiLower; hdi97 = q.hdiUpper
        mcseMean = q.mcseMean; mcseSD = q.mcseSD; essBulk = q.essBulk; essTail = q.essTail; rhat = q.rhat
    }
}
