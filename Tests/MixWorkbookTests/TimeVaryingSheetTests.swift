import MixTestSupport
import Foundation
import XCTest
import MixWorkbook

/// Issue 26: a time-varying model saves m[t] and the intercept drift per period with their
/// intervals — the workbook's "Time-varying" sheet and the model folder's `time_varying.csv` —
/// and both hold exactly what `media-multiplier.png` draws (`ChartPack.multiplierSeries`).
/// The fit is small (2 chains × 100 draws of the bundled weekly-2ch-tvp sample, media multiplier
/// and intercept drift on): enough to fill the table, not to converge.
final class TimeVaryingSheetTests: XCTestCase {
    static let results: PlanningResults = {
        var config = try! ConfigLoader.load(path: Fixtures.sample("weekly-2ch-tvp").appendingPathComponent("mixplan.yaml").path)
        config.sampler.chains = 2
        config.sampler.warmup = 100
        config.sampler.draws = 100
        config.sampler.maxTreeDepth = 6
        config.model.timeVarying?.intercept = true
        let data = try! DatasetLoader().load(config).dataset
        let model = try! ModelFitter.fit(dataset: data, config: config)
        return PlanningResults(model: model, curvePoints: 10, maxDraws: 200)
    }()

    /// Numbers written by libxlsxwriter (17 significant digits) or as shortest round-trip text are
    /// the same doubles; 1e-12 relative only absorbs the spreadsheet's decimal text.
    static let tolerance = 1e-12

    func close(_ a: Double?, _ b: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let a else { return XCTFail("\(what): no number, expected \(b)", file: file, line: line) }
        XCTAssertEqual(a, b, accuracy: Self.tolerance * max(1, abs(b)), what, file: file, line: line)
    }

    /// The chart's series and the drift recomputed from the draws (all 200: fewer than the
    /// table's thinning limit) — the truth every saved copy is held to.
    func expected() throws -> (chart: MultiplierSeries, drift: [(Double, Double, Double)]) {
        let r = Self.results
        let chart = try XCTUnwrap(ChartPack.multiplierSeries(r))
        let s = r.model.structure
        let mass = r.model.config.report.intervalMass
        let draws = (0..<r.model.drawCount).map { s.interceptDrift(r.model.draw($0)).map { $0 * s.scaling.targetScale } }
        let drift = (0..<s.periodCount).map { t -> (Double, Double, Double) in
            let sorted = draws.map { $0[t] }.sorted()
            return (Diagnostics.quantile(sorted: sorted, 0.5), Diagnostics.quantile(sorted: sorted, (1 - mass) / 2),
                    Diagnostics.quantile(sorted: sorted, 1 - (1 - mass) / 2))
        }
        return (chart, drift)
    }

    func testWorkbookSheetHoldsTheChartsMultiplier() throws {
        let (chart, drift) = try expected()
        let url = WorkbookFixture.temporaryWorkbook("time-varying.xlsx")
        try WorkbookWriter.write(Self.results, chartFiles: [], to: url)
        let reader = try XlsxReader(url)
        XCTAssertEqual(reader.sheetNames, WorkbookWriter.sheetNames(for: Self.results))
        XCTAssertEqual(reader.sheetNames.firstIndex(of: "Time-varying"), reader.sheetNames.firstIndex(of: "Contributions").map { $0 + 1 })
        let cells = try reader.cells("Time-varying")
        XCTAssertEqual(cells["B6"]?.string, "Media multiplier (median)")
        XCTAssertEqual(cells["E6"]?.string?.hasPrefix("Baseline drift (median"), true)
        close(cells["B4"]?.number, chart.planning, "planning multiplier")
        let epoch = CalendarDate(year: 1899, month: 12, day: 30)!.dayNumber
        XCTAssertEqual(chart.dates.count, Self.results.model.structure.periodCount)
        for t in chart.dates.indices {
            let r = 7 + t
            close(cells["A\(r)"]?.number, Double(chart.dates[t].dayNumber - epoch), "date row \(r)")
            close(cells["B\(r)"]?.number, chart.median[t], "m median row \(r)")
            close(cells["C\(r)"]?.number, chart.lower[t], "m lower row \(r)")
            close(cells["D\(r)"]?.number, chart.upper[t], "m upper row \(r)")
            close(cells["E\(r)"]?.number, drift[t].0, "drift median row \(r)")
            close(cells["F\(r)"]?.number, drift[t].1, "drift lower row \(r)")
            close(cells["G\(r)"]?.number, drift[t].2, "drift upper row \(r)")
        }
        XCTAssertNil(cells["A\(7 + chart.dates.count)"], "one row per training period")
    }

    func testModelFolderCSVHoldsTheChartsMultiplier() throws {
        let (chart, drift) = try expected()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mixworkbook-tests-\(getpid())/tv-model")
        try ModelStore.save(Self.results.model, to: dir)
        var reader = try CSVReader(path: dir.appendingPathComponent(ModelStore.timeVaryingFileName).path)
        XCTAssertTrue(try reader.next())
        XCTAssertEqual(reader.fields, ["date", "multiplier_median", "multiplier_lower", "multiplier_upper",
                                       "intercept_drift_median", "intercept_drift_lower", "intercept_drift_upper"])
        var t = 0
        while try reader.next() {
            let f = reader.fields
            XCTAssertEqual(f[0], chart.dates[t].description)
            let v = f.dropFirst().map { Double($0)! }
            XCTAssertEqual(v, [chart.median[t], chart.lower[t], chart.upper[t], drift[t].0, drift[t].1, drift[t].2], "row \(t + 2)")
            t += 1
        }
        XCTAssertEqual(t, chart.dates.count)
        // A static model's folder has no such file, and its workbook no such sheet.
        XCTAssertNil(TimeVaryingTable(model: WorkbookFixture.optimised.model))
        XCTAssertFalse(WorkbookWriter.sheetNames(for: WorkbookFixture.optimised).contains("Time-varying"))
    }
}
