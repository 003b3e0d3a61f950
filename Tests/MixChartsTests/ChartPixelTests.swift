import MixTestSupport
import Foundation
import MixCharts
import XCTest

/// Reads rendered charts back and checks that data land where the plot transform says, in the
/// colour the chart promises.
final class ChartPixelTests: XCTestCase {
    /// Colour distance tolerance per component: anti-aliased edges and the 8-bit PNG round trip
    /// move an interior fill by at most 1/255; 0.03 leaves room for that and nothing else.
    let tol = 0.03

    func close(_ a: RGBA, _ b: RGBA) -> Bool { abs(a.r - b.r) < tol && abs(a.g - b.g) < tol && abs(a.b - b.b) < tol }

    /// The last chart decoded (held strongly, so its identity cannot be reused by a new chart),
    /// so several probes of one chart encode and decode it once.
    var decoded: (RenderedChart, CairoSurface)?

    /// The colour at a data point, read back from the chart's PNG written to disk and decoded.
    func colour(_ chart: RenderedChart, panel: Int, x: Double, y: Double) throws -> RGBA {
        if decoded?.0 !== chart {
            let path = NSTemporaryDirectory() + "mixcharts-pixel-\(getpid()).png"
            try chart.write(to: path)
            defer { try? FileManager.default.removeItem(atPath: path) }
            decoded = (chart, try CairoSurface(pngPath: path))
        }
        let (i, j) = chart.panels[panel].devicePixel(x: x, y: y)
        return decoded!.1.pixel(x: i, y: j)
    }

    func testResponseBandsHaveTheirColoursInsideTheIntervals() throws {
        for scale in [1.0, 2.0] {
            let panels = ChartFixtures.responsePanels()
            let chart = try responseCurvesChart(panels, size: ChartSize(width: 960, height: 600, scale: scale))
            for (k, p) in panels.enumerated() {
                let i = 45 // a grid point away from the current/optimal marker lines
                let (b94, b50) = bandColors(channelIndex: p.channelIndex)
                let in94 = (p.upper50[i] + p.upper94[i]) / 2, in50 = (p.mean[i] + p.upper50[i]) / 2 + (p.upper50[i] - p.mean[i]) * 0.2
                XCTAssertTrue(close(try colour(chart, panel: k, x: p.spendGrid[i], y: in94), b94), "\(p.channel) 94% band @\(scale)x")
                XCTAssertTrue(close(try colour(chart, panel: k, x: p.spendGrid[i], y: in50), b50), "\(p.channel) 50% band @\(scale)x")
                // Well above the 94 % band the panel is background.
                let above = p.upper94[i] + (chart.panels[k].yDomain.1 - p.upper94[i]) * 0.5
                let bg = try colour(chart, panel: k, x: p.spendGrid[i] - (p.spendGrid[1] - p.spendGrid[0]) * 0.4, y: above)
                XCTAssertFalse(close(bg, b94), "\(p.channel) band leaks above the interval")
            }
        }
    }

    func testAllocationBarsAreChannelColouredAtTheirHeight() throws {
        let bars = ChartFixtures.allocation()
        let chart = try allocationChart(bars)
        for (g, b) in bars.enumerated() {
            let optimal = try colour(chart, panel: 0, x: Double(g) + 0.19, y: b.optimal * 0.5)
            XCTAssertTrue(close(optimal, Palette.channel(b.channelIndex)), b.channel)
            let current = try colour(chart, panel: 0, x: Double(g) - 0.19, y: b.current * 0.5)
            XCTAssertTrue(close(current, currentBarColor(channelIndex: b.channelIndex)), b.channel)
            // Just above the taller bar there is no bar colour.
            let above = try colour(chart, panel: 0, x: Double(g) + 0.19, y: b.optimal * 1.02)
            XCTAssertFalse(close(above, Palette.channel(b.channelIndex)), b.channel)
        }
    }

    func testActualVsFittedBandAndHoldoutShading() throws {
        let fit = ChartFixtures.fit()
        let chart = try actualVsFittedChart(fit)
        // Inside the band between the fitted line and the upper bound, in the fitted period.
        let i = 40
        let x = Double(fit.dates[i].dayNumber)
        XCTAssertTrue(close(try colour(chart, panel: 0, x: x, y: fit.upper94[i] - 2_500), fitBandColor))
        // Above the band inside the holdout the shading shows.
        let h = fit.dates.count - 5
        let top = chart.panels[0].yDomain.1
        let yAbove = (fit.upper94[h] + top) / 2 + 4_000
        XCTAssertTrue(close(try colour(chart, panel: 0, x: Double(fit.dates[h].dayNumber) + 2, y: yAbove), holdoutColor))
    }

    func testStackedContributionsShowEachLayerBetweenItsPartialSums() throws {
        let s = ChartFixtures.contributions()
        let chart = try contributionsChart(s)
        let i = 60
        var base = s.baseline[i] + s.controls[i] + s.seasonality[i]
        for ch in s.channels where ch.values[i] > 6_000 {
            let mid = base + ch.values[i] / 2
            XCTAssertTrue(close(try colour(chart, panel: 0, x: Double(s.dates[i].dayNumber), y: mid), Palette.channel(ch.channelIndex)), ch.channel)
            base += ch.values[i]
        }
        XCTAssertTrue(close(try colour(chart, panel: 0, x: Double(s.dates[i].dayNumber), y: s.baseline[i] / 2), Palette.baseline))
    }

    func testFrontierBandAndWaterfallBars() throws {
        let pts = ChartFixtures.frontier()
        let chart = try frontierChart(pts, currentBudget: ChartFixtures.currentBudget, currentResponse: ChartFixtures.currentResponse)
        let p = pts[8]
        XCTAssertTrue(close(try colour(chart, panel: 0, x: p.budget, y: (p.mean + p.upper94) / 2), frontierBandColor))

        let steps = ChartFixtures.waterfall()
        let w = try waterfallChart(steps)
        var cum = 0.0
        for (k, s) in steps.enumerated() {
            if let c = s.channelIndex {
                XCTAssertTrue(close(try colour(w, panel: 0, x: Double(k), y: cum + s.value / 2), Palette.channel(c)), s.label)
            }
            cum += s.value
        }
        XCTAssertTrue(close(try colour(w, panel: 0, x: Double(steps.count), y: cum / 2), Palette.ink), "total bar")
    }

    func testSameInputGivesSamePNGBytes() throws {
        let size = ChartSize(width: 800, height: 500, scale: 2)
        let a = try ChartFixtures.allCharts(size: size).map { ($0.0, try $0.1.pngData()) }
        let b = try ChartFixtures.allCharts(size: size).map { ($0.0, try $0.1.pngData()) }
        for (x, y) in zip(a, b) { XCTAssertEqual(x.1, y.1, "\(x.0) is not deterministic") }
        // And a changed input changes the bytes (the comparison can fail).
        var panels = ChartFixtures.responsePanels()
        panels[0].currentSpend *= 1.3
        XCTAssertNotEqual(try responseCurvesChart(panels, size: size).pngData(), a[0].1)
    }

    func testMismatchedInputsAreRejectedWithTheirNames() {
        var p = ChartFixtures.responsePanels()
        p[1].upper94.removeLast()
        XCTAssertThrowsError(try responseCurvesChart(p)) { e in
            XCTAssertTrue("\(e)".contains("upper94 has 60 values but spendGrid has 61"), "\(e)")
        }
    }
}
