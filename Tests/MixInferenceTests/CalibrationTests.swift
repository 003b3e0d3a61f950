import Foundation
import MixInference
import XCTest

/// Simulation-based calibration (Talts et al. 2018) on the conjugate normal-mean model.
final class CalibrationTests: XCTestCase {
    /// For each of 400 replications: draw μ from the prior, data y₁…₅ | μ, run one short chain, keep
    /// L = 19 draws thinned by 10 and record the rank of the true μ among them (0…19). If the sampler
    /// draws from the exact posterior the ranks are uniform over 20 bins (expected 20 per bin).
    /// Pearson χ² with 19 degrees of freedom; p > 0.001 ⇔ χ² < 43.820 (scipy.stats.chi2.ppf(0.999, 19)).
    func testRankStatisticsAreUniform() throws {
        let replications = 400, kept = 19, thin = 10
        var prior = RandomStream(seed: 2026, stream: 0)
        var counts = [Int](repeating: 0, count: kept + 1)
        for r in 0..<replications {
            let mu = prior.normal()
            let y = (0..<5).map { _ in mu + prior.normal() }
            var settings = SamplerSettings(chains: 1, warmup: 150, draws: kept, seed: UInt64(r + 1))
            settings.thin = thin
            let result = try sample(NormalMean(y: y), settings: settings)
            counts[result.values.filter { $0 < mu }.count] += 1
        }
        let expected = Double(replications) / Double(kept + 1)
        let chiSquare = counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        XCTAssertLessThan(chiSquare, 43.820, "rank counts \(counts)")
    }
}
