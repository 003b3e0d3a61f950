import Foundation

/// Finds a CSV file's dialect — delimiter, decimal mark, thousands separator and date format —
/// from its first rows, for every part the config leaves at `auto`.
///
/// The rules, in order:
/// - Delimiter: of `,` `;` tab `|`, the one that splits the header into the most columns with
///   every sampled row having that many fields (`,` wins ties).
/// - Decimal mark: each number-like cell votes. A cell with both `.` and `,` votes for the last
///   one; a single mark followed by other than three digits (`12,5`, `9.99`) votes for it; a mark
///   used twice (`1.234.567`) votes for the other. The majority wins. When no cell votes and
///   some cell could be read either way (`1.234`), a comma-separated file reads the plain way
///   (`1.234` is 1.234, a quoted `"1,234"` is 1234); any other file stops and asks for
///   `data.decimal` and `data.thousands`, because a European export means 1234 and a US one 1.234.
/// - Thousands separator: the one that goes with the decimal mark (`,` with a point, `.` with a
///   comma), plus spaces and apostrophes; groupings must be well formed (see `NumberFormat`).
/// - Date format (`DateDetection`): ISO when most dates are; otherwise D/M/YYYY or M/D/YYYY when
///   some date shows which part is the day (a part above 12, or dots as separators). When none
///   does, in the whole column, it stops and asks for `data.date_format` by name.
public enum DialectDetection {
    /// Rows read for the delimiter and number votes.
    public static let sampleRows = 500

    /// The dialect of the CSV `open` reads (called with a delimiter, once per candidate and
    /// pass), completing the parts `settings` leaves at `auto`. `file` names it in errors.
    public static func detect(file: String, settings: MixPlanConfig.DataSection,
                              open: (UInt8) throws -> CSVReader) throws -> CSVDialect {
        let delimiter = try settings.delimiter.byte ?? detectDelimiter(open: open)
        var reader = try open(delimiter)
        guard try reader.next(), let header = reader.header else { return CSVDialect(delimiter: delimiter, numbers: .plain, dateFormat: .iso) }
        let dateIndex = header.firstIndex(of: settings.dateColumn)
        var votes = NumberVotes()
        var dates = DateDetection()
        var rows = 0
        while try reader.next() {
            rows += 1
            if let dateIndex, dateIndex < reader.fieldCount { dates.add(reader.field(dateIndex), row: reader.row) }
            if rows <= sampleRows {
                for i in 0..<reader.fieldCount where i != dateIndex {
                    votes.add(reader.field(i), row: reader.row, column: reader.columnName(i))
                }
            } else if settings.dateFormat != .auto || dateIndex == nil || dates.decided {
                break // the rest of the file is read only to find which part of a date is the day
            }
        }
        let numbers = try numberFormat(settings, votes: votes, delimiter: delimiter, file: file)
        var dateFormat = settings.dateFormat
        if dateFormat == .auto {
            dateFormat = dateIndex == nil ? .iso : try dates.resolve(file: file, column: settings.dateColumn)
        }
        return CSVDialect(delimiter: delimiter, numbers: numbers, dateFormat: dateFormat)
    }

    /// The candidate that splits the header into the most fields, every sampled row agreeing.
    static func detectDelimiter(open: (UInt8) throws -> CSVReader) throws -> UInt8 {
        var best: (byte: UInt8, fields: Int, consistent: Bool)? = nil
        for candidate in MixPlanConfig.Delimiter.allCases.compactMap(\.byte) {
            var reader = try open(candidate)
            guard try reader.next(), let header = reader.header, header.count > 1 else { continue }
            var consistent = true
            var rows = 0
            while rows < 50, try reader.next() {
                rows += 1
                if reader.fieldCount != header.count { consistent = false; break }
            }
            let better: Bool
            if let current = best {
                better = (consistent && !current.consistent) || (consistent == current.consistent && header.count > current.fields)
            } else {
                better = true
            }
            if better { best = (candidate, header.count, consistent) }
        }
        return best?.byte ?? 0x2C
    }

    /// Resolves `data.decimal` / `data.thousands` from the votes where they are `auto`.
    static func numberFormat(_ settings: MixPlanConfig.DataSection, votes: NumberVotes, delimiter: UInt8,
                             file: String) throws -> NumberFormat {
        let comma: Bool
        switch (settings.decimalMark, settings.thousandsSeparator) {
        case (.point, _): comma = false
        case (.comma, _): comma = true
        case (.auto, .comma): comma = false
        case (.auto, .point): comma = true
        default:
            if votes.comma != votes.point || votes.comma > 0 {
                comma = votes.comma > votes.point
            } else if let example = votes.ambiguous.first {
                let kinds = Set(votes.ambiguous.map(\.mark))
                guard delimiter == 0x2C, kinds.count == 1 else {
                    throw InputError(InputLocation(file: file, row: example.row, column: example.column, key: "data.decimal"),
                                     "\"\(example.text)\" could be \(example.mark == "," ? "1,234 read as 1234 or as 1.234" : "1.234 read as 1.234 or as 1234"), and no number in the first \(sampleRows) rows shows which mark is the decimal one.",
                                     hint: "Set data.decimal and data.thousands in the config: decimal: comma and thousands: point for a European export (1.234,5), or decimal: point and thousands: comma (1,234.5).")
                }
                comma = false
            } else {
                comma = false
            }
        }
        let group: [MixPlanConfig.ThousandsSeparator]
        switch settings.thousandsSeparator {
        case .auto: group = [comma ? .point : .comma, .space, .apostrophe]
        case let chosen: group = [chosen]
        }
        return NumberFormat(decimalMark: comma ? 0x2C : 0x2E, groupSeparators: group)
    }

    /// What number-like cells say about the decimal mark.
    struct NumberVotes {
        var comma = 0
        var point = 0
        /// Cells such as `1.234` or `1,234` that read either way, with where they are.
        var ambiguous: [(text: String, mark: Character, row: Int, column: String)] = []

        mutating func add(_ cell: String, row: Int, column: String) {
            let text = cell.trimmingCharacters(in: .whitespaces)
            let allowed: Set<Character> = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ".", ",", "-", "+", " ", "'", "\u{A0}", "\u{202F}"]
            guard text.contains(where: \.isNumber), text.allSatisfy({ allowed.contains($0) }),
                  CellParsing.date(text, format: .dayMonthYear) == nil else { return } // 31.12.2023 is a date
            let commas = text.filter { $0 == "," }.count, points = text.filter { $0 == "." }.count
            if commas > 0 && points > 0 {
                if text.lastIndex(of: ",")! > text.lastIndex(of: ".")! { comma += 1 } else { point += 1 }
            } else if commas > 1 {
                point += 1
            } else if points > 1 {
                comma += 1
            } else if commas == 1 || points == 1 {
                let mark: Character = commas == 1 ? "," : "."
                let parts = text.split(separator: mark, omittingEmptySubsequences: false)
                let integer = parts[0].filter(\.isNumber)
                if parts[1].count == 3 && (1...3).contains(integer.count) && !integer.hasPrefix("0") {
                    if ambiguous.count < 20 { ambiguous.append((text, mark, row, column)) }
                } else if mark == "," {
                    comma += 1
                } else {
                    point += 1
                }
            }
        }
    }
}
