import XCTest
import MixOptimize
import MixPlanningTestSupport

/// The cells' response curves a geo fit saves for planning reproduce the geo posterior: summed
/// over the training periods at each period's adstocked spend, a cell's curve gives exactly the
/// contribution R·S that `GeoPosterior` computes from the model's own formula, in every draw and
/// for every saturation family.
final class GeoResponseDrawsTests: XCTestCase {
    /// Two computations of the same sum in a different order: 1e-10 relative is far above their
    /// rounding and far below any error in a scale or a parameter.
    static let tolerance = 1e-10

    /// Two geos (sizes 1 : 8) × 20 weeks × 2 channels; channel 1 never spends in geo 0.
    func panel() -> GeoPanel {
        var rng = TestRandom(state: 3)
        let start = CalendarDate(year: 2024, month: 1, day: 7)!
        let dates = (0..<20).map { start.adding(days: 7 * $0) }
        let sets = [1.0, 8.0].enumerated().map { g, size -> Dataset in
            let spend = (0..<2).map { c in (0..<20).map { t -> Double in c == 1 && g == 0 ? 0 : ((t + c) % 3 == 0 ? 0 : size * (20 + 80 * rng.uniform())) } }
            return Dataset(dates: dates, frequency: .weekly, channelNames: ["tv", "search"], spend: spend, controlNames: [], controls: [],
                           targetName: "sales", target: (0..<20).map { _ in size * (900 + 200 * rng.uniform()) }, source: "panel.csv")
        }
        return GeoPanel(geoNames: ["small", "large"], geos: sets, population: nil)
    }

    func testCellCurvesReproduceTheGeoPosteriorsContributions() throws {
        let panel = panel()
        for saturation in Saturation.Kind.allCases {
            var config = MixPlanConfig()
            config.model.saturation = saturation
            config.model.adstockMaxLag = 4
            config.model.yearlySeasonality = 1
            let structure = try GeoStructure(panel: panel, model: config.model)
            var rng = TestRandom(state: 8)
            let natural = (0..<6).map { _ in structure.constrain((0..<structure.dimension).map { _ in 2 * rng.uniform() - 1 }) }
            let posterior = GeoPosterior(structure: structure, naturalDraws: natural)
            let saved = GeoResponseDraws(posterior: posterior, panel: panel, config: config, converged: true)
            // The inactive cell (small/search) is left out.
            XCTAssertEqual(saved.cellIDs.map(\.name), ["small/tv", "large/tv", "large/search"])
            let draws = saved.cellDraws()
            for (i, id) in saved.cellIDs.enumerated() {
                let g = panel.geoNames.firstIndex(of: id.geo)!, c = panel.channelNames.firstIndex(of: id.channel)!
                let spend = panel.geos[g].spend[c]
                // Current spend: the mean over the default window (28 days = the last 4 weeks).
                XCTAssertEqual(saved.cells[i].currentSpend, spend.suffix(4).reduce(0, +) / 4, accuracy: 1e-12 * spend.max()!)
                for d in 0..<natural.count {
                    let w = draws.carryoverWeights(channel: i, draw: d)
                    var total = 0.0
                    for t in 0..<spend.count {
                        var level = 0.0
                        for l in 0..<w.count where t - l >= 0 { level += w[l] * spend[t - l] }
                        total += draws.response(channel: i, draw: d, spend: level)
                    }
                    let contribution = posterior.contribution[g * 2 + c][d]
                    XCTAssertEqual(total, contribution, accuracy: Self.tolerance * abs(contribution), "\(saturation) \(id.name) draw \(d)")
                }
            }
            // What fit writes reads back identically.
            let back = try JSONDecoder().decode(GeoResponseDraws.self, from: try saved.json())
            XCTAssertEqual(back.cellDraws().channels.map(\.beta), draws.channels.map(\.beta))
        }
    }
}
