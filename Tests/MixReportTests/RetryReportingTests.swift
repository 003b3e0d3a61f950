import MixTestSupport
import Foundation
import XCTest
import MixReport

/// A fit that `sampler.retry` refitted says so in every output a planner reads: the report's
/// trust section (Markdown and HTML), the workbook's Summary and summary.json; a fit that was not
/// refitted says nothing of the kind.
final class RetryReportingTests: XCTestCase {
    static let retry = FitRetry(reason: "2 divergent transitions after warm-up", firstTargetAccept: 0.8, targetAccept: 0.95,
                                firstSeconds: 3.5, firstGradientEvaluations: 120_000)

    static var retried: PlanningResults {
        var r = ReportTestModel.withConvergence(true)
        r.model.sampler.retry = retry
        r.model.sampler.targetAcceptance = 0.95
        return r
    }

    func testSentenceNamesBothTargetsAndTheReason() {
        let s = Self.retry.sentence
        XCTAssertTrue(s.contains("target acceptance 0.8 "), s)
        XCTAssertTrue(s.contains("at 0.95"), s)
        XCTAssertTrue(s.contains("(2 divergent transitions after warm-up)"), s)
        XCTAssertTrue(s.contains("sampler.retry"), s)
    }

    func testReportTrustSectionSaysTheFitWasRefitted() throws {
        let (md, html) = try ReportWriter(templatesDirectory: nil).render(Self.retried, previous: nil, chartFiles: [])
        let sentence = Self.retry.sentence
        // In the verdict's section: after the headline, before the channels.
        let verdict = try XCTUnwrap(md.range(of: "**Verdict: "))
        let said = try XCTUnwrap(md.range(of: sentence), md)
        XCTAssertLessThan(verdict.lowerBound, said.lowerBound)
        XCTAssertTrue(html.contains("<p class=\"meta\">\(sentence)</p>"), "HTML trust section")

        let (plainMD, plainHTML) = try ReportWriter(templatesDirectory: nil).render(ReportTestModel.withConvergence(true), previous: nil, chartFiles: [])
        XCTAssertFalse(plainMD.contains("Refitted once"))
        XCTAssertFalse(plainHTML.contains("Refitted once"))
    }

    func testSummaryJSONRecordsTheRetry() throws {
        let snapshot = ReportSnapshot(Self.retried)
        XCTAssertEqual(snapshot.retry, Self.retry)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: snapshot.jsonData()) as? [String: Any])
        let retry = try XCTUnwrap(json["retry"] as? [String: Any], "summary.json has a retry object")
        XCTAssertEqual(retry["reason"] as? String, "2 divergent transitions after warm-up")
        XCTAssertEqual(retry["targetAccept"] as? Double, 0.95)
        XCTAssertEqual(retry["firstTargetAccept"] as? Double, 0.8)
        // …and reads back.
        let url = ReportTestModel.temporaryFolder().appendingPathComponent("summary.json")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try snapshot.jsonData().write(to: url)
        XCTAssertEqual(try ReportSnapshot.load(from: url).retry, Self.retry)
        // Without a retry the key is absent, so earlier summaries and plain fits look alike.
        let plain = try XCTUnwrap(JSONSerialization.jsonObject(with: ReportSnapshot(ReportTestModel.withConvergence(true)).jsonData()) as? [String: Any])
        XCTAssertNil(plain["retry"])
    }

    func testWorkbookSummaryNamesTheRetry() throws {
        let folder = ReportTestModel.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("retry.xlsx")
        try WorkbookWriter.write(Self.retried, chartFiles: [], to: url)
        let cells = try XlsxReader(url).cells("Summary")
        let label = try XCTUnwrap(cells.values.first { $0.string == "  Refitted (sampler.retry)" }, "Summary row")
        XCTAssertEqual(cells["B\(XlsxReader.parse(label.ref).1)"]?.string, Self.retry.sentence)
    }
}
