import Foundation
import MixModel

extension ParametricResponseDraws {
    /// The fitted model's response curves, one per channel per posterior draw: its saturation
    /// parameters and adstock weights in each draw, with the training scales. `maxDraws` thins
    /// the draws evenly (0 keeps all).
    public init(model: FittedModel, maxDraws: Int = 0) {
        let draws = model.thinnedDrawIndices(maxDraws: maxDraws).map { model.draw($0) }
        let scaling = model.structure.scaling
        let channels = model.structure.channels.enumerated().map { c, ch -> ChannelDraws in
            let s = ch.saturationOffset
            let adstockCount = ch.adstock.parameterCount
            let carryover = draws.map { x in ch.adstock.weights(Array(x[ch.adstockOffset..<(ch.adstockOffset + adstockCount)])) }
            // β scales every saturation family linearly, so a time-varying model's planning
            // multiplier (m's mean over the last periods, see TimeVaryingLayout) folds into it.
            let beta = draws.map { $0[s + ch.saturation.parameterCount - 1] * model.structure.planningMultiplier($0) }
            let shapes = (0..<(ch.saturation.parameterCount - 1)).map { k in draws.map { $0[s + k] } }
            return ChannelDraws(name: ch.name, family: ch.saturation, beta: beta, shapes: shapes, carryover: carryover,
                                spendScale: scaling.spendScale[c], targetScale: scaling.targetScale)
        }
        self.init(channels: channels)
    }
}

extension FittedModel {
    /// Mean spend per period of each channel over the last `periods` training rows (by default
    /// the config's current-spend window, `optimizer.current_window_days`): the "current" plan
    /// optimisations compare against.
    public func currentSpend(lastPeriods: Int? = nil) -> [Double] {
        dataset.meanSpend(lastPeriods: lastPeriods ?? config.optimizer.currentWindowPeriods(dataset.frequency),
                          endingAt: dataset.periodCount - holdout)
    }

    /// The current-spend window in words: "the last 4 weeks", "the last 28 days".
    public var currentWindowText: String { config.optimizer.currentWindowText(dataset.frequency) }
}
