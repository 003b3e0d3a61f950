import MixTestSupport
import Foundation
import MixData
import XCTest

final class ConfigTemplateTests: XCTestCase {
    func testCompiledTemplateIsTheCommittedFile() throws {
        let file = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("Templates/mixplan.yaml"), encoding: .utf8)
        XCTAssertEqual(ConfigTemplate.text, file, "Templates/mixplan.yaml and ConfigTemplate.text must be identical")
    }

    func testFilledWithDefaultsParsesToExactlyTheDefaults() throws {
        let text = ConfigTemplate.fill(ConfigTemplate.Values())
        XCTAssertFalse(text.contains("{{"), "every placeholder is filled")
        var expected = MixPlanConfig()
        expected.path = "/x/mixplan.yaml"
        XCTAssertEqual(try ConfigLoader.parse(yaml: text, path: "/x/mixplan.yaml"), expected)
    }

    func testFilledWithColumnsDiffersOnlyInTheDataSection() throws {
        var data = MixPlanConfig.DataSection()
        data.file = "my data.csv"
        data.dateColumn = "Week: start"
        data.dateFormat = .monthDayYear
        data.target = "Revenue \"net\""
        data.channels = ["TV # spend", "search, paid", "social\\meta"]
        data.controls = ["price", "- holiday"]
        let text = ConfigTemplate.fill(ConfigTemplate.Values(data))
        var expected = MixPlanConfig()
        expected.path = "/x/mixplan.yaml"
        expected.data = data
        XCTAssertEqual(try ConfigLoader.parse(yaml: text, path: "/x/mixplan.yaml"), expected)
    }

    func testTemplateMentionsEveryKeyItSets() {
        // Every leaf key of the config appears in the template (so each default is documented).
        for key in ["file:", "date_column:", "date_format:", "target:", "channels:", "controls:", "adstock:",
                    "adstock_max_lag:", "saturation:", "yearly_seasonality:", "trend:", "likelihood:", "priors:",
                    "chains:", "warmup:", "draws:", "target_accept:", "max_tree_depth:", "metric:", "seed:", "budget:",
                    "periods:", "relative_bound:", "objective:", "include_carryover:", "fixed:", "currency:",
                    "templates:", "interval_mass:", "lift_tests:"] {
            XCTAssertTrue(ConfigTemplate.text.contains("\n  \(key)"), key)
        }
    }
}
