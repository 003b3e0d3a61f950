import MixTestSupport
import Foundation
import XCTest
import MixReport

/// Issue 26: `summary.json` of a time-varying run carries m[t] with its interval per training
/// period, read back equal to what `media-multiplier.png` draws. A small fit (2 chains × 100
/// draws of the bundled weekly-2ch-tvp sample): enough to fill the table, not to converge.
final class TimeVaryingSnapshotTests: XCTestCase {
    func testSummaryJSONHoldsTheChartsMultiplier() throws {
        var config = try ConfigLoader.load(path: Fixtures.sample("weekly-2ch-tvp").appendingPathComponent("mixplan.yaml").path)
        config.sampler.chains = 2
        config.sampler.warmup = 100
        config.sampler.draws = 100
        config.sampler.maxTreeDepth = 6
        let data = try DatasetLoader().load(config).dataset
        let results = PlanningResults(model: try ModelFitter.fit(dataset: data, config: config), curvePoints: 10, maxDraws: 200)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mixreport-tv-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try ReportSnapshot(results).jsonData().write(to: url)
        let table = try XCTUnwrap(ReportSnapshot.load(from: url).timeVarying)
        let chart = try XCTUnwrap(ChartPack.multiplierSeries(results))
        XCTAssertEqual(table.rows.count, chart.dates.count)
        XCTAssertEqual(table.planningMultiplier, chart.planning)
        XCTAssertEqual(table.mass, results.model.config.report.intervalMass)
        for (t, row) in table.rows.enumerated() {
            XCTAssertEqual(row.date, chart.dates[t].description)
            let m = try XCTUnwrap(row.multiplier)
            // JSONEncoder writes the shortest text that reads back to the same Double: exact.
            XCTAssertEqual([m.median, m.lower, m.upper], [chart.median[t], chart.lower[t], chart.upper[t]], "period \(t)")
            XCTAssertTrue(m.lower <= m.median && m.median <= m.upper)
            XCTAssertNil(row.interceptDrift, "no drift without time_varying_intercept")
        }
        // A static run's summary has no such table (and older summaries without the key still load).
        XCTAssertNil(ReportSnapshot(ReportTestModel.results).timeVarying)
    }
}
