import MixTestSupport
import Foundation
import MixCharts
import XCTest

/// The chart pack rendered from a real fitted model: file names, PNG sizes, text inside the
/// image, non-blank panels and byte-for-byte determinism.
final class ChartPackTests: XCTestCase {
    /// The fixture's pack in `ChartKind` order (no calibration, no media multiplier).
    let allNames = ["allocation.png", "frontier.png", "contributions.png", "waterfall.png", "roas.png", "response-curves.png",
                    "response-overlay.png", "spend-effect-share.png", "roas-prior-posterior.png", "actual-vs-fitted.png",
                    "residuals.png", "adstock.png", "saturation.png", "diagnostics.png"]

    func tempDir(_ name: String) -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("mixcharts-pack-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: url)
        return url
    }

    /// Width and height from the PNG signature + IHDR chunk (bytes 16–23, big-endian).
    func pngSize(_ data: Data) -> (Int, Int)? {
        let b = [UInt8](data.prefix(24))
        guard b.count == 24, b[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], b[12..<16] == [0x49, 0x48, 0x44, 0x52] else { return nil }
        func be(_ i: Int) -> Int { b[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }

    func testWriteProducesEveryChartAsAPNGOfTheRequestedSize() throws {
        for scale in [1.0, 2.0] {
            let dir = tempDir("size\(Int(scale))")
            defer { try? FileManager.default.removeItem(at: dir) }
            let urls = try ChartPack.write(PackFixture.results, to: dir, scale: scale)
            XCTAssertEqual(urls.map(\.lastPathComponent), allNames)
            XCTAssertEqual(ChartKind.allCases.filter { !$0.isGeo }.map(\.fileName).filter { $0 != "calibration.png" && $0 != "media-multiplier.png" }, allNames,
                           "calibration.png only for calibrated models, media-multiplier.png only for time-varying ones, geo-*.png only for geo panels")
            let charts = scale == 1 ? PackFixture.pack1x : PackFixture.pack2x
            for (url, named) in zip(urls, charts) {
                let data = try Data(contentsOf: url)
                let dims = try XCTUnwrap(pngSize(data), url.lastPathComponent)
                XCTAssertEqual(dims.0, Int((named.chart.canvas.width * scale).rounded()), named.fileName)
                XCTAssertEqual(dims.1, Int((named.chart.canvas.height * scale).rounded()), named.fileName)
                XCTAssertEqual(named.chart.canvas.width, 960, named.fileName)
                XCTAssertFalse(named.title.isEmpty)
                // The written file is exactly the rendered chart's encoding.
                XCTAssertEqual(data, try named.chart.pngData(), named.fileName)
            }
        }
    }

    func testTextStaysInsideTheImageAndPanelsAreNotBlank() throws {
        for scale in [1.0, 2.0] {
            for named in scale == 1 ? PackFixture.pack1x : PackFixture.pack2x {
                let chart = named.chart
                let image = Rect(x: 0, y: 0, w: chart.canvas.width, h: chart.canvas.height)
                XCTAssertGreaterThan(chart.texts.count, 5, named.fileName)
                for t in chart.texts {
                    XCTAssertTrue(image.contains(t.rect), "\(named.fileName) @\(scale)x: '\(t.text)' at \(t.rect) leaves the image")
                }
                let decoded = try DecodedChart(chart)
                XCTAssertFalse(chart.panels.isEmpty, named.fileName)
                for (k, ax) in chart.panels.enumerated() {
                    XCTAssertTrue(inkedPixels(decoded.surface, ax.frame, scale: scale) > 20, "\(named.fileName) panel \(k) is blank @\(scale)x")
                }
            }
        }
    }

    /// Pixels (on a 3-pixel lattice inside the frame) darker than near-white.
    func inkedPixels(_ s: CairoSurface, _ f: Rect, scale: Double) -> Int {
        var inked = 0
        for j in stride(from: Int((f.y + 3) * scale), to: Int((f.maxY - 3) * scale), by: 3) {
            for i in stride(from: Int((f.x + 3) * scale), to: Int((f.maxX - 3) * scale), by: 3) {
                let p = s.pixel(x: i, y: j)
                if p.r + p.g + p.b < 2.85 { inked += 1 }
            }
        }
        return inked
    }

    func testTitlesLegendsAndTickLabelsDoNotOverlap() {
        for named in PackFixture.pack1x {
            let boxes = named.chart.texts
            for i in boxes.indices {
                for j in boxes.indices where j > i {
                    let a = boxes[i].rect, b = boxes[j].rect
                    let shrunk = Rect(x: a.x + 1, y: a.y + 1, w: a.w - 2, h: a.h - 2)
                    XCTAssertFalse(shrunk.intersects(b), "\(named.fileName): '\(boxes[i].text)' overlaps '\(boxes[j].text)'")
                }
            }
        }
    }

    func testSameResultsGiveSameBytesWhateverTheThreadCount() throws {
        let a = try ChartPack.render(PackFixture.results, scale: 1, threads: 1).map { try $0.chart.pngData() }
        let b = try PackFixture.pack1x.map { try $0.chart.pngData() }
        XCTAssertEqual(a.count, b.count)
        for (k, (x, y)) in zip(a, b).enumerated() { XCTAssertEqual(x, y, "\(allNames[k]) is not deterministic") }
        // A changed input changes the bytes (so the comparison can fail).
        var changed = PackFixture.results
        changed.curves[0].mean = changed.curves[0].mean.map { $0 * 0.8 }
        let curves = try XCTUnwrap(allNames.firstIndex(of: "response-curves.png"))
        XCTAssertNotEqual(try ChartPack.render(changed)[curves].chart.pngData(), b[curves])
    }

    func testChartsNeedingAPlanOrFrontierAreLeftOutWithoutThem() throws {
        let names = try ChartPack.render(PackFixture.modelOnly).map(\.fileName)
        XCTAssertEqual(names, allNames.filter { $0 != "allocation.png" && $0 != "frontier.png" })
        // Without a plan, no "Optimal" marker or legend entry appears on the response curves.
        let curves = try XCTUnwrap(try ChartPack.render(PackFixture.modelOnly).first { $0.kind == .responseCurves }).chart
        XCTAssertFalse(curves.texts.contains { $0.text.hasPrefix("Optimal") })
        XCTAssertTrue(curves.texts.contains { $0.text == "Current" })
    }

    func testDiagnosticsTitlesCarryEachParametersRhat() {
        let model = PackFixture.results.model
        let titles = PackFixture.chart("diagnostics.png").texts.map(\.text).filter { $0.contains("R̂ = ") }
        let traced = ChartPack.traces(PackFixture.results)
        XCTAssertEqual(titles.count, traced.count)
        // Intercept, each channel's β and σ are always traced.
        XCTAssertTrue(traced.map(\.parameter).contains("intercept"))
        XCTAssertTrue(traced.map(\.parameter).contains("sigma"))
        for name in model.dataset.channelNames { XCTAssertTrue(traced.map(\.parameter).contains("\(name).saturation_beta"), name) }
        for t in traced {
            let p = model.parameterNames.firstIndex(of: t.parameter)!
            let rhat = model.sampler.parameters[p].rhat
            XCTAssertTrue(titles.contains { $0.hasPrefix("\(t.parameter) — R̂ = \(String(format: "%.3f", rhat))") }, t.parameter)
            // The traces are the model's own chains.
            XCTAssertEqual(t.draws, model.chains(ofParameter: p))
        }
        // The fixture fit is short, so its worst R-hat exceeds 1.01: that parameter is traced too, flagged.
        let worst = model.sampler.parameters.max { $0.rhat < $1.rhat }!
        XCTAssertGreaterThan(worst.rhat, 1.01)
        XCTAssertTrue(titles.contains { $0.hasPrefix("\(worst.name) — R̂") && $0.hasSuffix("⚠") }, worst.name)
    }
}

/// Layout rules found broken before: axes that run past their last tick, and stacks that let
/// a negative component eat into the layers above it.
final class ChartLayoutTests: XCTestCase {
    func testEveryLinearAxisStartsAndEndsOnALabelledTick() {
        for named in PackFixture.pack1x + PackFixture.pack2x {
            for (k, ax) in named.chart.panels.enumerated() {
                for (spec, ticks, domain, axis) in [(ax.y, ax.yTickValues, ax.yDomain, "y"), (ax.x, ax.xTickValues, ax.xDomain, "x")] {
                    // Categorical axes run from −0.5 to n − 0.5 and time axes label months: only linear axes are checked.
                    guard case .linear = spec.kind else { continue }
                    XCTAssertGreaterThanOrEqual(ticks.count, 2, "\(named.fileName) panel \(k) \(axis)")
                    guard ticks.count >= 2 else { continue }
                    // Tick values are k·step products; the range ends are the same products, so 1e-9 of the span is rounding only.
                    let tol = 1e-9 * (domain.1 - domain.0)
                    XCTAssertEqual(ticks.first!, domain.0, accuracy: tol, "\(named.fileName) panel \(k) \(axis) starts before its first tick")
                    XCTAssertEqual(ticks.last!, domain.1, accuracy: tol, "\(named.fileName) panel \(k) \(axis) runs past its last tick")
                }
            }
        }
    }

    func testCurrentAndOptimalLabelsNeverOverlapEvenAtTheAxisCorner() throws {
        // A channel with no current spend and a tiny optimum (seen on daily-8ch's TV): both
        // markers sit in the bottom-left corner, where each label's first choice is taken.
        var panels = ChartFixtures.responsePanels()
        panels[0].currentSpend = 0
        panels[0].optimalSpend = panels[0].spendGrid[1] / 2
        for scale in [1.0, 2.0] {
            let chart = try responseCurvesChart(panels, size: ChartSize(width: 960, height: 680, scale: scale))
            let current = try XCTUnwrap(chart.texts.first { $0.text == "Current" }).rect
            let optimal = try XCTUnwrap(chart.texts.first { $0.text == "Optimal" }).rect
            XCTAssertFalse(current.intersects(optimal), "\(current) overlaps \(optimal)")
            XCTAssertTrue(chart.panels[0].frame.contains(current) && chart.panels[0].frame.contains(optimal))
        }
    }

    func testSignSeparatedStacking() {
        // Row 0: all positive. Row 1: the middle layer is negative and must go below zero,
        // leaving the third layer directly on top of the first.
        let edges = Axes.stackEdges([[2, 2], [1, -3], [4, 4]])
        XCTAssertEqual(edges[0].positive.lower, [0, 0]); XCTAssertEqual(edges[0].positive.upper, [2, 2])
        XCTAssertEqual(edges[1].positive.lower, [2, 2]); XCTAssertEqual(edges[1].positive.upper, [3, 2])
        XCTAssertEqual(edges[1].negative.lower, [0, -3]); XCTAssertEqual(edges[1].negative.upper, [0, 0])
        XCTAssertEqual(edges[2].positive.lower, [3, 2]); XCTAssertEqual(edges[2].positive.upper, [7, 6])
        // Net = top of the positive stack + bottom of the negative stack.
        XCTAssertEqual(zip(edges[2].positive.upper, edges[1].negative.lower).map { $0 + $1 }, [7, 3])
    }
}
