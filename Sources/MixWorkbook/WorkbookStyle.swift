import Foundation
import MixOptimize

/// The workbook's one palette of cell styles, so every sheet looks the same: bold shaded
/// headers, currency and thousands formats, yellow input cells, green live cells, red flags.
struct WorkbookStyle {
    let title = CellStyle(bold: true, size: 14, fontColor: 0x1F3864)
    let section = CellStyle(bold: true, size: 12, fontColor: 0x1F3864)
    let header = CellStyle(bold: true, fill: 0xDCE6F1, bottomBorder: true, wrap: true, verticalTop: true)
    let label = CellStyle(bold: true)
    let text = CellStyle()
    let note = CellStyle(italic: true, fontColor: 0x595959)
    let bad = CellStyle(bold: true, fontColor: 0x9C0006, fill: 0xFFC7CE)
    let good = CellStyle(bold: true, fontColor: 0x006100, fill: 0xC6EFCE)
    let flag = CellStyle(fontColor: 0x9C0006, fill: 0xFFC7CE)
    let caution = CellStyle(fontColor: 0x9C5700, fill: 0xFFEB9C)
    let count = CellStyle(numberFormat: "#,##0")
    let amount = CellStyle(numberFormat: "#,##0")
    let decimal = CellStyle(numberFormat: "#,##0.00")
    let ratio = CellStyle(numberFormat: "0.00")
    let precise = CellStyle(numberFormat: "0.0000")
    let rhat = CellStyle(numberFormat: "0.000")
    let percent = CellStyle(numberFormat: "0.0%")
    /// A probability as every output writes it (`ProbabilityText`): ">99 %", "<1 %", "87 %".
    let probability = CellStyle(numberFormat: ProbabilityText.excelFormat)
    let date = CellStyle(numberFormat: "yyyy-mm-dd")
    let money: CellStyle
    let moneyTotal: CellStyle
    let amountTotal: CellStyle
    let input: CellStyle
    let live: CellStyle
    let liveTotal: CellStyle
    let totalLabel = CellStyle(bold: true, border: false)
    /// The currency number format, also used by chart axes.
    let moneyFormat: String

    /// A probability for a sentence, as every output writes it (`ProbabilityText`).
    static func probabilityText(_ p: Double) -> String { ProbabilityText.format(p) }

    /// - Parameter currency: the config's currency symbol or code ("€", "USD").
    init(currency: String) {
        // A number format holds the symbol as a quoted literal; quotes and backslashes in the
        // config's text would end the literal early, so they are dropped.
        let symbol = currency.filter { $0 != "\"" && $0 != "\\" }
        moneyFormat = symbol.isEmpty ? "#,##0" : (symbol.count == 1 ? "\"\(symbol)\"#,##0" : "\"\(symbol) \"#,##0")
        money = CellStyle(numberFormat: moneyFormat)
        moneyTotal = CellStyle(numberFormat: moneyFormat, bold: true, border: false)
        amountTotal = CellStyle(numberFormat: "#,##0", bold: true)
        input = CellStyle(numberFormat: moneyFormat, bold: true, fill: 0xFFF2CC, border: true)
        live = CellStyle(numberFormat: "#,##0", bold: true, fill: 0xE2EFDA, border: true)
        liveTotal = CellStyle(numberFormat: "#,##0", bold: true, fill: 0xC6E0B4, border: true)
    }
}

/// Helpers every sheet uses.
extension XlsxSheet {
    /// A row of header cells from `col` on.
    func headers(_ row: Int, _ col: Int, _ titles: [String], _ style: CellStyle) throws {
        for (i, t) in titles.enumerated() { try text(row, col + i, t, style) }
    }

    /// A label in column `col` and a value after it (text).
    func pair(_ row: Int, _ col: Int, _ label: String, _ value: String, _ s: WorkbookStyle, valueStyle: CellStyle? = nil) throws {
        try text(row, col, label, s.label)
        try text(row, col + 1, value, valueStyle ?? s.text)
    }

    /// A label and a number.
    func pair(_ row: Int, _ col: Int, _ label: String, _ value: Double, _ s: WorkbookStyle, _ format: CellStyle) throws {
        try text(row, col, label, s.label)
        try number(row, col + 1, value, format)
    }

    /// A marginal ROAS: a ratio, or the text "unbounded" where it is +∞ (zero spend on a Hill curve
    /// with S < 1, a vertical tangent), never a huge number.
    func marginalROAS(_ row: Int, _ col: Int, _ value: Double, _ s: WorkbookStyle) throws {
        if value == .infinity {
            try text(row, col, "unbounded", s.text)
        } else {
            try number(row, col, value, s.ratio)
        }
    }
}
