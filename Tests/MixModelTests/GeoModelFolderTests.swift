import MixTestSupport
import Foundation
import MixData
import MixInference
import MixModel
import XCTest

/// A saved geo fit reads back to the same posterior (so `report` on the folder shows what the fit
/// saw), damaged folders are refused naming the file, and the per-geo response curve has the
/// units the model implies.
final class GeoModelFolderTests: XCTestCase {
    func testWrittenFolderReadsBackToTheSamePosteriorAndSummary() throws {
        let sim = GeoSimulation(preset: GeoSimulationPreset.named("geo-4x104")!, seed: 2)
        var config = try ConfigLoader.parse(yaml: sim.configYAML, path: "mixplan.yaml")
        config.sampler.chains = 2
        config.sampler.warmup = 30
        config.sampler.draws = 15
        let fit = try GeoFit.fit(panel: sim.panel, config: config)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("geo-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try GeoModelFolder.write(fit, config: config, into: dir)

        let saved = try GeoModelFolder(dir)
        // Numbers are written as the shortest text that reads back to the same Double: exact.
        XCTAssertEqual(saved.posterior.draws, fit.posterior.draws)
        XCTAssertEqual(saved.panel.geoNames, sim.panel.geoNames)
        XCTAssertEqual(saved.panel.population, sim.panel.population)
        for (a, b) in zip(saved.panel.geos, sim.panel.geos) {
            XCTAssertEqual(a.target, b.target)
            XCTAssertEqual(a.spend, b.spend)
            XCTAssertEqual(a.dates, b.dates)
        }
        XCTAssertEqual(saved.summary, fit.summary)
        XCTAssertEqual(saved.posterior.roas, fit.posterior.roas, "per-draw results rebuilt from the folder alone")
        XCTAssertEqual(saved.manifest.chains * saved.manifest.drawsPerChain, 30)
        // The sampler's statistics per kept draw, as a national folder keeps them: one row per
        // chain and draw in order, with the run's leapfrog steps and divergences.
        let statsText = try String(contentsOf: dir.appendingPathComponent(SampleStats.fileName), encoding: .utf8)
        let statsRows = statsText.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(statsRows.first, SampleStats.columns)
        XCTAssertEqual(statsRows.count - 1, 30)
        XCTAssertEqual(statsRows.dropFirst().map { "\($0[0]),\($0[1])" }, (0..<30).map { "\($0 / 15),\($0 % 15)" })
        XCTAssertEqual(statsRows.dropFirst().map { Int($0[4]) }, fit.result.stats.map(\.leapfrogSteps))
        XCTAssertEqual(statsRows.dropFirst().filter { $0[2] == "1" }.count, fit.result.stats.filter(\.divergent).count)

        // A draws file that does not match the manifest is refused, naming the file.
        let draws = dir.appendingPathComponent("draws.csv")
        let text = try String(contentsOf: draws, encoding: .utf8)
        try Data(text.split(separator: "\n").dropLast(3).joined(separator: "\n").utf8).write(to: draws)
        XCTAssertThrowsError(try GeoModelFolder(dir)) { error in
            XCTAssertTrue("\(error)".contains("draws.csv") && "\(error)".contains("2 × 15"), "\(error)")
        }
        try FileManager.default.removeItem(at: dir.appendingPathComponent(GeoModelFolder.marker))
        XCTAssertThrowsError(try GeoModelFolder(dir)) { error in XCTAssertTrue("\(error)".contains("geo-model.json"), "\(error)") }
        XCTAssertFalse(GeoModelFolder.isGeoModel(dir))
    }

    /// Independent truth for the curve's units: when a cell spent the same amount s in every
    /// period, the model gives it R·s·T over the data, spread as h(a_t)/H. Once the adstock has
    /// filled (t ≥ L − 1) every a_t is the steady state, so H lies between (T − L + 1)·h_ss and
    /// T·h_ss, and the steady-state curve at s, R·s·T·h_ss/H, must lie in [R·s, R·s·T/(T − L + 1)]
    /// — for every draw, geo size and channel scale. A curve off by the spend scale v = n_g·k_c
    /// (or by Σw) would miss this band by far.
    /// `sampler.retry` on a geo fit: geo-4x104 seed 2 at the defaults (4 × 1000 + 1000) fails the
    /// gate on 3 divergent transitions alone at target acceptance 0.8 (found with `mixplan-bench
    /// geo-convergence --retry=false`), so the fit is redone at 0.95 and the record says why; it
    /// survives summary.json. (A change to the sampler or the model may move this seed's first fit
    /// to a pass; then pick another seed from that bench.)
    func testAFitFailingOnlyOnDivergencesIsRefittedAndTheRecordIsSaved() throws {
        let sim = GeoSimulation(preset: GeoSimulationPreset.named("geo-4x104")!, seed: 2)
        // The bench's settings (`GeoRecoveryBench.config`): defaults but seasonality order 1 and ROAS priors.
        var config = MixPlanConfig()
        config.model.yearlySeasonality = 1
        config.model.defaultPriors = .roas
        config.sampler.seed = 2
        XCTAssertTrue(config.sampler.retry)
        let fit = try GeoFit.fit(panel: sim.panel, config: config)
        let record = try XCTUnwrap(fit.retry, "the refit is recorded")
        XCTAssertEqual(record.firstTargetAccept, 0.8)
        XCTAssertEqual(record.targetAccept, 0.95)
        XCTAssertTrue(record.reason.contains("divergent"), record.reason)
        XCTAssertGreaterThan(record.firstGradientEvaluations, 0)
        XCTAssertEqual(fit.result.settings?.targetAcceptance, 0.95, "the kept draws are the refit's")
        let summary = fit.summary
        XCTAssertEqual(summary.retry, record)
        let decoded = try JSONDecoder().decode(GeoSummary.self, from: summary.json())
        XCTAssertEqual(decoded.retry, record)
        // A summary written before the field existed reads back without a record.
        var old = try XCTUnwrap(JSONSerialization.jsonObject(with: summary.json()) as? [String: Any])
        old.removeValue(forKey: "retry")
        XCTAssertNil(try JSONDecoder().decode(GeoSummary.self, from: JSONSerialization.data(withJSONObject: old)).retry)
    }

    func testSteadyCurveAtTheHistoricalConstantSpendReturnsROASTimesSpend() throws {
        let T = 60, start = CalendarDate(year: 2024, month: 1, day: 7)!
        let dates = (0..<T).map { start.adding(days: 7 * $0) }
        let levels: [[Double]] = [[1_000, 250], [40, 9_000], [0, 500]]
        var rng = RandomStream(seed: 11)
        let geos = levels.enumerated().map { g, spend in
            Dataset(dates: dates, frequency: .weekly, channelNames: ["tv", "search"], spend: spend.map { [Double](repeating: $0, count: T) },
                    controlNames: [], controls: [], targetName: "sales",
                    target: (0..<T).map { _ in Double(1_000 * (g + 1)) * (1 + 0.1 * rng.normal()) })
        }
        let panel = GeoPanel(geoNames: ["a", "b", "c"], geos: geos, population: [1, 0.05, 3])
        var model = MixPlanConfig.ModelSection()
        model.yearlySeasonality = 0
        let structure = try GeoStructure(panel: panel, model: model)
        let draws = (0..<25).map { _ in structure.constrain((0..<structure.dimension).map { _ in 0.7 * rng.normal() }) }
        let posterior = GeoPosterior(structure: structure, naturalDraws: draws)
        for g in 0..<3 {
            for c in 0..<2 {
                let s = levels[g][c]
                let curve = posterior.responseCurve(geo: g, channel: c, spend: [0, s])
                guard s > 0 else { XCTAssertTrue(curve.isEmpty, "an inactive cell has no curve"); continue }
                XCTAssertEqual(panel.meanSpend(lastPeriods: 4)[g][c], s, accuracy: 1e-9 * s)
                XCTAssertEqual(posterior.largestSpend(geo: g, channel: c), s, accuracy: 1e-9 * s)
                let L = structure.channels[c].adstock.maxLag
                for (k, x) in draws.enumerated() {
                    let r = exp(structure.logROAS(x, geo: g, channel: c))
                    XCTAssertEqual(curve[k][0], 0, "no spend, no response")
                    // Relative 1e-9: rounding in sums of T terms, far below the band's width (L/T).
                    XCTAssertGreaterThanOrEqual(curve[k][1], r * s * (1 - 1e-9), "geo \(g) channel \(c) draw \(k)")
                    XCTAssertLessThanOrEqual(curve[k][1], r * s * Double(T) / Double(T - L + 1) * (1 + 1e-9), "geo \(g) channel \(c) draw \(k)")
                }
            }
        }
    }
}
