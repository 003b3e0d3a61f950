import Foundation
import MixCharts
import MixData
import MixOptimize
import MixResults

/// The files a planner receives, written into one folder:
///
///     charts/*.png      every chart (ChartPack)
///     mixplan.xlsx      the workbook with live planner cells (WorkbookWriter)
///     report.md/.html   the text report (ReportWriter, from editable templates)
///     summary.json      the key figures, which next week's report compares against
///     plan.json         the optimiser's result (when there is one)
///     plan.csv          its allocation, one row per channel (`whatif --plan plan.csv` replays it)
///
/// `write` fills a folder it is given (the caller builds it in a staging area and moves it into
/// place); `writeAtomically` does both for a standalone `mixplan report`.
public enum ReportPack {
    /// File names in a pack.
    public static let workbookName = "mixplan.xlsx"
    public static let snapshotName = "summary.json"
    public static let planName = "plan.json"
    public static let planTableName = "plan.csv"

    /// Writes every file of the pack into `folder`. `checkpoint` is called with the stage name
    /// ("charts", "workbook", "report") before each stage, for progress logging. The HTML report
    /// embeds its charts unless `linkedImages` (then it links charts/*.png, as report.md does).
    /// Charts are drawn at `chartScale` (nil: the config's `report.chart_scale`).
    public static func write(_ results: PlanningResults, previous: ReportSnapshot?, templates: URL?,
                             into folder: URL, linkedImages: Bool = false, chartScale: Double? = nil,
                             checkpoint: (String) -> Void = { _ in }) throws {
        // Templates first: a broken template should fail before any expensive work.
        let writer = try ReportWriter(templatesDirectory: templates)
        checkpoint("charts")
        let charts = folder.appendingPathComponent("charts")
        try createFolder(charts)
        let chartFiles: [URL]
        do {
            chartFiles = try ChartPack.write(results, to: charts, scale: chartScale ?? results.model.config.report.chartScale)
        } catch ChartError.pngWrite(let path, let reason) {
            // The disk, not MixPlan: full, read-only or not writable (exit 2, naming the file).
            throw InputError(InputLocation(file: path), "cannot be written: \(reason).",
                             hint: "Check that the disk is not full or read-only and the folder is writable.")
        }
        checkpoint("workbook")
        try WorkbookWriter.write(results, chartFiles: chartFiles, to: folder.appendingPathComponent(workbookName))
        checkpoint("report")
        let images = linkedImages ? [:] : try ReportPack.embeddedImages(chartFiles)
        let (markdown, html) = try writer.render(results, previous: previous, chartFiles: chartFiles.map(\.lastPathComponent), images: images)
        try AtomicOutput.write(Data(markdown.utf8), to: folder.appendingPathComponent("report.md"))
        try AtomicOutput.write(Data(html.utf8), to: folder.appendingPathComponent("report.html"))
        try AtomicOutput.write(try ReportSnapshot(results).jsonData(), to: folder.appendingPathComponent(snapshotName))
        if let plan = results.optimization {
            try AtomicOutput.write(Data((try ResultJSON.encode(plan) + "\n").utf8), to: folder.appendingPathComponent(planName))
            try AtomicOutput.write(Data(plan.plan.csv().utf8), to: folder.appendingPathComponent(planTableName))
        }
    }

    /// Builds the pack in a temporary sibling of `folder` and swaps it in only when complete, so
    /// a failure or a kill leaves any previous `folder` as it was. An existing `folder` must be
    /// an earlier report (it has report.md) or empty: anything else is refused, not replaced.
    public static func writeAtomically(_ results: PlanningResults, previous: ReportSnapshot?, templates: URL?,
                                       to folder: URL, linkedImages: Bool = false, chartScale: Double? = nil,
                                       checkpoint: (String) -> Void = { _ in }) throws {
        try AtomicOutput.writeDirectory(at: folder, marker: "report.md", kind: "report") { staged in
            try write(results, previous: previous, templates: templates, into: staged, linkedImages: linkedImages,
                      chartScale: chartScale, checkpoint: checkpoint)
        }
    }

    /// Reads the key figures a pack saved (nil when there is no readable `summary.json`).
    public static func snapshot(inPack folder: URL) -> ReportSnapshot? {
        try? ReportSnapshot.load(from: folder.appendingPathComponent(snapshotName))
    }

    private static func createFolder(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw InputError(InputLocation(file: url.path), "cannot be created: \((error as NSError).localizedDescription).")
        }
    }

    /// The charts just written, read back by file name to embed in report.html (national and geo
    /// packs alike); a chart that cannot be read back is an input error naming its file.
    static func embeddedImages(_ chartFiles: [URL]) throws -> [String: Data] {
        var images: [String: Data] = [:]
        for url in chartFiles {
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw InputError(InputLocation(file: url.path), "was just written but cannot be read back to embed it in report.html.")
            }
            images[url.lastPathComponent] = data
        }
        return images
    }
}
