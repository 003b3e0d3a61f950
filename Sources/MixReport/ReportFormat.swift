import Foundation
import MixModel
import MixOptimize

/// Numbers written for people: currency with thousands separators, compact amounts ("12.3k"),
/// percentages, ratios and intervals ("12.3k (9.8k–15.1k)").
///
/// Every figure in the report goes through these functions, so a test can recompute what the
/// report must show from the in-memory results. Output does not depend on the locale: the same
/// results always give the same bytes. Negative numbers use the typographic minus "−" (U+2212).
public struct ReportFormat: Sendable {
    /// Currency symbol ("€", "$") or code ("EUR"); a code of two or more letters is written after
    /// the amount ("12,345 EUR"), a symbol before it ("€12,345").
    public var currency: String

    public init(currency: String) {
        self.currency = currency
    }

    /// The minus sign used for negative numbers.
    public static let minus = "\u{2212}"
    /// The dash between an interval's bounds.
    public static let dash = "\u{2013}"

    // MARK: Currency

    /// "€12,345" (no decimals from 100 up, two below), "€0", "−€1,200", "12,345 EUR".
    public func money(_ x: Double) -> String {
        guard x.isFinite else { return Self.notANumber }
        // Whole amounts from 100 up and for (rounded) zero; cents below.
        let decimals = abs(x) >= 100 || abs(x) < 0.005 ? 0 : 2
        let digits = Self.grouped(abs(x), decimals: decimals)
        let sign = Self.isNegative(x, decimals: decimals) ? Self.minus : ""
        return sign + attachCurrency(digits)
    }

    /// "€12.3k": a compact amount with the currency.
    public func compactMoney(_ x: Double) -> String {
        guard x.isFinite else { return Self.notANumber }
        let body = Self.compact(abs(x))
        let sign = Self.compact(x).hasPrefix(Self.minus) ? Self.minus : ""
        return sign + attachCurrency(body)
    }

    /// "+€1,234" or "−€1,234": a change in spend, always signed (zero is "±€0").
    public func signedMoney(_ x: Double) -> String {
        let text = money(x)
        if text.hasPrefix(Self.minus) || text == Self.notANumber { return text }
        return (text == money(0) ? "±" : "+") + text
    }

    private func attachCurrency(_ digits: String) -> String {
        let isCode = currency.count >= 2 && currency.allSatisfy(\.isLetter)
        if currency.isEmpty { return digits }
        return isCode ? digits + " " + currency : currency + digits
    }

    // MARK: Plain numbers

    /// Written for any non-finite number.
    public static let notANumber = "n/a"
    /// A ratio without a finite value, e.g. the marginal return at zero spend of a Hill curve with S < 1.
    public static let unbounded = "unbounded"

    /// A compact amount in target units: "987", "12.3k", "123k", "4.6M", "1.2B"; below 1,000
    /// three significant figures ("45.6", "4.56").
    public static func compact(_ x: Double) -> String {
        guard x.isFinite else { return notANumber }
        let units = ["", "k", "M", "B", "T"]
        var scaled = abs(x)
        var unit = 0
        while scaled >= 1000, unit < units.count - 1 {
            scaled /= 1000
            unit += 1
        }
        // Decimals follow the rounded value, so 99.96 becomes "100", not "100.0".
        func decimals(_ v: Double) -> Int { unit == 0 ? (v >= 100 ? 0 : v >= 10 ? 1 : 2) : (v >= 100 ? 0 : 1) }
        var text = fixed(scaled, decimals: decimals(scaled))
        let rounded = Double(text) ?? 0
        if rounded >= 1000, unit < units.count - 1 {
            // Rounding carried into the next unit (999.96 → "1000" → "1.0k").
            scaled /= 1000
            unit += 1
            text = fixed(scaled, decimals: 1)
        } else if decimals(rounded) != decimals(scaled) {
            text = fixed(scaled, decimals: decimals(rounded))
        }
        if (Double(text) ?? 0) == 0 { return "0" }
        return (x < 0 ? minus : "") + text + units[unit]
    }

    /// "+1.2k", "−350", "±0": a change in target units, always signed.
    public static func signedCompact(_ x: Double) -> String {
        let text = compact(x)
        if text.hasPrefix(minus) || text == notANumber { return text }
        return (text == compact(0) ? "±" : "+") + text
    }

    /// "12.3k (9.8k–15.1k)": mean and interval, compact.
    public static func interval(_ i: Interval) -> String {
        "\(compact(i.mean)) (\(compact(i.lower))\(dash)\(compact(i.upper)))"
    }

    /// "2.35 (1.80–2.95)": a ratio's mean and interval.
    public static func ratioInterval(_ i: Interval) -> String {
        "\(ratio(i.mean)) (\(ratio(i.lower))\(dash)\(ratio(i.upper)))"
    }

    /// "+1.2k (−400 to +2.9k)": a change's mean and interval, each signed.
    public static func signedInterval(_ i: Interval) -> String {
        "\(signedCompact(i.mean)) (\(signedCompact(i.lower)) to \(signedCompact(i.upper)))"
    }

    /// A ratio such as ROAS: two decimals below 10, one below 100, none above ("2.35", "14.2", "310").
    public static func ratio(_ x: Double) -> String {
        if x == .infinity { return unbounded }
        guard x.isFinite else { return notANumber }
        let decimals = abs(x) >= 100 ? 0 : abs(x) >= 10 ? 1 : 2
        let text = grouped(abs(x), decimals: decimals)
        return (isNegative(x, decimals: decimals) ? minus : "") + text
    }

    /// "+0.12" or "−0.30": a change of a ratio, always signed.
    public static func signedRatio(_ x: Double) -> String {
        let text = ratio(x)
        if text.hasPrefix(minus) || text == notANumber { return text }
        return (text == ratio(0) ? "±" : "+") + text
    }

    /// A fraction as a percentage with one decimal: 0.1234 → "12.3 %".
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return notANumber }
        let text = fixed(abs(100 * fraction), decimals: 1)
        return (isNegative(100 * fraction, decimals: 1) ? minus : "") + text + " %"
    }

    /// "+4.5 %" or "−2.0 %": a relative change, always signed.
    public static func signedPercent(_ fraction: Double) -> String {
        let text = percent(fraction)
        if text.hasPrefix(minus) || text == notANumber { return text }
        return (text == percent(0) ? "±" : "+") + text
    }

    /// A probability as every output writes it (`ProbabilityText`): ">99 %", "<1 %", "87 %".
    public static func probability(_ p: Double) -> String { ProbabilityText.format(p) }

    /// A goodness-of-fit figure such as R², three decimals: "0.912".
    public static func score(_ x: Double) -> String {
        guard x.isFinite else { return notANumber }
        return (isNegative(x, decimals: 3) ? minus : "") + fixed(abs(x), decimals: 3)
    }

    /// A whole count with thousands separators: "4,000".
    public static func count(_ n: Int) -> String {
        (n < 0 ? minus : "") + grouped(Double(n.magnitude), decimals: 0)
    }

    // MARK: Helpers

    // The digits themselves come from the one formatter set, `NumberText` (MixData).
    static func fixed(_ x: Double, decimals: Int) -> String { NumberText.fixed(x, decimals: decimals) }
    static func grouped(_ x: Double, decimals: Int) -> String { NumberText.grouped(x, decimals: decimals) }
    static func isNegative(_ x: Double, decimals: Int) -> Bool { NumberText.isNegative(x, decimals: decimals) }
}
