import MixTestSupport
import MixPlanningTestSupport
import Foundation
import XCTest
import MixData
import MixModel
import MixWorkbook

/// The geo workbook's Summary sheet says when `sampler.retry` refitted the model, as the national
/// Summary, `summary.json` and the report do, and says nothing of the kind for a plain fit.
final class GeoWorkbookSummaryTests: XCTestCase {
    static let retry = FitRetry(reason: "3 divergent transitions after warm-up", firstTargetAccept: 0.8, targetAccept: 0.95,
                                firstSeconds: 4.2, firstGradientEvaluations: 90_000)

    /// The shared short geo fit written to a folder, its summary.json given `retry` (as a refit's
    /// is) when asked, and read back the way `mixplan report --model` reads it.
    func folder(retry: FitRetry?) throws -> (GeoModelFolder, URL) {
        let dir = WorkbookFixture.temporaryWorkbook("geo-summary-\(retry == nil ? "plain" : "retry")")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try GeoModelFolder.write(GeoTestFit.fit, config: GeoTestFit.config, into: dir)
        if let retry {
            let url = dir.appendingPathComponent("summary.json")
            var summary = try MixJSON.decoder().decode(GeoSummary.self, from: Data(contentsOf: url))
            summary.retry = retry
            try summary.json().write(to: url)
        }
        return (try GeoModelFolder(dir), dir)
    }

    func summaryCells(retry: FitRetry?) throws -> [String: XlsxReader.Cell] {
        let (m, dir) = try folder(retry: retry)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(m.summary.retry, retry)
        let url = dir.appendingPathComponent("book.xlsx")
        try GeoWorkbookWriter.write(m, chartFiles: [], to: url)
        return try XlsxReader(url).cells("Summary")
    }

    func testSummaryNamesTheRetryBesideTheVerdict() throws {
        let cells = try summaryCells(retry: Self.retry)
        let label = try XCTUnwrap(cells.values.first { $0.string == "  Refitted (sampler.retry)" }, "Summary row")
        let row = XlsxReader.parse(label.ref).1
        XCTAssertEqual(cells["B\(row)"]?.string, Self.retry.sentence)
        // Right under the convergence line.
        XCTAssertEqual(cells["A\(row - 1)"]?.string, "Convergence")
    }

    func testPlainFitSaysNothingOfARefit() throws {
        let cells = try summaryCells(retry: nil)
        XCTAssertNotNil(cells.values.first { $0.string == "Convergence" })
        XCTAssertNil(cells.values.first { $0.string?.contains("Refitted") == true })
    }
}
