import XCTest
import MixModel

final class SimulatorTests: XCTestCase {
    func testSameSeedGivesIdenticalBytesAndDifferentSeedDiffers() {
        for preset in SimulationPreset.all {
            let a = Simulator(preset: preset, seed: 7).run()
            let b = Simulator(preset: preset, seed: 7).run()
            XCTAssertEqual(a.dataCSV, b.dataCSV, preset.name)
            XCTAssertEqual(a.truthJSON, b.truthJSON, preset.name)
            XCTAssertEqual(a.configYAML, b.configYAML, preset.name)
            XCTAssertNotEqual(a.dataCSV, Simulator(preset: preset, seed: 8).run().dataCSV, preset.name)
        }
    }

    /// The committed samples are exactly what `mixplan simulate --seed 1` writes today.
    func testCommittedSamplesAreReproducible() throws {
        for preset in SimulationPreset.all {
            let out = Simulator(preset: preset, seed: 1).run()
            let dir = Fixtures.sample(preset.name)
            XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("data.csv"), encoding: .utf8), out.dataCSV, preset.name)
            XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("truth.json"), encoding: .utf8), out.truthJSON, preset.name)
            XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("mixplan.yaml"), encoding: .utf8), out.configYAML, preset.name)
        }
    }

    /// Re-derives each channel's true contribution from the written CSV and the parameters in
    /// truth.json alone (scaled parameters × target_max), independently of the simulator's path
    /// through "raw" units. Agreement to 1e-9 relative: both sides sum the same ~10³ terms of
    /// O(1) values in a different order of operations, so only rounding (≈1e-13) separates them.
    func testTrueContributionsRecomputeFromDataAndParameters() throws {
        for preset in SimulationPreset.all {
            let out = Simulator(preset: preset, seed: 1).run()
            let truth = try JSONDecoder().decode(SimulationTruth.self, from: Data(out.truthJSON.utf8))
            let lines = out.dataCSV.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            let header = lines[0]
            let rows = lines.dropFirst()
            let adstock = try XCTUnwrap(AdstockKind(rawValue: truth.adstock))
            let saturation = try XCTUnwrap(SaturationKind(rawValue: truth.saturation))
            var shareSum = 0.0
            let targetIndex = try XCTUnwrap(header.firstIndex(of: "sales"))
            XCTAssertEqual(rows.map { Double($0[targetIndex])! }.max(), truth.targetMax)
            for ch in preset.channels {
                let col = try XCTUnwrap(header.firstIndex(of: ch.name))
                let x = rows.map { Double($0[col])! }
                XCTAssertEqual(x.max(), truth.spendMax[ch.name])
                let scaled = x.map { $0 / truth.spendMax[ch.name]! }
                let transform = Adstock(kind: adstock, maxLag: truth.adstockMaxLag)
                let sat = Saturation(kind: saturation)
                let ap = transform.parameterNames.map { truth.parameters["\(ch.name).adstock_\($0)"]! }
                let sp = sat.parameterNames.map { truth.parameters["\(ch.name).saturation_\($0)"]! }
                let a = Adstock.apply(weights: transform.weights(ap), to: scaled)
                // A drifting preset's effect is m[t]·sat(a[t]) with the truth's multiplier.
                let m = truth.mediaMultiplier ?? [Double](repeating: 1, count: a.count)
                let total = zip(a, m).reduce(0) { $0 + $1.1 * sat.value($1.0, parameters: sp) } * truth.targetMax
                let expected = try XCTUnwrap(truth.contributions[ch.name])
                XCTAssertEqual(total, expected, accuracy: 1e-9 * expected, "\(preset.name) \(ch.name)")
                shareSum += truth.contributionShare[ch.name]!
            }
            // Realistic truths: media matters but does not dominate.
            XCTAssertGreaterThan(shareSum, 0.1, preset.name)
            XCTAssertLessThan(shareSum, 0.6, preset.name)
        }
    }

    func testLargePresetHasLargeUnits() throws {
        let truth = try JSONDecoder().decode(SimulationTruth.self,
            from: Data(Simulator(preset: .weekly3chLarge, seed: 1).run().truthJSON.utf8))
        XCTAssertGreaterThan(truth.targetMax, 1e7)
        XCTAssertGreaterThan(truth.spendMax.values.min()!, 1e5)
    }

    /// The model, evaluated at the true parameters on each committed sample, reproduces the
    /// simulator's contributions: the simulator and the model agree on DESIGN.md §2, and every
    /// true parameter name in truth.json is a model parameter.
    func testModelAtTrueParametersReproducesTruth() throws {
        for preset in SimulationPreset.all {
            let dir = Fixtures.sample(preset.name)
            var config = try ConfigLoader.load(path: dir.appendingPathComponent("mixplan.yaml").path)
            let data = try DatasetLoader().load(config).dataset
            // A drifting preset's multiplier is a known series, not GP parameters: the static
            // model's contributions times the truth's m[t] must reproduce it.
            XCTAssertEqual(config.model.timeVarying?.media ?? false, try loadTruth(dir).mediaMultiplier != nil, preset.name)
            config.model.timeVarying = nil
            let structure = try ModelStructure(dataset: data, model: config.model)
            let truth = try loadTruth(dir)
            XCTAssertEqual(Set(truth.parameters.keys), Set(structure.parameterNames), preset.name)
            let x = structure.parameterNames.map { truth.parameters[$0]! }
            let parts = ModelEvaluator(structure: structure, dataset: data).decompose(x)
            let m = truth.mediaMultiplier ?? [Double](repeating: 1, count: data.periodCount)
            for (c, name) in data.channelNames.enumerated() {
                let expected = truth.contributions[name]!
                let total = zip(parts.channels[c], m).reduce(0) { $0 + $1.0 * $1.1 }
                XCTAssertEqual(total, expected, accuracy: 1e-9 * expected, "\(preset.name) \(name)")
            }
        }
    }

    private func loadTruth(_ dir: URL) throws -> SimulationTruth {
        try JSONDecoder().decode(SimulationTruth.self, from: Data(contentsOf: dir.appendingPathComponent("truth.json")))
    }
}
