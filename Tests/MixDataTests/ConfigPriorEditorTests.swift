import Foundation
import MixData
import XCTest

/// Writing elicited priors into config text: the result must load with `ConfigLoader` and give
/// exactly the intended priors, and every other line must survive unchanged, whichever of
/// `model:` / `channels:` / the channel / `priors:` already exist.
final class ConfigPriorEditorTests: XCTestCase {
    let data = """
    # My config — keep this comment.
    data:
      file: data.csv   # the export
      target: sales
      channels: [tv, "search ads", radio]

    """
    let entries = [
        ConfigPriorEditor.Entry(channel: "tv", key: "saturation_lambda", prior: PriorSpec(.gamma, ["alpha": 12.5, "beta": 4.25])),
        ConfigPriorEditor.Entry(channel: "tv", key: "saturation_beta", prior: PriorSpec(.logNormal, ["mu": -0.5, "sigma": 0.3])),
        ConfigPriorEditor.Entry(channel: "search ads", key: "saturation_lambda", prior: PriorSpec(.gamma, ["alpha": 3.125, "beta": 0.75])),
    ]

    func edit(_ text: String, _ entries: [ConfigPriorEditor.Entry]? = nil) throws -> (String, MixPlanConfig) {
        let out = try ConfigPriorEditor.apply(entries ?? self.entries, comment: "from tests.csv, 2026-11-23, central 95 % mass", to: text, file: "mixplan.yaml")
        return (out, try ConfigLoader.parse(yaml: out, path: "mixplan.yaml"))
    }

    func assertPriors(_ config: MixPlanConfig, file: StaticString = #filePath, line: UInt = #line) {
        for e in entries {
            XCTAssertEqual(config.model.channels[e.channel]?.priors[e.key], e.prior, "\(e.channel).\(e.key)", file: file, line: line)
        }
    }

    /// Every line of `original` appears in `edited`, in order (the edit only inserts or replaces
    /// the lines it names).
    func assertKeepsLines(_ original: String, _ edited: String, except replaced: Set<String> = [], file: StaticString = #filePath, line: UInt = #line) {
        var rest = edited.components(separatedBy: "\n")[...]
        for old in original.components(separatedBy: "\n") where !replaced.contains(old) && !old.isEmpty {
            guard let i = rest.firstIndex(of: old) else { return XCTFail("line lost or reordered: \(old)", file: file, line: line) }
            rest = rest[(i + 1)...]
        }
    }

    func testNoModelSection() throws {
        let (out, config) = try edit(data)
        assertPriors(config)
        assertKeepsLines(data, out)
        XCTAssertTrue(out.contains("""
        model:
          channels:
            tv:
              priors:
                # mixplan elicit: from tests.csv, 2026-11-23, central 95 % mass
                saturation_lambda: Gamma(alpha=12.5, beta=4.25)
        """), out)
        XCTAssertTrue(out.contains("    \"search ads\":\n"), "a name with a space is quoted: \(out)")
    }

    func testModelWithoutChannels() throws {
        let text = data + """
        model:
          saturation: michaelis_menten   # truth is MM
          # seasonality off for this market
          yearly_seasonality: 0

        sampler:
          draws: 500
        """
        let (out, config) = try edit(text)
        assertPriors(config)
        assertKeepsLines(text, out)
        XCTAssertEqual(config.model.saturation, .michaelisMenten)
        XCTAssertEqual(config.model.yearlySeasonality, 0)
        XCTAssertEqual(config.sampler.draws, 500)
    }

    func testTemplateStyleEmptyInlineMappings() throws {
        let text = data + """
        model:
          # Prior overrides for every channel.
          priors: {}
          # Per-channel overrides. Example:
          #   channels:
          #     tv:
          #       priors:
          channels: {}   # none yet

        report:
          currency: "$"
        """
        let (out, config) = try edit(text)
        assertPriors(config)
        assertKeepsLines(text, out, except: ["  channels: {}   # none yet"])
        XCTAssertTrue(out.contains("  channels:    # none yet\n    tv:\n"), out)
        XCTAssertEqual(config.report.currency, "$")
    }

    func testExistingChannelAndPriorsAreUpdatedInPlace() throws {
        let text = data + """
        model:
          channels:
            tv:
              adstock: delayed
              priors:
                adstock_theta: HalfNormal(2)   # from the agency
                saturation_lambda: Gamma(3, 1)
            radio:
              saturation: hill
        """
        let (out, config) = try edit(text)
        assertPriors(config)
        assertKeepsLines(text, out, except: ["        saturation_lambda: Gamma(3, 1)"])
        XCTAssertFalse(out.contains("Gamma(3, 1)"))
        XCTAssertEqual(config.model.channels["tv"]?.adstock, .delayed)
        XCTAssertEqual(config.model.channels["tv"]?.priors["adstock_theta"], PriorSpec(.halfNormal, ["sigma": 2]))
        XCTAssertEqual(config.model.channels["radio"]?.saturation, .hill)
        // A second run replaces its own lines and comments instead of piling them up.
        let again = try ConfigPriorEditor.apply(entries, comment: "second run", to: out, file: "mixplan.yaml")
        XCTAssertEqual(again.components(separatedBy: ConfigPriorEditor.marker).count - 1, 3, again)
        XCTAssertEqual(again.components(separatedBy: "second run").count - 1, 3, again)
        XCTAssertEqual(try ConfigLoader.parse(yaml: again, path: "x.yaml").model.channels["tv"]?.priors, config.model.channels["tv"]?.priors)
        XCTAssertEqual(ConfigPriorEditor.elicitedKeys(in: again), ["tv": ["saturation_lambda", "saturation_beta"], "search ads": ["saturation_lambda"]])
        XCTAssertEqual(ConfigPriorEditor.elicitedKeys(in: text), [:])
    }

    func testFourSpaceIndentAndCRLFAreKept() throws {
        let text = "data:\r\n    file: data.csv\r\n    channels: [tv, \"search ads\"]\r\nmodel:\r\n    channels:\r\n        tv:\r\n            adstock: geometric\r\n"
        let (out, config) = try edit(text)
        assertPriors(config)
        XCTAssertFalse(out.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
        XCTAssertTrue(out.contains("        tv:\r\n            adstock: geometric\r\n            priors:\r\n                # mixplan elicit:"), out)
    }

    func testEmptyFile() throws {
        let out = try ConfigPriorEditor.apply([entries[0]], comment: "c", to: "", file: "x.yaml")
        XCTAssertEqual(out, "model:\n  channels:\n    tv:\n      priors:\n        # mixplan elicit: c\n        saturation_lambda: Gamma(alpha=12.5, beta=4.25)\n")
    }

    func testInlineMappingWithContentIsAnError() {
        let text = data + "model:\n  channels: {tv: {adstock: delayed}}\n"
        XCTAssertThrowsError(try edit(text)) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.row, 7)
            XCTAssertEqual(e?.location.key, "model.channels")
            XCTAssertTrue("\(error)".contains("block-style"), "\(error)")
        }
    }
}
