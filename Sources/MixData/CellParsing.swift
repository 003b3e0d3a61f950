import Foundation

/// Turning one CSV cell into a number or a date, with a diagnosis when it fails.
///
/// Works on the cell's bytes (no regular expressions, no intermediate `String`), because it runs
/// once per cell of a file that may be large.
public enum CellParsing {
    /// Why a cell is not a usable number.
    public enum NumberProblem: Equatable, Sendable {
        case empty
        case notFinite
        case notANumber(hint: String?)
    }

    /// Parses a decimal number (surrounding spaces allowed), or says what is wrong with it.
    public static func number(_ cell: UnsafeBufferPointer<UInt8>) -> Result<Double, NumberProblemError> {
        var start = 0, end = cell.count
        while start < end, cell[start] == 0x20 || cell[start] == 0x09 { start += 1 }
        while end > start, cell[end - 1] == 0x20 || cell[end - 1] == 0x09 { end -= 1 }
        if start == end { return .failure(NumberProblemError(problem: .empty)) }
        if let exact = simpleDecimal(cell, start, end) { return .success(exact) }
        let length = end - start
        // Only plain decimal syntax: digits, sign, point, exponent. This rejects hex floats and
        // words that strtod would accept, and lets us explain the common spreadsheet mistakes.
        var onlyDecimalSyntax = true
        var commas = 0, semicolons = 0
        for k in start..<end {
            switch cell[k] {
            case 0x30...0x39, 0x2B, 0x2D, 0x2E, 0x65, 0x45: break // digits, signs, point, e/E
            case 0x2C: commas += 1; onlyDecimalSyntax = false
            case 0x3B: semicolons += 1; onlyDecimalSyntax = false
            default: onlyDecimalSyntax = false
            }
        }
        if !onlyDecimalSyntax {
            let text = String(decoding: UnsafeBufferPointer(rebasing: cell[start..<end]), as: UTF8.self)
            let lower = text.lowercased()
            if ["nan", "-nan", "+nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity",
                "#num!", "#div/0!", "#value!", "#n/a"].contains(lower) {
                return .failure(NumberProblemError(problem: .notFinite))
            }
            return .failure(NumberProblemError(problem: .notANumber(hint: diagnose(text, commas: commas, semicolons: semicolons))))
        }
        // strtod needs a NUL-terminated buffer; cells are short, so a stack-sized copy is cheap.
        let value: Double? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer in
            for k in 0..<length { buffer[k] = CChar(bitPattern: cell[start + k]) }
            buffer[length] = 0
            var endPointer: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(buffer.baseAddress!, &endPointer)
            return endPointer == buffer.baseAddress! + length ? v : nil
        }
        guard let value else {
            return .failure(NumberProblemError(problem: .notANumber(hint: nil)))
        }
        if !value.isFinite { return .failure(NumberProblemError(problem: .notFinite)) }
        return .success(value)
    }

    /// Clinger's fast path: `[-+]digits[.digits]` with at most 15 digits is an integer m < 2^53
    /// divided by 10^k with k ≤ 15, both exact doubles, so one IEEE division gives the correctly
    /// rounded value — the same as strtod, without its cost. Anything else returns nil.
    @inline(__always)
    static func simpleDecimal(_ cell: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var negative = false
        if cell[i] == 0x2D || cell[i] == 0x2B { negative = cell[i] == 0x2D; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fractionDigits = 0
        var seenPoint = false
        while i < end {
            let c = cell[i]
            if c >= 0x30 && c <= 0x39 {
                mantissa = mantissa &* 10 &+ UInt64(c &- 0x30)
                digits += 1
                if seenPoint { fractionDigits += 1 }
            } else if c == 0x2E && !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, digits <= 15 else { return nil }
        let value = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...15).map { k in (0..<k).reduce(1.0) { p, _ in p * 10 } }

    /// Explains the usual reasons a spreadsheet export is not a plain number.
    static func diagnose(_ text: String, commas: Int, semicolons: Int) -> String? {
        if semicolons > 0 {
            return "The cell contains \";\": the file seems to use \";\" as its delimiter, but MixPlan reads comma-separated files — re-export with commas."
        }
        if commas > 0 {
            let digitsAndSeparators = text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "," || $0 == "." || $0 == "-" || $0 == "+") }
            if digitsAndSeparators {
                // "1,234.56" or "12,345": commas group digits in threes before any decimal point.
                let integerPart = text.split(separator: ".", omittingEmptySubsequences: false)[0]
                let groups = integerPart.split(separator: ",", omittingEmptySubsequences: false)
                if groups.count > 1, !groups[0].isEmpty, groups.dropFirst().allSatisfy({ $0.count == 3 }) {
                    return "It looks like a number with thousands separators (e.g. \"1,234.56\"); write it without them (1234.56)."
                }
                return "It looks like a number with a decimal comma; write it with a decimal point (e.g. 1.5, not 1,5)."
            }
        }
        if text.hasPrefix("$") || text.hasPrefix("€") || text.hasPrefix("£") || text.hasSuffix("€") || text.hasSuffix("%") {
            return "Remove currency symbols and percent signs; the cell must hold a plain number."
        }
        return nil
    }

    /// Parses a date in the configured format (`YYYY-MM-DD` or `M/D/YYYY`), nil when it is not one.
    public static func date(_ cell: UnsafeBufferPointer<UInt8>, format: MixPlanConfig.DateFormat) -> CalendarDate? {
        var start = 0, end = cell.count
        while start < end, cell[start] == 0x20 { start += 1 }
        while end > start, cell[end - 1] == 0x20 { end -= 1 }
        // Read a run of 1...maxDigits digits starting at `i`.
        func digits(_ i: inout Int, min: Int, max: Int) -> Int? {
            var value = 0, count = 0
            while i < end, count < max, cell[i] >= 0x30, cell[i] <= 0x39 {
                value = value * 10 + Int(cell[i] - 0x30); i += 1; count += 1
            }
            return count >= min ? value : nil
        }
        func expect(_ i: inout Int, _ byte: UInt8) -> Bool {
            guard i < end, cell[i] == byte else { return false }
            i += 1
            return true
        }
        var i = start
        switch format {
        case .iso:
            guard let y = digits(&i, min: 4, max: 4), expect(&i, 0x2D),
                  let m = digits(&i, min: 2, max: 2), expect(&i, 0x2D),
                  let d = digits(&i, min: 2, max: 2), i == end else { return nil }
            return CalendarDate(year: y, month: m, day: d)
        case .monthDayYear:
            guard let m = digits(&i, min: 1, max: 2), expect(&i, 0x2F),
                  let d = digits(&i, min: 1, max: 2), expect(&i, 0x2F),
                  let y = digits(&i, min: 4, max: 4), i == end else { return nil }
            return CalendarDate(year: y, month: m, day: d)
        }
    }

    /// Convenience for `String` input (tests, column guessing).
    public static func date(_ text: String, format: MixPlanConfig.DateFormat) -> CalendarDate? {
        var copy = text
        return copy.withUTF8 { date($0, format: format) }
    }

    /// Convenience for `String` input (tests, column guessing).
    public static func number(_ text: String) -> Result<Double, NumberProblemError> {
        var copy = text
        return copy.withUTF8 { number($0) }
    }
}

/// The failure value of `CellParsing.number`.
public struct NumberProblemError: Error, Equatable, Sendable {
    public var problem: CellParsing.NumberProblem
}
