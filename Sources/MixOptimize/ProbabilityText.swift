import Foundation

/// The one way MixPlan writes a probability for a reader (CLI, report, workbook, logs): whole
/// percent, capped at ">99 %" and "<1 %". A posterior of a few thousand draws cannot show a
/// certainty, so "100 %" and "0 %" are never written even when every draw agrees.
public enum ProbabilityText {
    public static func format(_ p: Double) -> String {
        guard p.isFinite else { return "n/a" }
        if p > 0.99 { return ">99 %" }
        if p < 0.01 { return "<1 %" }
        return String(format: "%.0f %%", 100 * p)
    }

    /// The same rule as an Excel number format, for cells holding a probability.
    public static let excelFormat = "[>0.99]\">99 %\";[<0.01]\"<1 %\";0\" \"%"
}
