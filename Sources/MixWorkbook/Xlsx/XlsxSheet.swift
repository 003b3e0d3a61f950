import CXlsxWriter
import Foundation

/// One worksheet. Every cell writer here says what the cell *is*: text from data goes through
/// `text`, which always stores a string cell — never a formula, whatever the text starts with
/// (`=`, `+`, `-`, `@`) — so a channel named `=HYPERLINK(…)` stays literal (formula injection).
/// Formulas only come from `formula`, and only MixPlan builds them.
final class XlsxSheet {
    let handle: UnsafeMutablePointer<lxw_worksheet>
    let name: String
    unowned let workbook: XlsxWorkbook

    init(handle: UnsafeMutablePointer<lxw_worksheet>, name: String, workbook: XlsxWorkbook) {
        self.handle = handle
        self.name = name
        self.workbook = workbook
    }

    private func where_(_ row: Int, _ col: Int) -> String { "sheet \"\(name)\" cell \(CellRef.a1(row, col))" }

    private func style(_ s: CellStyle?) -> UnsafeMutablePointer<lxw_format>? { s.map { workbook.format($0) } }

    /// A string cell, always (see the type's comment).
    func text(_ row: Int, _ col: Int, _ value: String, _ s: CellStyle? = nil) throws {
        try workbook.check(worksheet_write_string(handle, lxw_row_t(row), lxw_col_t(col), value, style(s)), where_(row, col))
    }

    /// A number cell; a non-finite value (e.g. an undefined R²) becomes the text "n/a", since
    /// .xlsx has no NaN.
    /// An interval as three cells from `col`: mean, lower end, upper end — the column order of
    /// every interval the workbook shows.
    func interval(_ row: Int, _ col: Int, _ i: Interval, _ s: CellStyle? = nil) throws {
        try number(row, col, i.mean, s)
        try number(row, col + 1, i.lower, s)
        try number(row, col + 2, i.upper, s)
    }

    func number(_ row: Int, _ col: Int, _ value: Double, _ s: CellStyle? = nil) throws {
        guard value.isFinite else {
            var t = s ?? CellStyle()
            t.alignRight = true
            t.numberFormat = nil
            return try text(row, col, "n/a", t)
        }
        try workbook.check(worksheet_write_number(handle, lxw_row_t(row), lxw_col_t(col), value, style(s)), where_(row, col))
    }

    /// A formula built by MixPlan (without the leading `=`), with the value MixPlan computed for
    /// it stored as the cached result, so readers that do not recalculate still show it.
    func formula(_ row: Int, _ col: Int, _ formula: String, cached: Double, _ s: CellStyle? = nil) throws {
        try workbook.check(worksheet_write_formula_num(handle, lxw_row_t(row), lxw_col_t(col), "=" + formula, style(s),
                                                       cached.isFinite ? cached : 0), where_(row, col))
    }

    /// Column widths in characters for columns `first...last`.
    func width(_ first: Int, _ last: Int, _ chars: Double) throws {
        try workbook.check(worksheet_set_column(handle, lxw_col_t(first), lxw_col_t(last), chars, nil), "sheet \"\(name)\" columns")
    }

    /// Row height in points.
    func height(_ row: Int, _ points: Double) throws {
        try workbook.check(worksheet_set_row(handle, lxw_row_t(row), points, nil), where_(row, 0))
    }

    /// Keeps the first `rows` rows and `cols` columns in view while scrolling.
    func freeze(rows: Int, cols: Int = 0) {
        worksheet_freeze_panes(handle, lxw_row_t(rows), lxw_col_t(cols))
    }

    /// Accept only decimal numbers ≥ 0 in the cell, with an input hint and a stop message.
    func requireNonNegative(_ row: Int, _ col: Int, title: String, message: String) throws {
        try title.withCString { t in
            try message.withCString { m in
                try "Spend must be a number ≥ 0.".withCString { e in
                    var v = lxw_data_validation()
                    v.validate = UInt8(LXW_VALIDATION_TYPE_DECIMAL.rawValue)
                    v.criteria = UInt8(LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO.rawValue)
                    v.value_number = 0
                    v.ignore_blank = UInt8(LXW_VALIDATION_OFF.rawValue)
                    v.show_input = UInt8(LXW_VALIDATION_ON.rawValue)
                    v.show_error = UInt8(LXW_VALIDATION_ON.rawValue)
                    v.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_STOP.rawValue)
                    v.input_title = UnsafeMutablePointer(mutating: t)
                    v.input_message = UnsafeMutablePointer(mutating: m)
                    v.error_title = UnsafeMutablePointer(mutating: t)
                    v.error_message = UnsafeMutablePointer(mutating: e)
                    try workbook.check(worksheet_data_validation_cell(handle, lxw_row_t(row), lxw_col_t(col), &v), where_(row, col))
                }
            }
        }
    }

    /// Comparison used by `highlight`.
    enum Comparison { case greaterThan, lessThan }

    /// Conditional format: cells of the rectangle whose value compares true with `value` get `s`.
    func highlight(rows: ClosedRange<Int>, cols: ClosedRange<Int>, when comparison: Comparison, _ value: Double,
                   _ s: CellStyle) throws {
        var c = lxw_conditional_format()
        c.type = UInt8(LXW_CONDITIONAL_TYPE_CELL.rawValue)
        c.criteria = UInt8(comparison == .greaterThan ? LXW_CONDITIONAL_CRITERIA_GREATER_THAN.rawValue
                                                      : LXW_CONDITIONAL_CRITERIA_LESS_THAN.rawValue)
        c.value = value
        c.format = workbook.format(s)
        try workbook.check(worksheet_conditional_format_range(handle, lxw_row_t(rows.lowerBound), lxw_col_t(cols.lowerBound),
                                                              lxw_row_t(rows.upperBound), lxw_col_t(cols.upperBound), &c),
                           where_(rows.lowerBound, cols.lowerBound))
    }

    /// Places a native chart with its top-left corner at the cell.
    func insert(_ chart: XlsxChart, _ row: Int, _ col: Int, xScale: Double = 1, yScale: Double = 1) throws {
        var o = lxw_chart_options()
        o.x_scale = xScale
        o.y_scale = yScale
        try workbook.check(worksheet_insert_chart_opt(handle, lxw_row_t(row), lxw_col_t(col), chart.handle, &o), where_(row, col))
    }

    /// Embeds a PNG file (read when the workbook is closed) with alternative text.
    func image(_ file: URL, _ row: Int, _ col: Int, scale: Double, description: String) throws {
        try description.withCString { d in
            var o = lxw_image_options()
            o.x_scale = scale
            o.y_scale = scale
            o.description = UnsafeMutablePointer(mutating: d)
            try workbook.check(worksheet_insert_image_opt(handle, lxw_row_t(row), lxw_col_t(col), file.path, &o),
                               "\(where_(row, col)) (image \(file.path))")
        }
    }

    /// Makes this the sheet shown when the file opens.
    func activate() { worksheet_activate(handle) }

    /// Hides the grid lines on screen (for presentation sheets such as Charts).
    func hideGridlines() { worksheet_gridlines(handle, UInt8(LXW_HIDE_ALL_GRIDLINES.rawValue)) }

    /// Prints only these cells (Excel's print area); the rest of the sheet stays on screen.
    func printArea(rows: ClosedRange<Int>, cols: ClosedRange<Int>) throws {
        try workbook.check(worksheet_print_area(handle, lxw_row_t(rows.lowerBound), lxw_col_t(cols.lowerBound),
                                                lxw_row_t(rows.upperBound), lxw_col_t(cols.upperBound)), "sheet \"\(name)\" print area")
    }

    /// Landscape, fit to one page wide, for printing.
    func printLandscapeFitWidth() {
        worksheet_set_landscape(handle)
        worksheet_fit_to_pages(handle, 1, 0)
    }
}

/// A1-style cell references, for formulas and chart ranges.
enum CellRef {
    /// Column letters of a 0-based column (0 → A, 26 → AA).
    static func column(_ col: Int) -> String {
        var n = col + 1, out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }

    /// `B5` for row 4, column 1 (0-based).
    static func a1(_ row: Int, _ col: Int) -> String { "\(column(col))\(row + 1)" }

    /// `$B$5`.
    static func absolute(_ row: Int, _ col: Int) -> String { "$\(column(col))$\(row + 1)" }

    /// `'Sheet name'!$B$5:$B$9` (quotes doubled inside the sheet name).
    static func range(_ sheet: String, _ r0: Int, _ c0: Int, _ r1: Int, _ c1: Int) -> String {
        let quoted = "'" + sheet.replacingOccurrences(of: "'", with: "''") + "'"
        let a = absolute(r0, c0), b = absolute(r1, c1)
        return a == b ? "\(quoted)!\(a)" : "\(quoted)!\(a):\(b)"
    }
}
