import MixTestSupport
import Foundation
import MixCharts
import XCTest

/// The planning results of a real (small) fit: the committed weekly-2ch model (2 chains × 100
/// draws, last 8 weeks held out; see Tests/Fixtures/charts/make-model.sh) with a mean-optimal
/// plan over 12 weeks (each channel within ±30 % of current spend) and a 6-budget frontier.
/// Built once per test process.
enum PackFixture {
    static let results: PlanningResults = {
        do {
            let model = try ModelStore.load(from: Fixtures.url("charts/weekly-2ch-model"))
            let draws = ParametricResponseDraws(model: model)
            let current = model.currentSpend()
            let problem = BudgetProblem(channelNames: draws.channelNames, budget: current.reduce(0, +) * 12,
                                        horizon: HorizonSettings(periods: 12), currentSpend: current,
                                        bounds: Dictionary(uniqueKeysWithValues: draws.channelNames.map { ($0, SpendBound.relative(fraction: 0.3)) }))
            let optimizer = try BudgetOptimizer(draws: draws, problem: problem)
            return PlanningResults(model: model, optimization: try optimizer.optimize(.mean),
                                   frontier: try optimizer.frontier(.mean, from: 0.75, to: 1.25, steps: 6))
        } catch {
            fatalError("the chart test model cannot be loaded: \(error)")
        }
    }()

    /// The same results without plan and frontier.
    static var modelOnly: PlanningResults {
        PlanningResults(model: results.model, quantities: results.quantities, curves: results.curves)
    }

    /// Renders of the full pack at 1× and 2×, each once per test process.
    static let pack1x: [NamedChart] = try! ChartPack.render(results, scale: 1)
    static let pack2x: [NamedChart] = try! ChartPack.render(results, scale: 2)

    static func chart(_ fileName: String, scale: Double = 1) -> RenderedChart {
        (scale == 1 ? pack1x : pack2x).first { $0.fileName == fileName }!.chart
    }
}

/// Reads a rendered chart back through its PNG bytes (encode, write, decode) so checks see
/// exactly what a reader's image viewer sees.
final class DecodedChart {
    let chart: RenderedChart
    let surface: CairoSurface

    init(_ chart: RenderedChart) throws {
        self.chart = chart
        let path = NSTemporaryDirectory() + "mixcharts-decoded-\(getpid())-\(UInt(bitPattern: ObjectIdentifier(chart).hashValue)).png"
        try chart.write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        surface = try CairoSurface(pngPath: path)
    }

    /// Colour at data point (x, y) of panel `panel`.
    func colour(panel: Int = 0, x: Double, y: Double) -> RGBA {
        let (i, j) = chart.panels[panel].devicePixel(x: x, y: y)
        return surface.pixel(x: i, y: j)
    }

    /// Per-component tolerance: interiors of fills are exact up to the 8-bit PNG round trip of
    /// a blended colour (≤ 1/255 per component); 0.03 allows that and nothing else visible.
    static func close(_ a: RGBA, _ b: RGBA, tol: Double = 0.03) -> Bool {
        abs(a.r - b.r) < tol && abs(a.g - b.g) < tol && abs(a.b - b.b) < tol
    }
}
