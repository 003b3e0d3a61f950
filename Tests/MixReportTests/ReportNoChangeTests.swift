import XCTest
import MixReport

/// A recommendation equal to current spend reads as "no change recommended", not as a change of
/// ±0 that beats current spend in 0 % of draws.
final class ReportNoChangeTests: XCTestCase {
    /// The test results with the current plan (a what-if of current spend) as the recommendation.
    func keepAsIs() throws -> PlanningResults {
        var r = ReportTestModel.results
        let current = try XCTUnwrap(r.scenarios.first { $0.name == "Current plan" }).plan
        XCTAssertTrue(current.keepsCurrentSpend)
        r.optimization!.plan = current
        return r
    }

    func testAKeepAsIsPlanSaysNoChangeWithoutAProbability() throws {
        let (md, html) = try ReportWriter(templatesDirectory: nil).render(try keepAsIs(), previous: nil, chartFiles: [])
        XCTAssertTrue(md.contains("- **In short:** no change is recommended: the current allocation is already the best within the bounds for the next 4 weeks."), md)
        XCTAssertTrue(md.contains("No change is recommended: spending **"), md)
        for claim in ["beats current spend in", "beats the current one in", "changes expected"] {
            XCTAssertFalse(md.contains(claim), "Markdown still says \"\(claim)\"")
            XCTAssertFalse(html.contains(claim), "HTML still says \"\(claim)\"")
        }
        XCTAssertTrue(html.contains("<div class=\"value\">No change</div>"), html)
        XCTAssertFalse(html.contains("Chance the plan beats current spend"), html)

        // The plan that moves spend keeps its headline and probability.
        let (moved, _) = try ReportWriter(templatesDirectory: nil).render(ReportTestModel.results, previous: nil, chartFiles: [])
        XCTAssertFalse(ReportTestModel.results.optimization!.plan.keepsCurrentSpend)
        XCTAssertTrue(moved.contains("**In short:** the recommended plan changes expected"), moved)
    }

    /// In "what changed", a run whose plan kept current spend shows "—" for its chance.
    func testTheChangesTableShowsNoProbabilityForAKeepAsIsRun() throws {
        let previous = ReportSnapshot(try keepAsIs())
        let (md, _) = try ReportWriter(templatesDirectory: nil).render(ReportTestModel.results, previous: previous, chartFiles: [])
        let now = markdownEscaped(ReportFormat.probability(ReportTestModel.results.optimization!.plan.probabilityBetter))
        XCTAssertTrue(md.contains("| Chance the plan beats current spend | \u{2014} | \(now) | |"), md)
    }
}
