import CXlsxWriter
import Foundation
import MixOptimize

/// Sheets with native Excel charts over their own tables: Response curves, Contributions and
/// Frontier. Chart titles and series names point at cells, so names from data stay text.
extension WorkbookContent {
    /// Header rows of the Response curves sheet (channel name, column titles) and first data row.
    static let curveNameRow = 3
    static let curveDataRow = 5
    /// Columns per channel block (spend, mean, lower, upper) plus a spacer.
    static let curveBlock = 5
    /// Header row and first data row of the Contributions sheet.
    static let contributionHeaderRow = 3

    func writeCurves(_ sheet: XlsxSheet, book: XlsxWorkbook) throws {
        let s = style
        try sheet.text(0, 0, "Response curves", s.title)
        try sheet.text(1, 0, "Expected \(targetName) per period from a steady spend per period (adstock settled), mean and 94 % interval (3 %–97 %) over posterior draws.", s.note)
        let colors: [UInt32] = [0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF]
        var longest = 0
        for (c, curve) in results.curves.enumerated() {
            let col = c * Self.curveBlock
            try sheet.text(Self.curveNameRow, col, curve.channel, s.section)
            try sheet.headers(Self.curveNameRow + 1, col, ["Spend / period", "Mean", "Lower (3 %)", "Upper (97 %)"], s.header)
            for (i, x) in curve.spend.enumerated() {
                let r = Self.curveDataRow + i
                try sheet.number(r, col, x, s.money)
                try sheet.number(r, col + 1, curve.mean[i], s.amount)
                try sheet.number(r, col + 2, curve.lower94[i], s.amount)
                try sheet.number(r, col + 3, curve.upper94[i], s.amount)
            }
            let end = Self.curveDataRow + curve.spend.count - 1
            try sheet.text(end + 1, col, "Current spend / period", s.note)
            try sheet.number(end + 2, col, curve.currentSpend, s.money)
            longest = max(longest, curve.spend.count)
            try sheet.width(col, col + 3, 13)
            try sheet.width(col + 4, col + 4, 3)

            let chart = try book.addChart(LXW_CHART_LINE)
            let categories = CellRef.range(sheet.name, Self.curveDataRow, col, end, col)
            let color = colors[c % colors.count]
            for (k, dashed) in [(1, false), (2, true), (3, true)] {
                chart.series(categories: categories, values: CellRef.range(sheet.name, Self.curveDataRow, col + k, end, col + k),
                             nameSheet: sheet.name, nameRow: Self.curveNameRow + 1, nameCol: col + k,
                             color: color, dashed: dashed, lineWidth: dashed ? 1 : 2.25)
            }
            chart.title(sheet: sheet.name, row: Self.curveNameRow, col: col)
            chart.titleSize(12)
            chart.categoryLabelEvery(max(1, curve.spend.count / 6))
            chart.axes(x: "Spend per period", y: "Response per period", xFormat: s.moneyFormat, yFormat: "#,##0")
            chart.legendBottom()
            try sheet.insert(chart, Self.curveDataRow + longest + 4, col, xScale: 0.85, yScale: 1)
        }
        sheet.freeze(rows: Self.curveDataRow)
    }

    func writeContributions(_ sheet: XlsxSheet, book: XlsxWorkbook) throws {
        let s = style
        let model = results.model
        let data = model.dataset
        let d = results.quantities.meanDecomposition
        let trainT = data.periodCount - model.holdout
        try sheet.text(0, 0, "Contributions per period", s.title)
        try sheet.text(1, 0, "Posterior-mean contribution of each component to \(targetName) per period, in target units; fitted = sum of components.", s.note)
        let fixed = ["Date", "Actual", "Fitted", "Baseline", "Controls", "Seasonality", "Trend", "Non-media total"]
        let r0 = Self.contributionHeaderRow
        try sheet.headers(r0, 0, fixed + data.channelNames + ["Holdout"], s.header)
        try sheet.height(r0, 30)
        let epoch = CalendarDate(year: 1899, month: 12, day: 30)!.dayNumber
        for t in 0..<data.periodCount {
            let r = r0 + 1 + t
            try sheet.number(r, 0, Double(data.dates[t].dayNumber - epoch), s.date)
            try sheet.number(r, 1, data.target[t], s.amount)
            try sheet.number(r, 2, results.quantities.fitted[t], s.amount)
            try sheet.number(r, 3, d.baseline[t], s.amount)
            try sheet.number(r, 4, d.controls[t], s.amount)
            try sheet.number(r, 5, d.seasonality[t], s.amount)
            try sheet.number(r, 6, d.trend[t], s.amount)
            try sheet.number(r, 7, d.baseline[t] + d.controls[t] + d.seasonality[t] + d.trend[t], s.amount)
            for c in 0..<data.channelCount { try sheet.number(r, fixed.count + c, d.channels[c][t], s.amount) }
            try sheet.text(r, fixed.count + data.channelCount, t >= trainT ? "holdout" : "", s.note)
        }
        let last = r0 + data.periodCount
        let chart = try book.addChart(LXW_CHART_AREA_STACKED)
        let categories = CellRef.range(sheet.name, r0 + 1, 0, last, 0)
        let palette: [UInt32] = [0xBFBFBF, 0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF]
        for (k, col) in ([7] + (0..<data.channelCount).map { fixed.count + $0 }).enumerated() {
            chart.series(categories: categories, values: CellRef.range(sheet.name, r0 + 1, col, last, col),
                         nameSheet: sheet.name, nameRow: r0, nameCol: col, color: palette[k % palette.count], fill: true)
        }
        chart.title("Contributions per period (stacked)")
        chart.titleSize(12)
        chart.categoryLabelEvery(max(1, data.periodCount / 12))
        chart.axes(x: "Period", y: "Target units per period", xFormat: "yyyy-mm-dd", yFormat: "#,##0")
        chart.legendBottom()
        try sheet.insert(chart, r0 + 1, fixed.count + data.channelCount + 2, xScale: 2, yScale: 1.5)
        try sheet.width(0, 0, 12)
        try sheet.width(1, fixed.count + data.channelCount, 13)
        sheet.freeze(rows: r0 + 1, cols: 1)
    }

    func writeFrontier(_ sheet: XlsxSheet, book: XlsxWorkbook) throws {
        let s = style
        try sheet.text(0, 0, "Budget frontier", s.title)
        guard let f = results.frontier, !f.points.isEmpty else {
            try sheet.text(1, 0, "No budget frontier was computed for this run.", s.note)
            try sheet.width(0, 0, 22)
            return
        }
        try sheet.text(1, 0, "Best expected \(targetName) (objective \(f.objective)) as the total budget varies; spend per period per channel at each budget.", s.note)
        try sheet.text(2, 0, "ROAS is what each budget adds per unit of spend: the response less the carry-over of spend before the plan, divided by the budget.", s.note)
        let r0 = 3
        let fixedHeaders = ["Budget vs current", "Budget", "Objective value", "Response", "Lower (\(lowerLabel))", "Upper (\(upperLabel))", "ROAS"]
        try sheet.headers(r0, 0, fixedHeaders + f.channels, s.header)
        try sheet.height(r0, 30)
        for (i, p) in f.points.enumerated() {
            let r = r0 + 1 + i
            try sheet.number(r, 0, p.fractionOfCurrent, s.percent)
            try sheet.number(r, 1, p.budget, s.money)
            try sheet.number(r, 2, p.objectiveValue, s.amount)
            try sheet.interval(r, 3, p.response, s.amount)
            try sheet.number(r, 6, f.roas(p) ?? .nan, s.ratio)
            for (c, x) in p.allocation.enumerated() { try sheet.number(r, fixedHeaders.count + c, x, s.money) }
        }
        let last = r0 + f.points.count
        var r = last + 2
        try sheet.pair(r, 0, "Current budget", f.currentBudget, s, s.money)
        for note in f.skipped {
            r += 1
            try sheet.text(r, 0, note, s.caution)
        }
        let chart = try book.addChart(LXW_CHART_LINE)
        let categories = CellRef.range(sheet.name, r0 + 1, 1, last, 1)
        for (k, dashed) in [(3, false), (4, true), (5, true)] {
            chart.series(categories: categories, values: CellRef.range(sheet.name, r0 + 1, k, last, k), nameSheet: sheet.name,
                         nameRow: r0, nameCol: k, color: 0x1F77B4, dashed: dashed, lineWidth: dashed ? 1 : 2.25)
        }
        chart.title("Best response by budget")
        chart.titleSize(12)
        chart.axes(x: "Budget over the horizon", y: "Response", xFormat: s.moneyFormat, yFormat: "#,##0")
        chart.legendBottom()
        try sheet.insert(chart, r + 2, 0, xScale: 1.5, yScale: 1.2)
        try sheet.width(0, fixedHeaders.count + f.channels.count, 14)
        sheet.freeze(rows: r0 + 1, cols: 1)
    }
}
