import XCTest
import MixReport

/// The rendered reports show exactly the in-memory results: every figure of every table and of
/// the headline, recomputed here from `PlanningResults` with `ReportFormat` (whose strings are
/// checked by hand in ReportFormatTests).
final class ReportContentTests: XCTestCase {
    let results = ReportTestModel.results
    var f: ReportFormat { ReportFormat(currency: results.currency) }
    let charts = ["roas.png", "allocation.png", "actual-vs-fitted.png", "adstock.png", "custom-extra.png"]

    func render(_ r: PlanningResults? = nil, previous: ReportSnapshot? = nil, charts: [String]? = nil) throws -> (markdown: String, html: String) {
        try ReportWriter(templatesDirectory: nil).render(r ?? results, previous: previous, chartFiles: charts ?? self.charts)
    }

    /// Expected channel table: spend, contribution, share, ROAS and marginal ROAS with intervals.
    var channelRows: [[String]] {
        results.quantities.channels.map { c in
            [c.name, f.money(c.spend), ReportFormat.interval(c.contribution), ReportFormat.percent(c.share.mean),
             ReportFormat.ratioInterval(c.roas), ReportFormat.ratioInterval(c.marginalRoas)]
        }
    }

    /// Expected allocation table, straight from the optimiser's plan.
    var planRows: [[String]] {
        results.optimization!.plan.channels.map { c in
            [c.channel, f.money(c.currentSpendPerPeriod), f.money(c.spendPerPeriod),
             "\(f.signedMoney(c.spendPerPeriod - c.currentSpendPerPeriod)) (\(ReportFormat.relativeChange(c.spendPerPeriod, from: c.currentSpendPerPeriod)))",
             ReportFormat.percent(c.share), ReportFormat.interval(c.response), ReportFormat.ratio(c.roas), ReportFormat.ratio(c.marginalROAS)]
        }
    }

    func testChannelTableEqualsPosteriorQuantities() throws {
        let (md, html) = try render()
        XCTAssertEqual(markdownTable(after: "## Channels", in: md), channelRows)
        XCTAssertEqual(htmlTable(after: "Channels", in: html), channelRows)
        XCTAssertEqual(results.quantities.channels.map(\.name), ["x1", "x2"])
    }

    func testAllocationTableEqualsOptimiserPlan() throws {
        let (md, html) = try render()
        XCTAssertEqual(markdownTable(after: "## Recommendation", in: md), planRows)
        XCTAssertEqual(htmlTable(after: "Recommendation", in: html), planRows)
    }

    /// The headline: budget, expected response against current, change with its interval and
    /// the probability that the plan beats current spend.
    func testHeadlineFiguresEqualThePlan() throws {
        let (md, html) = try render()
        let plan = results.optimization!.plan
        let currentSpend = plan.channels.map(\.currentSpendPerPeriod).reduce(0, +) * Double(plan.periods)
        // The probability as each format escapes it (">99 %" → "\>99 %", "&gt;99 %").
        let pMD = ReportFormat.probability(plan.probabilityBetter).replacingOccurrences(of: ">", with: "\\>").replacingOccurrences(of: "<", with: "\\<")
        let pHTML = ReportFormat.probability(plan.probabilityBetter).replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "<", with: "&lt;")
        let expected = [
            "Spend **\(f.money(plan.totalSpend))** over the next 4 weeks (current spend: \(f.money(currentSpend)))",
            "**\(ReportFormat.interval(plan.response))** against\n\(ReportFormat.interval(plan.currentResponse)) at current spend",
            "a change of **\(ReportFormat.signedInterval(plan.change))** (\(ReportFormat.relativeChange(plan.response.mean, from: plan.currentResponse.mean)) on the mean",
            "beats the current one in **\(pMD)**",
            "Plan ROAS \(ReportFormat.ratio(plan.roas)).",
            "maximise the expected sales (objective `mean`)",
            "**In short:** the recommended plan changes expected sales by **\(ReportFormat.signedInterval(plan.change))** (\(ReportFormat.relativeChange(plan.response.mean, from: plan.currentResponse.mean))) over 4 weeks and beats current spend in **\(pMD)** of posterior draws.",
            "**Confidence:** \(results.verdict.label); R² \(ReportFormat.score(results.quantities.inSample.r2)) in sample, \(ReportFormat.score(results.quantities.outOfSample!.r2)) out of sample.",
        ]
        for text in expected { XCTAssertTrue(md.contains(text), "Markdown lacks: \(text)\n\(md)") }
        let htmlExpected = [
            "Spend <strong>\(f.money(plan.totalSpend))</strong> over the next 4 weeks (current spend: \(f.money(currentSpend)))",
            "<div class=\"value\">\(ReportFormat.signedInterval(plan.change))</div>",
            "<div class=\"value\">\(pHTML)</div>",
        ]
        for text in htmlExpected { XCTAssertTrue(html.contains(text), "HTML lacks: \(text)") }
        // What earlier spend carries into the horizon is named, and kept out of ROAS.
        let earlier = try XCTUnwrap(plan.fromEarlierSpend)
        XCTAssertGreaterThan(earlier, 0)
        XCTAssertTrue(md.contains("Expected sales includes \(ReportFormat.compact(earlier)) carried over from spend before the plan; ROAS\ncounts only what the plan's own spend adds."), md)
        XCTAssertTrue(html.contains("Expected sales includes \(ReportFormat.compact(earlier)) carried over from spend before the plan; ROAS counts only what the plan's own spend adds."))
        XCTAssertEqual(plan.roas, (plan.response.mean - earlier) / plan.totalSpend, accuracy: 1e-12 * abs(plan.roas))
        XCTAssertEqual(plan.totalSpend, currentSpend, accuracy: 1e-6 * currentSpend, "the test plan reallocates the current budget")
    }

    /// Convergence, sampler figures, and fit in and out of sample.
    func testConfidenceSectionEqualsSamplerAndFitMetrics() throws {
        let (md, html) = try render()
        let s = results.model.sampler
        let q = results.quantities
        let oos = try XCTUnwrap(q.outOfSample)
        let lines = [
            "max R-hat \(ReportFormat.score(s.maxRhat)), min bulk ESS \(ReportFormat.count(Int(s.minEssBulk.rounded()))), \(ReportFormat.count(s.divergences)) \(s.divergences == 1 ? "divergence" : "divergences"), 2 chains × 100 draws.",
            "- Fit in sample (\(q.inSample.periods) weeks): R² \(ReportFormat.score(q.inSample.r2)), MAPE \(ReportFormat.percent(q.inSample.mape)), NRMSE \(ReportFormat.percent(q.inSample.nrmse)).",
            "- Fit out of sample (8 weeks held out): R² \(ReportFormat.score(oos.r2)), MAPE \(ReportFormat.percent(oos.mape)), NRMSE \(ReportFormat.percent(oos.nrmse)).",
        ]
        for line in lines { XCTAssertTrue(md.contains(line), "Markdown lacks: \(line)") }
        XCTAssertTrue(md.contains("- Convergence: **\(results.verdict.label)**"))
        XCTAssertTrue(html.contains("R² \(ReportFormat.score(q.inSample.r2))"))
        XCTAssertEqual(q.inSample.periods, results.model.dataset.periodCount - 8)
    }

    func testPeriodCoveredAndHoldout() throws {
        let (md, _) = try render()
        let dates = results.model.dataset.dates
        let trainingEnd = dates[dates.count - 9]
        XCTAssertTrue(md.contains("Data: \(dates[0]) to \(trainingEnd) (\(dates.count - 8) weeks); the last 8 weeks (\(dates[dates.count - 8]) to \(dates.last!)) were held out"), md)
    }

    func testScenarioAndFrontierTablesEqualTheResults() throws {
        let (md, html) = try render()
        let scenarioRows = results.scenarios.map { s -> [String] in
            let same = s.plan.change.lower == 0 && s.plan.change.upper == 0
            return [s.name, f.money(s.plan.totalSpend), ReportFormat.interval(s.plan.response),
                    same ? "none (this is current spend)" : ReportFormat.signedInterval(s.plan.change),
                    same ? "\u{2014}" : ReportFormat.probability(s.plan.probabilityBetter)]
        }
        XCTAssertEqual(scenarioRows[0][3], "none (this is current spend)", "the first what-if is the current plan")
        XCTAssertNotEqual(scenarioRows[1][3], "none (this is current spend)")
        // ">99 %" is escaped as Markdown and HTML; a probability carries its caveat beside it.
        func withCaveat(_ rows: [[String]], escape: String, caveat: (String) -> String) -> [[String]] {
            zip(rows, results.scenarios).map { row, s in
                guard row[4] != "\u{2014}" else { return row }
                var row = row
                row[4] = row[4].replacingOccurrences(of: ">", with: escape).replacingOccurrences(of: "<", with: escape == "\\>" ? "\\<" : "&lt;")
                if let c = results.caveat(for: s.plan) { row[4] += caveat(c) }
                return row
            }
        }
        XCTAssertEqual(markdownTable(after: "## Scenarios", in: md), withCaveat(scenarioRows, escape: "\\>") { _ in " (see caveat)" })
        XCTAssertEqual(htmlTable(after: "Scenarios", in: html), withCaveat(scenarioRows, escape: "&gt;") { "Caveat: " + $0 })
        let frontier = try XCTUnwrap(results.frontier)
        XCTAssertEqual(frontier.points.map(\.fractionOfCurrent), [0.75, 1, 1.25])
        XCTAssertEqual(frontier.skipped.count, 1)
        let frontierRows = frontier.points.map { p -> [String] in
            let label = ReportFormat.percentLabel(p.fractionOfCurrent)
            return [abs(p.fractionOfCurrent - 1) < 1e-9 ? "**\(label)**" : label, f.money(p.budget), ReportFormat.interval(p.response)]
        }
        XCTAssertEqual(markdownTable(after: "## Budget frontier", in: md), frontierRows)
        XCTAssertEqual(frontierRows[1][0], "**100 %**", "current spend is highlighted")
        XCTAssertEqual(htmlTable(after: "Budget frontier", in: html).map(\.[2]), frontierRows.map(\.[2]))
        XCTAssertTrue(html.contains("<tr class=\"current\"><td>100 %</td>"))
        XCTAssertTrue(md.contains("\n\nBudget left out of the frontier — \(frontier.skipped[0])"), md)
    }

    func testWarningsAreListedFirst() throws {
        let (md, html) = try render()
        let warning = "data.csv, row 14: spend of x2 is 0 in a week with sales."
        let position = try XCTUnwrap(md.range(of: "- \(warning)")).lowerBound
        XCTAssertLessThan(position, try XCTUnwrap(md.range(of: "## Recommendation")).lowerBound)
        XCTAssertTrue(html.contains("<li>\(warning)</li>"))
    }

    /// The verdict follows the sampler: a non-converged fit gets a prominent warning with the
    /// reasons, a converged one none.
    func testConvergenceVerdictFollowsTheSampler() throws {
        let bad = ReportTestModel.withConvergence(false)
        let (md, html) = try render(bad)
        XCTAssertTrue(md.contains("**Verdict: Not converged: do not act on these figures yet."), md)
        XCTAssertTrue(md.contains("3 divergent transitions after warm-up"))
        XCTAssertTrue(html.contains("class=\"value warn\">Not converged"))
        // Each failed check is listed once, with what to try next, in both reports.
        for reason in bad.verdict.reasons {
            XCTAssertEqual(md.components(separatedBy: "| \(reason.message) | \(reason.nextStep) |").count, 2, reason.message)
            XCTAssertTrue(html.contains(reason.nextStep), reason.nextStep)
        }
        XCTAssertGreaterThanOrEqual(bad.verdict.reasons.count, 2)
        let good = ReportTestModel.withConvergence(true, ReportTestModel.results)
        var clean = good
        clean.warnings = []
        let (md2, html2) = try render(clean)
        XCTAssertFalse(md2.contains("## Warnings"))
        XCTAssertFalse(md2.contains("did not converge"))
        XCTAssertTrue(md2.contains("- Convergence: **Converged** — max R-hat"))
        XCTAssertTrue(html2.contains("class=\"value ok\">Converged"))
        XCTAssertFalse(html2.contains("class=\"alert\""))
    }

    func testWithoutOptimisationTheReportSaysSo() throws {
        var r = results
        r.optimization = nil
        r.frontier = nil
        r.scenarios = []
        let (md, html) = try render(r)
        XCTAssertTrue(md.contains("No optimisation was run"))
        XCTAssertFalse(md.contains("## Scenarios"))
        XCTAssertFalse(md.contains("## Budget frontier"))
        XCTAssertTrue(html.contains("No optimisation was run"))
        XCTAssertEqual(markdownTable(after: "## Channels", in: md), channelRows)
    }

    /// Only the charts passed in are shown, each by relative path, beside its section.
    func testChartsAreReferencedByRelativePathOnlyWhenGiven() throws {
        let (md, html) = try render()
        for name in charts {
            XCTAssertTrue(md.contains("](charts/\(name))"), name)
            XCTAssertTrue(html.contains("<img src=\"charts/\(name)\""), name)
        }
        for name in ["frontier.png", "diagnostics.png", "waterfall.png", "saturation.png", "response-curves.png"] {
            XCTAssertFalse(md.contains(name), name)
            XCTAssertFalse(html.contains(name), name)
        }
        let allocation = try XCTUnwrap(md.range(of: "charts/allocation.png")).lowerBound
        XCTAssertGreaterThan(allocation, try XCTUnwrap(md.range(of: "## Recommendation")).lowerBound)
        XCTAssertLessThan(allocation, try XCTUnwrap(md.range(of: "## Fit and backtest")).lowerBound)
        XCTAssertTrue(md.contains("## Model shape"))
        // A time-varying model's multiplier chart sits in the model section with its own caption.
        let (tv, _) = try render(charts: ["media-multiplier.png"])
        let multiplier = try XCTUnwrap(tv.range(of: "![Media effectiveness over time](charts/media-multiplier.png)")).lowerBound
        XCTAssertGreaterThan(multiplier, try XCTUnwrap(tv.range(of: "## Model shape")).lowerBound)
        let (noCharts, noChartsHTML) = try render(charts: [])
        XCTAssertFalse(noCharts.contains("charts/"))
        XCTAssertFalse(noChartsHTML.contains("<img"))
        XCTAssertFalse(noCharts.contains("## Model shape"))
    }

    /// The HTML is one self-contained page: inline style, nothing fetched but the chart PNGs.
    func testHTMLIsSelfContained() throws {
        let (_, html) = try render()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<style>"))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("http://") || html.contains("https://"))
        XCTAssertFalse(html.contains("{{"), "no template tag left unrendered")
        let sources = html.components(separatedBy: "src=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        XCTAssertEqual(sources.count, charts.count)
        XCTAssertTrue(sources.allSatisfy { $0.hasPrefix("charts/") })
    }

    /// Every opened element is closed in order, with and without the optional sections.
    func testHTMLElementsAreBalanced() throws {
        var bare = results
        bare.optimization = nil
        bare.frontier = nil
        bare.scenarios = []
        bare.warnings = []
        let pages = [try render(previous: ReportSnapshot(results)).html, try render(bare, charts: []).html]
        let void: Set<String> = ["meta", "img", "br", "link"]
        let tag = try NSRegularExpression(pattern: "<(/?)([a-z][a-z0-9]*)[^>]*>")
        for page in pages {
            var stack: [String] = []
            for match in tag.matches(in: page, range: NSRange(page.startIndex..., in: page)) {
                let closing = !Range(match.range(at: 1), in: page)!.isEmpty
                let name = String(page[Range(match.range(at: 2), in: page)!])
                if void.contains(name) { continue }
                if closing {
                    XCTAssertEqual(stack.popLast(), name, "</\(name)> closes the wrong element")
                } else {
                    stack.append(name)
                }
            }
            XCTAssertEqual(stack, [], "elements left open")
        }
    }

    /// Same input, same bytes.
    func testRenderingIsDeterministic() throws {
        let a = try render()
        let b = try render()
        XCTAssertEqual(a.markdown, b.markdown)
        XCTAssertEqual(a.html, b.html)
    }
}
