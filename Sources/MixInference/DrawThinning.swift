import Foundation

/// The one rule for thinning posterior draws before a summary: at most `maxDraws` of `count`
/// draws, spread evenly from the first (every draw when `maxDraws` is 0 or not below `count`).
/// National and geo summaries, the baseline comparison and the charts all use it, so two
/// outputs thinned to the same size read the same draws.
public enum DrawThinning {
    public static func indices(count: Int, maxDraws: Int) -> [Int] {
        let step = maxDraws > 0 && count > maxDraws ? Double(count) / Double(maxDraws) : 1
        return stride(from: 0.0, to: Double(count), by: step).map { Int($0) }
    }
}
