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

    /// Parses a decimal number (surrounding spaces allowed) written in `format`, or says what
    /// is wrong with it. The plain format (decimal point, no grouping) is the fast path.
    public static func number(_ cell: UnsafeBufferPointer<UInt8>, format: NumberFormat = .plain) -> Result<Double, NumberProblemError> {
        var start = 0, end = cell.count
        while start < end, cell[start] == 0x20 || cell[start] == 0x09 { start += 1 }
        while end > start, cell[end - 1] == 0x20 || cell[end - 1] == 0x09 { end -= 1 }
        if start == end { return .failure(NumberProblemError(problem: .empty)) }
        if let exact = simpleDecimal(cell, start, end, point: format.decimalMark) { return .success(exact) }
        if format != .plain, let normalised = normalise(cell, start, end, format: format) {
            return normalised.withUnsafeBufferPointer { number($0) }
        }
        let length = end - start
        // Only plain decimal syntax: digits, sign, point, exponent. This rejects hex floats and
        // words that strtod would accept, and lets us explain the common spreadsheet mistakes.
        var onlyDecimalSyntax = format.decimalMark == 0x2E
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
            return .failure(NumberProblemError(problem: .notANumber(hint: diagnose(text, commas: commas, semicolons: semicolons, format: format))))
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

    /// Rewrites `[sign]int[mark digits][e[sign]digits]` in `format` as plain ASCII decimal syntax
    /// (grouping removed, decimal point), or nil when the cell is not well formed in it: the
    /// integer part must be one group of any length, or a first group of 1–3 digits followed by
    /// separator-and-3-digit groups.
    static func normalise(_ cell: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, format: NumberFormat) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start
        if cell[i] == 0x2D || cell[i] == 0x2B { out.append(cell[i]); i += 1 }
        func isDigit(_ k: Int) -> Bool { k < end && cell[k] >= 0x30 && cell[k] <= 0x39 }
        var group = 0, grouped = false, integerDigits = 0
        while i < end {
            if isDigit(i) {
                out.append(cell[i]); group += 1; integerDigits += 1; i += 1
                continue
            }
            let length = format.separatorLength(cell, at: i, end: end)
            guard length > 0 else { break }
            if group == 0 || (grouped ? group != 3 : group > 3) { return nil }
            grouped = true
            group = 0
            i += length
            guard isDigit(i) else { return nil }
        }
        if grouped && group != 3 { return nil }
        var fractionDigits = 0
        if i < end && cell[i] == format.decimalMark {
            out.append(0x2E); i += 1
            while isDigit(i) { out.append(cell[i]); fractionDigits += 1; i += 1 }
        }
        guard integerDigits + fractionDigits > 0 else { return nil }
        if i < end && (cell[i] == 0x65 || cell[i] == 0x45) {
            out.append(0x65); i += 1
            if i < end && (cell[i] == 0x2D || cell[i] == 0x2B) { out.append(cell[i]); i += 1 }
            guard isDigit(i) else { return nil }
            while isDigit(i) { out.append(cell[i]); i += 1 }
        }
        return i == end ? out : nil
    }

    /// Clinger's fast path: `[-+]digits[.digits]` with at most 15 digits is an integer m < 2^53
    /// divided by 10^k with k ≤ 15, both exact doubles, so one IEEE division gives the correctly
    /// rounded value — the same as strtod, without its cost. Anything else returns nil.
    @inline(__always)
    static func simpleDecimal(_ cell: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, point: UInt8 = 0x2E) -> Double? {
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
            } else if c == point && !seenPoint {
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

    /// Explains the usual reasons a spreadsheet export is not a number in the file's format.
    static func diagnose(_ text: String, commas: Int, semicolons: Int, format: NumberFormat = .plain) -> String? {
        if semicolons > 0 {
            return "The cell contains \";\": the file seems to use \";\" as its delimiter; set data.delimiter: semicolon (or leave it out to detect it)."
        }
        let digitsAndSeparators = text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "," || $0 == "." || $0 == "-" || $0 == "+" || $0 == " ") }
        if format.decimalMark == 0x2C, digitsAndSeparators, text.contains(".") {
            return "The file's numbers use a decimal comma (data.decimal), but this one is not written that way (e.g. 1.234,5 or 1234,5); fix the cell or set data.decimal and data.thousands."
        }
        if commas > 0, digitsAndSeparators {
            // "1,234.56" or "12,345": commas group digits in threes before any decimal point.
            let integerPart = text.split(separator: ".", omittingEmptySubsequences: false)[0]
            let groups = integerPart.split(separator: ",", omittingEmptySubsequences: false)
            if groups.count > 1, !groups[0].isEmpty, groups.dropFirst().allSatisfy({ $0.count == 3 }) {
                return "It looks like a number with thousands separators (e.g. \"1,234.56\"), which the file's number format does not allow; set data.thousands: comma, or write it without them (1234.56)."
            }
            return "It looks like a number with a decimal comma, but the rest of the file uses a decimal point; write it as 1.5, not 1,5 (or set data.decimal: comma if the whole file uses decimal commas)."
        }
        if text.hasPrefix("$") || text.hasPrefix("€") || text.hasPrefix("£") || text.hasSuffix("€") || text.hasSuffix("%") {
            return "Remove currency symbols and percent signs; the cell must hold a plain number."
        }
        return nil
    }

    /// Parses a date in `format`, nil when it is not one. ISO is `YYYY-MM-DD`; `d/m/yyyy` also
    /// takes `.` or `-` between the parts (31.12.2023); `m/d/yyyy` takes `/`. Any format may be
    /// followed by a midnight time (` 00:00`, ` 00:00:00`, `T00:00:00.000Z`), as spreadsheets
    /// export dates; another time of day is not a date. `.auto` reads ISO, or a slashed date
    /// whose day cannot be mistaken for a month (one part above 12).
    public static func date(_ cell: UnsafeBufferPointer<UInt8>, format: MixPlanConfig.DateFormat) -> CalendarDate? {
        var start = 0, end = cell.count
        while start < end, cell[start] == 0x20 { start += 1 }
        while end > start, cell[end - 1] == 0x20 { end -= 1 }
        end = withoutMidnight(cell, start, end)
        // Read a run of 1...maxDigits digits starting at `i`.
        func digits(_ i: inout Int, min: Int, max: Int) -> Int? {
            var value = 0, count = 0
            while i < end, count < max, cell[i] >= 0x30, cell[i] <= 0x39 {
                value = value * 10 + Int(cell[i] - 0x30); i += 1; count += 1
            }
            return count >= min ? value : nil
        }
        func expect(_ i: inout Int, _ bytes: [UInt8]) -> UInt8? {
            guard i < end, bytes.contains(cell[i]) else { return nil }
            i += 1
            return cell[i - 1]
        }
        /// The three numbers of `a<sep>b<sep>yyyy`, the same separator twice.
        func slashed(_ separators: [UInt8]) -> (Int, Int, Int)? {
            var i = start
            guard let a = digits(&i, min: 1, max: 2), let separator = expect(&i, separators),
                  let b = digits(&i, min: 1, max: 2), expect(&i, [separator]) != nil,
                  let y = digits(&i, min: 4, max: 4), i == end else { return nil }
            return (a, b, y)
        }
        switch format {
        case .iso:
            var i = start
            guard let y = digits(&i, min: 4, max: 4), expect(&i, [0x2D]) != nil,
                  let m = digits(&i, min: 2, max: 2), expect(&i, [0x2D]) != nil,
                  let d = digits(&i, min: 2, max: 2), i == end else { return nil }
            return CalendarDate(year: y, month: m, day: d)
        case .dayMonthYear:
            guard let (d, m, y) = slashed([0x2F, 0x2E, 0x2D]) else { return nil }
            return CalendarDate(year: y, month: m, day: d)
        case .monthDayYear:
            guard let (m, d, y) = slashed([0x2F]) else { return nil }
            return CalendarDate(year: y, month: m, day: d)
        case .auto:
            if let iso = date(cell, format: .iso) { return iso }
            let dayFirst = date(cell, format: .dayMonthYear), monthFirst = date(cell, format: .monthDayYear)
            if dayFirst != nil && monthFirst != nil { return dayFirst == monthFirst ? dayFirst : nil }
            return dayFirst ?? monthFirst
        }
    }

    /// `end` moved before a trailing midnight time (`[ T]00:00[:00[.000…]][Z]`), if there is one.
    static func withoutMidnight(_ cell: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var k = start
        while k < end, cell[k] != 0x20, cell[k] != 0x54 { k += 1 } // first space or "T"
        guard k < end, k > start else { return end }
        var i = k + 1
        while i < end, cell[i] == 0x20 { i += 1 }
        var sawTime = false
        func zeros(_ count: Int) -> Bool {
            guard i + count <= end, (i..<i + count).allSatisfy({ cell[$0] == 0x30 }) else { return false }
            i += count
            return true
        }
        guard zeros(2), i < end, cell[i] == 0x3A else { return end }
        i += 1
        guard zeros(2) else { return end }
        sawTime = true
        if i < end, cell[i] == 0x3A {
            i += 1
            guard zeros(2) else { return end }
            if i < end, cell[i] == 0x2E {
                i += 1
                guard i < end, cell[i] == 0x30 else { return end }
                while i < end, cell[i] == 0x30 { i += 1 }
            }
        }
        if i < end, cell[i] == 0x5A { i += 1 } // Z
        return sawTime && i == end ? k : end
    }

    /// Convenience for `String` input (tests, column guessing).
    public static func date(_ text: String, format: MixPlanConfig.DateFormat) -> CalendarDate? {
        var copy = text
        return copy.withUTF8 { date($0, format: format) }
    }

    /// Convenience for `String` input (tests, column guessing, detection).
    public static func number(_ text: String, format: NumberFormat = .plain) -> Result<Double, NumberProblemError> {
        var copy = text
        return copy.withUTF8 { number($0, format: format) }
    }
}

/// The failure value of `CellParsing.number`.
public struct NumberProblemError: Error, Equatable, Sendable {
    public var problem: CellParsing.NumberProblem
}
