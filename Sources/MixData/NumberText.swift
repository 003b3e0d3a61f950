import Foundation

/// Numbers written for people, whatever the locale (the same results always give the same
/// bytes): fixed decimals, thousands grouping and percentages. The one formatter set behind the
/// report (`ReportFormat`), the command line's tables and the data checks' messages.
public enum NumberText {
    /// `x` with `decimals` decimals, POSIX style ("1234.5").
    public static func fixed(_ x: Double, decimals: Int) -> String {
        String(format: "%.\(decimals)f", x)
    }

    /// |x| with `decimals` decimals and a comma every three integer digits ("1,234.50").
    public static func grouped(_ x: Double, decimals: Int) -> String {
        let text = fixed(abs(x), decimals: decimals)
        let parts = text.split(separator: ".", maxSplits: 1)
        let integer = Array(parts[0])
        var out = ""
        for (i, digit) in integer.enumerated() {
            if i > 0, (integer.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return parts.count > 1 ? out + "." + parts[1] : out
    }

    /// True when `x` is negative and does not round to zero at `decimals` decimals (so that
    /// −0.001 prints as "0.00", not "−0.00").
    public static func isNegative(_ x: Double, decimals: Int) -> Bool {
        x < 0 && fixed(-x, decimals: decimals).contains(where: { $0 != "0" && $0 != "." })
    }

    /// `x` grouped, with `minus` in front when it is negative at that precision:
    /// −1234567.891 → "-1,234,567.89". Non-finite values print as Swift writes them ("inf", "nan").
    public static func signedGrouped(_ x: Double, decimals: Int, minus: String = "-") -> String {
        guard x.isFinite else { return "\(x)" }
        return (isNegative(x, decimals: decimals) ? minus : "") + grouped(x, decimals: decimals)
    }

    /// A fraction as a percentage: 0.1234 → "12.3 %" (`decimals` 1), with `minus` for negatives.
    public static func percent(_ fraction: Double, decimals: Int = 1, minus: String = "-") -> String {
        guard fraction.isFinite else { return "nan" }
        return (isNegative(100 * fraction, decimals: decimals) ? minus : "") + fixed(abs(100 * fraction), decimals: decimals) + " %"
    }
}
