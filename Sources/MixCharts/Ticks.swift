import Foundation
import MixData

/// How axis and label numbers are written.
public enum NumberFormat: Equatable, Sendable {
    /// 1.2k, 3.4M, 5.6B.
    case compact
    /// Compact with a currency symbol in front: $1.2k.
    case currency(String)
    /// Fraction shown as percent: 0.25 → 25%.
    case percent
    /// Plain decimal with a fixed number of digits.
    case fixed(Int)

    /// Formats `v`; `step` (a tick spacing) decides how many decimals are needed.
    public func format(_ v: Double, step: Double? = nil) -> String {
        switch self {
        case .compact: return NumberFormat.compactString(v, step: step)
        case .currency(let sym):
            let s = NumberFormat.compactString(abs(v), step: step)
            return (v < 0 ? "−" : "") + sym + s
        case .percent:
            let d = NumberFormat.decimals(forStep: (step ?? 0.01) * 100)
            return NumberFormat.fixedString(v * 100, digits: d) + "%"
        case .fixed(let d): return NumberFormat.fixedString(v, digits: d)
        }
    }

    /// Decimals (0…3) that show a step of `step`; any step works — 0, subnormal, ∞ or NaN —
    /// since a label must never trap on a number it is given.
    static func decimals(forStep step: Double) -> Int {
        let exact = -log10(step) - 1e-9
        guard exact.isFinite else { return exact > 0 ? 3 : 0 }
        return max(0, min(3, Int(ceil(max(-10, min(10, exact))))))
    }

    static func fixedString(_ v: Double, digits: Int) -> String {
        var s = String(format: "%.\(digits)f", v)
        if s.hasPrefix("-") {
            if Double(s) == 0 { s.removeFirst() } else { s = "−" + s.dropFirst() }
        }
        return s
    }

    static func compactString(_ v: Double, step: Double?) -> String {
        let step = step.flatMap { $0.isFinite ? $0 : nil }
        let a = max(abs(v), abs(step ?? 0))
        // Beyond trillions (or not a number) no suffix reads well: scientific notation.
        if !(a < 1e15) { return v.isFinite ? String(format: "%.3g", v) : "\(v)" }
        let (div, suffix): (Double, String) =
            a >= 1e9 ? (1e9, "B") : a >= 1e6 ? (1e6, "M") : a >= 1e3 ? (1e3, "k") : (1, "")
        if v == 0 { return "0" }
        let scaled = v / div
        var digits: Int
        if let step, step > 0 {
            digits = decimals(forStep: step / div)
        } else {
            digits = abs(scaled) >= 100 || scaled == scaled.rounded() ? 0 : abs(scaled) >= 10 ? 1 : 2
        }
        if v == 0 { digits = 0 }
        return fixedString(scaled, digits: digits) + suffix
    }
}

/// "Nice" tick positions: steps of 1, 2 or 5 × 10ⁿ covering [lo, hi] with at most `maxCount` ticks.
/// Bounded for any input: a range too wide for Double arithmetic (hi − lo overflows) or too
/// narrow for its magnitude (ticks closer than Double can tell apart) gets just its two ends,
/// and the step returned is always finite and positive.
public func niceTicks(lo: Double, hi: Double, maxCount: Int) -> (ticks: [Double], step: Double) {
    guard hi > lo, lo.isFinite, hi.isFinite, maxCount >= 2 else { return ([lo], 1) }
    let ends = ([lo, hi], max(abs(lo), abs(hi)))
    let raw = (hi - lo) / Double(maxCount - 1)
    guard raw.isFinite, raw > 0 else { return ends }
    let mag = pow(10, floor(log10(raw)))
    var step = 10 * mag
    for m in [1.0, 2, 5, 10] where m * mag >= raw * (1 - 1e-9) { step = m * mag; break }
    let first = ceil(lo / step - 1e-9)
    let last = floor(hi / step + 1e-9)
    let count = last - first
    // Tick indices beyond 2⁵² no longer step by 1; the count is at most maxCount + 1 otherwise.
    guard step.isFinite, step > 0, count.isFinite, count >= 0, count <= Double(maxCount) + 1,
          abs(first) < 0x1p52, abs(last) < 0x1p52 else { return ends }
    let ticks = (0...Int(count)).map { i -> Double in
        let v = (first + Double(i)) * step
        return v == 0 ? 0 : v
    }
    return (ticks, step)
}

/// Expands [lo, hi] outward to the nearest nice ticks so data never touch the frame awkwardly.
/// Of the 1-2-5 steps giving about 4 to max(12, `maxCount`) ticks, the one wasting least room wins
/// (0…108k becomes 0…120k, not 0…150k); ties go to the coarser step.
/// Ends beyond the largest Double are held at it, so the domain is finite for any finite input.
public func niceDomain(lo: Double, hi: Double, maxCount: Int = 6) -> (Double, Double) {
    let largest = Double.greatestFiniteMagnitude
    var lo = min(max(lo, -largest), largest), hi = min(max(hi, -largest), largest)
    if lo.isNaN || hi.isNaN { return (0, 1) }
    if hi <= lo { let d = abs(lo) > 0 ? abs(lo) * 0.1 : 1; lo = max(lo - d, -largest); hi = min(hi + d, largest) }
    if hi <= lo { return (lo, lo == largest ? lo : lo.nextUp) }
    var best = (lo, hi), bestSpan = Double.infinity
    for n in stride(from: max(12, maxCount), through: min(4, maxCount), by: -1) {
        let (_, step) = niceTicks(lo: lo, hi: hi, maxCount: n)
        let a = floor(lo / step + 1e-9) * step, b = ceil(hi / step - 1e-9) * step
        guard a.isFinite, b.isFinite else { continue }
        if b - a < bestSpan * (1 - 1e-9) { best = (a, b); bestSpan = b - a }
    }
    return best
}

/// Date ticks for a time axis: the coarsest of month, quarter, half-year or year steps whose
/// labels fit, given the widest label and the pixels available.
public struct TimeTicks {
    public let positions: [Double]   // day numbers
    public let labels: [String]

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// - Parameters: `lo`, `hi` day numbers; `pixels` axis length; `labelWidth` measures a label.
    public static func make(lo: Double, hi: Double, pixels: Double, labelWidth: (String) -> Double) -> TimeTicks {
        let start = CalendarDate(dayNumber: Int(ceil(lo)))
        let end = CalendarDate(dayNumber: Int(floor(hi)))
        for stepMonths in [1, 3, 6, 12, 24, 60] {
            var pos: [Double] = [], lab: [String] = []
            var y = start.year, m = start.month
            if !(start.day == 1) { m += 1; if m > 12 { m = 1; y += 1 } }
            // Align to the step (quarters start Jan/Apr/Jul/Oct, years in January).
            while (m - 1) % min(stepMonths, 12) != 0 || (stepMonths > 12 && y % (stepMonths / 12) != 0) {
                m += 1; if m > 12 { m = 1; y += 1 }
            }
            while let d = CalendarDate(year: y, month: m, day: 1), d <= end {
                pos.append(Double(d.dayNumber))
                lab.append(stepMonths >= 12 ? "\(y)" : (m == 1 || pos.count == 1 ? "\(months[m - 1]) \(y)" : months[m - 1]))
                m += stepMonths
                while m > 12 { m -= 12; y += 1 }
            }
            guard pos.count >= 2 else { if stepMonths == 60 { return TimeTicks(positions: pos, labels: lab) }; continue }
            let pxPerDay = pixels / max(hi - lo, 1)
            var fits = true
            for i in 1..<pos.count {
                let gap = (pos[i] - pos[i - 1]) * pxPerDay
                if gap < (labelWidth(lab[i]) + labelWidth(lab[i - 1])) / 2 + 10 { fits = false; break }
            }
            if fits { return TimeTicks(positions: pos, labels: lab) }
        }
        return TimeTicks(positions: [], labels: [])
    }
}
