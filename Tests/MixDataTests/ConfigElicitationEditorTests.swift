import Foundation
import MixData
import XCTest

/// `ConfigPriorEditor.applyElicitation`: the channel's `lift_roi_prior` block and shape priors
/// are written with the marker and load back exactly; priors an earlier run wrote that this run
/// does not (a marked `saturation_beta`, a shape prior no longer pinned) go; hand-set priors and
/// every other line stay.
final class ConfigElicitationEditorTests: XCTestCase {
    let setting = MixPlanConfig.LiftROIPrior(spend: 18674.22, spendChange: -16806.8, prior: PriorSpec(.gamma, ["alpha": 54752, "beta": 17402]))
    let lambda = ConfigPriorEditor.Entry(channel: "tv", key: "saturation_lambda", prior: PriorSpec(.gamma, ["alpha": 56.08, "beta": 24.1935]))

    func write(_ text: String, priors: [ConfigPriorEditor.Entry]) throws -> (String, MixPlanConfig) {
        let out = try ConfigPriorEditor.applyElicitation(channel: "tv", priors: priors, liftROIPrior: setting,
                                                         comment: "from t.csv (1 test), 2026-11-23", to: text, file: "m.yaml")
        return (out, try ConfigLoader.parse(yaml: out, path: "m.yaml"))
    }

    func testWritesTheBlockIntoAFreshConfig() throws {
        let text = "data:\n  channels: [tv, radio]\nmodel:\n  channels: {}\n"
        let (out, config) = try write(text, priors: [lambda])
        XCTAssertEqual(config.model.channels["tv"]?.liftROIPrior, setting)
        XCTAssertEqual(config.model.channels["tv"]?.priors, ["saturation_lambda": lambda.prior])
        XCTAssertTrue(out.contains("""
            tv:
              # mixplan elicit: from t.csv (1 test), 2026-11-23
              lift_roi_prior:
                spend: 18674.22
                spend_change: -16806.8
                prior: Gamma(alpha=54752, beta=17402)
        """), out)
        XCTAssertEqual(out.components(separatedBy: ConfigPriorEditor.marker).count - 1, 2, out)
    }

    func testReplacesAnEarlierRunAndKeepsHandSetPriors() throws {
        let earlier = """
        data:
          channels: [tv, radio]
        model:
          channels:
            tv:
              adstock: delayed   # keep
              priors:
                # mixplan elicit: from old.csv (1 test), 2026-01-01
                saturation_beta: Gamma(alpha=30, beta=11)
                # mixplan elicit: from old.csv (1 test), 2026-01-01
                saturation_lambda: Gamma(alpha=1.5, beta=2)
                adstock_alpha: Beta(2, 2)
              # mixplan elicit: from old.csv (1 test), 2026-01-01
              lift_roi_prior:
                spend: 100
                spend_change: -90
                prior: Gamma(alpha=3, beta=1)
            radio:
              priors:
                # mixplan elicit: from old.csv (1 test), 2026-01-01
                saturation_lambda: Gamma(alpha=2, beta=1)

        """
        // This run pins no shape: the old marked λ and β go, the hand-set α stays, radio is untouched.
        let (out, config) = try write(earlier, priors: [])
        let tv = try XCTUnwrap(config.model.channels["tv"])
        XCTAssertEqual(tv.liftROIPrior, setting)
        XCTAssertEqual(tv.priors, ["adstock_alpha": PriorSpec(.beta, ["alpha": 2, "beta": 2])])
        XCTAssertEqual(tv.adstock, .delayed)
        XCTAssertEqual(config.model.channels["radio"]?.priors["saturation_lambda"], PriorSpec(.gamma, ["alpha": 2, "beta": 1]))
        XCTAssertFalse(out.contains("old.csv (1 test), 2026-01-01\n      lift_roi_prior"), out)
        XCTAssertEqual(out.components(separatedBy: "from old.csv").count - 1, 1, "only radio's marker is left: \(out)")
        XCTAssertTrue(out.contains("      adstock: delayed   # keep\n"), out)
        // Running again on its own output gives the same text.
        XCTAssertEqual(try write(out, priors: []).0, out)
        // A run that pins λ writes it back in.
        let (_, again) = try write(out, priors: [lambda])
        XCTAssertEqual(again.model.channels["tv"]?.priors["saturation_lambda"], lambda.prior)
        XCTAssertEqual(again.model.channels["tv"]?.liftROIPrior, setting)
    }
}
