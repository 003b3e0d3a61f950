import MixTestSupport
import Foundation
import XCTest

/// `mixplan check` on a time-varying config counts the GP's parameters beside the static ones.
final class CheckTimeVaryingTests: XCTestCase {
    /// samples/weekly-2ch-tvp: 179 weekly periods, time-varying media with the default basis size,
    /// m = ⌈1.75 · 1.5 · 6⌉ = 16 (the rule of thumb at the default shortest length-scale, a
    /// twelfth of the span), so 2 + 16 = 18 GP parameters; the static model has 1 intercept +
    /// 2 × (1 geometric + 2 logistic) + 2 controls + 2 × 2 Fourier + 1 σ = 14.
    func testCheckCountsTheMultipliersParameters() throws {
        let config = Fixtures.sample("weekly-2ch-tvp").appendingPathComponent("mixplan.yaml").path
        let result = try MixPlanProcess.run(["check", "--config", config, "--strict"])
        XCTAssertEqual(result.status, 0, result.stderr + result.stdout)
        XCTAssertTrue(result.stdout.contains("model: about 14 parameters + 18 time-varying (the media multiplier: a length-scale, an amplitude and 16 basis coefficients, tied together by a Gaussian-process prior)"),
                      result.stdout)
        XCTAssertTrue(result.stdout.contains("; needs ≥ 28 periods, has 179"), result.stdout)
    }

    /// A static config prints no time-varying part.
    func testStaticConfigHasNoTimeVaryingCount() throws {
        let config = Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path
        let result = try MixPlanProcess.run(["check", "--config", config])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("model: about 14 parameters; needs"), result.stdout)
    }
}
