import Foundation
import MixInference
import XCTest

/// `continueChains`: each chain runs on from its last draw with the step size and metric it
/// adapted, no warm-up, and `appending` joins the new draws to the run chain by chain.
final class ContinuationTests: XCTestCase {
    func testContinuedRunKeepsTheFirstDrawsAndRunsOnWithTheAdaptedStepAndMetric() throws {
        let density = ScaledNormal(scales: [1, 4, 0.5])
        var settings = SamplerSettings(chains: 3, warmup: 300, draws: 200, seed: 11)
        settings.maxThreads = 2
        let run = try sample(density, settings: settings)
        let more = try continueChains(density, of: run, draws: 150)
        XCTAssertEqual(more.draws, 150)
        XCTAssertEqual(more.warmup, run.warmup)
        for c in 0..<3 {
            XCTAssertTrue(more.stats[(c * 150)..<((c + 1) * 150)].allSatisfy { $0.stepSize == run.warmup[c].stepSize },
                          "chain \(c) keeps its adapted step size")
        }
        XCTAssertEqual(more.settings?.warmup, 0)
        let joined = run.appending(more)
        XCTAssertEqual(joined.draws, 350)
        XCTAssertEqual(joined.settings?.draws, 350)
        XCTAssertEqual(joined.settings?.warmup, 300)
        XCTAssertEqual(joined.totalLeapfrogSteps, run.totalLeapfrogSteps + more.totalLeapfrogSteps)
        XCTAssertEqual(joined.gradientEvaluations, run.gradientEvaluations + more.gradientEvaluations)
        for c in 0..<3 {
            for d in 0..<200 { XCTAssertEqual(joined.value(chain: c, draw: d, parameter: 1), run.value(chain: c, draw: d, parameter: 1)) }
            for d in 0..<150 { XCTAssertEqual(joined.value(chain: c, draw: 200 + d, parameter: 1), more.value(chain: c, draw: d, parameter: 1)) }
            XCTAssertEqual(joined.stats[c * 350 + 200], more.stats[c * 150])
        }
        // Reproducible, and on random streams of its own (not a replay of the first run's).
        let again = try continueChains(density, of: run, draws: 150)
        XCTAssertEqual(again.values, more.values)
        let fresh = try sample(density, settings: SamplerSettings(chains: 3, warmup: 0, draws: 150, seed: 11))
        XCTAssertNotEqual(fresh.stats.map(\.treeDepth), more.stats.map(\.treeDepth))
    }

    /// The continued draws alone are draws from the target: a Gaussian with scales 1–20 after a
    /// short warm-up, continued for 40,000 draws per chain, has its exact means (within 4 MCSE)
    /// and sds (within 4 MCSE of the sd).
    func testContinuedDrawsHaveExactMoments() throws {
        let scales = [1.0, 3, 20]
        let density = ScaledNormal(scales: scales)
        let run = try sample(density, settings: SamplerSettings(chains: 4, warmup: 1000, draws: 200, seed: 5))
        let more = try continueChains(density, of: run, draws: 40_000)
        for p in 0..<scales.count {
            let row = Moments(name: "x\(p)", chains: more.chainsOf(parameter: p))
            XCTAssertLessThanOrEqual(abs(row.mean), 4 * row.mcseMean, "x\(p) mean \(row.mean)")
            XCTAssertLessThanOrEqual(abs(row.sd - scales[p]), 4 * row.mcseSD, "x\(p) sd \(row.sd) vs \(scales[p])")
        }
        XCTAssertEqual(more.divergences, 0)
    }

    func testARunWithoutSettingsOrOfAnotherDimensionIsRefused() throws {
        let density = ScaledNormal(scales: [1, 2])
        let run = try sample(density, settings: SamplerSettings(chains: 2, warmup: 50, draws: 20, seed: 1))
        let bare = SamplingResult(parameterNames: run.parameterNames, chains: 2, draws: 20, dimension: 2, values: run.values,
                                  stats: run.stats, warmup: run.warmup, totalLeapfrogSteps: 0, gradientEvaluations: 0, seconds: 0)
        XCTAssertThrowsError(try continueChains(density, of: bare, draws: 10)) { error in
            XCTAssertTrue("\(error)".contains("without its settings"), "\(error)")
        }
        XCTAssertThrowsError(try continueChains(ScaledNormal(scales: [1, 2, 3]), of: run, draws: 10)) { error in
            XCTAssertTrue("\(error)".contains("dimension"), "\(error)")
        }
        XCTAssertThrowsError(try continueChains(density, of: run, draws: 10, positions: [[0, 0]])) { error in
            XCTAssertTrue("\(error)".contains("one position"), "\(error)")
        }
        // Given positions replace the run's last draws as the starts.
        let given = try continueChains(density, of: run, draws: 5, positions: [[0.5, 1], [0.5, 1]])
        let fromRun = try continueChains(density, of: run, draws: 5)
        XCTAssertNotEqual(given.values, fromRun.values)
    }
}
