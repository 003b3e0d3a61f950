import Foundation
import MixData
import MixModel

/// The Time-varying sheet, written only for a model with `time_varying_media` or
/// `time_varying_intercept`: per training period the media multiplier m[t] and the intercept
/// drift with their intervals — the numbers `media-multiplier.png` draws (`TimeVaryingTable`).
extension WorkbookContent {
    static let timeVaryingSheetName = "Time-varying"
    /// Header row of the per-period table; its rows follow, one per training period.
    static let timeVaryingHeaderRow = 5

    func timeVaryingHeaders(_ table: TimeVaryingTable) -> [String] {
        var out = ["Date"]
        if table.rows.first?.multiplier != nil {
            out += ["Media multiplier (median)", "Multiplier \(lowerLabel)", "Multiplier \(upperLabel)"]
        }
        if table.rows.first?.interceptDrift != nil {
            out += ["Baseline drift (median, \(targetName))", "Drift \(lowerLabel)", "Drift \(upperLabel)"]
        }
        return out
    }

    func writeTimeVarying(_ sheet: XlsxSheet, _ table: TimeVaryingTable) throws {
        let s = style
        try sheet.text(0, 0, "Time-varying effectiveness and baseline", s.title)
        try sheet.text(1, 0, "Per training period, posterior median with the \(lowerLabel)–\(upperLabel) interval. The multiplier scales every channel's effect and has mean 1 over the training periods (above 1: media worked better than on average); the drift is added to the baseline, in \(targetName).", s.note)
        if let planning = table.planningMultiplier {
            try sheet.pair(3, 0, "Planning multiplier (mean of the last \(table.planningPeriods) periods)", planning, s, s.ratio)
        }
        let r0 = Self.timeVaryingHeaderRow
        try sheet.headers(r0, 0, timeVaryingHeaders(table), s.header)
        try sheet.height(r0, 30)
        let epoch = CalendarDate(year: 1899, month: 12, day: 30)!.dayNumber
        let dates = results.model.dataset.dates
        for (t, row) in table.rows.enumerated() {
            let r = r0 + 1 + t
            try sheet.number(r, 0, Double(dates[t].dayNumber - epoch), s.date)
            var col = 1
            if let m = row.multiplier {
                for v in [m.median, m.lower, m.upper] { try sheet.number(r, col, v, s.precise); col += 1 }
            }
            if let d = row.interceptDrift {
                for v in [d.median, d.lower, d.upper] { try sheet.number(r, col, v, s.decimal); col += 1 }
            }
        }
        try sheet.width(0, 0, 14)
        try sheet.width(1, 6, 16)
        sheet.freeze(rows: r0 + 1, cols: 1)
    }
}
