import XCTest
import MixReport

/// The run summary saved beside each weekly pack: its figures, JSON round trip and load errors.
final class ReportSnapshotTests: XCTestCase {
    let results = ReportTestModel.results

    func testSnapshotHoldsTheRunsKeyFigures() throws {
        let s = ReportSnapshot(results)
        let model = results.model
        let training = model.trainingData
        XCTAssertEqual(s.formatVersion, ReportSnapshot.formatVersion)
        XCTAssertEqual(s.target, "sales")
        XCTAssertEqual(s.currency, results.currency)
        XCTAssertEqual(s.frequency, "weekly")
        XCTAssertEqual(s.periodStart, training.dates.first!.description)
        XCTAssertEqual(s.periodEnd, training.dates.last!.description)
        XCTAssertEqual(s.periods, model.dataset.periodCount - 8)
        XCTAssertEqual(s.holdout, 8)
        let plan = try XCTUnwrap(results.optimization?.plan)
        XCTAssertEqual(s.channels.map(\.name), results.channelNames)
        for (c, line) in s.channels.enumerated() {
            let q = results.quantities.channels[c]
            XCTAssertEqual(line.contribution, q.contribution)
            XCTAssertEqual(line.roas, q.roas)
            XCTAssertEqual(line.marginalRoas, q.marginalRoas)
            XCTAssertEqual(line.spend, q.spend)
            // Training spend sums ≈ 1e5–1e6; the division is exact to a few ulps.
            XCTAssertEqual(line.contributionPerPeriod, q.contribution.mean / Double(s.periods), accuracy: 1e-12 * abs(q.contribution.mean))
            XCTAssertEqual(line.recommendedSpendPerPeriod, plan.channels[c].spendPerPeriod)
            XCTAssertEqual(line.currentSpendPerPeriod, plan.channels[c].currentSpendPerPeriod)
        }
        XCTAssertEqual(s.plan?.response, plan.response)
        XCTAssertEqual(s.plan?.budget, plan.totalSpend)
        XCTAssertEqual(s.plan?.periods, 4)
        XCTAssertEqual(s.plan?.probabilityBetter, plan.probabilityBetter)
        XCTAssertEqual(s.inSample, results.quantities.inSample)
        XCTAssertEqual(s.outOfSample, results.quantities.outOfSample)
        XCTAssertEqual(s.converged, model.verdict.passed)
        XCTAssertEqual(s.verdict, model.verdict)
        XCTAssertEqual(s.divergences, model.sampler.divergences)
    }

    func testJSONRoundTripIsExactAndDeterministic() throws {
        var s = ReportSnapshot(results)
        s.outOfSample?.r2 = .nan  // a constant hold-out target has no R²
        let folder = ReportTestModel.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("summary.json")
        try s.jsonData().write(to: url)
        let back = try ReportSnapshot.load(from: url)
        XCTAssertTrue(back.outOfSample!.r2.isNaN)
        s.outOfSample?.r2 = 0
        var b = back
        b.outOfSample?.r2 = 0
        XCTAssertEqual(b, s)
        XCTAssertEqual(try b.jsonData(), try s.jsonData())
    }

    func testLoadErrorsNameTheFile() throws {
        let folder = ReportTestModel.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("summary.json")
        XCTAssertThrowsError(try ReportSnapshot.load(from: url)) { error in
            XCTAssertEqual((error as? InputError)?.location.file, url.path)
            XCTAssertTrue((error as? InputError)?.message.contains("cannot be read") ?? false)
        }
        try Data("{ not json".utf8).write(to: url)
        XCTAssertThrowsError(try ReportSnapshot.load(from: url)) { error in
            XCTAssertTrue((error as? InputError)?.message.contains("is not a MixPlan run summary") ?? false, "\(error)")
        }
        var object = try JSONSerialization.jsonObject(with: ReportSnapshot(results).jsonData()) as! [String: Any]
        object.removeValue(forKey: "periodEnd")
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        XCTAssertThrowsError(try ReportSnapshot.load(from: url)) { error in
            XCTAssertTrue((error as? InputError)?.message.contains("key \"periodEnd\" is missing") ?? false, "\(error)")
        }
        object["formatVersion"] = 99
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        XCTAssertThrowsError(try ReportSnapshot.load(from: url)) { error in
            XCTAssertTrue((error as? InputError)?.message.contains("format version 99") ?? false, "\(error)")
        }
    }
}
