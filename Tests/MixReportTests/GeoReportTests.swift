import MixTestSupport
import Foundation
import XCTest
import MixCharts
import MixData
import MixReport

/// The geo report: its key list is the context's real field tree, the bundled geo templates use
/// only those names and equal the files in Templates/, and the report reads national first, then
/// the geos that move most, with every figure taken from the posterior.
final class GeoReportTests: XCTestCase {
    /// A very short real fit of the simulated geo-4x104 panel: not converged (so the verdict has
    /// reasons), which is what the full context needs; the figures' values do not matter here.
    static let folder: GeoModelFolder = {
        let sim = GeoSimulation(preset: GeoSimulationPreset.named("geo-4x104")!, seed: 2)
        var config = try! ConfigLoader.parse(yaml: sim.configYAML, path: "mixplan.yaml")
        config.sampler.chains = 1
        config.sampler.warmup = 30
        config.sampler.draws = 20
        let fit = try! GeoFit.fit(panel: sim.panel, config: config)
        return GeoModelFolder(fit: fit, config: config)
    }()

    static let allCharts = ChartKind.allCases.map(\.fileName)

    static func fullContext() -> GeoReportContext {
        let plan = GeoPlanText(budget: "120,000", change: "+1.2k", probabilityBetter: "87 %",
                               cells: [.init(geo: "g1", channel: "tv", current: "1,000", recommended: "1,200", change: "+200")])
        return GeoReportContext(folder, plan: plan, extraWarnings: ["a note"], chartFiles: allCharts)
    }

    func testKeyListIsTheContextsFieldTree() {
        var incomplete: [String] = []
        let actual = TemplateKeyCheckTests.paths(of: Self.fullContext(), incomplete: &incomplete)
        XCTAssertEqual(incomplete, [], "the full context must set every section")
        XCTAssertEqual(GeoReportKeys.paths, actual, "GeoReportKeys.paths is out of date; replace it with:\n" + actual.joined(separator: "\n"))
    }

    func testBundledGeoTemplatesEqualTheFilesAndUseOnlyKnownNames() throws {
        let folder = Fixtures.packageRoot.appendingPathComponent("Templates")
        XCTAssertEqual(GeoBundledTemplates.markdown, try String(contentsOf: folder.appendingPathComponent(GeoReportWriter.markdownTemplateName), encoding: .utf8),
                       "run Tests/Fixtures/report/embed-templates.py")
        XCTAssertEqual(GeoBundledTemplates.html, try String(contentsOf: folder.appendingPathComponent(GeoReportWriter.htmlTemplateName), encoding: .utf8),
                       "run Tests/Fixtures/report/embed-templates.py")
        XCTAssertNoThrow(try GeoReportWriter(templatesDirectory: nil))
        // A national name in a geo template is caught (the check uses the geo tree, not the national one).
        XCTAssertThrowsError(try TemplateKeyCheck.check("{{recommendation.budget}}", file: "geo-report.md.mustache", partials: [:],
                                                        partialFile: { $0 }, root: GeoReportKeys.root))
    }

    func testReportPutsNationalFirstThenTheGeosThatMoveMost() throws {
        let m = Self.folder
        let context = GeoReportContext(m, chartFiles: Self.allCharts)
        let (markdown, html) = try GeoReportWriter(templatesDirectory: nil).render(context)
        let marks = ["**Verdict: Not converged", "## Warnings", "## National summary", "## The geos that move most", "## Every geo"]
        let at = marks.map { markdown.range(of: $0)?.lowerBound }
        XCTAssertFalse(at.contains(nil), markdown)
        XCTAssertEqual(at.compactMap { $0 }, at.compactMap { $0 }.sorted(), "sections in reading order")
        XCTAssertFalse(markdown.contains("## Recommended plan"), "no plan given, no plan section")
        XCTAssertTrue(markdown.contains("No geo budget plan in this pack"))
        XCTAssertFalse(markdown.contains("{{") || html.contains("{{"))
        // National ROAS as the posterior gives it (per-draw sums over geos).
        for c in m.panel.channelNames.indices {
            let q = m.posterior.nationalResult(channel: c, mass: m.config.report.intervalMass)
            XCTAssertTrue(markdown.contains("| \(q.name) | ") && markdown.contains(ReportFormat.ratioInterval(q.roas)), q.name)
        }
        // The largest geo by media contribution is named first among the movers.
        let C = m.panel.channelNames.count
        let media = (0..<m.panel.geoCount).map { g in (0..<C).reduce(0.0) { s, c in s + (m.posterior.contribution[g * C + c].reduce(0, +)) } }
        let top = m.panel.geoNames[media.indices.max { media[$0] < media[$1] }!]
        XCTAssertEqual(context.largest.first?.name, top)
        XCTAssertEqual(context.largest.count, min(GeoReportContext.movers, m.panel.geoCount))
        // Geo charts go to the geo section, national ones to the national section.
        XCTAssertEqual(context.geoCharts.map(\.file), ["geo-roas.png", "geo-fit.png", "geo-response-curves.png"])
        XCTAssertTrue(context.nationalCharts.allSatisfy { !(ChartKind(fileName: $0.file)?.isGeo ?? true) })
    }
}
