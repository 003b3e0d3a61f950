import Foundation
import MixCharts
import XCTest

/// The current-vs-recommended-by-geo chart: each geo's bars drawn in its channel's colour up to
/// their own height on the geo's own axis, and only the largest geos when there are too many.
final class GeoAllocationChartTests: XCTestCase {
    /// Colour channels of a decoded pixel within this of the intended colour: antialiasing never
    /// reaches the middle of a bar, so 0.02 (5 of 255 levels) only absorbs PNG rounding.
    let tolerance = 0.02

    /// Four geos of very different size (spend over the horizon, as a 4-week plan of geo-4x104);
    /// display is missing where it never spent.
    static func panels() -> [GeoAllocationPanel] {
        let spend: [(String, [(String, Int, Double, Double)])] = [
            ("geo01", [("tv", 0, 58_621, 41_035), ("search", 1, 135_181, 102_566), ("social", 2, 137_416, 178_640)]),
            ("geo02", [("tv", 0, 12_366, 8_656), ("search", 1, 22_556, 27_841), ("social", 2, 17_497, 22_747), ("display", 3, 11_884, 8_319)]),
            ("geo03", [("tv", 0, 7_564, 5_295), ("search", 1, 18_754, 19_442), ("social", 2, 17_725, 23_042)]),
            ("geo04", [("tv", 0, 5_415, 3_790), ("search", 1, 6_029, 7_838), ("social", 2, 9_475, 12_317), ("display", 3, 3_486, 2_440)]),
        ]
        return spend.map { geo, bars in
            GeoAllocationPanel(geo: geo, bars: bars.map { AllocationBar(channel: $0.0, channelIndex: $0.1, current: $0.2, optimal: $0.3) })
        }
    }

    func pixels(_ chart: RenderedChart) throws -> CairoSurface {
        let path = NSTemporaryDirectory() + "mixcharts-geo-allocation-\(getpid()).png"
        try chart.write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try CairoSurface(pngPath: path)
    }

    func close(_ a: RGBA, _ b: RGBA) -> Bool { abs(a.r - b.r) < tolerance && abs(a.g - b.g) < tolerance && abs(a.b - b.b) < tolerance }

    func testEachGeosBarsAreChannelColouredAtTheirHeightOnItsOwnAxis() throws {
        let panels = Self.panels()
        let chart = try geoAllocationChart(panels, currency: "€")
        let png = try pixels(chart)
        // To look at the chart: MIXPLAN_GEO_CHART_PNG=/tmp/geo.png swift test --filter GeoAllocationChartTests
        if let keep = ProcessInfo.processInfo.environment["MIXPLAN_GEO_CHART_PNG"] { try chart.write(to: keep) }
        XCTAssertEqual(chart.panels.count, 4)
        for (k, panel) in panels.enumerated() {
            // Each geo's axis fits its own tallest bar: the small geo's is not the large one's.
            let tallest = panel.bars.map { max($0.current, $0.optimal) }.max()!
            XCTAssertLessThan(chart.panels[k].yDomain.1, 2 * tallest, panel.geo)
            for (g, b) in panel.bars.enumerated() {
                func colour(_ x: Double, _ y: Double) -> RGBA {
                    let (i, j) = chart.panels[k].devicePixel(x: x, y: y)
                    return png.pixel(x: i, y: j)
                }
                XCTAssertTrue(close(colour(Double(g) + 0.19, b.optimal * 0.5), Palette.channel(b.channelIndex)), "\(panel.geo) \(b.channel)")
                XCTAssertTrue(close(colour(Double(g) - 0.19, b.current * 0.5), currentBarColor(channelIndex: b.channelIndex)), "\(panel.geo) \(b.channel)")
                XCTAssertFalse(close(colour(Double(g) + 0.19, b.optimal * 1.03), Palette.channel(b.channelIndex)), "\(panel.geo) \(b.channel)")
            }
        }
        XCTAssertEqual(panels[0].totalChange, (322_241.0 - 331_218) / 331_218, accuracy: 1e-12)
    }

    func testOnlyTheLargestGeosAreDrawnInTheirGivenOrder() throws {
        let panels = Self.panels()
        let chart = try geoAllocationChart(panels, maxPanels: 2)
        XCTAssertEqual(chart.panels.count, 2)
        // geo01 and geo02 spend most now; they keep their order.
        XCTAssertEqual(chart.panels[0].yDomain.1 > chart.panels[1].yDomain.1, true)
        XCTAssertThrowsError(try geoAllocationChart([]))
    }
}
