import XCTest
import MixReport

/// "What changed since the last run": present only with a previous snapshot, with deltas
/// recomputed here from the two runs' figures.
final class ReportChangesTests: XCTestCase {
    let results = ReportTestModel.results
    var f: ReportFormat { ReportFormat(currency: results.currency) }

    /// Last week's snapshot: this run's, one week shorter, with shifted figures.
    func previousSnapshot() -> ReportSnapshot {
        var s = ReportSnapshot(results)
        s.periodEnd = results.model.trainingData.dates[results.model.trainingData.periodCount - 2].description
        s.periods -= 1
        s.channels[0].recommendedSpendPerPeriod! *= 0.9
        s.channels[0].roas.mean *= 1.25
        s.channels[1].contributionPerPeriod *= 0.8
        s.plan!.response.mean *= 0.95
        s.plan!.budget *= 1.1
        s.inSample.r2 -= 0.05
        s.converged = !s.converged
        return s
    }

    func testSectionAppearsOnlyWithAPreviousRun() throws {
        let writer = try ReportWriter(templatesDirectory: nil)
        let without = try writer.render(results, previous: nil, chartFiles: [])
        XCTAssertFalse(without.markdown.contains("What changed"))
        XCTAssertFalse(without.html.contains("What changed"))
        let with = try writer.render(results, previous: previousSnapshot(), chartFiles: [])
        XCTAssertTrue(with.markdown.contains("## What changed since the last run"))
        XCTAssertTrue(with.html.contains("<h2>What changed since the last run</h2>"))
        let changed = try XCTUnwrap(with.markdown.range(of: "## What changed")).lowerBound
        XCTAssertLessThan(changed, try XCTUnwrap(with.markdown.range(of: "## Recommendation")).lowerBound, "changes come first")
    }

    func testDeltasEqualTheDifferenceOfTheTwoRuns() throws {
        let then = previousSnapshot()
        let now = ReportSnapshot(results)
        let (md, html) = try ReportWriter(templatesDirectory: nil).render(results, previous: then, chartFiles: [])
        XCTAssertTrue(md.contains("Then: \(then.periodStart) to \(then.periodEnd) (\(then.periods) weeks). Now: \(now.periodStart) to \(now.periodEnd) (\(now.periods) weeks) — 1 new week of data."), md)

        let a = try XCTUnwrap(then.plan), b = try XCTUnwrap(now.plan)
        let planRows = [
            ["Recommended budget", f.money(a.budget), f.money(b.budget), f.signedMoney(b.budget - a.budget)],
            ["Expected sales", ReportFormat.interval(a.response), ReportFormat.interval(b.response),
             "\(ReportFormat.signedCompact(b.response.mean - a.response.mean)) (\(ReportFormat.relativeChange(b.response.mean, from: a.response.mean)))"],
            ["Chance the plan beats current spend", markdownEscaped(ReportFormat.probability(a.probabilityBetter)),
             markdownEscaped(ReportFormat.probability(b.probabilityBetter)), ""],
        ]
        let heading = "## What changed since the last run"
        XCTAssertEqual(markdownTable(after: heading, in: md, skip: 0).map { Array($0.dropFirst(0)) }, planRows)
        XCTAssertTrue(ReportFormat.relativeChange(b.response.mean, from: a.response.mean).hasPrefix("+5.3"), "0.95 × then ⇒ +5.3 % now")

        let channelRows = zip(then.channels, now.channels).map { x, y in
            [x.name,
             "\(f.money(x.recommendedSpendPerPeriod!)) → \(f.money(y.recommendedSpendPerPeriod!))",
             f.signedMoney(y.recommendedSpendPerPeriod! - x.recommendedSpendPerPeriod!),
             "\(ReportFormat.ratio(x.roas.mean)) → \(ReportFormat.ratio(y.roas.mean))",
             ReportFormat.signedRatio(y.roas.mean - x.roas.mean),
             "\(ReportFormat.compact(x.contributionPerPeriod)) → \(ReportFormat.compact(y.contributionPerPeriod))",
             ReportFormat.relativeChange(y.contributionPerPeriod, from: x.contributionPerPeriod)]
        }
        XCTAssertEqual(markdownTable(after: heading, in: md, skip: 1), channelRows)
        XCTAssertEqual(htmlTable(after: "What changed since the last run", in: html, skip: 1), channelRows)
        XCTAssertEqual(channelRows[1][6], "+25.0 %", "contribution per week was 0.8 × now")
        XCTAssertEqual(channelRows[0][2], f.signedMoney(now.channels[0].recommendedSpendPerPeriod! * (1 - 0.9)))

        let fitRows = markdownTable(after: heading, in: md, skip: 2)
        XCTAssertEqual(fitRows[0], ["R² (in sample)", ReportFormat.score(then.inSample.r2), ReportFormat.score(now.inSample.r2),
                                    ReportFormat.signedScore(now.inSample.r2 - then.inSample.r2)])
        XCTAssertEqual(fitRows[0][3], "+0.050")
        XCTAssertEqual(fitRows.count, 4, "in- and out-of-sample R² and MAPE")
        let verdicts = now.converged ? "Not converged → Converged" : "Converged → Not converged"
        XCTAssertTrue(md.contains("- Convergence: \(verdicts)."))
    }

    /// Channels present in one run only are marked, and comparisons that are not like for like
    /// are called out.
    func testNewAndDroppedChannelsAndNotes() throws {
        var then = ReportSnapshot(results)
        then.channels[1].name = "radio"
        then.currency = "$"
        then.plan!.objective = "var:0.05"
        let (md, _) = try ReportWriter(templatesDirectory: nil).render(results, previous: then, chartFiles: [])
        let rows = markdownTable(after: "## What changed since the last run", in: md, skip: 1)
        XCTAssertEqual(rows.map(\.[0]), ["x1", "x2 (new)", "radio (dropped)"])
        XCTAssertEqual(rows[1][2], "\u{2014}")
        XCTAssertTrue(rows[2][1].hasSuffix("→ \u{2014}"))
        // The test model's config sets no currency: the neutral default, plain amounts.
        XCTAssertEqual(results.currency, "")
        XCTAssertTrue(md.contains("- The previous run reported amounts in $; this one in plain amounts (no currency set)."), md)
        XCTAssertTrue(md.contains("- The objective changed from var:0.05 to mean."))
        XCTAssertTrue(md.contains("no new data"))
    }
}

/// ">99 %" and "<1 %" as the Markdown report escapes them.
func markdownEscaped(_ text: String) -> String {
    text.replacingOccurrences(of: ">", with: "\\>").replacingOccurrences(of: "<", with: "\\<")
}
