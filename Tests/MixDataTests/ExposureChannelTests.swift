import MixTestSupport
import Foundation
import MixData
import XCTest

/// Issue 20 item 8: a channel measured in exposures, with its money from a spend column or a
/// fixed cost per unit — the config keys, the loader's conversion and its errors.
final class ExposureChannelTests: XCTestCase {
    /// A weekly file: tv in GRPs with its spend, search in money, sales. Row t (0-based) has
    /// `grp[t]` GRPs bought at `price[t]` per GRP.
    static let grp: [Double] = (0..<40).map { (t: Int) -> Double in
        let cycle: Int = (t * 37) % 60
        return t % 5 == 0 ? 0 : 80 + Double(cycle)
    }
    static let price: [Double] = (0..<40).map { (t: Int) -> Double in 900 + 15 * Double(t) } // a cost per GRP that rises over time
    static func csv(edit: (Int, inout [String]) -> Void = { _, _ in }) -> String {
        var text = "date,tv_grp,tv_spend,search,sales\n"
        for t in 0..<40 {
            let date = CalendarDate(year: 2023, month: 1, day: 2)!.adding(days: 7 * t)
            var fields = ["\(date)", "\(grp[t])", "\(grp[t] * price[t])", "\(500 + 13 * (t % 7))", "\(20_000 + 311 * (t % 9))"]
            edit(t, &fields)
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    static let yaml = """
        data:
          file: data.csv
          target: sales
          channels:
            - {name: tv, exposure_column: tv_grp, spend_column: tv_spend, unit: GRP}
            - search
        model:
          yearly_seasonality: 0
          channels:
            tv: {roi_prior: "LogNormal(0.2, 0.9)"}
        """

    static func config(_ yaml: String = ExposureChannelTests.yaml, csv: String = ExposureChannelTests.csv()) throws -> MixPlanConfig {
        let dataPath = TestSupport.temporaryFile(csv, name: "data.csv")
        let configPath = URL(fileURLWithPath: dataPath).deletingLastPathComponent().appendingPathComponent("mixplan.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: configPath))
        return try ConfigLoader.load(path: configPath)
    }

    func testConfigReadsExposureChannelsBesideSpendColumns() throws {
        let config = try Self.config()
        XCTAssertEqual(config.data.channels, ["tv", "search"])
        XCTAssertEqual(config.data.exposures, ["tv": MixPlanConfig.ExposureChannel(exposureColumn: "tv_grp", cost: .spendColumn("tv_spend"), unit: "GRP")])
        XCTAssertEqual(config.data.channelColumns("tv"), ["tv_grp", "tv_spend"])
        XCTAssertEqual(config.data.channelColumns("search"), ["search"])
        let fixed = try ConfigLoader.parse(yaml: "data:\n  channels:\n    - name: radio\n      exposure_column: spots\n      cost_per_unit: 850\n", path: "c.yaml")
        XCTAssertEqual(fixed.data.exposures["radio"], MixPlanConfig.ExposureChannel(exposureColumn: "spots", cost: .perUnit(850)))
        // Saved in model.json and read back.
        let json = try JSONEncoder().encode(config)
        XCTAssertEqual(try JSONDecoder().decode(MixPlanConfig.self, from: json), config)
    }

    /// A config as today's `init` writes it (a flow list of quoted spend columns) loads as before:
    /// no exposure channels, the same channel names, and a model.json saved before the key
    /// existed decodes with none.
    func testTodaysConfigMeansTheSame() throws {
        var values = ConfigTemplate.Values()
        values.channels = ["tv_spend", "search_spend"]
        let text = ConfigTemplate.fill(values)
        XCTAssertTrue(text.contains("channels: [\"tv_spend\", \"search_spend\"]"))
        let config = try ConfigLoader.parse(yaml: text, path: "mixplan.yaml")
        XCTAssertEqual(config.data.channels, ["tv_spend", "search_spend"])
        XCTAssertTrue(config.data.exposures.isEmpty)
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as? [String: Any])
        var data = try XCTUnwrap(object["data"] as? [String: Any])
        data.removeValue(forKey: "exposures")
        object["data"] = data
        let old = try JSONDecoder().decode(MixPlanConfig.self, from: JSONSerialization.data(withJSONObject: object))
        XCTAssertEqual(old, config)
    }

    /// `init`'s template writes exposure channels as flow mappings that read back the same.
    func testTemplateRoundTripsExposureChannels() throws {
        var data = MixPlanConfig.DataSection()
        data.channels = ["tv", "radio", "search"]
        data.exposures = ["tv": .init(exposureColumn: "mdip_tv", cost: .spendColumn("mdsp_tv")),
                          "radio": .init(exposureColumn: "spots", cost: .perUnit(0.125), unit: "spot")]
        let config = try ConfigLoader.parse(yaml: ConfigTemplate.fill(ConfigTemplate.Values(data)), path: "mixplan.yaml")
        XCTAssertEqual(config.data.channels, data.channels)
        XCTAssertEqual(config.data.exposures, data.exposures)
    }

    func testConfigErrorsNameTheKey() {
        let cases: [(String, String, String)] = [
            ("- {name: tv, exposure_column: tv_grp}", "data.channels.tv", "no money"),
            ("- {name: tv, exposure_column: tv_grp, spend_column: s, cost_per_unit: 2}", "data.channels.tv", "both"),
            ("- {name: tv, exposure_column: tv_grp, cost_per_unit: 0}", "data.channels.tv.cost_per_unit", "> 0"),
            ("- {name: tv, exposure_colum: tv_grp, cost_per_unit: 2}", "data.channels.exposure_colum", "not a known key"),
            ("- {exposure_column: tv_grp, cost_per_unit: 2}", "data.channels", "needs name and exposure_column"),
            ("- tv\n    - {name: tv, exposure_column: tv_grp, cost_per_unit: 2}", "data.channels.tv", "twice"),
        ]
        for (items, key, message) in cases {
            let error = TestSupport.inputError { _ = try ConfigLoader.parse(yaml: "data:\n  channels:\n    \(items)\n", path: "c.yaml") }
            XCTAssertEqual(error?.location.key, key, items)
            XCTAssertTrue(error?.description.contains(message) == true, "\(items): \(error?.description ?? "")")
        }
    }

    /// The channel's money is exposures × (total spend / total exposures), so its total is the
    /// actual total spend, and its series divided by its maximum is the exposures divided by
    /// theirs: the model's scaled input is the exposures, the price moves notwithstanding.
    func testLoaderConvertsExposuresToMoneyAtTheAverageCostPerUnit() throws {
        let data = try DatasetLoader().load(try Self.config()).dataset
        let cost = try XCTUnwrap(data.exposureCosts["tv"])
        let totalSpend = zip(Self.grp, Self.price).map(*).reduce(0, +)
        let totalGRP = Self.grp.reduce(0, +)
        // Sums of 40 terms in a different order: ≤ 40 ulp apart.
        let sumTolerance = 1e-13
        XCTAssertEqual(cost.costPerUnit, totalSpend / totalGRP, accuracy: sumTolerance * cost.costPerUnit)
        XCTAssertEqual(cost.unit, "GRP")
        XCTAssertEqual(cost.spendColumn, "tv_spend")
        XCTAssertEqual(data.spend[0].reduce(0, +), totalSpend, accuracy: sumTolerance * totalSpend)
        let maxMoney = data.spend[0].max()!, maxGRP = Self.grp.max()!
        for t in 0..<40 {
            // One multiplication and two divisions: a few ulp.
            XCTAssertEqual(data.spend[0][t] / maxMoney, Self.grp[t] / maxGRP, accuracy: 1e-15)
            XCTAssertEqual(data.exposures(channel: 0)![t], Self.grp[t], accuracy: 1e-12 * maxGRP)
        }
        XCTAssertNil(data.exposures(channel: 1))
        XCTAssertEqual(data.spend[1][0], 500)
        XCTAssertEqual(cost.money(exposures: cost.exposures(money: 1234.5)), 1234.5, accuracy: 1e-12)
        // A fixed cost per unit multiplies as given.
        let fixedYAML = Self.yaml.replacingOccurrences(of: "spend_column: tv_spend", with: "cost_per_unit: 1000")
        let fixed = try DatasetLoader().load(try Self.config(fixedYAML)).dataset
        XCTAssertEqual(fixed.spend[0], Self.grp.map { $0 * 1000 })
        XCTAssertEqual(fixed.exposureCosts["tv"]?.basis, "fixed cost_per_unit")
        // `check` says what the money stands for.
        XCTAssertTrue(DataSummary(data).render().contains("tv is measured in exposures (GRP) (column tv_grp)"), DataSummary(data).render())
    }

    /// A weekly refit with one more row revises the average cost per unit, hence every earlier
    /// money value, but not the exposures: the data still only grew (a warm start stays valid).
    func testNewRowsThatMoveThePriceStillCountAsGrowth() throws {
        let all = try DatasetLoader().load(try Self.config()).dataset
        let lines = Self.csv().split(separator: "\n")
        let earlier = try DatasetLoader().load(try Self.config(csv: lines.dropLast(3).joined(separator: "\n") + "\n")).dataset
        XCTAssertNotEqual(all.exposureCosts["tv"]!.costPerUnit, earlier.exposureCosts["tv"]!.costPerUnit)
        XCTAssertEqual(all.growth(since: earlier), .grew(added: 3))
    }

    /// Bad exposure or spend columns: file, row and column named, nothing loaded.
    func testBadExposureAndSpendColumnsNameFileRowAndColumn() throws {
        func failure(_ yaml: String = ExposureChannelTests.yaml, _ edit: @escaping (Int, inout [String]) -> Void) throws -> InputError? {
            let config = try Self.config(yaml, csv: Self.csv(edit: edit))
            return TestSupport.inputError { _ = try DatasetLoader().load(config) }
        }
        // Row 8 of the file is t = 6 (header is row 1).
        let negativeGRP = try failure { t, f in if t == 6 { f[1] = "-3" } }
        XCTAssertEqual(negativeGRP?.location.row, 8)
        XCTAssertEqual(negativeGRP?.location.column, "tv_grp")
        XCTAssertTrue(negativeGRP?.message.contains("exposures are negative") == true, negativeGRP?.description ?? "")
        let negativeSpend = try failure { t, f in if t == 6 { f[2] = "-10" } }
        XCTAssertEqual(negativeSpend?.location.row, 8)
        XCTAssertEqual(negativeSpend?.location.column, "tv_spend")
        // t = 5 has no GRPs; money there has bought nothing.
        let spendWithoutExposure = try failure { t, f in if t == 5 { f[2] = "4000" } }
        XCTAssertEqual(spendWithoutExposure?.location.row, 7)
        XCTAssertEqual(spendWithoutExposure?.location.column, "tv_spend")
        XCTAssertTrue(spendWithoutExposure?.message.contains("where tv_grp has no exposures") == true, spendWithoutExposure?.description ?? "")
        let emptyGRP = try failure { t, f in if t == 2 { f[1] = "" } }
        XCTAssertEqual(emptyGRP?.location.row, 4)
        XCTAssertTrue(emptyGRP?.message.contains("exposures cell is empty") == true, emptyGRP?.description ?? "")
        let noSpend = try failure { _, f in f[2] = "0" }
        XCTAssertEqual(noSpend?.location.column, "tv_spend")
        XCTAssertEqual(noSpend?.location.key, "data.channels.tv.spend_column")
        let noExposures = try failure { _, f in f[1] = "0"; f[2] = "0" }
        XCTAssertEqual(noExposures?.location.key, "data.channels.tv.exposure_column")
        let missing = try failure(Self.yaml.replacingOccurrences(of: "spend_column: tv_spend", with: "spend_column: tv_cost")) { _, _ in }
        XCTAssertEqual(missing?.location.key, "data.channels.tv.spend_column")
        XCTAssertEqual(missing?.location.column, "tv_cost")
        XCTAssertEqual(missing?.location.row, 1)
        let twice = try failure(Self.yaml.replacingOccurrences(of: "- search", with: "- tv_spend")) { _, _ in }
        XCTAssertTrue(twice?.message.contains("configured twice") == true, twice?.description ?? "")
        let clash = try failure(Self.yaml.replacingOccurrences(of: "name: tv,", with: "name: sales,")
            .replacingOccurrences(of: "    tv: {roi_prior", with: "    sales: {roi_prior")) { _, _ in }
        XCTAssertEqual(clash?.location.key, "data.channels.sales")
        XCTAssertTrue(clash?.message.contains("also the column configured as data.target") == true, clash?.description ?? "")
    }

    /// `init` pairs exposure and spend columns of the same stem, whatever the naming style, and
    /// leaves an exposure column without a partner out.
    func testInitPairsExposureAndSpendColumnsByStem() throws {
        var text = "date,tv_spend,tv_impressions,mdsp_radio,mdip_radio,search_cost,social_grp,revenue\n"
        for i in 0..<30 {
            let d = CalendarDate(year: 2024, month: 1, day: 1)!.adding(days: 7 * i)
            text += "\(d),\(100 + i % 3),\(2000 + 7 * (i % 5)),\(50 + i % 2),\(900 + i % 4),\(30 + i % 6),\(70 + i % 3),\(50_000 + 37 * (i % 9))\n"
        }
        let guess = try ColumnGuess.guess(path: TestSupport.temporaryFile(text))
        let notes = guess.notes.joined(separator: "\n")
        XCTAssertEqual(guess.data.channels, ["tv", "radio", "search_cost"], notes)
        XCTAssertEqual(guess.data.exposures["tv"], .init(exposureColumn: "tv_impressions", cost: .spendColumn("tv_spend")))
        XCTAssertEqual(guess.data.exposures["radio"], .init(exposureColumn: "mdip_radio", cost: .spendColumn("mdsp_radio")))
        XCTAssertTrue(notes.contains("ignored: \"social_grp\" (an exposure measure"), notes)
        XCTAssertTrue(notes.contains("channel \"radio\": exposures \"mdip_radio\" with spend \"mdsp_radio\""), notes)
        XCTAssertEqual(guess.data.target, "revenue")
    }
}
