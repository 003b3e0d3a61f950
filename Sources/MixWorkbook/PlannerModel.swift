import Foundation
import MixOptimize

/// What the Allocation sheet's live cells compute: each channel's expected horizon response to
/// a spend per period, as a **point estimate** from the posterior-mean curve parameters.
///
/// The meaning of "horizon response" is MixOptimize's (`HorizonSettings`): the channel held its
/// current spend x₀ before, spends s per period for H periods, and the carryover tail after the
/// horizon is counted when the plan counts it. With W(t) the cumulative normalised adstock
/// weights, that response is a sum of terms m·f(p·s + q·x₀) — one per ramp-up period (p = W(t),
/// q = 1 − W(t), m = 1), one for the settled periods (p = 1, q = 0, m = H − (L − 1)) and one per
/// tail period (p = W(t) − W(t − H), q = 1 − W(t)) — where f is the channel's saturation curve
/// on the scaled level a = level / spendScale:
///
///     logistic          f = β (1 − e^(−λa)) / (1 + e^(−λa))
///     Hill              f = β a^S / (a^S + K^S)
///     Michaelis–Menten  f = β a / (λ + a)
///
/// The workbook stores β (target units), λ or K, S, the spend scale, x₀ and the (p, q, m) terms
/// in named cells and evaluates the sum with SUMPRODUCT, so a planner can type a spend and see
/// the number change. The posterior mean of β, λ, K, S and of each adstock weight is used (the
/// adstocked level is linear in the weights, so mean weights give the mean level).
public struct PlannerModel: Sendable {
    /// One (p, q, m) term of the horizon sum (see the type's comment).
    public struct Term: Sendable, Equatable {
        public var planWeight: Double
        public var historyWeight: Double
        public var periods: Double
    }

    /// One channel's posterior-mean curve and its horizon terms.
    public struct Channel: Sendable {
        public var name: String
        public var family: SaturationFamily
        /// β in target units per period.
        public var beta: Double
        /// λ (logistic, Michaelis–Menten) or K (Hill).
        public var shape: Double
        /// S (Hill); 0 otherwise.
        public var slope: Double
        /// Spend per period that maps to a = 1 (the channel's training maximum).
        public var spendScale: Double
        /// Spend per period before the horizon (x₀).
        public var currentSpend: Double
        /// Posterior-mean normalised adstock weights w[0…L−1].
        public var weights: [Double]
        public var terms: [Term]
    }

    public var horizon: HorizonSettings
    public var channels: [Channel]
    /// MixOptimize's own evaluator on the one-draw posterior of the mean parameters.
    private let reference: ParametricResponseDraws

    /// - Parameters:
    ///   - draws: the model's posterior response draws.
    ///   - current: spend per period before the horizon, per channel.
    public init(draws: ParametricResponseDraws, horizon: HorizonSettings, current: [Double]) {
        precondition(current.count == draws.channels.count, "one current spend per channel")
        self.horizon = horizon
        var means: [ChannelDraws] = []
        var channels: [Channel] = []
        for (c, ch) in draws.channels.enumerated() {
            let n = Double(ch.beta.count)
            let beta = ch.beta.reduce(0, +) / n
            let shape = ch.shape1.reduce(0, +) / n
            let slope = ch.family == .hill ? ch.shape2.reduce(0, +) / n : 0
            var weights = [Double](repeating: 0, count: ch.lagCount)
            for d in 0..<ch.beta.count {
                for l in 0..<ch.lagCount { weights[l] += ch.carryover[d * ch.lagCount + l] / n }
            }
            means.append(ChannelDraws(name: ch.name, family: ch.family, beta: [beta], shape1: [shape],
                                      shape2: ch.family == .hill ? [slope] : [], carryover: [weights],
                                      spendScale: ch.spendScale, targetScale: ch.targetScale))
            channels.append(Channel(name: ch.name, family: ch.family, beta: beta * ch.targetScale, shape: shape, slope: slope,
                                    spendScale: ch.spendScale, currentSpend: current[c], weights: weights,
                                    terms: Self.terms(weights: weights, horizon: horizon)))
        }
        self.channels = channels
        reference = ParametricResponseDraws(channels: means)
    }

    /// The (p, q, m) terms for normalised weights w over the horizon (see the type's comment).
    static func terms(weights: [Double], horizon: HorizonSettings) -> [Term] {
        let lags = weights.count
        var cumulative: [Double] = []
        for w in weights { cumulative.append((cumulative.last ?? 0) + w) }
        func W(_ t: Int) -> Double { t < 0 ? 0 : (t >= lags - 1 ? 1 : cumulative[t]) }
        let h = horizon.periods
        var out: [Term] = []
        for t in 0..<min(h, lags - 1) { out.append(Term(planWeight: W(t), historyWeight: 1 - W(t), periods: 1)) }
        if h > lags - 1 { out.append(Term(planWeight: 1, historyWeight: 0, periods: Double(h - (lags - 1)))) }
        if horizon.countCarryoverTail {
            for t in h..<(h + lags - 1) { out.append(Term(planWeight: W(t) - W(t - h), historyWeight: 1 - W(t), periods: 1)) }
        }
        return out
    }

    /// MixPlan's point estimate of channel c's horizon response at `spend` per period, computed
    /// by MixOptimize's `HorizonResponse` on the posterior-mean parameters. The workbook's live
    /// formula must reproduce it.
    public func pointEstimate(channel c: Int, spend: Double) -> Double {
        let history = channels.map(\.currentSpend)
        return HorizonResponse(draws: reference, settings: horizon, history: history).mean(channel: c, spend: spend).value
    }

    /// Point estimates of every channel for an allocation (spend per period per channel).
    public func pointEstimates(_ allocation: [Double]) -> [Double] {
        let response = HorizonResponse(draws: reference, settings: horizon, history: channels.map(\.currentSpend))
        return allocation.enumerated().map { response.mean(channel: $0.offset, spend: $0.element).value }
    }
}

/// The defined names of one channel's planner parameters (1-based `Ch<n>_…`: never derived from
/// the channel's name, which may be anything).
struct PlannerNames {
    let index: Int
    var prefix: String { "Ch\(index + 1)_" }
    var beta: String { prefix + "Beta" }
    var shape: String { prefix + "Shape" }
    var slope: String { prefix + "Slope" }
    var scale: String { prefix + "Scale" }
    var current: String { prefix + "Current" }
    var planWeight: String { prefix + "PlanWeight" }
    var historyWeight: String { prefix + "HistoryWeight" }
    var periods: String { prefix + "Periods" }

    /// The Excel formula (no leading `=`) of the channel's horizon response when the spend per
    /// period is in `spendCell`; SUMPRODUCT evaluates the term ranges element-wise.
    func formula(family: SaturationFamily, spendCell: String) -> String {
        let a = "((\(planWeight)*\(spendCell)+\(historyWeight)*\(current))/\(scale))"
        let curve: String
        switch family {
        case .logistic: curve = "(1-EXP(-\(shape)*\(a)))/(1+EXP(-\(shape)*\(a)))"
        case .michaelisMenten: curve = "\(a)/(\(shape)+\(a))"
        case .hill: curve = "\(a)^\(slope)/(\(a)^\(slope)+\(shape)^\(slope))"
        }
        return "\(beta)*SUMPRODUCT(\(periods),\(curve))"
    }
}
