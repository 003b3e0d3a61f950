import Foundation
import MixData
import MixExport
import MixModel
import MixTestSupport
import XCTest

/// Issue 20 item 8 in the ArviZ export: a model with a channel measured in exposures writes what
/// the response saw (`media`: tv's impressions, x1's money), the money of every ROAS (`money`),
/// and per channel the cost per unit, unit and how the cost was set — never its money as `spend`.
/// Every value is recomputed from the sample's data.csv.
final class ExposureExportTests: XCTestCase {
    func testExposureAndMoneySeriesAreNamedForWhatTheyHold() throws {
        let config = try ConfigLoader.load(path: Fixtures.exposureSampleConfig)
        let model = try ModelFitter.fit(dataset: try DatasetLoader().load(config).dataset, config: config)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-exposure-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.nc")
        try InferenceDataExport.write(model, to: url)
        let file = try NetCDFFile.open(url.path)
        defer { try? file.close() }
        let constant = try file.root.group("constant_data")

        let names = try constant.variableNames()
        XCTAssertFalse(names.contains("spend"), "tv's money is exposures × an average price, not a bill: \(names)")
        for name in ["media", "money", "cost_per_unit", "media_unit", "cost_basis", "controls"] {
            XCTAssertTrue(names.contains(name), "\(name) in \(names)")
        }
        XCTAssertEqual(try constant.strings("channel"), ["x1", "tv"])
        XCTAssertEqual(try constant.dimensions(of: "media").map(\.name), ["date", "channel"])
        XCTAssertEqual(try constant.dimensions(of: "money").map(\.name), ["date", "channel"])
        XCTAssertEqual(try constant.dimensions(of: "cost_per_unit").map(\.name), ["channel"])
        XCTAssertEqual(try constant.strings("media_unit"), ["money", "impression"])
        XCTAssertEqual(try constant.strings("cost_basis"), ["measured in money", "total tv_spend / total tv_imps over the data's rows"])

        // The file's own columns: x1 (money), tv_imps, tv_spend.
        let text = try String(contentsOfFile: URL(fileURLWithPath: Fixtures.exposureSampleConfig).deletingLastPathComponent()
            .appendingPathComponent("data.csv").path, encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let x1 = rows.map { Double($0[1])! }, impressions = rows.map { Double($0[2])! }, spend = rows.map { Double($0[3])! }
        let perUnit = spend.reduce(0, +) / impressions.reduce(0, +)
        let costs = try constant.doubles("cost_per_unit")
        XCTAssertEqual(costs[0], 1)
        XCTAssertEqual(costs[1], perUnit, accuracy: 1e-12 * perUnit)

        let media = try constant.doubles("media"), money = try constant.doubles("money")
        let periods = model.trainingData.periodCount
        XCTAssertEqual(periods, rows.count, "no holdout in the sample's config")
        XCTAssertEqual(media.count, 2 * periods)
        for t in 0..<periods {
            XCTAssertEqual(media[2 * t], x1[t], "x1 money as read, row \(t + 2)")
            XCTAssertEqual(money[2 * t], x1[t])
            // Exposures come back to the column's value to rounding (money ÷ cost per unit).
            XCTAssertEqual(media[2 * t + 1], impressions[t], accuracy: 1e-9 * max(1, impressions[t]), "tv_imps row \(t + 2)")
            XCTAssertEqual(money[2 * t + 1], impressions[t] * perUnit, accuracy: 1e-9 * max(1, impressions[t] * perUnit))
        }
        // Money over the rows is tv's actual total spend: the average-price rule keeps the total.
        let tvMoney = (0..<periods).map { money[2 * $0 + 1] }.reduce(0, +)
        XCTAssertEqual(tvMoney, spend.reduce(0, +), accuracy: 1e-9 * tvMoney)
        XCTAssertTrue(try constant.attribute("description", variable: "money").contains("not the period's bill"))
    }
}
