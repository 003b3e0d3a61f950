/// How a CSV file writes its fields, numbers and dates: what a spreadsheet's locale decides
/// when it exports (a European Excel writes `;`, decimal commas, `.` thousands and dd/mm/yyyy).
///
/// The config may set each part (`data.delimiter`, `data.decimal`, `data.thousands`,
/// `data.date_format`); `auto` parts are detected from the file by `DialectDetection`.
public struct CSVDialect: Sendable, Equatable {
    /// The field delimiter byte (`,` `;` tab or `|`).
    public var delimiter: UInt8
    /// How numbers are written.
    public var numbers: NumberFormat
    /// How dates are written (never `.auto` once resolved by detection).
    public var dateFormat: MixPlanConfig.DateFormat

    /// Comma-separated, decimal point, no thousands separators, ISO dates: what MixPlan writes.
    public static let standard = CSVDialect(delimiter: 0x2C, numbers: .plain, dateFormat: .iso)

    public init(delimiter: UInt8, numbers: NumberFormat, dateFormat: MixPlanConfig.DateFormat) {
        self.delimiter = delimiter
        self.numbers = numbers
        self.dateFormat = dateFormat
    }

    /// Comma-separated with a decimal point and ISO dates (whatever thousands separators it allows).
    public var isPlain: Bool { delimiter == 0x2C && numbers.decimalMark == 0x2E && dateFormat == .iso }

    /// One line for `init` and `check`, e.g. `";" delimiter, decimal comma, … , D/M/YYYY dates`.
    public var description: String { layoutDescription + ", \(dateFormat.pattern) dates" }

    /// The delimiter and number format, e.g. `";" delimiter, decimal comma, thousands separated by "."`.
    public var layoutDescription: String {
        let name = MixPlanConfig.Delimiter.allCases.first { $0.byte == delimiter }?.displayName ?? "\"\(Character(Unicode.Scalar(delimiter)))\""
        var parts = ["\(name) delimiter", numbers.decimalMark == 0x2C ? "decimal comma" : "decimal point"]
        if numbers.groupSeparators != [.none] {
            parts.append("thousands separated by " + numbers.groupSeparators.map(\.displayName).joined(separator: " or "))
        }
        return parts.joined(separator: ", ")
    }
}

/// How a number is written: its decimal mark and which separators may group its integer digits
/// in threes (`1.234.567,8`). A grouping must be well formed — a first group of 1–3 digits,
/// then groups of exactly 3 — or the cell is not a number, so `12,5` is never read as 125.
public struct NumberFormat: Sendable, Equatable {
    /// `.` (0x2E) or `,` (0x2C).
    public var decimalMark: UInt8
    /// Separators accepted between groups of three digits; `[.none]` accepts none.
    public var groupSeparators: [MixPlanConfig.ThousandsSeparator]

    /// Decimal point, no thousands separators: the format MixPlan writes and reads by default.
    public static let plain = NumberFormat(decimalMark: 0x2E, groupSeparators: [.none])

    public init(decimalMark: UInt8, groupSeparators: [MixPlanConfig.ThousandsSeparator]) {
        self.decimalMark = decimalMark
        self.groupSeparators = groupSeparators
    }

    /// The byte length of a group separator starting at `cell[i]`, or 0 when there is none.
    /// Spaces include the no-break spaces (U+00A0, U+202F) French and Swiss exports use.
    func separatorLength(_ cell: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int {
        let b = cell[i]
        for separator in groupSeparators {
            switch separator {
            case .comma where b == 0x2C && decimalMark != 0x2C: return 1
            case .point where b == 0x2E && decimalMark != 0x2E: return 1
            case .apostrophe where b == 0x27: return 1
            case .space:
                if b == 0x20 { return 1 }
                if b == 0xC2, i + 1 < end, cell[i + 1] == 0xA0 { return 2 }
                if b == 0xE2, i + 2 < end, cell[i + 1] == 0x80, cell[i + 2] == 0xAF { return 3 }
            default: continue
            }
        }
        return 0
    }
}

extension MixPlanConfig {
    /// `data.delimiter`: the byte between fields.
    public enum Delimiter: String, Sendable, Equatable, CaseIterable, Codable {
        case auto, comma, semicolon, tab, pipe

        /// The delimiter byte; nil for `auto`.
        public var byte: UInt8? {
            switch self {
            case .auto: return nil
            case .comma: return 0x2C
            case .semicolon: return 0x3B
            case .tab: return 0x09
            case .pipe: return 0x7C
            }
        }

        /// How messages name it.
        public var displayName: String {
            switch self {
            case .auto: return "auto"
            case .comma: return "\",\""
            case .semicolon: return "\";\""
            case .tab: return "tab"
            case .pipe: return "\"|\""
            }
        }

        /// Also accepts the symbols themselves (`";"`, `","`, `"|"`) as config values.
        public init?(text: String) {
            switch text {
            case ",": self = .comma
            case ";": self = .semicolon
            case "\t", "\\t": self = .tab
            case "|": self = .pipe
            default: self.init(rawValue: text.lowercased())
            }
        }
    }

    /// `data.decimal`: the decimal mark.
    public enum DecimalMark: String, Sendable, Equatable, CaseIterable, Codable {
        case auto, point, comma

        /// Also accepts `"."` and `","`.
        public init?(text: String) {
            switch text {
            case ".": self = .point
            case ",": self = .comma
            default: self.init(rawValue: text.lowercased())
            }
        }
    }

    /// `data.thousands`: the separator between groups of three digits.
    public enum ThousandsSeparator: String, Sendable, Equatable, CaseIterable, Codable {
        case auto, none, comma, point, space, apostrophe

        /// How messages name it.
        public var displayName: String {
            switch self {
            case .comma: return "\",\""
            case .point: return "\".\""
            case .space: return "spaces"
            case .apostrophe: return "\"'\""
            default: return rawValue
            }
        }

        /// Also accepts `","`, `"."`, `" "` and `"'"`.
        public init?(text: String) {
            switch text {
            case ",": self = .comma
            case ".": self = .point
            case " ": self = .space
            case "'": self = .apostrophe
            default: self.init(rawValue: text.lowercased())
            }
        }
    }
}
