import Foundation
import MixCharts
import XCTest

/// The calibration chart and the lift tests on the response curves, for the committed weekly-2ch
/// model under a config with two lift tests on x1 and a per-channel prior on x2's λ (the
/// reporting reads only the config and the draws). Pixels are read back from the PNG at 1× and 2×.
final class CalibrationChartTests: XCTestCase {
    static let results: PlanningResults = {
        let base = PackFixture.results.model
        var config = base.config
        config.calibration.liftTests = [
            LiftTest(channel: "x1", spend: 2500, spendChange: -2250, targetChange: -1050, standardError: 150),
            LiftTest(channel: "x1", spend: 2500, spendChange: 4000, targetChange: 700, standardError: 120),
        ]
        config.model.channels["x2"] = .init(priors: ["saturation_lambda": PriorSpec(.gamma, ["alpha": 16, "beta": 8])])
        let model = try! FittedModel(config: config, dataset: base.dataset, holdout: base.holdout, chains: base.chains,
                                     drawsPerChain: base.drawsPerChain, draws: base.draws, sampler: base.sampler)
        return PlanningResults(model: model)
    }()
    static let pack1x = try! ChartPack.render(results, scale: 1)
    static let pack2x = try! ChartPack.render(results, scale: 2)

    func chart(_ name: String, _ scale: Double) -> RenderedChart {
        (scale == 1 ? Self.pack1x : Self.pack2x).first { $0.fileName == name }!.chart
    }

    func testOnlyCalibratedModelsGetTheCalibrationChart() throws {
        XCTAssertTrue(Self.pack1x.contains { $0.kind == .calibration })
        XCTAssertFalse(PackFixture.pack1x.contains { $0.fileName == "calibration.png" })
        // No lift tests: no marks on the uncalibrated response curves.
        XCTAssertTrue(ChartPack.responsePanels(PackFixture.results).allSatisfy { $0.liftTests.isEmpty })
        let panels = ChartPack.responsePanels(Self.results)
        XCTAssertEqual(panels.map(\.liftTests.count), [2, 0])
    }

    /// Each test's end point (x + Δx, f̂(x) + Δy) is a filled ink dot, its ±σ bar is ink above and
    /// below it, and its start sits on the mean curve at x (a hollow ring: white centre).
    func testLiftTestsAreDrawnFromTheCurve() throws {
        let calibration = Self.results.calibration
        let curve = Self.results.curves[0]
        for scale in [1.0, 2.0] {
            let chart = chart("response-curves.png", scale), d = try DecodedChart(chart), ax = chart.panels[0]
            XCTAssertTrue(chart.texts.contains { $0.text.hasPrefix("Lift test") }, "legend names the lift tests")
            for check in calibration.channels[0].liftTests {
                let t = check.test, endX = t.spendDuring, endY = check.anchor + t.targetChange
                XCTAssertTrue(DecodedChart.close(d.colour(x: endX, y: endY), Palette.ink), "end point @\(scale)x")
                // Half-way along the error bar, outside the 4.5-unit dot.
                let sigmaPixels = abs(ax.py(endY + t.standardError) - ax.py(endY))
                XCTAssertGreaterThan(sigmaPixels, 9, "σ must span more than the dot to be probed")
                let offset = (4.5 + 2 + (sigmaPixels - 6.5) / 2) / sigmaPixels * t.standardError
                for y in [endY + offset, endY - offset] {
                    let c = d.colour(x: endX, y: y)
                    XCTAssertLessThan(c.r + c.g + c.b, 0.6, "error bar at \(y) @\(scale)x")
                }
                // The start is anchored on the posterior-mean curve (to its 60-point interpolation).
                let curveY = ax.py(interpolate(curve.spend, curve.mean, t.spend))
                XCTAssertLessThan(abs(ax.py(check.anchor) - curveY), 1, "anchor on the curve")
                XCTAssertTrue(DecodedChart.close(d.colour(x: t.spend, y: check.anchor), RGBA(1, 1, 1)), "hollow start @\(scale)x")
            }
        }
    }

    func interpolate(_ xs: [Double], _ ys: [Double], _ x: Double) -> Double {
        let i = xs.firstIndex { $0 >= x }!
        return ys[i - 1] + (x - xs[i - 1]) / (xs[i] - xs[i - 1]) * (ys[i] - ys[i - 1])
    }

    /// One row per calibrated channel, one panel per parameter; the prior's and posterior's
    /// means are dots in grey and the channel colour on their rows' baselines, and each panel
    /// reports how much narrower the posterior interval is than the prior's.
    func testCalibrationChartShowsPriorAndPosteriorPerParameter() throws {
        let calibration = Self.results.calibration
        let rows = ChartPack.calibrationRows(Self.results)
        XCTAssertEqual(rows.map { $0.map(\.parameter) }, [["α (adstock)", "λ (saturation)", "β (saturation)"],
                                                          ["α (adstock)", "λ (saturation)", "β (saturation)"]])
        XCTAssertEqual(rows[1].map(\.priorFromConfig), [false, true, false])
        for scale in [1.0, 2.0] {
            let chart = chart("calibration.png", scale), d = try DecodedChart(chart)
            XCTAssertEqual(chart.panels.count, 6)
            let image = Rect(x: 0, y: 0, w: chart.canvas.width, h: chart.canvas.height)
            for t in chart.texts { XCTAssertTrue(image.contains(t.rect), "'\(t.text)' leaves the image @\(scale)x") }
            for (c, ch) in calibration.channels.enumerated() {
                for (k, p) in ch.parameters.enumerated() {
                    let panel = c * 3 + k
                    // Baselines sit 0.3 below each category row's centre (Prior row 0, Posterior row 1).
                    XCTAssertTrue(DecodedChart.close(d.colour(panel: panel, x: p.prior.mean, y: 0.3), priorColor), "\(p.parameterName) prior mean @\(scale)x")
                    XCTAssertTrue(DecodedChart.close(d.colour(panel: panel, x: p.posterior.mean, y: 1.3), Palette.channel(ch.index)),
                                  "\(p.parameterName) posterior mean @\(scale)x")
                    let ratio = (p.prior.upper - p.prior.lower) / (p.posterior.upper - p.posterior.lower)
                    let note = ratio >= 1 ? "interval \(NumberFormat.fixed(1).format(ratio))× narrower" : "interval \(NumberFormat.fixed(1).format(1 / ratio))× wider"
                    XCTAssertTrue(chart.texts.contains { $0.text == note }, "\(p.parameterName): \(note)")
                }
            }
            XCTAssertTrue(chart.texts.contains { $0.text == "x2 · λ (saturation) · prior from config" })
        }
    }

    /// A `lift_roi_prior` on x1 adds a fourth panel to its row — r's prior (its formula) against
    /// r's posterior — and β's panel says its own prior is not used instead of drawing it; every
    /// label stays inside the
    /// image at 1× and 2×.
    func testIncrementalROIPriorGetsAPanel() throws {
        let base = Self.results.model
        var config = base.config
        config.model.channels["x1"] = .init(liftROIPrior: .init(spend: 2500, spendChange: -2250, prior: PriorSpec(.gamma, ["alpha": 20, "beta": 40])))
        let model = try FittedModel(config: config, dataset: base.dataset, holdout: base.holdout, chains: base.chains,
                                    drawsPerChain: base.drawsPerChain, draws: base.draws, sampler: base.sampler)
        let results = PlanningResults(model: model)
        let rows = ChartPack.calibrationRows(results)
        XCTAssertEqual(rows[0].map(\.parameter), ["α (adstock)", "λ (saturation)", "β (saturation)", "r (lift_roi_prior)"])
        // β's default prior is not drawn: the panel says what replaces it and spans the posterior only.
        let beta = rows[0][2]
        XCTAssertEqual(rows[0].map(\.priorReplacedBy), [nil, nil, "r (lift_roi_prior)", nil])
        XCTAssertTrue(beta.narrowing.isNaN)
        let width = beta.posteriorUpper - beta.posteriorLower
        XCTAssertEqual(beta.grid.first!, max(0, beta.posteriorLower - 0.15 * width), accuracy: 0.01 * width)
        XCTAssertEqual(beta.grid.last!, beta.posteriorUpper + 0.15 * width, accuracy: 0.01 * width)
        let r = rows[0][3], effect = results.calibration.channels[0].effectPriors[0]
        XCTAssertEqual(r.priorMean, 0.5, accuracy: 1e-12)
        XCTAssertEqual(r.posteriorMean, effect.posterior.mean)
        // Gamma(20, 40)'s density written out at the grid points.
        for (x, density) in zip(r.grid, r.priorDensity) {
            XCTAssertEqual(density, exp(20 * log(40.0) - lgamma(20) + 19 * log(x) - 40 * x), accuracy: 1e-9 * max(1, density))
        }
        for scale in [1.0, 2.0] {
            let chart = try XCTUnwrap(try ChartPack.render(results, scale: scale).first { $0.fileName == "calibration.png" }).chart
            let d = try DecodedChart(chart)
            XCTAssertEqual(chart.panels.count, 7, "4 panels for x1, 3 for x2")
            let image = Rect(x: 0, y: 0, w: chart.canvas.width, h: chart.canvas.height)
            for t in chart.texts { XCTAssertTrue(image.contains(t.rect), "'\(t.text)' leaves the image @\(scale)x") }
            // Long panel titles ("x2 · λ (saturation) · prior from config") are fitted, not run into the next.
            for (i, a) in chart.texts.enumerated() {
                for b in chart.texts[(i + 1)...] {
                    XCTAssertFalse(Rect(x: a.rect.x + 1, y: a.rect.y + 1, w: a.rect.w - 2, h: a.rect.h - 2).intersects(b.rect),
                                   "'\(a.text)' overlaps '\(b.text)' @\(scale)x")
                }
            }
            XCTAssertTrue(DecodedChart.close(d.colour(panel: 3, x: r.priorMean, y: 0.3), priorColor), "r prior mean @\(scale)x")
            for line in ["not used:", "set through r (lift_roi_prior)"] {
                let note = try XCTUnwrap(chart.texts.first { $0.text == line }, "β's note @\(scale)x")
                XCTAssertTrue(chart.panels[2].frame.contains(note.rect), "β's note inside its panel @\(scale)x")
            }
            XCTAssertEqual(chart.texts.filter { $0.text.hasPrefix("interval ") }.count, 6, "a narrowing note on every panel but β's @\(scale)x")
            XCTAssertTrue(DecodedChart.close(d.colour(panel: 3, x: r.posteriorMean, y: 1.3), Palette.channel(0)), "r posterior mean @\(scale)x")
        }
    }

    /// The grid covers both intervals, the densities are finite and non-negative, and the prior's
    /// is its formula at the grid points.
    func testPanelDensities() throws {
        let rows = ChartPack.calibrationRows(Self.results, points: 401)
        for p in rows.flatMap({ $0 }) {
            XCTAssertTrue(p.priorDensity.allSatisfy { $0.isFinite && $0 >= 0 })
            XCTAssertTrue(p.posteriorDensity.allSatisfy { $0.isFinite && $0 >= 0 })
            XCTAssertGreaterThan(p.posteriorDensity.max()!, 0)
            XCTAssertLessThanOrEqual(p.grid.first!, min(p.priorLower, p.posteriorLower))
            XCTAssertGreaterThanOrEqual(p.grid.last!, max(p.priorUpper, p.posteriorUpper))
        }
    }
}
