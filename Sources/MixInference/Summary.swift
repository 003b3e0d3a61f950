import Foundation

/// One row of a posterior summary, like a row of `arviz.summary`.
public struct QuantitySummary: Sendable, Equatable {
    public var name: String
    public var mean: Double
    public var sd: Double
    /// Lower end of the 94 % highest-density interval (ArviZ's `hdi_3%`).
    public var hdiLower: Double
    /// Upper end of the 94 % highest-density interval (`hdi_97%`).
    public var hdiUpper: Double
    public var mcseMean: Double
    public var mcseSD: Double
    public var essBulk: Double
    public var essTail: Double
    public var rhat: Double
    /// Sample quantiles over all draws (NumPy's default interpolation), one per requested probability.
    public var quantiles: [Quantile]

    /// One sample quantile: P(θ ≤ value) ≈ probability.
    public struct Quantile: Sendable, Equatable {
        public var probability: Double
        public var value: Double
    }

    /// The quantiles a summary reports unless told otherwise: 5 %, median, 95 %.
    public static let defaultQuantileProbabilities = [0.05, 0.5, 0.95]

    /// Summarises any quantity given as [chain][draw] — a parameter or a derived quantity.
    public init(name: String, chains: [[Double]], hdiProbability: Double = 0.94,
                quantileProbabilities: [Double] = QuantitySummary.defaultQuantileProbabilities) {
        self.name = name
        let all = chains.flatMap { $0 }
        let sorted = all.sorted()
        quantiles = quantileProbabilities.map { Quantile(probability: $0, value: Diagnostics.quantile(sorted: sorted, $0)) }
        mean = all.reduce(0, +) / Double(all.count)
        sd = all.count > 1 ? Diagnostics.standardDeviation(all) : .nan
        (hdiLower, hdiUpper) = Diagnostics.hdi(all, probability: hdiProbability)
        mcseMean = Diagnostics.mcseMean(chains)
        mcseSD = Diagnostics.mcseSD(chains)
        essBulk = Diagnostics.essBulk(chains)
        essTail = Diagnostics.essTail(chains)
        rhat = Diagnostics.rhat(chains)
    }

    /// The reported quantile at `probability`, if it was requested.
    public func quantile(_ probability: Double) -> Double? {
        quantiles.first { $0.probability == probability }?.value
    }

    /// The median (nil when 0.5 was not among the requested quantiles).
    public var median: Double? { quantile(0.5) }
}

/// Whole-run health: the sampler's figures `ConvergenceVerdict` judges (DESIGN §8), per chain
/// where a single chain can be the problem.
public struct SamplerHealth: Sendable, Equatable {
    /// Divergent kept transitions over all chains.
    public var divergences: Int
    /// Kept transitions that hit the maximum tree depth.
    public var maxTreeDepthHits: Int
    /// The maximum tree depth the run used (so the hits above can be read without the settings).
    public var maxTreeDepth: Int
    /// Per chain: kept transitions at the maximum tree depth.
    public var maxTreeDepthHitsPerChain: [Int]
    /// Per chain: divergent kept transitions.
    public var divergencesPerChain: [Int]
    /// Kept draws over all chains (the denominator of the tree-depth share).
    public var draws: Int
    /// E-BFMI per chain (below 0.3 is a warning sign).
    public var ebfmi: [Double]
    /// Per chain: the step size warm-up settled on.
    public var stepSizes: [Double]
    /// Chains (zero-based) whose step size collapsed below `SamplingResult.collapsedStepSize`.
    public var collapsedStepSizeChains: [Int]
    /// Largest R̂ over parameters.
    public var maxRhat: Double
    /// Smallest bulk ESS over parameters.
    public var minEssBulk: Double
    /// Smallest tail ESS over parameters.
    public var minEssTail: Double

    /// Health from its figures; the per-chain ones may be left out when only totals are known
    /// (e.g. a model saved by an earlier version).
    public init(divergences: Int, maxTreeDepthHits: Int, draws: Int, ebfmi: [Double], maxRhat: Double,
                minEssBulk: Double, minEssTail: Double, maxTreeDepth: Int = 10,
                maxTreeDepthHitsPerChain: [Int] = [], divergencesPerChain: [Int] = [],
                stepSizes: [Double] = [], collapsedStepSizeChains: [Int] = []) {
        self.divergences = divergences
        self.maxTreeDepthHits = maxTreeDepthHits
        self.draws = draws
        self.ebfmi = ebfmi
        self.maxRhat = maxRhat
        self.minEssBulk = minEssBulk
        self.minEssTail = minEssTail
        self.maxTreeDepth = maxTreeDepth
        self.maxTreeDepthHitsPerChain = maxTreeDepthHitsPerChain
        self.divergencesPerChain = divergencesPerChain
        self.stepSizes = stepSizes
        self.collapsedStepSizeChains = collapsedStepSizeChains
    }

    /// The sampler's part of the verdict (no baseline comparison: a bare sampler has no model fit).
    public var verdict: ConvergenceVerdict { ConvergenceVerdict(health: self) }

    /// True when the sampler's part of the verdict passes (see `ConvergenceVerdict`).
    public var converged: Bool { verdict.passed }

    /// One sentence per problem a user should act on (empty when there is none): each failed
    /// check of the verdict with what to try next.
    public var warnings: [String] { verdict.reasons.map { "\($0.message): \($0.nextStep)" } }
}

extension SamplingResult {
    /// A summary row for every parameter, in order.
    public func summary() -> [QuantitySummary] {
        (0..<dimension).map { QuantitySummary(name: parameterNames[$0], chains: chainsOf(parameter: $0)) }
    }

    /// E-BFMI of each chain from its kept energies.
    public var ebfmi: [Double] {
        (0..<chains).map { Diagnostics.ebfmi(energy: stats(chain: $0).map(\.energy)) }
    }

    /// Divergences, tree-depth saturation (at the run's own `maxTreeDepth`), E-BFMI, collapsed step
    /// sizes and the extremes of R̂ and bulk ESS. Pass `rows` to reuse a summary already computed.
    public func health(rows: [QuantitySummary]? = nil) -> SamplerHealth {
        let table = rows ?? summary()
        let hits = maxTreeDepthHitsPerChain
        return SamplerHealth(divergences: divergences, maxTreeDepthHits: hits.reduce(0, +), draws: chains * draws,
                             ebfmi: ebfmi, maxRhat: table.map(\.rhat).max() ?? .nan,
                             minEssBulk: table.map(\.essBulk).min() ?? .nan, minEssTail: table.map(\.essTail).min() ?? .nan,
                             maxTreeDepth: maxTreeDepth, maxTreeDepthHitsPerChain: hits, divergencesPerChain: divergencesPerChain,
                             stepSizes: warmup.map(\.stepSize), collapsedStepSizeChains: collapsedStepSizeChains)
    }

    /// As `health(rows:)`, counting tree-depth hits at `maxTreeDepth` instead of the run's own.
    public func health(maxTreeDepth depth: Int, rows: [QuantitySummary]? = nil) -> SamplerHealth {
        var health = health(rows: rows)
        health.maxTreeDepth = depth
        health.maxTreeDepthHitsPerChain = (0..<chains).map { c in stats(chain: c).reduce(0) { $0 + ($1.treeDepth >= depth ? 1 : 0) } }
        health.maxTreeDepthHits = health.maxTreeDepthHitsPerChain.reduce(0, +)
        return health
    }
}

extension Array where Element == QuantitySummary {
    /// A fixed-width text table with ArviZ's columns: mean, sd, hdi_3%, hdi_97%, mcse_mean,
    /// mcse_sd, ess_bulk, ess_tail, r_hat.
    public func formattedTable() -> String {
        let width = Swift.max(8, map(\.name.count).max() ?? 0)
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: Swift.max(0, w - s.count)) + s }
        func num(_ x: Double, _ digits: Int) -> String { x.isFinite ? String(format: "%.\(digits)f", x) : "nan" }
        var lines = [pad("", width) + ["mean", "sd", "hdi_3%", "hdi_97%", "mcse_mean", "mcse_sd", "ess_bulk", "ess_tail", "r_hat"]
            .map { pad($0, 10) }.joined()]
        for row in self {
            let cells = [num(row.mean, 3), num(row.sd, 3), num(row.hdiLower, 3), num(row.hdiUpper, 3),
                         num(row.mcseMean, 3), num(row.mcseSD, 3), num(row.essBulk, 0), num(row.essTail, 0), num(row.rhat, 2)]
            lines.append(row.name + String(repeating: " ", count: width - row.name.count) + cells.map { pad($0, 10) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
