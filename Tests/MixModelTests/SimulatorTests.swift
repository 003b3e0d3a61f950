import MixTestSupport
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
            // Realistic truths: media matters but does not dominate — except in the calibration
            // preset, whose cut channel's truth (β = 2.75, λ = 2.5 on the model's scale, issue 9)
            // makes it about half of sales by itself.
            XCTAssertGreaterThan(shareSum, 0.1, preset.name)
            XCTAssertLessThan(shareSum, preset.name == "lift-cut-2ch" ? 0.7 : 0.6, preset.name)
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

/// The calibration preset: its truths hold on the model's scale and its lift test re-derives from
/// the written files.
final class SpendCutSimulationTests: XCTestCase {
    /// β = 2.75 is asked for on the model's scale; the only gap is the rounding of the target to
    /// cents, which moves max y (≈ 2·10⁵) by ≤ 0.005, a relative 2.5·10⁻⁸.
    func testCutChannelTruthHoldsOnTheModelScale() throws {
        let truth = try JSONDecoder().decode(SimulationTruth.self,
            from: Data(Simulator(preset: .liftCut2ch, seed: 1).run().truthJSON.utf8))
        XCTAssertEqual(truth.parameters["social.saturation_beta"]!, 2.75, accuracy: 2.75 * 1e-7)
        XCTAssertEqual(truth.parameters["social.saturation_lambda"], 2.5)
        XCTAssertEqual(truth.saturation, "michaelis_menten")
    }

    /// Recomputes the lift test from data.csv (the untouched market's spend; the twin spent a tenth
    /// of it in the window, up to cent rounding) and the model-scale truth: f(s) = target_max ·
    /// β·a/(λ + a), a = s / spend_max. The cent rounding moves each cut spend by ≤ 0.005 of ~10³,
    /// so x, Δx and Δy agree to 10⁻⁴ relative; σ follows the two-market formula with the markets'
    /// own noise (0.01 of the raw σ = 0.045, so σ_model · 0.01/0.045); the measured Δy lies within
    /// 4 σ of the true one (a single normal draw).
    func testLiftTestRecomputesFromTheFiles() throws {
        let out = Simulator(preset: .liftCut2ch, seed: 1).run()
        let truth = try JSONDecoder().decode(SimulationTruth.self, from: Data(out.truthJSON.utf8))
        let test = try XCTUnwrap(truth.liftTests?.first)
        XCTAssertEqual(truth.liftTests?.count, 1)
        let lines = out.dataCSV.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let col = try XCTUnwrap(lines[0].firstIndex(of: "social"))
        let dates = lines.dropFirst().map { $0[0] }
        let first = try XCTUnwrap(dates.firstIndex(of: test.start.description))
        let last = try XCTUnwrap(dates.firstIndex(of: test.end.description))
        XCTAssertEqual(last - first + 1, 10)
        let uncut = lines.dropFirst().map { Double($0[col])! }[first...last]
        let xmax = truth.spendMax["social"]!
        let beta = truth.parameters["social.saturation_beta"]!, lambda = truth.parameters["social.saturation_lambda"]!
        func f(_ s: Double) -> Double { truth.targetMax * beta * (s / xmax) / (lambda + s / xmax) }
        let cut = uncut.map { $0 * 0.1 }
        let x = uncut.reduce(0, +) / 10
        XCTAssertEqual(test.x, x, accuracy: 1e-9 * x)
        XCTAssertEqual(test.deltaX, -0.9 * x, accuracy: 1e-4 * x)
        let dy = zip(cut, uncut).reduce(0) { $0 + f($1.0) - f($1.1) } / 10
        XCTAssertEqual(test.trueDeltaY, dy, accuracy: 1e-4 * abs(dy))
        let sigmaModel = truth.parameters["sigma"]!
        XCTAssertEqual(test.sigma, 2.0.squareRoot() * sigmaModel * (0.01 / 0.045) * truth.targetMax / 10.0.squareRoot(),
                       accuracy: 1e-9 * test.sigma)
        XCTAssertLessThan(abs(test.deltaY - test.trueDeltaY), 4 * test.sigma)
        // The lift test as the loader reads it has no problem (Δy has Δx's sign).
        XCTAssertNil(test.liftTest.problem)
    }

    /// The written lift-test CSV loads through the config that references it, and the second
    /// config has no calibration.
    func testWrittenFilesLoadAsAConfigWithLiftTests() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spendcut-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = Simulator(preset: .liftCut2ch, seed: 1).run()
        try out.write(to: dir)
        let config = try ConfigLoader.load(path: dir.appendingPathComponent("mixplan.yaml").path)
        let tests = try LiftTestLoader.load(config: config)
        XCTAssertEqual(tests.map(\.channel), ["social"])
        let truth = try JSONDecoder().decode(SimulationTruth.self, from: Data(out.truthJSON.utf8))
        // The CSV keeps cents: 0.005 absolute.
        XCTAssertEqual(tests[0].targetChange, truth.liftTests![0].deltaY, accuracy: 0.005)
        let plain = try ConfigLoader.load(path: dir.appendingPathComponent("mixplan-uncalibrated.yaml").path)
        XCTAssertTrue(try LiftTestLoader.load(config: plain).isEmpty)
    }
}

/// The recovery benchmark's families (issue 20): the model at the true parameters reproduces
/// each family's data — contributions exactly, and the target up to noise of the true σ — so
/// the truth (standardised controls included) is stated in the model's own terms.
final class RecoveryPresetTests: XCTestCase {
    func testModelAtTrueParametersReproducesEachFamily() throws {
        for preset in SimulationPreset.recovery {
            let out = Simulator(preset: preset, seed: 4).run()
            let truth = try JSONDecoder().decode(SimulationTruth.self, from: Data(out.truthJSON.utf8))
            let structure = try ModelStructure(dataset: out.dataset, model: out.model)
            XCTAssertEqual(Set(truth.parameters.keys), Set(structure.parameterNames), preset.name)
            let x = structure.parameterNames.map { truth.parameters[$0]! }
            let parts = ModelEvaluator(structure: structure, dataset: out.dataset).decompose(x)
            for (c, name) in out.dataset.channelNames.enumerated() {
                let expected = truth.contributions[name]!
                XCTAssertEqual(parts.channels[c].reduce(0, +), expected, accuracy: 1e-9 * expected, "\(preset.name) \(name)")
            }
            // Residuals y − μ are the simulated noise: mean ≈ 0 and sd ≈ σ. With T = 156 the
            // sample mean's sd is σ/√156 ≈ 0.08σ (bar: 0.4σ) and the sample sd is within ±25 %
            // of σ far beyond 4 of its standard errors (≈ 6 %); a wrong intercept or control
            // scaling shifts or inflates them by far more.
            let sigma = truth.parameters["sigma"]! * truth.targetMax
            let residuals = zip(out.dataset.target, parts.total).map { $0 - $1 }
            let mean = residuals.reduce(0, +) / Double(residuals.count)
            let sd = (residuals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(residuals.count)).squareRoot()
            XCTAssertLessThan(abs(mean), 0.4 * sigma, preset.name)
            XCTAssertEqual(sd, sigma, accuracy: 0.25 * sigma, preset.name)
            // True ROAS in the range the default prior expects (realistic, not tuned to it).
            for (c, name) in out.dataset.channelNames.enumerated() {
                let roas = truth.contributions[name]! / out.dataset.spend[c].reduce(0, +)
                XCTAssertTrue((0.2...5).contains(roas), "\(preset.name) \(name): ROAS \(roas)")
            }
        }
    }

    /// Two channels of `recovery-correlated` have spend correlated at about 0.8.
    func testCorrelatedFamilyHasCorrelatedSpend() {
        for seed in [1, 2, 3] as [UInt64] {
            let spend = Simulator(preset: .recoveryCorrelated, seed: seed).run().dataset.spend
            let n = Double(spend[0].count)
            let m0 = spend[0].reduce(0, +) / n, m1 = spend[1].reduce(0, +) / n
            var sxy = 0.0, sxx = 0.0, syy = 0.0
            for t in spend[0].indices {
                sxy += (spend[0][t] - m0) * (spend[1][t] - m1); sxx += (spend[0][t] - m0) * (spend[0][t] - m0); syy += (spend[1][t] - m1) * (spend[1][t] - m1)
            }
            XCTAssertEqual(sxy / (sxx * syy).squareRoot(), 0.8, accuracy: 0.08, "seed \(seed)")
        }
    }
}
