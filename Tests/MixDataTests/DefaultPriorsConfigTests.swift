import Foundation
import MixData
import XCTest

/// `model.default_priors` (issue 20): spend-aware ROAS priors by default, PyMC-Marketing's on
/// request, and models saved before the key existed keep the defaults they were fitted with.
final class DefaultPriorsConfigTests: XCTestCase {
    private func parse(_ yaml: String) throws -> MixPlanConfig {
        try ConfigLoader.parse(yaml: yaml, path: "/plans/mixplan.yaml")
    }

    func testDefaultIsROASAndPresetIsRead() throws {
        XCTAssertEqual(try parse("").model.priorDefaults, .roas)
        XCTAssertEqual(try parse("model:\n  trend: true\n").model.priorDefaults, .roas)
        XCTAssertEqual(try parse("model:\n  default_priors: pymc-marketing\n").model.priorDefaults, .pymcMarketing)
        XCTAssertEqual(try parse("model:\n  default_priors: roas\n").model.priorDefaults, .roas)
    }

    func testUnknownPresetNamesKeyAndChoices() {
        let error = TestSupport.inputError { _ = try parse("model:\n  default_priors: pymc\n") }
        XCTAssertEqual(error?.location.key, "model.default_priors")
        XCTAssertTrue(error?.description.contains("roas, pymc-marketing") ?? false, error?.description ?? "no error")
    }

    /// A model.json written before the key existed has no `defaultPriors`: it was fitted with
    /// PyMC-Marketing's defaults, and reloading it must rebuild that model, not the new default.
    func testSavedModelWithoutTheKeyKeepsPyMCMarketingDefaults() throws {
        var config = try parse("model:\n  trend: true\n")
        let data = try JSONEncoder().encode(config)
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        var model = try XCTUnwrap(object["model"] as? [String: Any])
        XCTAssertEqual(model["defaultPriors"] as? String, "roas")
        model.removeValue(forKey: "defaultPriors")
        object["model"] = model
        let old = try JSONDecoder().decode(MixPlanConfig.self, from: JSONSerialization.data(withJSONObject: object))
        XCTAssertNil(old.model.defaultPriors)
        XCTAssertEqual(old.model.priorDefaults, .pymcMarketing)
        XCTAssertTrue(old.model.trend)
        // And a config saved now round-trips with its preset.
        config.model.defaultPriors = .pymcMarketing
        XCTAssertEqual(try JSONDecoder().decode(MixPlanConfig.self, from: JSONEncoder().encode(config)).model.priorDefaults, .pymcMarketing)
    }
}
