import Foundation

/// One lift experiment on one channel (a geo test, a synthetic-control study, a spend-off test),
/// in original units per period: spend went from `spend` to `spend + spendChange` and the target
/// moved by `targetChange`, measured with standard error `standardError`.
///
/// Calibration reads it as the difference of the channel's steady-state response curve,
/// Δy ≈ f(x + Δx) − f(x) (PyMC-Marketing's `x`, `delta_x`, `delta_y`, `sigma` columns).
public struct LiftTest: Sendable, Equatable, Codable {
    /// The channel tested (one of `data.channels`).
    public var channel: String
    /// Spend per period before the test, x ≥ 0.
    public var spend: Double
    /// Change in spend per period during the test, Δx ≠ 0 (negative for a spend cut).
    public var spendChange: Double
    /// Measured change in the target per period, Δy (same sign as Δx).
    public var targetChange: Double
    /// Standard error of Δy, σ > 0.
    public var standardError: Double
    /// The test window, when known (for charts and the report; the likelihood does not use it).
    public var start: CalendarDate?
    public var end: CalendarDate?
    /// Where the test was read, e.g. "lift.csv, row 3", for messages.
    public var source: String
    /// `source` without its folder ("lift_tests.csv, row 2"): what a report or workbook shows, as
    /// they travel beyond the analyst's machine and must not carry its absolute paths.
    public var shownSource: String {
        let (path, rest) = source.range(of: ", row ").map { (String(source[..<$0.lowerBound]), String(source[$0.lowerBound...])) }
            ?? (source, "")
        guard path.contains("/") else { return source }
        return (path as NSString).lastPathComponent + rest
    }

    public init(channel: String, spend: Double, spendChange: Double, targetChange: Double, standardError: Double,
                start: CalendarDate? = nil, end: CalendarDate? = nil, source: String = "") {
        self.channel = channel
        self.spend = spend
        self.spendChange = spendChange
        self.targetChange = targetChange
        self.standardError = standardError
        self.start = start
        self.end = end
        self.source = source
    }

    /// The spend per period during the test, x + Δx.
    public var spendDuring: Double { spend + spendChange }

    /// The observed average rate of change Δy/Δx (target per unit of currency) — the curve's mean
    /// slope between x and x + Δx.
    public var observedSlope: Double { targetChange / spendChange }

    /// Why this test cannot be used, or nil when its numbers are consistent: spend levels must be
    /// ≥ 0, Δx ≠ 0, σ > 0, and Δy must have Δx's sign (a response curve rises with spend; a
    /// measured change of the other sign says the test or its columns are wrong).
    public var problem: String? {
        if !(spend >= 0) { return "x (spend before the test) must be ≥ 0, found \(spend)" }
        if spendChange == 0 { return "delta_x is 0: a lift test needs a change in spend" }
        if !(spendDuring >= 0) { return "x + delta_x (spend during the test) must be ≥ 0, found \(spendDuring)" }
        if !(standardError > 0) { return "sigma (standard error of delta_y) must be > 0, found \(standardError)" }
        if targetChange != 0, (targetChange > 0) != (spendChange > 0) {
            return "delta_y (\(targetChange)) has the opposite sign of delta_x (\(spendChange)); a response curve rises with spend, so check the test's sign convention"
        }
        return nil
    }
}
