import Foundation
import MixData
import XCTest

/// `model.channels.<name>.lift_roi_prior`: reads from YAML, round-trips through a saved model's
/// JSON, and every malformed form is an `InputError` naming the key and what to write.
final class LiftROIPriorConfigTests: XCTestCase {
    private func parse(_ channel: String) throws -> MixPlanConfig {
        try ConfigLoader.parse(yaml: "data:\n  channels: [tv]\nmodel:\n  channels:\n    tv:\n" + channel, path: "/plans/mixplan.yaml")
    }

    func testReadsAndRoundTrips() throws {
        let config = try parse("""
              lift_roi_prior:
                spend: 1200
                spend_change: -1080
                prior: Gamma(mu=0.8, sigma=0.1)

        """)
        let setting = try XCTUnwrap(config.model.channels["tv"]?.liftROIPrior)
        XCTAssertEqual(setting.spend, 1200)
        XCTAssertEqual(setting.spendChange, -1080)
        XCTAssertEqual(setting.spendDuring, 120)
        // Gamma(mu, sigma) is stored as shape μ²/σ² = 64 and rate μ/σ² = 80.
        XCTAssertEqual(setting.prior.family, .gamma)
        XCTAssertEqual(setting.prior["alpha"], 64, accuracy: 1e-9)
        XCTAssertEqual(setting.prior["beta"], 80, accuracy: 1e-9)
        let channel = try XCTUnwrap(config.model.channels["tv"])
        XCTAssertEqual(try JSONDecoder().decode(MixPlanConfig.ChannelSettings.self, from: JSONEncoder().encode(channel)), channel)
        // A saved channel without the key (older model.json) decodes with none.
        XCTAssertNil(try JSONDecoder().decode(MixPlanConfig.ChannelSettings.self, from: Data(#"{"priors": {}}"#.utf8)).liftROIPrior)
    }

    func testErrorsNameTheKeyAndSayWhatToWrite() {
        let cases: [(String, String, String)] = [
            ("      lift_roi_prior: LogNormal(0, 1)\n", "model.channels.tv.lift_roi_prior", "roi_prior"),
            ("      lift_roi_prior:\n        spend: 100\n        prior: Gamma(2, 1)\n", "model.channels.tv.lift_roi_prior", "missing spend_change"),
            ("      lift_roi_prior:\n        spend: 100\n        spend_change: 0\n        prior: Gamma(2, 1)\n",
             "model.channels.tv.lift_roi_prior.spend_change", "≠ 0"),
            ("      lift_roi_prior:\n        spend: -5\n        spend_change: 1\n        prior: Gamma(2, 1)\n",
             "model.channels.tv.lift_roi_prior.spend", "≥ 0"),
            ("      lift_roi_prior:\n        spend: 100\n        spend_change: -150\n        prior: Gamma(2, 1)\n",
             "model.channels.tv.lift_roi_prior.spend_change", "below zero"),
            ("      lift_roi_prior:\n        spend: 100\n        spend_change: -50\n        prior: Gamma(2)\n",
             "model.channels.tv.lift_roi_prior.prior", "Gamma"),
            ("      lift_roi_prior:\n        spend: 100\n        spend_chnage: -50\n        prior: Gamma(2, 1)\n",
             "model.channels.tv.lift_roi_prior.spend_chnage", "spend_change"),
            ("      roi_prior: LogNormal(0, 1)\n      lift_roi_prior:\n        spend: 100\n        spend_change: -50\n        prior: Gamma(2, 1)\n",
             "model.channels.tv.lift_roi_prior", "together with roi_prior"),
        ]
        for (yaml, key, text) in cases {
            guard let e = TestSupport.inputError({ _ = try parse(yaml) }) else { continue }
            XCTAssertEqual(e.location.key, key, yaml)
            XCTAssertTrue(e.description.contains(text), "\(e.description) should mention \(text)")
        }
    }
}
