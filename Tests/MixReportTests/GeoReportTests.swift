import MixTestSupport
import MixPlanningTestSupport
import Foundation
import XCTest
import MixCharts
import MixData
import MixModel
import MixOptimize
import MixReport

/// The geo report: its key list is the context's real field tree, the bundled geo templates use
/// only those names and equal the files in Templates/, and the report reads national first, then
/// the geos that move most, with every figure taken from the posterior.
final class GeoReportTests: XCTestCase {
    /// The shared short geo fit (`GeoTestFit`): not converged, so the verdict has reasons.
    static let folder = GeoTestFit.folder

    static let allCharts = ChartKind.allCases.map(\.fileName)

    /// The geo optimiser's default plan on `folder` (mean objective), with the caveat the pack sets.
    static let plan: GeoPlan = {
        var plan = GeoTestFit.meanPlan.plan
        plan.plan.caveat = GeoPlanText.caveat(folder, plan: plan)
        return plan
    }()

    static func fullContext() -> GeoReportContext {
        var text = GeoPlanText(folder, plan: plan)
        text.moreGeos = text.moreGeos ?? "set so that every key is present"
        return GeoReportContext(folder, plan: text, extraWarnings: ["a note"], chartFiles: allCharts)
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
        XCTAssertTrue(markdown.contains("No optimisation was run"), "no plan given: the plan section says so")
        XCTAssertFalse(markdown.contains("National channel totals"))
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
        XCTAssertEqual(context.planCharts.map(\.file), [], "no plan, no allocation chart in the report")
        XCTAssertTrue(context.nationalCharts.allSatisfy { !(ChartKind(fileName: $0.file)?.isGeo ?? true) })
    }

    func testPlanSectionGivesNationalTotalsThenTheGeosThatMoveMostWithTheCaveat() throws {
        let m = Self.folder, plan = Self.plan
        let text = GeoPlanText(m, plan: plan)
        let context = GeoReportContext(m, plan: text, chartFiles: Self.allCharts)
        let (markdown, html) = try GeoReportWriter(templatesDirectory: nil).render(context)
        let marks = ["## National summary", "## Recommended plan", "National channel totals", "The geos whose allocation moves most",
                     "Geo totals", "charts/geo-allocation.png", "## The geos that move most"]
        let at = marks.map { markdown.range(of: $0)?.lowerBound }
        XCTAssertFalse(at.contains(nil), markdown)
        XCTAssertEqual(at.compactMap { $0 }, at.compactMap { $0 }.sorted(), "national totals first, then the geos that move most")
        XCTAssertFalse(markdown.contains("{{") || html.contains("{{"))
        XCTAssertEqual(context.planCharts.map(\.file), ["geo-allocation.png"])
        // The unconverged fit's caveat sits beside the plan's P(better) and marks every group's.
        let caveat = try XCTUnwrap(plan.plan.caveat)
        XCTAssertTrue(caveat.contains("did not converge"))
        XCTAssertTrue(markdown.contains("of posterior draws. *Caveat: \(caveat)*"), markdown)
        XCTAssertEqual(text.channels.count, m.panel.channelNames.count)
        XCTAssertTrue(text.channels.allSatisfy { $0.probabilityBetter.hasSuffix("(see caveat)") })
        // The movers are the geos with the most money moved, largest first; national totals are the plan's.
        let moved = GeoPlanText.moved(plan)
        let expected = plan.geos.indices.sorted { moved[$0] > moved[$1] }.prefix(GeoPlanText.movers).filter { moved[$0] > 0 }.map { plan.geos[$0].name }
        XCTAssertEqual(text.movers.map(\.geo), expected)
        for (g, name) in plan.geos.map(\.name).enumerated() {
            let cells = plan.cells.filter { $0.geo == name }
            XCTAssertEqual(moved[g], cells.reduce(0) { $0 + abs($1.spendPerPeriod - $1.currentSpendPerPeriod) }, accuracy: 1e-9)
        }
        let money = ReportFormat(currency: m.config.report.currency)
        for t in plan.channels {
            XCTAssertTrue(markdown.contains("| \(t.name) | \(money.money(t.currentSpendPerPeriod)) | \(money.money(t.spendPerPeriod)) |"), t.name)
        }
        XCTAssertTrue(markdown.contains(ReportFormat.signedInterval(plan.plan.change)))
    }

    func testCaveatNamesPriorDominatedChannelsThePlanMoves() {
        let m = Self.folder
        var plan = Self.plan
        let dominated = GeoReportContext.priorDominated(m)
        // Nothing moved: only the convergence part can remain.
        for i in plan.cells.indices { plan.cells[i].spendPerPeriod = plan.cells[i].currentSpendPerPeriod }
        let still = GeoPlanText.caveat(m, plan: plan)
        XCTAssertEqual(still, m.summary.verdict.passed ? nil : "The geo fit did not converge, so this chance is provisional.")
        guard let channel = dominated.first, let i = plan.cells.firstIndex(where: { $0.channel == channel }) else { return }
        plan.cells[i].spendPerPeriod = plan.cells[i].currentSpendPerPeriod * 1.5 + 1
        let moved = GeoPlanText.caveat(m, plan: plan) ?? ""
        XCTAssertTrue(moved.contains("the data did not inform (\(channel))"), moved)
    }
}
