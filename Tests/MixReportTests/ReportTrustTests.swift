import MixTestSupport
import Foundation
import XCTest
import MixReport

/// The report opens with the trust verdict, puts every caveat beside the chance of beating
/// current spend, keeps sampler diagnostics in an appendix, and is one self-contained file.
final class ReportTrustTests: XCTestCase {
    func render(_ r: PlanningResults, images: [String: Data] = [:]) throws -> (markdown: String, html: String) {
        try ReportWriter(templatesDirectory: nil).render(r, previous: nil, chartFiles: ["roas.png", "diagnostics.png"], images: images)
    }

    /// A converged fit and an unconverged one each get a headline that reads right, first.
    func testHeadlineForConvergedAndUnconvergedFits() throws {
        let good = ReportTestModel.withConvergence(true)
        let bad = ReportTestModel.withConvergence(false)
        XCTAssertTrue(good.verdict.passed, good.verdict.summary)
        let (md, html) = try render(good)
        let (badMD, badHTML) = try render(bad)
        let goodHeadline = md.components(separatedBy: "\n").first { $0.hasPrefix("**Verdict: ") } ?? ""
        XCTAssertTrue(goodHeadline.hasPrefix("**Verdict: Converged"), goodHeadline)
        XCTAssertFalse(goodHeadline.contains("do not act"))
        XCTAssertTrue(badMD.contains("**Verdict: Not converged: do not act on these figures yet."), badMD)
        XCTAssertTrue(badHTML.contains("<section class=\"verdict fail\">"))
        // The verdict comes before the recommendation and everything else.
        let first = try XCTUnwrap(html.range(of: "<section class=\"verdict"))
        let recommendation = try XCTUnwrap(html.range(of: "<h2>Recommendation</h2>"))
        XCTAssertLessThan(first.lowerBound, recommendation.lowerBound)
        XCTAssertLessThan(try XCTUnwrap(badMD.range(of: "**Verdict:")).lowerBound, try XCTUnwrap(badMD.range(of: "## Recommendation")).lowerBound)
    }

    /// Every "chance of beating current spend" of an unconverged fit carries its caveat, in the
    /// Markdown, the HTML and the run summary.
    func testProbabilityNeverWithoutItsCaveat() throws {
        let bad = ReportTestModel.withConvergence(false)
        let (md, html) = try render(bad)
        let p = ReportFormat.probability(bad.optimization!.plan.probabilityBetter).replacingOccurrences(of: ">", with: "\\>").replacingOccurrences(of: "<", with: "\\<")
        XCTAssertTrue(md.contains("beats current spend in **\(p)** of posterior draws. *Caveat: The fit did not converge"), md)
        XCTAssertTrue(html.contains("share of posterior draws</div><div class=\"caveat\">Caveat: The fit did not converge"), html)
        let snapshot = ReportSnapshot(bad)
        XCTAssertEqual(snapshot.verdict?.reasons, bad.verdict.reasons)
        XCTAssertTrue(snapshot.plan?.caveat?.contains("did not converge") ?? false)
        // Scenarios that differ from current spend carry it too.
        for line in ReportContext(bad, previous: nil, chartFiles: []).scenarios where line.probabilityBetter != "\u{2014}" {
            XCTAssertNotNil(line.caveat, line.name)
        }
    }

    /// Sampler diagnostics sit in an appendix at the end; the fit and backtest section does not
    /// repeat them.
    func testDiagnosticsAreInTheAppendix() throws {
        let (md, html) = try render(ReportTestModel.results)
        let appendix = try XCTUnwrap(md.range(of: "## Appendix: sampler diagnostics"))
        XCTAssertLessThan(try XCTUnwrap(md.range(of: "## Channels")).lowerBound, appendix.lowerBound)
        XCTAssertGreaterThan(try XCTUnwrap(md.range(of: "- Convergence: **")).lowerBound, appendix.lowerBound)
        XCTAssertGreaterThan(try XCTUnwrap(md.range(of: "![Sampler diagnostics](charts/diagnostics.png)")).lowerBound, appendix.lowerBound)
        XCTAssertGreaterThan(try XCTUnwrap(html.range(of: "<li>Convergence: <strong")).lowerBound, try XCTUnwrap(html.range(of: "Appendix: sampler diagnostics")).lowerBound)
    }

    /// With images given, the HTML holds each chart as a data URI of exactly those bytes and
    /// links nothing; the Markdown still links charts/ beside it.
    func testChartsAreEmbeddedAsDataURIs() throws {
        let bytes: [String: Data] = ["roas.png": Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]), "diagnostics.png": Data([0x89, 0x50, 0x4E, 0x47, 9])]
        let (md, html) = try render(ReportTestModel.results, images: bytes)
        XCTAssertFalse(html.contains("src=\"charts/"), "no external image reference")
        for (file, data) in bytes {
            XCTAssertTrue(html.contains("src=\"data:image/png;base64,\(data.base64EncodedString())\""), file)
            XCTAssertTrue(md.contains("(charts/\(file))"), file)
        }
        let linked = try render(ReportTestModel.results).html
        XCTAssertTrue(linked.contains("src=\"charts/roas.png\""))
    }

    /// The pack's report.html embeds the PNGs it wrote (decoded back to the same bytes) unless
    /// asked to link them.
    func testPackReportIsSelfContained() throws {
        let folder = ReportTestModel.temporaryFolder()
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let r = ReportTestModel.results
        try ReportPack.write(r, previous: nil, templates: nil, into: folder.appendingPathComponent("embedded"))
        try ReportPack.write(r, previous: nil, templates: nil, into: folder.appendingPathComponent("linked"), linkedImages: true)
        let html = try String(contentsOf: folder.appendingPathComponent("embedded/report.html"), encoding: .utf8)
        XCTAssertFalse(html.contains("src=\"charts/"))
        let png = try Data(contentsOf: folder.appendingPathComponent("embedded/charts/roas.png"))
        XCTAssertTrue(html.contains("data:image/png;base64,\(png.base64EncodedString())"))
        let linked = try String(contentsOf: folder.appendingPathComponent("linked/report.html"), encoding: .utf8)
        XCTAssertTrue(linked.contains("src=\"charts/roas.png\""))
        XCTAssertFalse(linked.contains("data:image/png"))
    }

    /// The per-channel evidence table lists every channel with its verdict, and the prior
    /// predictive media share is stated.
    func testEvidenceTableAndPriorMediaShare() throws {
        let r = ReportTestModel.results
        let (md, _) = try render(r)
        let context = ReportContext(r, previous: nil, chartFiles: [])
        XCTAssertTrue(md.contains("The priors alone put media at \(context.evidence.priorMediaShare)"), md)
        for line in context.evidence.channels {
            XCTAssertTrue(md.contains("| \(line.name) | \(line.priorROAS) | \(line.posteriorROAS) | \(line.narrowed) |"), line.name)
        }
    }
}
