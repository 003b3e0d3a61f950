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

    /// Summarises any quantity given as [chain][draw] — a parameter or a derived quantity.
    public init(name: String, chains: [[Double]], hdiProbability: Double = 0.94) {
        self.name = name
        let all = chains.flatMap { $0 }
        mean = all.reduce(0, +) / Double(all.count)
        sd = all.count > 1 ? Diagnostics.standardDeviation(all) : .nan
        (hdiLower, hdiUpper) = Diagnostics.hdi(all, probability: hdiProbability)
        mcseMean = Diagnostics.mcseMean(chains)
        mcseSD = Diagnostics.mcseSD(chains)
        essBulk = Diagnostics.essBulk(chains)
        essTail = Diagnostics.essTail(chains)
        rhat = Diagnostics.rhat(chains)
    }
}

/// Whole-run health: the sampler's figures `ConvergenceVerdict` judges (DESIGN §8).
public struct SamplerHealth: Sendable, Equatable {
    /// Divergent kept transitions over all chains.
    public var divergences: Int
    /// Kept transitions that hit the maximum tree depth.
    public var maxTreeDepthHits: Int
    /// Kept draws over all chains (the denominator of the tree-depth share).
    public var draws: Int
    /// E-BFMI per chain (below 0.3 is a warning sign).
    public var ebfmi: [Double]
    /// Largest R̂ over parameters.
    public var maxRhat: Double
    /// Smallest bulk ESS over parameters.
    public var minEssBulk: Double
    /// Smallest tail ESS over parameters.
    public var minEssTail: Double

    public init(divergences: Int, maxTreeDepthHits: Int, draws: Int, ebfmi: [Double], maxRhat: Double,
                minEssBulk: Double, minEssTail: Double) {
        self.divergences = divergences
        self.maxTreeDepthHits = maxTreeDepthHits
        self.draws = draws
        self.ebfmi = ebfmi
        self.maxRhat = maxRhat
        self.minEssBulk = minEssBulk
        self.minEssTail = minEssTail
    }

    /// The sampler's part of the verdict (no baseline comparison: a bare sampler has no model fit).
    public var verdict: ConvergenceVerdict { ConvergenceVerdict(health: self) }
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

    /// Divergences, tree-depth saturation, E-BFMI and the extremes of R̂ and bulk ESS.
    public func health(maxTreeDepth: Int, rows: [QuantitySummary]? = nil) -> SamplerHealth {
        let table = rows ?? summary()
        return SamplerHealth(divergences: divergences, maxTreeDepthHits: maxTreeDepthHits(maxTreeDepth: maxTreeDepth),
                             draws: chains * draws, ebfmi: ebfmi, maxRhat: table.map(\.rhat).max() ?? .nan,
                             minEssBulk: table.map(\.essBulk).min() ?? .nan, minEssTail: table.map(\.essTail).min() ?? .nan)
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
