import Foundation
import MixData

/// An out-of-sample check of a fit (DESIGN.md §8): the model refitted without the last periods,
/// then its posterior-mean fit scored on the periods it did not see, beside its in-sample score.
/// Run by default where the data allow it; the planning fit itself keeps every period.
public struct Backtest: Sendable, Codable, Equatable {
    /// Periods held out at the end of the data.
    public var heldOut: Int
    /// The backtest fit's score on its own training rows, and on the held-out rows.
    public var inSample: FitMetrics
    public var outOfSample: FitMetrics
    /// Warm-up and kept draws per chain of the refit (fewer than the planning fit's: a posterior
    /// mean needs far fewer draws than interval ends do).
    public var warmup: Int
    public var draws: Int
    /// Wall-clock seconds the refit and its scoring took.
    public var seconds: Double

    /// The default number of periods held out: the last 13 weeks or 28 days, but never more
    /// than 10 % of the data, and 0 (no backtest) when that leaves the fit too few periods or
    /// would hold out fewer than 4 periods.
    public static func defaultPeriods(_ dataset: Dataset, config: MixPlanConfig) -> Int {
        let cap = dataset.frequency == .daily ? 28 : 13
        let h = min(cap, dataset.periodCount / 10)
        guard h >= minimumPeriods, ModelFitter.holdoutProblem(h, periods: dataset.periodCount, config: config) == nil else { return 0 }
        return h
    }

    /// Fewest held-out periods for which an out-of-sample MAPE means something.
    public static let minimumPeriods = 4
    /// Largest warm-up and draws per chain of the refit.
    public static let maxWarmup = 500
    public static let maxDraws = 250

    /// Refits `config`'s model on `dataset` without its last `periods` rows and scores it.
    public static func run(dataset: Dataset, config: MixPlanConfig, periods: Int,
                           isCancelled: (() -> Bool)? = nil) throws -> Backtest {
        let start = Date()
        var settings = config
        settings.sampler.warmup = min(config.sampler.warmup, maxWarmup)
        settings.sampler.draws = min(config.sampler.draws, maxDraws)
        let model = try ModelFitter.fit(dataset: dataset, config: settings, holdout: periods, isCancelled: isCancelled)
        let q = PosteriorQuantities(model: model, maxDraws: 400)
        return Backtest(heldOut: periods, inSample: q.inSample, outOfSample: q.outOfSample!,
                        warmup: settings.sampler.warmup, draws: settings.sampler.draws,
                        seconds: Date().timeIntervalSince(start))
    }
}
