import ArgumentParser
import Foundation
import MixData
import MixModel
import MixOptimize
import MixReport
import MixWorkbook

/// `mixplan report`: charts, workbook and text report from a saved model.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the charts, the Excel workbook and the text report for a saved model.",
        discussion: """
        Writes DIR/charts/*.png, DIR/mixplan.xlsx, DIR/report.md, DIR/report.html, \
        DIR/summary.json and (with a plan) DIR/plan.json. DIR is built in a temporary sibling \
        folder and swapped in only when complete, so a failure leaves any previous DIR untouched.

        The plan shown is the optimiser result given with --optimization (the JSON printed by \
        `mixplan optimize --json`); without it, the plan the model's config describes is \
        computed (as `mixplan weekly` does), unless --no-plan. --previous names an earlier pack \
        folder (or its summary.json) for the "what changed" section. Templates come from \
        --templates, else report.templates in the config, else the bundled ones.

        A geo model folder (fitted from a config with data.geo_column) gets the geo pack: \
        national charts, the ROAS-by-geo heat map, per-geo fit and response curves, current vs \
        recommended spend by geo, a workbook with a Geos sheet and an Allocation sheet by geo × \
        channel whose planner cells stay live, and a report that puts the national summary first, \
        then the plan (national totals, then the geos whose allocation moves most), then the geos \
        (geo-report.*.mustache). Its plan is the geo optimiser's with `optimize`'s defaults, or \
        --optimization naming a plan.json from `mixplan optimize --model <geo folder> --json` (a \
        national plan is refused for a geo model, and a geo plan for a national one). --previous \
        is refused for it.

        Examples:
          mixplan report --model model --out report
          mixplan report --model model --out report --chart-scale 2
          mixplan optimize --model model --json > plan.json && mixplan report --model model --optimization plan.json --out report

        \(CLISupport.exitCodesHelp(one: nil)) A fit that did not converge, and data or plan warnings, are listed in the report's Warnings section instead.
        """
    )

    @Option(name: .shortAndLong, help: "A model folder written by `mixplan fit` (or a weekly pack's model/).")
    var model: String

    @Option(help: "An optimiser result (`mixplan optimize --json > plan.json`).")
    var optimization: String?

    @Flag(help: "Show no plan: only the model's results.")
    var noPlan = false

    @Option(help: "An earlier pack folder, or its summary.json, to compare with.")
    var previous: String?

    @Option(help: "A folder of Mustache templates (report.md.mustache, report.html.mustache).")
    var templates: String?

    @Option(name: .shortAndLong, help: "The folder to write: new, empty, or an earlier report folder, which is replaced atomically (any other folder or a file is refused).")
    var out: String

    @Flag(help: "Link the charts from report.html (charts/*.png) instead of embedding them.")
    var linkedImages = false

    @Option(help: "Pixel scale of the charts, 1 to 4: 2 gives sharp 1920-px images for HiDPI screens and print (overrides report.chart_scale).")
    var chartScale: Double?

    func run() throws {
        try CLISupport.run {
            if let chartScale, !(chartScale >= 1 && chartScale <= 4) {
                throw InputError(InputLocation(file: "--chart-scale"), "must be from 1 to 4 (2 for HiDPI), got \(chartScale).")
            }
            try AtomicOutput.checkReplaceable(URL(fileURLWithPath: out), marker: "report.md", kind: "report")
            if GeoModelFolder.isGeoModel(URL(fileURLWithPath: model)) { return try writeGeoReport() }
            let fitted = try ModelStore.load(from: URL(fileURLWithPath: model))
            let results: PlanningResults
            if let optimization {
                let plan = try Self.readPlan(optimization, channels: fitted.dataset.channelNames)
                results = PlanningResults(model: fitted, optimization: plan)
            } else if noPlan {
                results = PlanningResults(model: fitted)
            } else {
                results = try DefaultPlan.run(model: fitted)
            }
            let earlier = try previous.map(Self.readSnapshot)
            let cfg = fitted.config
            let templateFolder = templates ?? (cfg.report.templates.isEmpty ? nil : cfg.resolvedPath(cfg.report.templates))
            try ReportPack.writeAtomically(results, previous: earlier, templates: templateFolder.map { URL(fileURLWithPath: $0) },
                                           to: URL(fileURLWithPath: out), linkedImages: linkedImages, chartScale: chartScale)
            print("report written to \(out) (charts/, \(ReportPack.workbookName), report.md, report.html)")
        }
    }

    /// The pack of a geo model folder (GeoReportPack): the plan given with --optimization (a geo
    /// plan.json), else the default geo plan unless --no-plan. --previous is refused rather than ignored.
    func writeGeoReport() throws {
        if let previous {
            throw InputError(InputLocation(file: previous), "geo reports have no what-changed section yet, so --previous cannot be used with a geo model.",
                             hint: "Leave out --previous.")
        }
        let folder = URL(fileURLWithPath: model)
        let saved = try GeoModelFolder(folder)
        let plan: GeoPackPlan?
        if let optimization {
            plan = try GeoPackPlanning.read(optimization, modelFolder: folder)
        } else {
            plan = noPlan ? nil : try GeoPackPlanning.defaultPlan(modelFolder: folder)
        }
        let cfg = saved.config
        let templateFolder = templates ?? (cfg.report.templates.isEmpty ? nil : cfg.resolvedPath(cfg.report.templates))
        try GeoReportPack.writeAtomically(saved, to: URL(fileURLWithPath: out), templates: templateFolder.map { URL(fileURLWithPath: $0) },
                                          plan: plan, linkedImages: linkedImages, chartScale: chartScale)
        print("geo report written to \(out) (charts/, \(ReportPack.workbookName), report.md, report.html"
              + (plan == nil ? ")" : ", plan.json, plan.csv)"))
    }

    static func readPlan(_ path: String, channels: [String]) throws -> OptimizationResult {
        let data = try InputFile.contents(path, what: "plan file")
        // A geo plan's whole-plan summary would decode as a national result (its channels are the
        // cells), so it is recognised by its cells and split first.
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["cells"] is [Any], object["split"] is String {
            throw InputError(InputLocation(file: path), "is a geo plan (one line per geo × channel cell), but the model is national, whose plans have a line per channel.",
                             hint: "Write the plan from this model: mixplan optimize --model MODEL --json > plan.json.")
        }
        let plan: OptimizationResult
        do {
            let decoder = MixJSON.decoder()
            plan = try decoder.decode(OptimizationResult.self, from: data)
        } catch {
            throw InputError(InputLocation(file: path), "is not an optimiser result.",
                             hint: "Write one with `mixplan optimize --model MODEL --json > plan.json`.")
        }
        let named = plan.plan.channels.map(\.channel)
        guard named == channels else {
            throw InputError(InputLocation(file: path), "is a plan for channels \(named.joined(separator: ", ")), but the model has \(channels.joined(separator: ", ")).")
        }
        return plan
    }

    /// An earlier pack folder or its summary.json; errors name the file.
    static func readSnapshot(_ path: String) throws -> ReportSnapshot {
        var isDirectory: ObjCBool = false
        let isFolder = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        let url = URL(fileURLWithPath: path)
        return try ReportSnapshot.load(from: isFolder ? url.appendingPathComponent(ReportPack.snapshotName) : url)
    }
}
