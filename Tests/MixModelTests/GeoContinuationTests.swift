import Foundation
import MixInference
import MixModel
import XCTest

/// `GeoContrastDensity.continueChains`: a geo run, in the model's coordinates, continued in the
/// sampler's (contrasts, and the β shift under the PyMC-Marketing preset) and mapped back.
final class GeoContinuationTests: XCTestCase {
    /// The first draws are kept as they were; every continued draw, mapped back to the model's
    /// coordinates, has the model's log density the sampler recorded for it (so the draws were
    /// mapped back to the points actually sampled).
    func testContinuedGeoRunKeepsItsDrawsAndMapsTheNewOnesBack() throws {
        let panel = GeoModelTests.panel(geos: 4)
        for priors in [MixPlanConfig.PriorDefaults.roas, .pymcMarketing] {
            let s = try GeoStructure(panel: panel, model: GeoModelTests.model(priors: priors))
            var settings = SamplerSettings(chains: 2, warmup: 150, draws: 40, seed: 9)
            settings.maxThreads = 2
            let run = try GeoContrastDensity.sample(s, settings: settings)
            let joined = try GeoContrastDensity.continueChains(s, run: run, draws: 30)
            XCTAssertEqual(joined.draws, 70)
            XCTAssertEqual(joined.parameterNames, s.parameterNames)
            let model = GeoDensity(structure: s)
            let n = s.dimension
            for c in 0..<2 {
                for d in 0..<40 { XCTAssertEqual(joined.value(chain: c, draw: d, parameter: 0), run.value(chain: c, draw: d, parameter: 0)) }
                for d in 40..<70 {
                    let u = Array(joined.values[((c * 70 + d) * n)..<((c * 70 + d + 1) * n)])
                    let lp = FiniteDifference.value(of: model, at: u)
                    XCTAssertEqual(lp, joined.stats[c * 70 + d].logDensity, accuracy: 1e-8 * abs(lp), "\(priors) chain \(c) draw \(d)")
                }
            }
        }
    }
}
