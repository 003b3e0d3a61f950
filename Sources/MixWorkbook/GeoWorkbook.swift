import Foundation
import MixData
import MixModel

/// The workbook of a geo panel's pack: Summary (national channels — per-draw sums over geos —
/// fit and convergence), Geos (one row per geo × channel: spend, its share of the geo's media
/// spend, contribution, ROAS and marginal ROAS with intervals, effect share; a channel that never
/// spends in a geo gets a row saying so), with a plan the Allocation sheet by geo × channel whose
/// planner cells stay live (`GeoAllocationSheet`) and the Planner model sheet behind it, and Charts.
public enum GeoWorkbookWriter {
    /// Sheet names, in order, without a plan and with one.
    public static let sheetNames = ["Summary", "Geos", "Charts"]
    public static let sheetNamesWithPlan = ["Summary", "Geos", "Allocation", "Charts", "Planner model"]
    /// Row (0-based) of the Allocation sheet's header; its cell rows follow in the plan's order.
    public static let allocationHeaderRow = GeoAllocationSheet.headerRow
    /// The Geos sheet's column titles, in order (its table starts at `geosHeaderRow`).
    public static let geosColumns = ["Geo", "Channel", "Spend", "Share of geo's media spend", "Contribution", "Contribution low", "Contribution high",
                                     "ROAS", "ROAS low", "ROAS high", "Marginal ROAS", "Marginal ROAS low", "Marginal ROAS high",
                                     "Share of geo's media effect"]
    /// Row (0-based) of the Geos table's header.
    public static let geosHeaderRow = 3

    /// Writes the workbook to `url` atomically (built under a temporary name, then renamed),
    /// embedding `chartFiles` on the Charts sheet; `plan` adds the Allocation and Planner model sheets.
    public static func write(_ m: GeoModelFolder, plan: GeoPackPlan? = nil, chartFiles: [URL], to url: URL) throws {
        for file in chartFiles where PNGSize(file) == nil {
            throw InputError(InputLocation(file: file.path), "is missing or is not a PNG file; the workbook's Charts sheet needs it.")
        }
        let style = WorkbookStyle(currency: m.config.report.currency)
        try XlsxWorkbook.writeAtomically(to: url) { book in
            let summary = try book.addSheet("Summary"), geos = try book.addSheet("Geos")
            let allocation = plan == nil ? nil : try book.addSheet("Allocation")
            let charts = try book.addSheet("Charts")
            let plannerSheet = plan == nil ? nil : try book.addSheet("Planner model")
            try writeSummary(m, summary, style)
            try writeGeos(m, geos, style)
            if let plan, let allocation, let plannerSheet {
                let planner = plan.planner()
                try GeoAllocationSheet.write(allocation, book: book, plan: plan, planner: planner, target: m.summary.target,
                                             mass: m.config.report.intervalMass, style: style)
                try WorkbookContent.writePlannerModel(plannerSheet, book: book, planner: planner, style: style)
            }
            try WorkbookContent.writeChartImages(charts, files: chartFiles, style: style)
            summary.activate()
            let last = m.panel.dates.last!
            let created = Date(timeIntervalSince1970: Double(last.dayNumber - CalendarDate(year: 1970, month: 1, day: 1)!.dayNumber) * 86_400)
            try book.setProperties(title: "MixPlan geo workbook", subject: "Geo-hierarchical media mix model",
                                   comments: "Written by MixPlan \(MixPlanInfo.version)", created: created)
        }
    }

    static func writeSummary(_ m: GeoModelFolder, _ sheet: XlsxSheet, _ s: WorkbookStyle) throws {
        let sum = m.summary
        let mass = m.config.report.intervalMass
        let lo = Interval.percentLabel((1 - mass) / 2), hi = Interval.percentLabel(1 - (1 - mass) / 2)
        try sheet.text(0, 0, "MixPlan: geo-hierarchical media mix model", s.title)
        var r = 2
        try sheet.pair(r, 0, "Target", sum.target, s); r += 1
        try sheet.pair(r, 0, "Data file", URL(fileURLWithPath: m.panel.geos[0].source).lastPathComponent, s); r += 1
        try sheet.pair(r, 0, "Periods covered", "\(sum.periodStart) to \(sum.periodEnd) (\(sum.periods) \(sum.frequency) periods)", s); r += 1
        try sheet.pair(r, 0, "Geos", Double(m.panel.geoCount), s, s.count); r += 1
        try sheet.pair(r, 0, "Channels", Double(m.panel.channelNames.count), s, s.count); r += 1
        let v = sum.verdict
        try sheet.pair(r, 0, "Convergence", v.passed ? "Converged: every check passed"
                                                     : "NOT CONVERGED: " + v.summary + ". Treat every number with caution.",
                       s, valueStyle: v.passed ? s.good : s.bad); r += 1
        if let retry = sum.retry {
            try sheet.pair(r, 0, "  Refitted (sampler.retry)", retry.sentence, s, valueStyle: s.caution); r += 1
        }
        for reason in v.reasons {
            try sheet.pair(r, 0, "  What to try next", reason.message + ": " + reason.nextStep, s, valueStyle: s.caution); r += 1
        }
        try sheet.pair(r, 0, "National R² in sample", sum.inSample.r2, s, s.ratio); r += 1
        try sheet.pair(r, 0, "National MAPE in sample", sum.inSample.mape, s, s.percent); r += 1
        try sheet.pair(r, 0, "Posterior draws", "\(m.manifest.chains) chains × \(m.manifest.drawsPerChain) draws", s); r += 1
        r += 1
        try sheet.text(r, 0, "National channels (sums over geos, draw by draw)", s.section); r += 1
        try sheet.headers(r, 0, ["Channel", "Spend", "Contribution", lo, hi, "ROAS", lo, hi, "Marginal ROAS", lo, hi], s.header); r += 1
        for c in m.panel.channelNames.indices {
            let q = m.posterior.nationalResult(channel: c, mass: mass)
            try sheet.text(r, 0, q.name, s.text)
            try sheet.number(r, 1, q.spend, s.money)
            for (k, (i, f)) in [(q.contribution, s.amount), (q.roas, s.ratio), (q.marginalRoas, s.ratio)].enumerated() {
                try sheet.number(r, 2 + 3 * k, i.mean, f); try sheet.number(r, 3 + 3 * k, i.lower, f); try sheet.number(r, 4 + 3 * k, i.upper, f)
            }
            r += 1
        }
        try sheet.width(0, 0, 28)
        try sheet.width(1, 10, 14)
    }

    static func writeGeos(_ m: GeoModelFolder, _ sheet: XlsxSheet, _ s: WorkbookStyle) throws {
        let mass = m.config.report.intervalMass
        try sheet.text(0, 0, "Results by geo × channel", s.title)
        try sheet.text(1, 0, "Low and high bound the \(Interval.percentLabel(mass)) credible interval. Spend is over the \(m.summary.periods) periods fitted; shares are of the geo's media spend and of its media effect.", s.note)
        var r = geosHeaderRow
        try sheet.headers(r, 0, geosColumns, s.header)
        sheet.freeze(rows: r + 1, cols: 2)
        r += 1
        let C = m.panel.channelNames.count
        for g in 0..<m.panel.geoCount {
            let spendTotal = (0..<C).reduce(0.0) { $0 + m.posterior.structure.spendTotal[g * C + $1] }
            for c in 0..<C {
                try sheet.text(r, 0, m.panel.geoNames[g], s.text)
                try sheet.text(r, 1, m.panel.channelNames[c], s.text)
                guard let q = m.posterior.result(geo: g, channel: c, mass: mass) else {
                    try sheet.number(r, 2, 0, s.money)
                    try sheet.text(r, 3, "no spend in this geo: no effect estimated", s.note)
                    r += 1
                    continue
                }
                try sheet.number(r, 2, q.spend, s.money)
                try sheet.number(r, 3, spendTotal > 0 ? q.spend / spendTotal : 0, s.percent)
                for (k, (i, f)) in [(q.contribution, s.amount), (q.roas, s.ratio), (q.marginalRoas, s.ratio)].enumerated() {
                    try sheet.number(r, 4 + 3 * k, i.mean, f); try sheet.number(r, 5 + 3 * k, i.lower, f); try sheet.number(r, 6 + 3 * k, i.upper, f)
                }
                try sheet.number(r, 13, q.share.mean, s.percent)
                r += 1
            }
        }
        try sheet.width(0, 1, 16)
        try sheet.width(2, 13, 13)
    }
}
