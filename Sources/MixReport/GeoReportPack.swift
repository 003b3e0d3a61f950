import Foundation
import MixCharts
import MixData
import MixModel
import MixOptimize
import MixResults
import MixWorkbook

/// The files of a geo panel's pack, written into one folder (as `ReportPack` for a national model):
///
///     charts/*.png      national charts (ROAS, shares, fit) and geo charts (GeoChartPack), with a
///                       plan the current vs recommended spend by geo
///     mixplan.xlsx      Summary, Geos and Charts sheets, with a plan the Allocation sheet by geo ×
///                       channel with live planner cells and its Planner model (GeoWorkbookWriter)
///     report.md/.html   national summary first, the plan (national totals, then the geos that
///                       move most), then the geos (GeoReportWriter)
///     summary.json      the fit's `GeoSummary` (national channels, then `geos`)
///     plan.json         the geo plan (`GeoPlan`, as `optimize --json` prints it), with a plan
///     plan.csv          its cells, geo,channel,spend,… (`whatif --plan plan.csv` replays it)
public enum GeoReportPack {
    /// Writes every file into `folder`; `checkpoint` is called with "charts", "workbook" and
    /// "report" before each stage. `plan` is the geo optimiser's plan with the draws it came from;
    /// its caveat is set here from the fit (`GeoPlanText.caveat`), so plan.json, the workbook and
    /// the report say the same. `notes` are extra warnings for the report (e.g. a skipped backtest).
    public static func write(_ m: GeoModelFolder, into folder: URL, templates: URL?, plan given: GeoPackPlan? = nil,
                             notes: [String] = [], linkedImages: Bool = false, chartScale: Double? = nil,
                             checkpoint: (String) -> Void = { _ in }) throws {
        var plan = given
        if let p = given { plan?.plan.plan.caveat = GeoPlanText.caveat(m, plan: p.plan) }
        let writer = try GeoReportWriter(templatesDirectory: templates)
        checkpoint("charts")
        let chartsFolder = folder.appendingPathComponent("charts")
        let chartFiles: [URL]
        do {
            chartFiles = try GeoChartPack.write(m, plan: plan?.plan, to: chartsFolder, scale: chartScale ?? m.config.report.chartScale)
        } catch ChartError.pngWrite(let path, let reason) {
            throw InputError(InputLocation(file: path), "cannot be written: \(reason).",
                             hint: "Check that the disk is not full or read-only and the folder is writable.")
        }
        checkpoint("workbook")
        try GeoWorkbookWriter.write(m, plan: plan, chartFiles: chartFiles, to: folder.appendingPathComponent(ReportPack.workbookName))
        checkpoint("report")
        let images = linkedImages ? [:] : try ReportPack.embeddedImages(chartFiles)
        let context = GeoReportContext(m, plan: plan.map { GeoPlanText(m, plan: $0.plan) }, extraWarnings: notes,
                                       chartFiles: chartFiles.map(\.lastPathComponent))
        let (markdown, html) = writer.render(context, images: images)
        try AtomicOutput.write(Data(markdown.utf8), to: folder.appendingPathComponent("report.md"))
        try AtomicOutput.write(Data(html.utf8), to: folder.appendingPathComponent("report.html"))
        try AtomicOutput.write(try m.summary.json(), to: folder.appendingPathComponent(ReportPack.snapshotName))
        if let plan = plan?.plan {
            try AtomicOutput.write(Data((try ResultJSON.encode(plan) + "\n").utf8), to: folder.appendingPathComponent(ReportPack.planName))
            try AtomicOutput.write(Data(plan.csv().utf8), to: folder.appendingPathComponent(ReportPack.planTableName))
        }
    }

    /// Builds the pack in a temporary sibling of `folder` and swaps it in only when complete; an
    /// existing `folder` must be an earlier report (it has report.md) or empty.
    public static func writeAtomically(_ m: GeoModelFolder, to folder: URL, templates: URL?, plan: GeoPackPlan? = nil,
                                       notes: [String] = [], linkedImages: Bool = false, chartScale: Double? = nil) throws {
        try AtomicOutput.writeDirectory(at: folder, marker: "report.md", kind: "report") { staged in
            try write(m, into: staged, templates: templates, plan: plan, notes: notes,
                      linkedImages: linkedImages, chartScale: chartScale)
        }
    }
}
