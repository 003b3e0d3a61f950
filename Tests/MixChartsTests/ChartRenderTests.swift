import MixTestSupport
import Foundation
import MixCharts
import XCTest

/// Renders every chart and checks the acceptance points of issue 6 on the written PNGs.
final class ChartRenderTests: XCTestCase {
    /// Where charts are written (set MIXCHARTS_OUT to keep them for viewing).
    static let outDir: String = {
        let d = ProcessInfo.processInfo.environment["MIXCHARTS_OUT"]
            ?? NSTemporaryDirectory() + "mixcharts-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    /// Width and height from the PNG signature + IHDR chunk (bytes 16–23, big-endian).
    func pngSize(_ data: Data) -> (Int, Int)? {
        let b = [UInt8](data.prefix(24))
        guard b.count == 24, b[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], b[12..<16] == [0x49, 0x48, 0x44, 0x52] else { return nil }
        func be(_ i: Int) -> Int { b[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }

    func testEveryChartIsAPNGOfTheRequestedSizeWithTextInside() throws {
        for scale in [1.0, 2.0] {
            let size = ChartSize(width: 960, height: 600, scale: scale)
            for (name, chart) in try ChartFixtures.allCharts(size: size) {
                let path = "\(Self.outDir)/\(name)@\(Int(scale))x.png"
                try chart.write(to: path)
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                let dims = try XCTUnwrap(pngSize(data), name)
                XCTAssertEqual(dims.0, Int(chart.canvas.width * scale), name)
                XCTAssertEqual(dims.1, Int(chart.canvas.height * scale), name)
                let image = Rect(x: 0, y: 0, w: chart.canvas.width, h: chart.canvas.height)
                XCTAssertGreaterThan(chart.texts.count, 5, name)
                for t in chart.texts { XCTAssertTrue(image.contains(t.rect), "\(name): text '\(t.text)' at \(t.rect) leaves the image") }
                // Plot areas are not blank: some pixel differs from white in every panel.
                let decoded = try CairoSurface(pngPath: path)
                for (k, ax) in chart.panels.enumerated() {
                    XCTAssertTrue(panelHasInk(decoded, ax, scale: scale), "\(name) panel \(k) is blank")
                }
            }
        }
    }

    func panelHasInk(_ s: CairoSurface, _ ax: Axes, scale: Double) -> Bool {
        let f = ax.frame
        var inked = 0
        for j in stride(from: Int((f.y + 3) * scale), to: Int((f.maxY - 3) * scale), by: 3) {
            for i in stride(from: Int((f.x + 3) * scale), to: Int((f.maxX - 3) * scale), by: 3) {
                let p = s.pixel(x: i, y: j)
                if p.r + p.g + p.b < 2.85 { inked += 1 }
            }
        }
        return inked > 20
    }

    /// Text that fits keeps its size; wider text is set smaller down to the minimum, then cut
    /// with "…"; the result always measures within the width.
    func testFittingShrinksThenCuts() throws {
        let canvas = try Canvas(width: 300, height: 100)
        let short = canvas.fitting("tv", width: 100, size: 12, minimumSize: 8, bold: true)
        XCTAssertEqual(short.text, "tv"); XCTAssertEqual(short.size, 12)
        let medium = "search · λ (saturation)"
        let full = canvas.measure(medium, size: 12, bold: true).width
        let shrunk = canvas.fitting(medium, width: 0.8 * full, size: 12, minimumSize: 8, bold: true)
        XCTAssertEqual(shrunk.text, medium)
        XCTAssertEqual(shrunk.size, 9.6, accuracy: 1e-9)
        XCTAssertLessThanOrEqual(canvas.measure(shrunk.text, size: shrunk.size, bold: true).width, 0.8 * full + 1e-9)
        let cut = canvas.fitting(medium, width: 0.4 * full, size: 12, minimumSize: 8, bold: true)
        XCTAssertEqual(cut.size, 8)
        XCTAssertTrue(cut.text.hasSuffix("…") && medium.hasPrefix(String(cut.text.dropLast())), cut.text)
        XCTAssertLessThanOrEqual(canvas.measure(cut.text, size: 8, bold: true).width, 0.4 * full)
        XCTAssertGreaterThan(canvas.measure(String(medium.prefix(cut.text.count)) + "…", size: 8, bold: true).width, 0.4 * full,
                             "cut no more than needed")
    }

    func testTickLabelsAndLegendDoNotOverlap() throws {
        for (name, chart) in try ChartFixtures.allCharts(size: ChartSize(width: 720, height: 480, scale: 1)) {
            // Text boxes drawn by the layout (ticks, titles, legend) must not overlap each other.
            let boxes = chart.texts
            for i in boxes.indices {
                for j in boxes.indices where j > i {
                    let a = boxes[i].rect, b = boxes[j].rect
                    let shrunk = Rect(x: a.x + 1, y: a.y + 1, w: a.w - 2, h: a.h - 2)
                    XCTAssertFalse(shrunk.intersects(b), "\(name): '\(boxes[i].text)' overlaps '\(boxes[j].text)'")
                }
            }
        }
    }
}
