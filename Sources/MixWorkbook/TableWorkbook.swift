import Foundation

/// A plain workbook of tables — one header row and typed cells per sheet — for roll-ups such as
/// the portfolio summary of `mixplan batch collect`, where each row is a model, not a channel.
public enum TableWorkbook {
    /// A cell: text (always stored as text, never as a formula) or a number with a display kind.
    public enum Cell: Equatable, Sendable {
        case text(String)
        case number(Double, Kind)
        case empty

        /// How a number is shown.
        public enum Kind: Sendable {
            case amount, decimal, percent, probability, rhat, count
        }
    }

    /// One sheet: its name (ours, ≤ 31 characters), column titles and rows.
    public struct Sheet: Sendable {
        public var name: String
        public var columns: [String]
        public var rows: [[Cell]]
        public init(name: String, columns: [String], rows: [[Cell]]) {
            self.name = name
            self.columns = columns
            self.rows = rows
        }
    }

    /// Writes the sheets to `url` via a temporary sibling and a rename, so a failure never leaves
    /// a partial file.
    public static func write(_ sheets: [Sheet], to url: URL) throws {
        let style = WorkbookStyle(currency: "")
        try XlsxWorkbook.writeAtomically(to: url) { book in
            for sheet in sheets {
                let ws = try book.addSheet(sheet.name)
                try ws.headers(0, 0, sheet.columns, style.header)
                ws.freeze(rows: 1, cols: 1)
                for (r, row) in sheet.rows.enumerated() {
                    for (c, cell) in row.enumerated() {
                        switch cell {
                        case .text(let text): try ws.text(r + 1, c, text, style.text)
                        case .number(let value, let kind): try ws.number(r + 1, c, value, Self.style(kind, style))
                        case .empty: break
                        }
                    }
                }
                for (c, title) in sheet.columns.enumerated() {
                    let widest = sheet.rows.map { c < $0.count ? Self.width($0[c]) : 0 }.max() ?? 0
                    try ws.width(c, c, Double(min(60, max(10, max(title.count, widest) + 2))))
                }
            }
        }
    }

    private static func style(_ kind: Cell.Kind, _ s: WorkbookStyle) -> CellStyle {
        switch kind {
        case .amount: return s.amount
        case .decimal: return s.decimal
        case .percent: return s.percent
        case .probability: return s.probability
        case .rhat: return s.rhat
        case .count: return s.count
        }
    }

    private static func width(_ cell: Cell) -> Int {
        switch cell {
        case .text(let t): return t.count
        case .number: return 12
        case .empty: return 0
        }
    }
}
