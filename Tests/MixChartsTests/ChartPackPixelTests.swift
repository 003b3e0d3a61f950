import Foundation
import MixCharts
import XCTest

/// Reads the pack's PNGs back and checks that the results' numbers land where the chart's
/// data→pixel transform says, in the colour the chart promises, at 1× and 2×. Probe points are
/// chosen a few pixels away from any edge so anti-aliasing cannot decide the outcome.
final class ChartPackPixelTests: XCTestCase {
    let results = PackFixture.results
    func close(_ a: RGBA, _ b: RGBA, tol: Double = 0.03) -> Bool { DecodedChart.close(a, b, tol: tol) }

    /// Pixel distance between two data y values on a panel.
    func pixels(_ chart: RenderedChart, panel: Int = 0, _ a: Double, _ b: Double) -> Double {
        abs(chart.panels[panel].py(a) - chart.panels[panel].py(b)) * chart.canvas.scale
    }

    func testResponseCurvesShowBandsAndMarkCurrentAndOptimalSpend() throws {
        for scale in [1.0, 2.0] {
            let chart = PackFixture.chart("response-curves.png", scale: scale), d = try DecodedChart(chart)
            let plan = try XCTUnwrap(results.optimization).plan
            for (c, curve) in results.curves.enumerated() {
                let (b94, b50) = bandColors(channelIndex: c)
                var probed = 0
                // Grid points in the right half, away from the marker lines.
                for i in stride(from: curve.spend.count / 2, to: curve.spend.count - 2, by: 5) {
                    let y94 = (curve.upper50[i] + curve.upper94[i]) / 2, y50 = curve.upper50[i] - (curve.upper50[i] - curve.mean[i]) / 3
                    guard pixels(chart, panel: c, curve.upper50[i], curve.upper94[i]) > 8,
                          pixels(chart, panel: c, curve.mean[i], curve.upper50[i]) > 8 else { continue }
                    XCTAssertTrue(close(d.colour(panel: c, x: curve.spend[i], y: y94), b94), "\(curve.channel) 94 % band @\(scale)x")
                    XCTAssertTrue(close(d.colour(panel: c, x: curve.spend[i], y: y50), b50), "\(curve.channel) 50 % band @\(scale)x")
                    probed += 1
                }
                XCTAssertGreaterThan(probed, 0, "\(curve.channel): no grid point with bands wide enough to probe")
                // Optimal spend: a filled dot in the channel colour on the mean curve.
                let ch = plan.channels[c]
                let optimalY = interpolateCurve(curve.spend, curve.mean, ch.spendPerPeriod)
                XCTAssertTrue(close(d.colour(panel: c, x: ch.spendPerPeriod, y: optimalY), Palette.channel(c)), "\(curve.channel) optimal marker")
                // Current spend: a hollow ring, white at its centre, ink on the ring.
                let currentY = interpolateCurve(curve.spend, curve.mean, ch.currentSpendPerPeriod)
                let ax = chart.panels[c]
                let centre = d.colour(panel: c, x: ch.currentSpendPerPeriod, y: currentY)
                if abs(ax.px(ch.currentSpendPerPeriod) - ax.px(ch.spendPerPeriod)) > 12 {
                    XCTAssertTrue(close(centre, RGBA(1, 1, 1)), "\(curve.channel) current marker centre")
                    let ring = d.surface.pixel(x: Int(((ax.px(ch.currentSpendPerPeriod) + 3.5) * scale).rounded(.down)),
                                               y: Int((ax.py(currentY) * scale).rounded(.down)))
                    XCTAssertLessThan(ring.r + ring.g + ring.b, 1.2, "\(curve.channel) current marker ring")
                }
            }
        }
    }

    /// Linear interpolation on the curve's grid, written independently of the chart kit's.
    func interpolateCurve(_ xs: [Double], _ ys: [Double], _ x: Double) -> Double {
        for i in 1..<xs.count where xs[i] >= x {
            return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1])
        }
        return ys.last!
    }

    func testActualVsFittedShowsThePredictiveBandAndShadesTheHoldout() throws {
        for scale in [1.0, 2.0] {
            let chart = PackFixture.chart("actual-vs-fitted.png", scale: scale), d = try DecodedChart(chart)
            let q = results.quantities, dates = results.model.dataset.dates, actual = results.model.dataset.target
            let trainT = dates.count - results.model.holdout
            var probed = 0
            for t in 1..<(trainT - 1) {
                // Between the fitted line and the upper bound, away from the line and the observed dot.
                // Lines and band edges of the neighbouring segments must stay clear of the probe too.
                let y = q.fitted[t] + (q.predictive[t].upper - q.fitted[t]) * 0.7
                let near = (t - 1)...(t + 1)
                guard near.allSatisfy({ q.fitted[$0] < y && pixels(chart, q.fitted[$0], y) > 5 * scale }),
                      near.allSatisfy({ q.predictive[$0].upper > y && pixels(chart, q.predictive[$0].upper, y) > 3 * scale }),
                      pixels(chart, actual[t], y) > 6 * scale else { continue }
                let seen = d.colour(x: Double(dates[t].dayNumber), y: y)
                XCTAssertTrue(close(seen, fitBandColor), "band at row \(t) @\(scale)x: \(seen)")
                probed += 1
            }
            XCTAssertGreaterThan(probed, 10)
            // In the holdout, below the band (and away from the label at the top) the shading shows.
            let ax = chart.panels[0]
            for t in trainT..<dates.count {
                let low = min(q.predictive[t].lower, actual[t])
                let y = (low + ax.yDomain.0) / 2
                guard pixels(chart, low, y) > 4 * scale, pixels(chart, ax.yDomain.0, y) > 4 * scale else { continue }
                XCTAssertTrue(close(d.colour(x: Double(dates[t].dayNumber), y: y), holdoutColor), "holdout row \(t) @\(scale)x")
            }
            // Before the holdout the same height is background.
            let y0 = (min(q.predictive[5].lower, actual[5]) + ax.yDomain.0) / 2
            if pixels(chart, min(q.predictive[5].lower, actual[5]), y0) > 4 * scale {
                XCTAssertFalse(close(d.colour(x: Double(dates[5].dayNumber), y: y0), holdoutColor))
            }
            // The first and last observations lie inside the plot, whole (not on the frame edge).
            XCTAssertGreaterThan(ax.px(Double(dates.first!.dayNumber)) - ax.frame.x, 2)
            XCTAssertGreaterThan(ax.frame.maxX - ax.px(Double(dates.last!.dayNumber)), 2)
        }
    }

    func testContributionsStackPositivesUpAndNegativesDownInTheirColours() throws {
        let chart = PackFixture.chart("contributions.png"), d = try DecodedChart(chart)
        let dec = results.quantities.meanDecomposition, dates = results.model.dataset.dates
        var negativeProbes = 0, channelProbes = 0
        let trainT = dates.count - results.model.holdout
        for t in stride(from: 3, to: trainT - 1, by: 4) {
            let x = Double(dates[t].dayNumber)
            // Layers in stacking order (no trend in this model): baseline, controls, seasonality, channels.
            let layers: [([Double], RGBA)] = [(dec.baseline, Palette.baseline), (dec.controls, Palette.controls), (dec.seasonality, Palette.seasonality)]
                + dec.channels.enumerated().map { ($0.element, Palette.channel($0.offset)) }
            var up = 0.0, down = 0.0
            for (values, colour) in layers {
                let v = values[t]
                let (from, to) = v >= 0 ? (up, up + v) : (down, down + v)
                if v >= 0 { up += v } else { down += v }
                // Skip slabs too thin to probe, and probes the net line (over neighbouring rows) could cover.
                let mid = (from + to) / 2
                let net = ((t - 1)...(t + 1)).map { i in layers.reduce(0) { $0 + $1.0[i] } }
                guard pixels(chart, from, to) > 6, net.allSatisfy({ pixels(chart, $0, mid) > 4 }),
                      !(net.min()! < mid && mid < net.max()!) else { continue }
                let seen = d.colour(x: x, y: mid)
                XCTAssertTrue(close(seen, colour), "row \(t), layer value \(v): \(seen), expected \(colour)")
                if v < 0 { negativeProbes += 1 }
                if colour != Palette.baseline && colour != Palette.controls && colour != Palette.seasonality { channelProbes += 1 }
            }
            // No layer is drawn below the negative stack.
            let below = (down + chart.panels[0].yDomain.0) / 2
            if pixels(chart, down, below) > 4 {
                let seen = d.colour(x: x, y: below)
                XCTAssertFalse(layers.contains { close(seen, $0.1) }, "row \(t) below the negative stack")
            }
        }
        XCTAssertGreaterThan(negativeProbes, 0, "the fixture has negative seasonality or controls; none was probed")
        XCTAssertGreaterThan(channelProbes, 0)
    }

    func testRoasAllocationFrontierWaterfallAndAdstockAreInTheirColours() throws {
        // ROAS: the dot at each channel's mean.
        let roas = try DecodedChart(PackFixture.chart("roas.png"))
        for (c, ch) in results.quantities.channels.enumerated() {
            XCTAssertTrue(close(roas.colour(panel: 0, x: ch.roas.mean, y: Double(c)), Palette.channel(c)), "ROAS \(ch.name)")
            XCTAssertTrue(close(roas.colour(panel: 1, x: ch.marginalRoas.mean, y: Double(c)), Palette.channel(c)), "marginal ROAS \(ch.name)")
        }
        // Allocation: pale current bar and solid optimal bar, at half their height over the horizon.
        let plan = try XCTUnwrap(results.optimization).plan
        let alloc = try DecodedChart(PackFixture.chart("allocation.png"))
        for (c, ch) in plan.channels.enumerated() {
            let current = ch.currentSpendPerPeriod * Double(plan.periods)
            XCTAssertTrue(close(alloc.colour(x: Double(c) - 0.19, y: current / 2), currentBarColor(channelIndex: c)), ch.channel)
            XCTAssertTrue(close(alloc.colour(x: Double(c) + 0.19, y: ch.spendOverHorizon / 2), Palette.channel(c)), ch.channel)
        }
        // Frontier: inside the band above each solved budget's mean.
        let frontier = try XCTUnwrap(results.frontier)
        let fchart = PackFixture.chart("frontier.png"), f = try DecodedChart(fchart)
        var probed = 0
        for p in frontier.points.dropFirst().dropLast() {
            let y = p.response.mean + (p.response.upper - p.response.mean) * 0.6
            guard pixels(fchart, p.response.mean, y) > 8, abs(fchart.panels[0].px(p.budget) - fchart.panels[0].px(frontier.currentBudget)) > 4 else { continue }
            XCTAssertTrue(close(f.colour(x: p.budget, y: y), frontierBandColor), "frontier at \(p.budget)")
            probed += 1
        }
        XCTAssertGreaterThan(probed, 0)
        // Waterfall: each step's bar spans its running total, in its component's or channel's colour.
        let steps = ChartPack.waterfallSteps(results)
        let wchart = PackFixture.chart("waterfall.png"), w = try DecodedChart(wchart)
        var cum = 0.0
        for (k, s) in steps.enumerated() {
            if pixels(wchart, cum, cum + s.value) > 6 {
                let expected = s.channelIndex.map(Palette.channel) ?? s.color!
                XCTAssertTrue(close(w.colour(x: Double(k), y: cum + s.value / 2), expected), s.label)
            }
            cum += s.value
        }
        XCTAssertTrue(close(w.colour(x: Double(steps.count), y: cum / 2), Palette.ink), "total bar")
        // Adstock: the lag-0 bar in the channel colour.
        let adstock = try DecodedChart(PackFixture.chart("adstock.png"))
        for (c, a) in ChartPack.adstockWeights(results).enumerated() {
            XCTAssertTrue(close(adstock.colour(panel: c, x: 0, y: a.weights[0] / 2), Palette.channel(c)), a.channel)
        }
    }

    func testSaturationCurvesPassThroughTheirPoints() throws {
        for scale in [1.0, 2.0] {
            let chart = PackFixture.chart("saturation.png", scale: scale), d = try DecodedChart(chart)
            for (c, curve) in ChartPack.saturationCurves(results).enumerated() {
                // Where the curve is flattest (its end), a 2.4-unit line covers the pixel holding the point.
                let k = curve.x.count - 4
                XCTAssertTrue(close(d.colour(x: curve.x[k], y: curve.y[k]), Palette.channel(c), tol: 0.08), "\(curve.channel) @\(scale)x")
            }
        }
    }
}
