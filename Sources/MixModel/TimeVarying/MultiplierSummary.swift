import Foundation
import MixInference

/// The posterior of the latent media multiplier m[t] over the training periods, for charts,
/// tables and checks against a simulated truth.
public struct MultiplierSummary: Sendable, Codable, Equatable {
    /// Posterior median per training period.
    public var median: [Double]
    /// Equal-tailed interval per training period (94 % by default).
    public var lower: [Double]
    public var upper: [Double]
    /// The multiplier response curves and the optimiser use (`planningPeriods` mean), summarised.
    public var planning: Interval
    public var planningPeriods: Int
    public var mass: Double

    /// Nil for a model without a media multiplier; `maxDraws` thins evenly (0 keeps all).
    public init?(model: FittedModel, mass: Double = Interval.defaultMass, maxDraws: Int = 1000) {
        let s = model.structure
        guard s.timeVarying.media != nil else { return nil }
        let picks = model.thinnedDrawIndices(maxDraws: maxDraws)
        var columns = [[Double]](repeating: [], count: s.periodCount)
        var planningDraws: [Double] = []
        for i in picks {
            let m = s.mediaMultiplier(model.draw(i))
            for t in m.indices { columns[t].append(m[t]) }
            planningDraws.append(ModelStructure.tailMean(m, s.timeVarying.planningPeriods))
        }
        let tail = (1 - mass) / 2
        var median: [Double] = [], lower: [Double] = [], upper: [Double] = []
        for column in columns {
            let sorted = column.sorted()
            median.append(Diagnostics.quantile(sorted: sorted, 0.5))
            lower.append(Diagnostics.quantile(sorted: sorted, tail))
            upper.append(Diagnostics.quantile(sorted: sorted, 1 - tail))
        }
        self.median = median
        self.lower = lower
        self.upper = upper
        planning = Interval(draws: planningDraws, mass: mass)
        planningPeriods = s.timeVarying.planningPeriods
        self.mass = mass
    }
}
