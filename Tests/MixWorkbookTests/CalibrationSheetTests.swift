import MixTestSupport
import Foundation
import XCTest
import MixWorkbook

/// The Calibration sheet of a calibrated model, read back from the .xlsx: every number against
/// values recomputed from the model's draws and the lift tests, and no sheet for an
/// uncalibrated model. libxlsxwriter stores 17 significant digits, so numbers that are the
/// same double match to 1e-12 relative.
final class CalibrationSheetTests: XCTestCase {
    /// The committed weekly-2ch model (logistic saturation, geometric adstock) under a config
    /// with two lift tests on the second channel and a per-channel prior on the first's λ.
    static let results: PlanningResults = {
        let base = try! ModelStore.load(from: Fixtures.url("charts/weekly-2ch-model"))
        var config = base.config
        config.calibration.liftTests = [
            LiftTest(channel: "x2", spend: 9000, spendChange: -8100, targetChange: -900, standardError: 140,
                     start: CalendarDate(year: 2021, month: 3, day: 1), end: CalendarDate(year: 2021, month: 5, day: 3), source: "lift.csv, row 2"),
            LiftTest(channel: "x2", spend: 9000, spendChange: 3000, targetChange: 150, standardError: 60, source: "=1+2"),
        ]
        config.model.channels["x1"] = .init(priors: ["saturation_lambda": PriorSpec(.gamma, ["alpha": 9, "beta": 3])])
        let model = try! FittedModel(config: config, dataset: base.dataset, holdout: base.holdout, chains: base.chains,
                                     drawsPerChain: base.drawsPerChain, draws: base.draws, sampler: base.sampler)
        return PlanningResults(model: model, curvePoints: 20, maxDraws: 200)
    }()

    static let written: (url: URL, reader: XlsxReader) = {
        let url = WorkbookFixture.temporaryWorkbook("calibration.xlsx")
        let dir = url.deletingLastPathComponent().appendingPathComponent("calibration-charts")
        let charts = try! ChartPack.write(results, to: dir)
        try! WorkbookWriter.write(results, chartFiles: charts, to: url)
        return (url, try! XlsxReader(url))
    }()

    func close(_ a: Double?, _ b: Double, _ what: String, tol: Double = 1e-12, file: StaticString = #filePath, line: UInt = #line) {
        guard let a else { return XCTFail("\(what): no number in the cell, expected \(b)", file: file, line: line) }
        XCTAssertEqual(a, b, accuracy: tol * max(1, abs(b)), what, file: file, line: line)
    }

    /// Under a lift_roi_prior on x1, β's row marks its default prior as not used (no prior figures,
    /// no width ratio) and names what replaced it; r's row follows with its prior and posterior.
    func testReplacedPriorRowShowsAsUnused() throws {
        let base = Self.results.model
        var config = base.config
        config.calibration.liftTests = []
        config.model.channels = ["x1": .init(liftROIPrior: .init(spend: 2500, spendChange: -2250, prior: PriorSpec(.gamma, ["alpha": 20, "beta": 40])))]
        let model = try FittedModel(config: config, dataset: base.dataset, holdout: base.holdout, chains: base.chains,
                                    drawsPerChain: base.drawsPerChain, draws: base.draws, sampler: base.sampler)
        let results = PlanningResults(model: model, curvePoints: 20, maxDraws: 200)
        let url = WorkbookFixture.temporaryWorkbook("replaced-prior.xlsx")
        try WorkbookWriter.write(results, chartFiles: [], to: url)
        let cells = try XlsxReader(url).cells("Calibration")
        XCTAssertEqual((6...9).map { cells["B\($0)"]?.string }, ["α (adstock)", "λ (saturation)", "β (saturation)", "r (lift_roi_prior)"])
        XCTAssertEqual(cells["C8"]?.string, "not used (default HalfNormal(sigma=2))")
        for column in ["D", "E", "F", "J"] { XCTAssertEqual(cells["\(column)8"]?.string, "n/a", "\(column)8") }
        XCTAssertEqual(cells["K8"]?.string, "replaced by model.channels.x1.lift_roi_prior (below)")
        let effect = try XCTUnwrap(results.calibration.channels.first?.effectPriors.first)
        close(cells["D9"]?.number, 0.5, "r's Gamma(20, 40) prior mean")
        close(cells["G9"]?.number, effect.posterior.mean, "r's posterior mean")
        close(cells["J9"]?.number, effect.narrowing, "r's width ratio")
    }

    func testCalibrationSheetComesAfterDiagnosticsOnlyWhenCalibrated() throws {
        XCTAssertEqual(Self.written.reader.sheetNames, ["Summary", "Allocation", "Response curves", "Contributions", "Frontier",
                                                        "Scenarios", "Diagnostics", "Calibration", "Charts", "Planner model"])
        XCTAssertEqual(WorkbookWriter.sheetNames(for: Self.results), Self.written.reader.sheetNames)
        var plain = Self.results
        plain.model = try ModelStore.load(from: Fixtures.url("charts/weekly-2ch-model"))
        XCTAssertEqual(WorkbookWriter.sheetNames(for: plain), WorkbookWriter.sheetNames)
    }

    /// Rows 6… of the parameter table: channel, label, prior, prior mean/lower/upper, posterior
    /// mean/lower/upper, width ratio, source. The posterior is recomputed from the raw draws with
    /// NumPy's linear quantile; the Beta(1, 3) prior of α has the closed-form quantile
    /// 1 − (1 − p)^(1/3), and Gamma(9, 3) the mean 3.
    func testPriorAgainstPosteriorTable() throws {
        let cells = try Self.written.reader.cells("Calibration")
        let model = Self.results.model, n = model.structure.dimension
        XCTAssertEqual(cells["A5"]?.string, "Channel")
        XCTAssertEqual(cells["J5"]?.string, "Posterior ÷ prior interval width")
        XCTAssertEqual(cells["E5"]?.string, "Prior 3 %")
        XCTAssertEqual(cells["I5"]?.string, "Posterior 97 %")
        var row = 6
        for channel in ["x1", "x2"] {
            for (key, label) in [("adstock_alpha", "α (adstock)"), ("saturation_lambda", "λ (saturation)"), ("saturation_beta", "β (saturation)")] {
                XCTAssertEqual(cells["A\(row)"]?.string, channel)
                XCTAssertEqual(cells["B\(row)"]?.string, label)
                let p = try XCTUnwrap(model.parameterNames.firstIndex(of: "\(channel).\(key)"))
                let draws = (0..<model.drawCount).map { model.draws[$0 * n + p] }.sorted()
                func q(_ prob: Double) -> Double {
                    let h = Double(draws.count - 1) * prob, i = Int(h)
                    return draws[i] + (h - Double(i)) * (draws[min(i + 1, draws.count - 1)] - draws[i])
                }
                let postMean = draws.reduce(0, +) / Double(draws.count)
                close(cells["G\(row)"]?.number, postMean, "\(channel).\(key) posterior mean")
                close(cells["H\(row)"]?.number, q(0.03), "\(channel).\(key) posterior 3 %")
                close(cells["I\(row)"]?.number, q(0.97), "\(channel).\(key) posterior 97 %")
                let priorWidth = try XCTUnwrap(cells["F\(row)"]?.number) - XCTUnwrap(cells["E\(row)"]?.number)
                close(cells["J\(row)"]?.number, (q(0.97) - q(0.03)) / priorWidth, "\(channel).\(key) width ratio", tol: 1e-9)
                let fromConfig = channel == "x1" && key == "saturation_lambda"
                XCTAssertEqual(cells["K\(row)"]?.string, fromConfig ? "config (model.channels.x1.priors.saturation_lambda)" : "model default")
                if key == "adstock_alpha" {
                    XCTAssertEqual(cells["C\(row)"]?.string, "Beta(alpha=1, beta=3)")
                    close(cells["D\(row)"]?.number, 0.25, "Beta(1, 3) mean")
                    // Bisection to adjacent doubles on an exact CDF.
                    close(cells["E\(row)"]?.number, 1 - pow(0.97, 1.0 / 3), "Beta(1, 3) 3 %", tol: 1e-12)
                    close(cells["F\(row)"]?.number, 1 - pow(0.03, 1.0 / 3), "Beta(1, 3) 97 %", tol: 1e-12)
                }
                if fromConfig {
                    XCTAssertEqual(cells["C\(row)"]?.string, "Gamma(alpha=9, beta=3)")
                    close(cells["D\(row)"]?.number, 3, "Gamma(9, 3) mean")
                }
                row += 1
            }
        }
        XCTAssertNil(cells["A\(row)"]?.string, "one row per parameter of each calibrated channel")
    }

    /// The lift-test table: inputs copied, observed slope Δy/Δx, and the model's change recomputed
    /// with the logistic curve written out, f(x) = targetScale · β · tanh(λ x / (2 · spendScale)),
    /// over all draws (the summary uses at most 1,000, and this model has 200).
    func testLiftTestTable() throws {
        let cells = try Self.written.reader.cells("Calibration")
        let header = try XCTUnwrap(cells.values.first { $0.string == "Spend before (x)" })
        let h = XlsxReader.parse(header.ref).1
        let model = Self.results.model, n = model.structure.dimension, scale = model.structure.scaling
        let lambda = model.parameterNames.firstIndex(of: "x2.saturation_lambda")!, beta = lambda + 1
        func f(_ i: Int, _ x: Double) -> Double {
            scale.targetScale * model.draws[i * n + beta] * tanh(model.draws[i * n + lambda] * x / scale.spendScale[1] / 2)
        }
        for (k, t) in model.config.calibration.liftTests.enumerated() {
            let r = h + 1 + k
            XCTAssertEqual(cells["A\(r)"]?.string, "x2")
            close(cells["D\(r)"]?.number, t.spend, "x")
            close(cells["E\(r)"]?.number, t.spendChange, "Δx")
            close(cells["F\(r)"]?.number, t.targetChange, "Δy")
            close(cells["G\(r)"]?.number, t.standardError, "σ")
            close(cells["H\(r)"]?.number, t.targetChange / t.spendChange, "slope")
            let change = (0..<model.drawCount).map { f($0, t.spend + t.spendChange) - f($0, t.spend) }
            let mean = change.reduce(0, +) / Double(change.count)
            // tanh against the model's one-exp form: ~1e-13 relative.
            close(cells["I\(r)"]?.number, mean, "model change", tol: 1e-9)
            close(cells["L\(r)"]?.number, (t.targetChange - mean) / t.standardError, "gap", tol: 1e-9)
            let lo = try XCTUnwrap(cells["J\(r)"]?.number), hi = try XCTUnwrap(cells["K\(r)"]?.number)
            XCTAssertLessThan(lo, mean); XCTAssertGreaterThan(hi, mean)
            XCTAssertEqual(cells["M\(r)"]?.string, t.source)
            XCTAssertEqual(cells["M\(r)"]?.type, "s", "a source that looks like a formula stays text")
        }
        // Dates as Excel serials (days since 1899-12-30): 2021-03-01 is 44256.
        close(cells["B\(h + 1)"]?.number, 44256, "start")
        close(cells["C\(h + 1)"]?.number, 44319, "end")
        XCTAssertNil(cells["B\(h + 2)"], "no dates for a test without a window")
    }

    /// Both charts are embedded on the sheet.
    func testChartsAreEmbedded() throws {
        let url = Self.written.url
        let i = try XCTUnwrap(Self.written.reader.sheetNames.firstIndex(of: "Calibration"))
        let rels = try XlsxReader.part(url, "xl/worksheets/_rels/sheet\(i + 1).xml.rels")
        XCTAssertTrue(rels.contains("drawing"), "the sheet has a drawing")
        let drawingName = try XCTUnwrap(rels.components(separatedBy: "../drawings/").dropFirst().first?.components(separatedBy: "\"").first)
        let drawing = try XlsxReader.part(url, "xl/drawings/\(drawingName)")
        XCTAssertTrue(drawing.contains("Chart calibration.png"))
        XCTAssertTrue(drawing.contains("Chart response-curves.png"))
    }
}
