import CXlsxWriter
import Foundation

/// A native Excel chart. Its series read ranges of a sheet; every piece of text that could come
/// from data (titles, series names) is taken from a cell, never passed as text, because
/// libxlsxwriter reads chart text starting with `=` as a formula.
final class XlsxChart {
    let handle: UnsafeMutablePointer<lxw_chart>

    init(handle: UnsafeMutablePointer<lxw_chart>) {
        self.handle = handle
    }

    /// A series: categories (x) and values (y) are ranges such as `CellRef.range(...)`; its name
    /// is the text of a cell. Optional colour (0xRRGGBB) and dashed line.
    @discardableResult
    func series(categories: String, values: String, nameSheet: String, nameRow: Int, nameCol: Int,
                color: UInt32? = nil, dashed: Bool = false, lineWidth: Double = 1.5, fill: Bool = false) -> UnsafeMutablePointer<lxw_chart_series> {
        let s = chart_add_series(handle, categories, values)!
        chart_series_set_name_range(s, nameSheet, lxw_row_t(nameRow), lxw_col_t(nameCol))
        if let color {
            if fill {
                var f = lxw_chart_fill()
                f.color = color
                chart_series_set_fill(s, &f)
            } else {
                var l = lxw_chart_line()
                l.color = color
                l.width = Float(lineWidth)
                l.dash_type = UInt8(dashed ? LXW_CHART_LINE_DASH_DASH.rawValue : LXW_CHART_LINE_DASH_SOLID.rawValue)
                chart_series_set_line(s, &l)
            }
        }
        return s
    }

    /// The title is the text of a cell (safe for names from data).
    func title(sheet: String, row: Int, col: Int) {
        chart_title_set_name_range(handle, sheet, lxw_row_t(row), lxw_col_t(col))
    }

    /// A fixed title written by MixPlan; text that would read as a formula is refused.
    func title(_ text: String) {
        chart_title_set_name(handle, Self.literal(text))
    }

    /// Axis names and number formats; the names are MixPlan's own text.
    func axes(x: String, y: String, xFormat: String? = nil, yFormat: String? = nil) {
        chart_axis_set_name(handle.pointee.x_axis, Self.literal(x))
        chart_axis_set_name(handle.pointee.y_axis, Self.literal(y))
        if let xFormat { chart_axis_set_num_format(handle.pointee.x_axis, xFormat) }
        if let yFormat { chart_axis_set_num_format(handle.pointee.y_axis, yFormat) }
    }

    /// Label every `unit`-th category on the x axis (long category axes stay readable).
    func categoryLabelEvery(_ unit: Int) {
        chart_axis_set_interval_unit(handle.pointee.x_axis, UInt16(max(1, min(unit, Int(UInt16.max)))))
    }

    /// Title font size in points (bold).
    func titleSize(_ points: Double) {
        var f = lxw_chart_font()
        f.size = points
        f.bold = 1
        chart_title_set_name_font(handle, &f)
    }

    func legendBottom() {
        chart_legend_set_position(handle, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
    }

    /// Chart text cannot start with `=` (it would be read as a reference); such text gets a
    /// leading space.
    static func literal(_ text: String) -> String {
        text.hasPrefix("=") ? " " + text : text
    }
}
