import MixTestSupport
import MixData
import XCTest

final class DatasetLoaderTests: XCTestCase {
    func testWeeklyFixtureLoads() throws {
        let loaded = try DatasetLoader().load(TestSupport.fixtureConfig("good/weekly.csv"))
        let data = loaded.dataset
        XCTAssertEqual(data.periodCount, 60)
        XCTAssertEqual(data.frequency, .weekly)
        XCTAssertEqual(data.dates.first, CalendarDate(year: 2023, month: 1, day: 2))
        XCTAssertEqual(data.dates.last, CalendarDate(year: 2023, month: 1, day: 2)!.adding(days: 7 * 59))
        XCTAssertEqual(data.channelNames, ["tv_spend", "search_spend"])
        XCTAssertEqual(data.controlNames, ["price"])
        XCTAssertEqual(data.targetName, "sales")
        XCTAssertEqual(data.spend[1].count, 60)
        XCTAssertEqual(loaded.warnings, [])
    }

    func testValuesMatchTheFileRecomputedIndependently() throws {
        // Re-read the fixture with a naive line split (it has no quoting) and compare sums.
        let url = Fixtures.url("data/good/weekly.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        let columns = lines.map { $0.split(separator: ",").map(String.init) }
        let tvTotal = columns.map { Double($0[1])! }.reduce(0, +)
        let salesTotal = columns.map { Double($0[4])! }.reduce(0, +)
        let loaded = try DatasetLoader().load(TestSupport.fixtureConfig("good/weekly.csv"))
        XCTAssertEqual(loaded.dataset.spend[0].reduce(0, +), tvTotal)
        XCTAssertEqual(loaded.summary.targetTotal, salesTotal)
        XCTAssertEqual(loaded.summary.channels[0].total, tvTotal)
        let shares = loaded.summary.channels.map(\.share)
        XCTAssertEqual(shares.reduce(0, +), 1, accuracy: 1e-12) // shares of a sum, up to rounding
    }

    func testDailyFrequencyInferred() throws {
        let loaded = try DatasetLoader().load(TestSupport.fixtureConfig("good/daily.csv"))
        XCTAssertEqual(loaded.dataset.frequency, .daily)
        XCTAssertEqual(loaded.summary.lastDate, CalendarDate(year: 2023, month: 3, day: 2))
    }

    func testMonthDayYearDetectedOrConfiguredButNotReadAsISO() throws {
        var config = TestSupport.fixtureConfig("good/mdy.csv")
        let detected = try DatasetLoader().load(config) // 1/16/2023 shows the month comes first
        XCTAssertEqual(detected.dataset.dates[0], CalendarDate(year: 2023, month: 1, day: 2))
        XCTAssertEqual(detected.dataset.frequency, .weekly)
        config.data.dateFormat = .iso
        let error = TestSupport.inputError { _ = try DatasetLoader().load(config) }
        XCTAssertEqual(error?.location.row, 2)
        XCTAssertEqual(error?.location.column, "date")
        // "1/2/2023" alone reads both ways, so the hint names both formats.
        XCTAssertTrue(error?.hint?.contains("set data.date_format to d/m/yyyy or m/d/yyyy") ?? false, error?.hint ?? "")
        config.data.dateFormat = .monthDayYear
        XCTAssertEqual(try DatasetLoader().load(config).dataset.dates, detected.dataset.dates)
    }

    func testBOMCRLFAndQuotedHeaderNames() throws {
        var config = TestSupport.fixtureConfig("good/bom_crlf_quoted.csv")
        config.data.channels = ["tv_spend", "search, spend"]
        let loaded = try DatasetLoader().load(config)
        let plain = try DatasetLoader().load(TestSupport.fixtureConfig("good/weekly.csv"))
        XCTAssertEqual(loaded.dataset.spend, plain.dataset.spend)
        XCTAssertEqual(loaded.dataset.target, plain.dataset.target)
        XCTAssertEqual(loaded.dataset.dates, plain.dataset.dates)
    }

    func testSmallChunksGiveTheSameDataset() throws {
        let config = TestSupport.fixtureConfig("good/weekly.csv")
        let reference = try DatasetLoader().load(config).dataset
        let chunked = try DatasetLoader(chunkSize: 5).load(config).dataset
        XCTAssertEqual(chunked.spend, reference.spend)
        XCTAssertEqual(chunked.controls, reference.controls)
        XCTAssertEqual(chunked.target, reference.target)
    }

    func testRelativeDataPathResolvesAgainstConfigFolder() {
        var config = MixPlanConfig()
        config.path = "/srv/plans/brand/mixplan.yaml"
        config.data.file = "../common/data.csv"
        XCTAssertEqual(config.resolvedDataPath, "/srv/plans/common/data.csv")
        config.data.file = "/abs/data.csv"
        XCTAssertEqual(config.resolvedDataPath, "/abs/data.csv")
    }

    func testMinimumRowsRule() {
        var config = TestSupport.fixtureConfig("good/weekly.csv")
        // 1 intercept + 2 × (1 geometric + 2 logistic) + 1 control + 2 × 2 Fourier + 1 σ = 13.
        XCTAssertEqual(DataValidation.minimumRows(for: config).parameters, 13)
        XCTAssertEqual(DataValidation.minimumRows(for: config).rows, 26)
        config.model.channels["tv_spend"] = .init(adstock: .delayed, saturation: .hill)
        config.model.trend = true
        // + 1 (delayed θ) + 1 (Hill has 3 parameters) + 1 (trend δ) = 16.
        XCTAssertEqual(DataValidation.minimumRows(for: config).parameters, 16)
        config.model.yearlySeasonality = 0
        config.model.adstockMaxLag = 20
        // p = 12, but the adstock window needs 2 × 20 + 4 = 44 periods.
        XCTAssertEqual(DataValidation.minimumRows(for: config).rows, 44)
    }

    func testSummaryRendering() throws {
        let loaded = try DatasetLoader().load(TestSupport.fixtureConfig("good/weekly.csv"))
        let text = loaded.summary.render(currency: "€")
        XCTAssertTrue(text.contains("60 weekly periods, 2023-01-02 … 2024-02-19"), text)
        XCTAssertTrue(text.contains("tv_spend"))
        let share = (loaded.summary.channels[0].share * 1000).rounded() / 10
        XCTAssertTrue(text.contains("\(share) %"), text)
    }
}

/// A data file rewritten while MixPlan reads it is reported, not silently half-read.
final class ChangingFileTests: XCTestCase {
    func testAFileThatChangesDuringTheReadIsReported() throws {
        let sample = Fixtures.sample("weekly-2ch")
        var config = try ConfigLoader.load(path: sample.appendingPathComponent("mixplan.yaml").path)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-changing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("data.csv")
        try FileManager.default.copyItem(at: sample.appendingPathComponent("data.csv"), to: csv)
        config.path = dir.appendingPathComponent("mixplan.yaml").path
        XCTAssertNoThrow(try DatasetLoader().load(config), "unchanged, the copy loads")
        var loader = DatasetLoader()
        let path = csv.path
        // An exporter rewriting the file with the same bytes still moves its modification time;
        // the content read stays valid, so only the stamp check can notice.
        loader.afterHeader = {
            try? FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: path)
        }
        XCTAssertThrowsError(try loader.load(config)) { error in
            XCTAssertTrue(error is InputError)
            XCTAssertTrue("\(error)".contains("changed while it was being read") && "\(error)".contains(path), "\(error)")
        }
    }
}
