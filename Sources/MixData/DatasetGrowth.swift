import Foundation

extension Dataset {
    /// How this dataset relates to an earlier one, for deciding whether last week's fit is a
    /// good starting point (a warm start) for this week's.
    public enum Growth: Equatable, Sendable {
        /// Same columns; the earlier rows are unchanged and `added` rows follow them.
        case grew(added: Int)
        /// Something other than appending happened; the reason is for the log.
        case changed(String)
    }

    /// Compares with `earlier`: same frequency and columns, earlier dates a prefix of ours, and
    /// every earlier value unchanged (to 1e-9 relative, allowing for decimal round trips).
    public func growth(since earlier: Dataset) -> Growth {
        guard frequency == earlier.frequency else { return .changed("the frequency changed") }
        guard channelNames == earlier.channelNames else { return .changed("the channels changed") }
        guard controlNames == earlier.controlNames, targetName == earlier.targetName else {
            return .changed("the control or target columns changed")
        }
        guard earlier.periodCount <= periodCount else { return .changed("the data has fewer periods than before") }
        guard Array(dates.prefix(earlier.periodCount)) == earlier.dates else { return .changed("earlier dates differ") }
        func same(_ a: [Double], _ b: [Double]) -> Bool {
            zip(a, b).allSatisfy { x, y in abs(x - y) <= 1e-9 * max(1, abs(x), abs(y)) }
        }
        // A channel in exposures compares its exposures: its money moves with the cost per unit,
        // which new rows revise.
        for c in 0..<channelCount where !same(exposures(channel: c) ?? spend[c], earlier.exposures(channel: c) ?? earlier.spend[c]) {
            return .changed("earlier spend of \(channelNames[c]) was revised")
        }
        for k in controls.indices where !same(controls[k], earlier.controls[k]) {
            return .changed("earlier values of \(controlNames[k]) were revised")
        }
        guard same(target, earlier.target) else { return .changed("earlier \(targetName) values were revised") }
        return .grew(added: periodCount - earlier.periodCount)
    }
}
