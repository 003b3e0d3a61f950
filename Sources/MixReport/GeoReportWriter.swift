import Foundation
import MixData
import Mustache

/// Renders the geo panel's Markdown and HTML report from `geo-report.md.mustache` and
/// `geo-report.html.mustache`: those of the config's `report.templates` folder when it holds
/// them, else the bundled copies (`GeoBundledTemplates`). Templates are checked on load against
/// `GeoReportKeys`, so a misspelt name stops the run before any work, as for the national report.
public struct GeoReportWriter: Sendable {
    public static let markdownTemplateName = "geo-report.md.mustache"
    public static let htmlTemplateName = "geo-report.html.mustache"

    private let markdown: MustacheTemplate
    private let html: MustacheTemplate

    /// Loads the geo templates of `templatesDirectory` when it has both, else the bundled ones.
    public init(templatesDirectory: URL?) throws {
        MarkdownContentType.registerOnce()
        var texts = [(GeoBundledTemplates.markdown, "bundled " + Self.markdownTemplateName),
                     (GeoBundledTemplates.html, "bundled " + Self.htmlTemplateName)]
        if let directory = templatesDirectory {
            let md = directory.appendingPathComponent(Self.markdownTemplateName), page = directory.appendingPathComponent(Self.htmlTemplateName)
            let has = [md, page].map { FileManager.default.fileExists(atPath: $0.path) }
            if has[0] != has[1] {
                throw InputError(InputLocation(file: (has[0] ? page : md).path, key: "report.templates"),
                                 "is missing; a template folder with one geo report template must hold both \(Self.markdownTemplateName) and \(Self.htmlTemplateName).")
            }
            if has[0] { texts = [(try ReportWriter.read(md), md.path), (try ReportWriter.read(page), page.path)] }
        }
        for (text, file) in texts {
            try TemplateKeyCheck.check(text, file: file, partials: [:], partialFile: { $0 }, root: GeoReportKeys.root)
        }
        markdown = try ReportWriter.parse(texts[0].0, file: texts[0].1)
        html = try ReportWriter.parse(texts[1].0, file: texts[1].1)
    }

    /// Both reports for `context`; `images` (file name → PNG bytes) embeds those charts in the
    /// HTML as data URIs, while the Markdown links `charts/<file>`.
    public func render(_ context: GeoReportContext, images: [String: Data] = [:]) -> (markdown: String, html: String) {
        var embedded = context
        func inline(_ charts: [ReportContext.Chart]) -> [ReportContext.Chart] {
            charts.map { c in
                guard let data = images[c.file] else { return c }
                var out = c
                out.path = "data:image/png;base64," + data.base64EncodedString()
                return out
            }
        }
        embedded.nationalCharts = inline(context.nationalCharts)
        embedded.geoCharts = inline(context.geoCharts)
        return (markdown.render(context), html.render(embedded))
    }
}

/// The names a geo report template can use: every field path of `GeoReportContext` (as
/// `ReportKeys` lists the national context's). `GeoReportTests` rebuilds the list from a full
/// context by reflection and fails when a field changes without this list following.
public enum GeoReportKeys {
    public static let root: ReportKeys.Node = ReportKeys.tree(paths)

    /// The trust section is the national report's `TrustSection`, so its keys are taken from
    /// `ReportKeys` rather than written out twice.
    public static let paths: [String] = """
title
target
periodUnit
period
geoCount
modelText
intervalLabel
converged
""".split(separator: "\n").map(String.init)
        + ReportKeys.paths.filter { $0 == "trust" || $0.hasPrefix("trust.") }
        + """
warnings[]
hasWarnings
national
national.r2
national.mape
national.mediaShare
national.channels[]
national.channels[].name
national.channels[].spend
national.channels[].contribution
national.channels[].roas
national.channels[].marginalRoas
national.channels[].effectShare
national.channels[].status
national.channels[].geos
largest[]
largest[].name
largest[].why
distinct[]
distinct[].name
distinct[].why
geos[]
geos[].name
geos[].r2
geos[].mape
geos[].cells[]
geos[].cells[].channel
geos[].cells[].roas
geos[].cells[].contribution
geos[].cells[].spend
plan
plan.budget
plan.currentBudget
plan.split
plan.objective
plan.response
plan.currentResponse
plan.change
plan.probabilityBetter
plan.caveat
plan.certificate
plan.channels[]
plan.channels[].name
plan.channels[].current
plan.channels[].recommended
plan.channels[].spendChange
plan.channels[].responseChange
plan.channels[].probabilityBetter
plan.movers[]
plan.movers[].geo
plan.movers[].why
plan.movers[].cells[]
plan.movers[].cells[].channel
plan.movers[].cells[].current
plan.movers[].cells[].recommended
plan.movers[].cells[].change
plan.moreGeos
plan.geos[]
plan.geos[].name
plan.geos[].current
plan.geos[].recommended
plan.geos[].spendChange
plan.geos[].responseChange
plan.geos[].probabilityBetter
nationalCharts[]
nationalCharts[].file
nationalCharts[].path
nationalCharts[].title
nationalCharts[].caption
planCharts[]
planCharts[].file
planCharts[].path
planCharts[].title
planCharts[].caption
geoCharts[]
geoCharts[].file
geoCharts[].path
geoCharts[].title
geoCharts[].caption
""".split(separator: "\n").map(String.init)
}
