import MixTestSupport
import Foundation
import XCTest
import MixPlanningTestSupport
import MixCharts
import MixData
import MixModel

/// The geo charts: the ROAS heat map writes each cell's mean and interval inside the cell, marks
/// dark cells, colours against break-even; the geo pack draws every chart in ChartKind order.
final class GeoChartsTests: XCTestCase {
    /// One 8-bit colour step: what a pixel read back from Cairo can differ from the colour set.
    static let colourStep = 1.0 / 255 + 1e-9

    func cell(_ m: Double, _ lo: Double, _ hi: Double) -> GeoROASCell { GeoROASCell(mean: m, lower: lo, upper: hi) }

    func testHeatMapWritesEveryCellsIntervalAndMarksDarkCells() throws {
        let chart = try geoROASHeatMap(geos: ["north", "south", "east"], channels: ["tv", "search"],
                                       cells: [[cell(0.5, 0.3, 0.8), nil], [cell(3, 2.1, 4.4), cell(1.2, 0.9, 1.6)], [cell(1, 0.7, 1.4), cell(2, 1.5, 2.6)]],
                                       national: [cell(1.4, 1.1, 1.8), cell(1.6, 1.3, 2.0)])
        let texts = chart.texts.map(\.text)
        for expected in ["0.50", "[0.30, 0.80]", "3.00", "[2.10, 4.40]", "[1.50, 2.60]", "National", "1.40", "north", "search", "no spend"] {
            XCTAssertTrue(texts.contains(expected), "\(expected) missing from \(texts)")
        }
        XCTAssertEqual(texts.filter { $0 == "no spend" }.count, 1)
        let canvas = Rect(x: 0, y: 0, w: chart.canvas.width, h: chart.canvas.height)
        for t in chart.texts { XCTAssertTrue(canvas.contains(t.rect), "\(t.text) is clipped") }
        // The dark cell is filled grey; a cell below break-even is orange, one above is blue.
        func fill(of label: String) -> RGBA {
            let box = chart.texts.first { $0.text == label }!.rect
            return chart.canvas.surface.pixel(x: Int(box.x - 6), y: Int(box.y + box.h / 2))
        }
        let grey = fill(of: "no spend")
        XCTAssertEqual(grey.r, geoInactiveColor.r, accuracy: Self.colourStep)
        XCTAssertEqual(grey.b, geoInactiveColor.b, accuracy: Self.colourStep)
        let low = fill(of: "[0.30, 0.80]"), high = fill(of: "[2.10, 4.40]")
        XCTAssertGreaterThan(low.r, low.b, "ROAS 0.5 reads as a loss (orange)")
        XCTAssertGreaterThan(high.b, high.r, "ROAS 3 reads as a gain (blue)")
        // Equal ratios from break-even are equally strong: 1/2 and 2 get the same tint depth. Each
        // end colour has one zero channel (orange: blue, blue: red), which over white shows the
        // tint's alpha exactly, so the two must agree to rounding.
        let half = geoROASColor(0.5, span: 4), double = geoROASColor(2, span: 4)
        XCTAssertEqual(1 - half.b, 1 - double.r, accuracy: 1e-12)
        XCTAssertLessThan(1 - geoROASColor(1, span: 4).r, 1 - half.b, "break-even is the palest")
        XCTAssertThrowsError(try geoROASHeatMap(geos: ["a"], channels: ["tv"], cells: [], national: [cell(1, 1, 1)]))
    }

    func testGeoPackDrawsEveryChartInKindOrder() throws {
        let sim = GeoTestFit.simulation, folder = GeoTestFit.folder
        let charts = try GeoChartPack.render(folder)
        XCTAssertEqual(charts.map(\.kind), [.actualVsFitted, .roas, .spendEffectShare, .geoROAS, .geoFit, .geoResponseCurves]
            .sorted { ChartKind.allCases.firstIndex(of: $0)! < ChartKind.allCases.firstIndex(of: $1)! })
        for c in charts {
            XCTAssertEqual(c.chart.canvas.width, 960)
            let canvas = Rect(x: 0, y: 0, w: c.chart.canvas.width, h: c.chart.canvas.height)
            for t in c.chart.texts { XCTAssertTrue(canvas.contains(t.rect), "\(c.fileName): \(t.text) is clipped") }
        }
        // Small multiples: one panel per geo (all four geos fit in the six shown), largest first.
        let fit = charts.first { $0.kind == .geoFit }!
        XCTAssertEqual(fit.chart.panels.count, 4)
        let largest = GeoChartPack.largestGeos(sim.panel, count: 6)
        let totals = sim.panel.geos.map { $0.target.reduce(0, +) }
        XCTAssertEqual(largest.map { totals[$0] }, totals.sorted(by: >))
    }
}
