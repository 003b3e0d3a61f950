import Foundation
import MixData
import XCTest

/// `model.time_varying_media`, `model.time_varying_intercept` and `model.hsgp`.
final class TimeVaryingConfigTests: XCTestCase {
    private func parse(_ yaml: String) throws -> MixPlanConfig {
        try ConfigLoader.parse(yaml: yaml, path: "/plans/mixplan.yaml")
    }

    private func parseError(_ yaml: String, line: UInt = #line) -> InputError? {
        TestSupport.inputError(line: line) { _ = try parse(yaml) }
    }

    func testEveryKeyIsRead() throws {
        let config = try parse("""
        model:
          time_varying_media: true
          time_varying_intercept: yes
          hsgp:
            basis_functions: 30
            boundary_factor: 2
            kernel: matern52
            lengthscale: LogNormal(mu=3, sigma=0.5)
            media_amplitude: Exponential(lam=2)
            intercept_amplitude: HalfNormal(0.2)
            planning_periods: 8
        """)
        let s = try XCTUnwrap(config.model.timeVarying)
        XCTAssertTrue(s.media)
        XCTAssertTrue(s.intercept)
        XCTAssertEqual(s.basisFunctions, 30)
        XCTAssertEqual(s.boundaryFactor, 2)
        XCTAssertEqual(s.kernel, .matern52)
        XCTAssertEqual(s.lengthScalePrior, PriorSpec(.logNormal, ["mu": 3, "sigma": 0.5]))
        XCTAssertEqual(s.mediaAmplitudePrior, PriorSpec(.exponential, ["lam": 2]))
        XCTAssertEqual(s.interceptAmplitudePrior, PriorSpec(.halfNormal, ["sigma": 0.2]))
        XCTAssertEqual(s.planningPeriods, 8)
    }

    /// Switches off and settings at their defaults are the same config as no keys at all.
    func testDefaultsAreNoTimeVaryingSettings() throws {
        let config = try parse("model:\n  time_varying_media: false\n  time_varying_intercept: false\n  hsgp: {}\n")
        XCTAssertNil(config.model.timeVarying)
        XCTAssertEqual(config.model, MixPlanConfig.ModelSection())
    }

    func testErrorsNameTheKey() {
        let cases: [(String, String, String)] = [
            ("model:\n  hsgp:\n    basis_function: 10\n", "model.hsgp.basis_function", "not a known key"),
            ("model:\n  hsgp:\n    kernel: rbf\n", "model.hsgp.kernel", "expected one of eq, matern52"),
            ("model:\n  hsgp:\n    boundary_factor: 0.8\n", "model.hsgp.boundary_factor", "> 1"),
            ("model:\n  hsgp:\n    basis_functions: 0\n", "model.hsgp.basis_functions", "from 1 to 1000"),
            ("model:\n  time_varying_media: maybe\n", "model.time_varying_media", "true or false"),
            ("model:\n  time_varyng_media: true\n", "model.time_varyng_media", "not a known key"),
        ]
        for (yaml, key, text) in cases {
            let e = parseError(yaml)
            XCTAssertEqual(e?.location.key, key, yaml)
            XCTAssertTrue(e?.message.contains(text) ?? false, "\(e?.message ?? "nil") for \(yaml)")
        }
        XCTAssertTrue(parseError("model:\n  time_varyng_media: true\n")?.hint?.contains("time_varying_media") ?? false)
    }

    /// The settings survive the JSON a saved model keeps its config in.
    func testSettingsRoundTripThroughJSON() throws {
        var config = MixPlanConfig()
        var s = MixPlanConfig.TimeVarying()
        s.media = true
        s.kernel = .matern52
        s.basisFunctions = 12
        config.model.timeVarying = s
        let decoded = try JSONDecoder().decode(MixPlanConfig.self, from: JSONEncoder().encode(config))
        XCTAssertEqual(decoded, config)
    }
}
