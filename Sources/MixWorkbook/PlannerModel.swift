import Foundation
import MixOptimize

/// What the Allocation sheet's live cells compute: each channel's expected horizon response to
/// a spend per period, as the **mean over a set of stored posterior draws** of its curve.
///
/// The meaning of "horizon response" is MixOptimize's (`HorizonSettings`): the channel held its
/// current spend x₀ before, spends s per period for H periods, and the carryover tail after the
/// horizon is counted when the plan counts it. With W(t) the cumulative normalised adstock
/// weights of a draw, that response is a sum of terms m·f(p·s + q·x₀) — one per ramp-up period
/// (p = W(t), q = 1 − W(t), m = 1), one for the settled periods (p = 1, q = 0, m = H − (L − 1))
/// and one per tail period (p = W(t) − W(t − H), q = 1 − W(t)) — where f is the draw's
/// saturation curve on the scaled level a = level / spendScale (`SaturationKind`, which also
/// writes it as an Excel formula), with β in target units.
///
/// Why draws and not the curve of posterior-mean parameters: β and λ (or K) are strongly
/// correlated in the posterior, and the curve of the mean parameters can sit far from the mean
/// curve (on the weekly-5ch sample, 44 % above the optimiser's expected response at the
/// optimum). The mean over draws is the number the optimiser reports, up to thinning.
public struct PlannerModel: Sendable {
    /// One channel's stored draws: parameters per draw and the (p, q) terms per draw.
    public struct Channel: Sendable {
        public var name: String
        public var family: SaturationKind
        /// One array per parameter in `family.parameterNames` order, each one value per draw;
        /// β (last) in target units per period.
        public var parameters: [[Double]]
        /// Spend per period that maps to a = 1 (the channel's training maximum).
        public var spendScale: Double
        /// Spend per period before the horizon (x₀).
        public var currentSpend: Double
        /// m per term (the same for every draw).
        public var periods: [Double]
        /// p and q per draw per term: `planWeight[d][k]`.
        public var planWeight: [[Double]]
        public var historyWeight: [[Double]]
        public var drawCount: Int { parameters.last?.count ?? 0 }
    }

    public var horizon: HorizonSettings
    public var channels: [Channel]
    public var drawCount: Int { channels.first?.parameters.last?.count ?? 0 }
    /// MixOptimize's own evaluator on the same draws: the reference the sheet must reproduce.
    private let reference: ParametricResponseDraws

    /// - Parameters:
    ///   - draws: the posterior response draws to store (thin them first: every draw becomes a row).
    ///   - current: spend per period before the horizon, per channel.
    public init(draws: ParametricResponseDraws, horizon: HorizonSettings, current: [Double]) {
        precondition(current.count == draws.channels.count, "one current spend per channel")
        self.horizon = horizon
        reference = draws
        channels = draws.channels.enumerated().map { c, ch in
            var plan: [[Double]] = [], history: [[Double]] = []
            var periods: [Double] = []
            for d in 0..<ch.drawCount {
                let w = Array(ch.carryover[(d * ch.lagCount)..<((d + 1) * ch.lagCount)])
                let terms = Self.terms(weights: w, horizon: horizon)
                plan.append(terms.map(\.p))
                history.append(terms.map(\.q))
                periods = terms.map(\.m)
            }
            let n = ch.family.parameterCount
            let parameters = (0..<n).map { k in ch.parameter(k).map { k == n - 1 ? $0 * ch.targetScale : $0 } }
            return Channel(name: ch.name, family: ch.family, parameters: parameters, spendScale: ch.spendScale, currentSpend: current[c],
                           periods: periods, planWeight: plan, historyWeight: history)
        }
    }

    /// The (p, q, m) terms for normalised weights w over the horizon (see the type's comment).
    /// Every draw gets the same number of terms, so the sheet's ranges are rectangular. W is
    /// non-decreasing with W ≤ 1, so p and q are ≥ 0; rounding can push a cumulative sum a few
    /// ulps past 1, which is clamped here — a level of −1e-16 would make Hill's a^S an error in
    /// a spreadsheet (MixOptimize clamps the level at 0 for the same reason).
    static func terms(weights: [Double], horizon: HorizonSettings) -> [(p: Double, q: Double, m: Double)] {
        let lags = weights.count
        var cumulative: [Double] = []
        for w in weights { cumulative.append((cumulative.last ?? 0) + w) }
        func W(_ t: Int) -> Double { t < 0 ? 0 : (t >= lags - 1 ? 1 : cumulative[t]) }
        let h = horizon.periods
        var out: [(p: Double, q: Double, m: Double)] = []
        func add(_ p: Double, _ q: Double, _ m: Double) { out.append((max(p, 0), max(q, 0), m)) }
        for t in 0..<min(h, lags - 1) { add(W(t), 1 - W(t), 1) }
        if h > lags - 1 { add(1, 0, Double(h - (lags - 1))) }
        if horizon.countCarryoverTail {
            for t in h..<(h + lags - 1) { add(W(t) - W(t - h), 1 - W(t), 1) }
        }
        return out
    }

    /// MixPlan's expected horizon response of channel c at `spend` per period over the stored
    /// draws, computed by MixOptimize's `HorizonResponse`. The workbook's live formula must
    /// reproduce it.
    public func expectedResponse(channel c: Int, spend: Double) -> Double {
        expectedResponses(channels.indices.map { $0 == c ? spend : channels[$0].currentSpend })[c]
    }

    /// Expected responses of every channel for an allocation (spend per period per channel).
    public func expectedResponses(_ allocation: [Double]) -> [Double] {
        let response = HorizonResponse(draws: reference, settings: horizon, history: channels.map(\.currentSpend))
        return allocation.enumerated().map { response.mean(channel: $0.offset, spend: $0.element).value }
    }
}

/// The defined names of one channel's planner parameters (1-based `Ch<n>_…`: never derived from
/// the channel's name, which may be anything).
struct PlannerNames {
    let index: Int
    var prefix: String { "Ch\(index + 1)_" }
    /// The per-draw column (D × 1) of the saturation parameter called `name` in
    /// `SaturationKind.parameterNames` ("beta" → `Ch1_Beta`, "lambda" → `Ch1_Lambda`).
    func parameter(_ name: String) -> String { prefix + name.prefix(1).uppercased() + name.dropFirst() }
    /// Scalars.
    var scale: String { prefix + "Scale" }
    var current: String { prefix + "Current" }
    /// Per-draw term blocks (D × K) and the term periods (1 × K).
    var planWeight: String { prefix + "PlanWeight" }
    var historyWeight: String { prefix + "HistoryWeight" }
    var periods: String { prefix + "Periods" }

    /// The Excel formula (no leading `=`) of the channel's expected horizon response when the
    /// spend per period is in `spendCell`: inside SUMPRODUCT the D × 1 parameter columns and the
    /// 1 × K periods row expand against the D × K term blocks, and the sum is divided by D. The
    /// curve is the family's own (`SaturationKind.excelFormula`).
    func formula(family: SaturationKind, spendCell: String) -> String {
        let a = "((\(planWeight)*\(spendCell)+\(historyWeight)*\(current))/\(scale))"
        let names = family.parameterNames.map(parameter)
        let curve = family.excelFormula(level: a, parameters: names)
        return "SUMPRODUCT(\(periods)*(\(curve)))/ROWS(\(names.last!))"
    }
}
