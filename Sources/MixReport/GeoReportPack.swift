import Foundation
import MixCharts
import MixData
import MixModel
import MixWorkbook

/// The files of a geo panel's pack, written into one folder (as `ReportPack` for a national model):
///
///     charts/*.png      national charts (ROAS, shares, fit) and geo charts (GeoChartPack)
///     mixplan.xlsx      Summary, Geos and Charts sheets (GeoWorkbookWriter)
///     report.md/.html   national summary first, then the geos that move most (GeoReportWriter)
///     summary.json      the fit's `GeoSummary` (national channels, then `geos`)
///     plan.json         the geo optimiser's result, verbatim, when one is given
public enum GeoReportPack {
    /// Writes every file into `folder`; `checkpoint` is called with "charts", "workbook" and
    /// "report" before each stage. `plan` (the report's plan section) and `planJSON` (written
    /// as plan.json) are the hook for the geo optimiser; without them the report says there is
    /// no plan. `notes` are extra warnings for the report (e.g. a skipped backtest).
    public static func write(_ m: GeoModelFolder, into folder: URL, templates: URL?, plan: GeoPlanText? = nil, planJSON: Data? = nil,
                             notes: [String] = [], linkedImages: Bool = false, chartScale: Double? = nil,
                             checkpoint: (String) -> Void = { _ in }) throws {
        let writer = try GeoReportWriter(templatesDirectory: templates)
        checkpoint("charts")
        let chartsFolder = folder.appendingPathComponent("charts")
        let chartFiles: [URL]
        do {
            chartFiles = try GeoChartPack.write(m, to: chartsFolder, scale: chartScale ?? m.config.report.chartScale)
        } catch ChartError.pngWrite(let path, let reason) {
            throw InputError(InputLocation(file: path), "cannot be written: \(reason).",
                             hint: "Check that the disk is not full or read-only and the folder is writable.")
        }
        checkpoint("workbook")
        try GeoWorkbookWriter.write(m, chartFiles: chartFiles, to: folder.appendingPathComponent(ReportPack.workbookName))
        checkpoint("report")
        let images = linkedImages ? [:] : try ReportPack.embeddedImages(chartFiles)
        let context = GeoReportContext(m, plan: plan, extraWarnings: notes, chartFiles: chartFiles.map(\.lastPathComponent))
        let (markdown, html) = writer.render(context, images: images)
        try AtomicOutput.write(Data(markdown.utf8), to: folder.appendingPathComponent("report.md"))
        try AtomicOutput.write(Data(html.utf8), to: folder.appendingPathComponent("report.html"))
        try AtomicOutput.write(try m.summary.json(), to: folder.appendingPathComponent(ReportPack.snapshotName))
        if let planJSON { try AtomicOutput.write(planJSON, to: folder.appendingPathComponent(ReportPack.planName)) }
    }

    /// Builds the pack in a temporary sibling of `folder` and swaps it in only when complete; an
    /// existing `folder` must be an earlier report (it has report.md) or empty.
    public static func writeAtomically(_ m: GeoModelFolder, to folder: URL, templates: URL?, plan: GeoPlanText? = nil, planJSON: Data? = nil,
                                       notes: [String] = [], linkedImages: Bool = false, chartScale: Double? = nil) throws {
        try AtomicOutput.writeDirectory(at: folder, marker: "report.md", kind: "report") { staged in
            try write(m, into: staged, templates: templates, plan: plan, planJSON: planJSON, notes: notes,
                      linkedImages: linkedImages, chartScale: chartScale)
        }
    }
}
