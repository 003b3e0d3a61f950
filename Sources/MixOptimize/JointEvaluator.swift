import Foundation

/// Evaluates an objective and its gradient in spend on the joint draws of a `HorizonResponse`,
/// reusing its buffers so repeated evaluations allocate nothing but the sort of quantile objectives.
final class JointEvaluator {
    let horizon: HorizonResponse
    let objective: Objective
    let channels: Int
    let draws: Int
    /// Per-channel per-draw values and slopes at the last evaluated allocation.
    var values: [[Double]]
    var slopes: [[Double]]
    var totals: [Double]
    var weights: [Double]
    var scratch: [Double]
    var order: [Int]
    /// Spend each channel's `values` (and, when flagged, `slopes`) were last evaluated at; NaN
    /// when unknown. Lets repeated evaluations skip channels that did not move (fixed ones).
    var loadedSpend: [Double]
    var loadedSlopes: [Bool]

    init(horizon: HorizonResponse, objective: Objective) {
        self.horizon = horizon
        self.objective = objective
        channels = horizon.channelCount
        draws = horizon.drawCount
        values = Array(repeating: Array(repeating: 0, count: draws), count: channels)
        slopes = values
        totals = Array(repeating: 0, count: draws)
        weights = totals
        scratch = totals
        order = Array(0..<draws)
        loadedSpend = Array(repeating: .nan, count: channels)
        loadedSlopes = Array(repeating: false, count: channels)
    }

    /// Marks channel `c`'s buffers as edited by hand (the exchange search does this).
    func invalidate(_ c: Int) { loadedSpend[c] = .nan }

    /// Fills `values[c]` (and `slopes[c]`) at spend `s`.
    func load(channel c: Int, spend s: Double, withSlopes: Bool) {
        if loadedSpend[c] == s && (loadedSlopes[c] || !withSlopes) { return }
        loadedSpend[c] = s
        loadedSlopes[c] = withSlopes
        values[c].withUnsafeMutableBufferPointer { v in
            if withSlopes {
                slopes[c].withUnsafeMutableBufferPointer { g in
                    _ = horizon.evaluate(channel: c, spend: s, values: v, slopes: g)
                }
            } else {
                _ = horizon.evaluate(channel: c, spend: s, values: v, slopes: nil)
            }
        }
    }

    /// Objective value of the per-draw totals currently in `totals`.
    func currentValue() -> Double {
        objective.evaluate(totals, weights: nil, scratch: &scratch, order: &order)
    }

    /// Loads every channel at `allocation` and returns the objective value.
    func value(at allocation: [Double]) -> Double {
        for c in 0..<channels { load(channel: c, spend: allocation[c], withSlopes: false) }
        sumTotals()
        return currentValue()
    }

    /// Objective value and gradient with respect to each channel's spend per period.
    func valueAndGradient(at allocation: [Double]) -> (value: Double, gradient: [Double]) {
        for c in 0..<channels { load(channel: c, spend: allocation[c], withSlopes: true) }
        sumTotals()
        let f = weights.withUnsafeMutableBufferPointer { w in
            objective.evaluate(totals, weights: w, scratch: &scratch, order: &order)
        }
        var gradient = [Double](repeating: 0, count: channels)
        for c in 0..<channels {
            var g = 0.0
            for d in 0..<draws { g += weights[d] * slopes[c][d] }
            gradient[c] = g
        }
        return (f, gradient)
    }

    private func sumTotals() {
        for d in 0..<draws { totals[d] = 0 }
        for c in 0..<channels {
            for d in 0..<draws { totals[d] += values[c][d] }
        }
    }
}

/// A subset of another posterior's draws (the global stage's subsample).
struct SubsampledDraws: ResponseDraws {
    let base: any ResponseDraws
    let indices: [Int]
    var channelNames: [String] { base.channelNames }
    var drawCount: Int { indices.count }
    func response(channel: Int, draw: Int, spend: Double) -> Double {
        base.response(channel: channel, draw: indices[draw], spend: spend)
    }
    func marginalResponse(channel: Int, draw: Int, spend: Double) -> Double {
        base.marginalResponse(channel: channel, draw: indices[draw], spend: spend)
    }
    func carryoverWeights(channel: Int, draw: Int) -> [Double] {
        base.carryoverWeights(channel: channel, draw: indices[draw])
    }
    func isConcave(channel: Int) -> Bool { base.isConcave(channel: channel) }
    func responseAndSlope(channel: Int, draw: Int, spend: Double) -> (value: Double, slope: Double) {
        base.responseAndSlope(channel: channel, draw: indices[draw], spend: spend)
    }
}

/// The feasible set {lower ≤ s ≤ upper, Σ s = total} and Euclidean projection onto it.
struct FeasibleSet {
    let lower: [Double]
    let upper: [Double]
    let total: Double

    var free: [Int] { lower.indices.filter { upper[$0] > lower[$0] } }
    var freeBudget: Double { total - lower.reduce(0, +) }

    /// argmin ‖s − y‖ over the set: s = clamp(y − τ) with τ found by bisection, then the budget
    /// identity restored exactly by `settle`.
    func project(_ y: [Double]) -> [Double] {
        var lo = zip(y, upper).map { $0 - $1 }.min()! - 1
        var hi = zip(y, lower).map { $0 - $1 }.max()! + 1
        func spent(_ tau: Double) -> Double {
            var sum = 0.0
            for c in y.indices { sum += min(max(y[c] - tau, lower[c]), upper[c]) }
            return sum
        }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid == lo || mid == hi { break }
            if spent(mid) > total { lo = mid } else { hi = mid }
        }
        let tau = 0.5 * (lo + hi)
        return settle(y.indices.map { min(max(y[$0] - tau, lower[$0]), upper[$0]) })
    }

    /// Moves the rounding residual of Σ s − total onto channels with room, so totals equal the
    /// budget to machine precision while bounds hold exactly.
    func settle(_ s: [Double]) -> [Double] {
        var s = s
        for _ in 0..<3 {
            let residual = total - s.reduce(0, +)
            if residual == 0 { break }
            let order = s.indices.sorted {
                residual > 0 ? upper[$0] - s[$0] > upper[$1] - s[$1] : s[$0] - lower[$0] > s[$1] - lower[$1]
            }
            var left = residual
            for c in order where left != 0 {
                let moved = residual > 0 ? min(left, upper[c] - s[c]) : max(left, lower[c] - s[c])
                s[c] += moved
                left -= moved
            }
        }
        return s
    }
}
