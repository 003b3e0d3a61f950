import MixTestSupport
import Foundation
import MixModel
import XCTest

/// `mixplan simulate --preset geo-…`: seeded, the panel features the recovery benchmark relies
/// on, files that load back through the panel loader, and a truth consistent with itself.
final class GeoSimulatorTests: XCTestCase {
    func testSeededAndVaried() {
        let preset = GeoSimulationPreset.named("geo-4x104")!
        let a = GeoSimulation(preset: preset, seed: 3), b = GeoSimulation(preset: preset, seed: 3), c = GeoSimulation(preset: preset, seed: 4)
        XCTAssertEqual(a.dataCSV, b.dataCSV)
        XCTAssertEqual(a.truthJSON, b.truthJSON)
        XCTAssertNotEqual(a.dataCSV, c.dataCSV)
    }

    func testPanelHasTheFeaturesPoolingIsTestedOn() {
        for seed in UInt64(1)...5 {
            let sim = GeoSimulation(preset: GeoSimulationPreset.named("geo-8x156")!, seed: seed)
            let p = sim.panel, T = p.periodCount
            let pop = p.population!
            XCTAssertGreaterThan(pop.max()! / pop.min()!, 5, "seed \(seed): geo sizes should differ a lot")
            // Channel 2 (late start): dark for the first third in every geo, then spending.
            for d in p.geos {
                XCTAssertTrue(d.spend[2][..<(T / 3)].allSatisfy { $0 == 0 })
                XCTAssertTrue(d.spend[2][(T / 3)...].contains { $0 > 0 })
                // Channel 1 (flighted): some dark weeks and some live ones.
                XCTAssertTrue(d.spend[1].contains(0) && d.spend[1].contains { $0 > 0 })
            }
            // Channel 3 (geo-restricted): dark in some geos, live in others.
            let dark = p.inactiveCells.filter { $0.channel == 3 }.count
            XCTAssertTrue(dark > 0 && dark < p.geoCount, "seed \(seed): \(dark) of \(p.geoCount) geos dark")
            // Truth: a ROAS for exactly the live cells; national ROAS is their spend-weighted mean.
            for (c, channel) in sim.truth.channels.enumerated() {
                let cells = sim.truth.cells.filter { $0.channel == channel.name }
                XCTAssertEqual(cells.filter { $0.roas != nil }.count, p.geoCount - p.inactiveCells.filter { $0.channel == c }.count)
                let ratio = cells.reduce(0) { $0 + $1.contribution } / cells.reduce(0) { $0 + $1.spend }
                XCTAssertEqual(channel.nationalROAS, ratio, accuracy: 1e-12 * ratio)
            }
        }
    }

    func testFilesLoadBackThroughThePanelLoader() throws {
        let sim = GeoSimulation(preset: GeoSimulationPreset.named("geo-4x104")!, seed: 2)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("geo-sim-\(UUID().uuidString)")
        try sim.write(to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try ConfigLoader.load(path: folder.appendingPathComponent("mixplan.yaml").path)
        let panel = try DatasetLoader().loadPanel(config)
        XCTAssertEqual(panel.geoNames, sim.panel.geoNames)
        XCTAssertEqual(panel.population, sim.panel.population)
        // Values are written with 2 decimals, and the simulator rounds them to 2 decimals first.
        for g in 0..<panel.geoCount {
            for (a, b) in zip(panel.geos[g].target, sim.panel.geos[g].target) { XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, b)) }
            for c in 0..<panel.channelNames.count {
                for (a, b) in zip(panel.geos[g].spend[c], sim.panel.geos[g].spend[c]) { XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, b)) }
            }
        }
        _ = try GeoStructure(panel: panel, model: config.model, configPath: config.path)
    }
}

/// The bundled `samples/geo-4x104` is the simulator's seed 1, byte for byte (so it cannot drift).
final class GeoSampleTests: XCTestCase {
    func testBundledSampleIsSeedOne() throws {
        let dir = Fixtures.sample("geo-4x104")
        let sim = GeoSimulation(preset: GeoSimulationPreset.named("geo-4x104")!, seed: 1)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("data.csv"), encoding: .utf8), sim.dataCSV)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("truth.json"), encoding: .utf8), sim.truthJSON)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("mixplan.yaml"), encoding: .utf8), sim.configYAML)
    }
}
