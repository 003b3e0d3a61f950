import MixTestSupport
import Foundation
import XCTest
import MixReport

/// The report's Calibration section for the committed weekly-2ch model under a config with two
/// lift tests on x1 (one far from the model) and a per-channel prior on x2's λ: every cell
/// recomputed from the model's draws and the tests, and no section for an uncalibrated model.
final class ReportCalibrationTests: XCTestCase {
    static let base = try! ModelStore.load(from: Fixtures.url("charts/weekly-2ch-model"))
    static let results: PlanningResults = {
        var config = base.config
        config.calibration.liftTests = [
            LiftTest(channel: "x1", spend: 2500, spendChange: -2250, targetChange: -1050, standardError: 150,
                     start: CalendarDate(year: 2021, month: 3, day: 1), end: CalendarDate(year: 2021, month: 5, day: 3)),
            LiftTest(channel: "x1", spend: 2500, spendChange: 1000, targetChange: 1200, standardError: 100),
        ]
        config.model.channels["x2"] = .init(priors: ["saturation_lambda": PriorSpec(.gamma, ["alpha": 16, "beta": 8])])
        let model = try! FittedModel(config: config, dataset: base.dataset, holdout: base.holdout, chains: base.chains,
                                     drawsPerChain: base.drawsPerChain, draws: base.draws, sampler: base.sampler)
        return PlanningResults(model: model, curvePoints: 20, maxDraws: 200)
    }()
    let charts = ["response-curves.png", "calibration.png"]

    func render(_ r: PlanningResults) throws -> (markdown: String, html: String) {
        try ReportWriter(templatesDirectory: nil).render(r, previous: nil, chartFiles: charts)
    }

    /// Posterior mean and 3 %/97 % quantiles (NumPy's linear rule) of a parameter, from the raw draws.
    func posterior(_ name: String) -> Interval {
        let m = Self.results.model, n = m.structure.dimension, p = m.parameterNames.firstIndex(of: name)!
        let d = (0..<m.drawCount).map { m.draws[$0 * n + p] }.sorted()
        func q(_ prob: Double) -> Double {
            let h = Double(d.count - 1) * prob, i = Int(h)
            return d[i] + (h - Double(i)) * (d[min(i + 1, d.count - 1)] - d[i])
        }
        return Interval(mean: d.reduce(0, +) / Double(d.count), lower: q(0.03), upper: q(0.97))
    }

    var parameterRows: [[String]] {
        var rows: [[String]] = []
        let priors: [String: PriorSpec] = ["adstock_alpha": PriorSpec(.beta, ["alpha": 1, "beta": 3]),
                                           "saturation_lambda": PriorSpec(.gamma, ["alpha": 3, "beta": 1]),
                                           "saturation_beta": PriorSpec(.halfNormal, ["sigma": 2])]
        for ch in ["x1", "x2"] {
            for (key, label) in [("adstock_alpha", "α (adstock)"), ("saturation_lambda", "λ (saturation)"), ("saturation_beta", "β (saturation)")] {
                let fromConfig = ch == "x2" && key == "saturation_lambda"
                let spec = fromConfig ? PriorSpec(.gamma, ["alpha": 16, "beta": 8]) : priors[key]!
                let prior = PriorSummary(spec, mass: 0.94), post = posterior("\(ch).\(key)")
                rows.append([ch, label, spec.description + (fromConfig ? " (from config)" : ""),
                             ReportFormat.parameterInterval(prior.interval), ReportFormat.parameterInterval(post),
                             ReportFormat.narrowing((post.upper - post.lower) / (prior.upper - prior.lower))])
            }
        }
        return rows
    }

    /// The lift-test rows, with the model's change recomputed from the logistic curve written
    /// out, f(x) = targetScale · β · tanh(λ x / (2 · spendScale)), over all 200 draws.
    var testRows: [[String]] {
        let m = Self.results.model, n = m.structure.dimension, s = m.structure.scaling
        let f = ReportFormat(currency: Self.results.currency)
        return m.config.calibration.liftTests.map { t in
            let change = (0..<m.drawCount).map { i -> Double in
                let lambda = m.draws[i * n + 2], beta = m.draws[i * n + 3]
                func curve(_ x: Double) -> Double { s.targetScale * beta * tanh(lambda * x / s.spendScale[0] / 2) }
                return curve(t.spend + t.spendChange) - curve(t.spend)
            }.sorted()
            let mean = change.reduce(0, +) / Double(change.count)
            func q(_ prob: Double) -> Double {
                let h = Double(change.count - 1) * prob, i = Int(h)
                return change[i] + (h - Double(i)) * (change[i + 1] - change[i])
            }
            let gap = (t.targetChange - mean) / t.standardError
            return ["x1", t.start.map { "\($0) to \(t.end!)" } ?? "\u{2014}", f.money(t.spend), f.signedMoney(t.spendChange),
                    ReportFormat.signedAmount(t.targetChange) + " ± " + ReportFormat.amount(t.standardError),
                    "\(ReportFormat.signedAmount(mean)) (\(ReportFormat.signedAmount(q(0.03))) to \(ReportFormat.signedAmount(q(0.97))))",
                    ReportFormat.signedRatio(gap) + " σ" + (abs(gap) > 2 ? " (disagrees)" : "")]
        }
    }

    func testParameterAndLiftTestTablesEqualTheDraws() throws {
        let (md, html) = try render(Self.results)
        XCTAssertEqual(markdownTable(after: "## Calibration", in: md), parameterRows)
        XCTAssertEqual(htmlTable(after: "Calibration", in: html), parameterRows)
        XCTAssertEqual(markdownTable(after: "## Calibration", in: md, skip: 1), testRows)
        XCTAssertEqual(htmlTable(after: "Calibration", in: html, skip: 1), testRows)
        // The second test (+1,200 for +1,000 of spend) is far above what the curve allows.
        XCTAssertTrue(testRows[1].last!.hasSuffix("(disagrees)"), testRows[1].last!)
        XCTAssertFalse(testRows[0].last!.hasSuffix("(disagrees)"), testRows[0].last!)
        XCTAssertTrue(md.contains("**1 lift test(s) disagree with the model**"))
        XCTAssertTrue(md.contains("Calibrated channels: x1 (2 lift tests); x2 (priors set in the config for saturation_lambda)."), "channel line")
        XCTAssertTrue(html.contains("Calibrated channels: x1 (2 lift tests); x2 (priors set in the config for saturation_lambda)."))
    }

    /// Under a lift_roi_prior on x1, β's own prior is not used: its row says what replaced it and
    /// gives no prior interval or narrowing, and r's row follows x1's parameters.
    func testReplacedPriorShowsAsUnused() throws {
        var config = Self.base.config
        config.model.channels["x1"] = .init(liftROIPrior: .init(spend: 2500, spendChange: -2250, prior: PriorSpec(.gamma, ["alpha": 20, "beta": 40])))
        let b = Self.base
        let model = try FittedModel(config: config, dataset: b.dataset, holdout: b.holdout, chains: b.chains,
                                    drawsPerChain: b.drawsPerChain, draws: b.draws, sampler: b.sampler)
        let (md, _) = try render(PlanningResults(model: model, curvePoints: 20, maxDraws: 200))
        let rows = markdownTable(after: "## Calibration", in: md)
        XCTAssertEqual(rows.map { $0[1] }, ["α (adstock)", "λ (saturation)", "β (saturation)", "r (lift_roi_prior)"])
        XCTAssertEqual(rows[2], ["x1", "β (saturation)", "HalfNormal(sigma=2), replaced by lift_roi_prior",
                                 ReportFormat.notANumber, ReportFormat.parameterInterval(posterior("x1.saturation_beta")), ReportFormat.notANumber])
        let r = PriorSummary(PriorSpec(.gamma, ["alpha": 20, "beta": 40]), mass: 0.94)
        XCTAssertEqual(rows[3][3], ReportFormat.parameterInterval(r.interval))
        XCTAssertTrue(rows[3][5].hasSuffix("narrower") || rows[3][5].hasSuffix("wider"), rows[3][5])
    }

    func testChartSitsInTheCalibrationSection() throws {
        let (md, html) = try render(Self.results)
        let section = try XCTUnwrap(md.components(separatedBy: "## Calibration").dropFirst().first?.components(separatedBy: "\n## ").first)
        XCTAssertTrue(section.contains("![Prior against posterior](charts/calibration.png)"))
        let htmlSection = try XCTUnwrap(html.components(separatedBy: "<h2>Calibration</h2>").dropFirst().first?.components(separatedBy: "</section>").first)
        XCTAssertTrue(htmlSection.contains("<img src=\"charts/calibration.png\" alt=\"Prior against posterior\">"))
    }

    func testUncalibratedReportHasNoCalibrationSection() throws {
        let (md, html) = try render(PlanningResults(model: Self.base, curvePoints: 20, maxDraws: 200))
        XCTAssertFalse(md.contains("Calibration"))
        XCTAssertFalse(html.contains("Calibration"))
        XCTAssertNil(ReportContext(PlanningResults(model: Self.base, curvePoints: 20, maxDraws: 200), previous: nil, chartFiles: []).calibration)
    }

    /// Parameter figures to three significant figures, by hand.
    func testParameterFormatting() {
        XCTAssertEqual(ReportFormat.parameter(0.21812), "0.218")
        XCTAssertEqual(ReportFormat.parameter(3.4253), "3.43")
        XCTAssertEqual(ReportFormat.parameter(12.54), "12.5")
        XCTAssertEqual(ReportFormat.parameter(0.000123456), "0.000123")
        XCTAssertEqual(ReportFormat.parameter(-0.5), "\u{2212}0.500")
        XCTAssertEqual(ReportFormat.parameter(2500), "2.5k")
        XCTAssertEqual(ReportFormat.parameter(.infinity), "\u{221E}")
        XCTAssertEqual(ReportFormat.parameter(0), "0")
        XCTAssertEqual(ReportFormat.narrowing(0.2), "5.0× narrower")
        XCTAssertEqual(ReportFormat.narrowing(1.4), "1.4× wider")
        XCTAssertEqual(ReportFormat.signedAmount(-1050), "\u{2212}1,050")
        XCTAssertEqual(ReportFormat.signedAmount(12.26), "+12.3")
        XCTAssertEqual(ReportFormat.amount(150), "150")
    }
}
