import Foundation
import MixData
import XCTest

final class ConfigLoaderTests: XCTestCase {
    private func parse(_ yaml: String) throws -> MixPlanConfig {
        try ConfigLoader.parse(yaml: yaml, path: "/plans/mixplan.yaml")
    }

    private func parseError(_ yaml: String, line: UInt = #line) -> InputError? {
        TestSupport.inputError(line: line) { _ = try parse(yaml) }
    }

    func testEmptyFileKeepsDefaults() throws {
        var expected = MixPlanConfig()
        expected.path = "/plans/mixplan.yaml"
        XCTAssertEqual(try parse(""), expected)
    }

    func testEveryKeyIsRead() throws {
        let config = try parse("""
        data:
          file: weekly.csv
          date_column: week
          date_format: m/d/yyyy
          target: revenue
          channels: [tv, search]
          controls:
            - price
        model:
          adstock: delayed
          adstock_max_lag: 12
          saturation: hill
          yearly_seasonality: 3
          trend: true
          likelihood: student_t
          priors:
            intercept: Normal(0, 5)
          channels:
            tv:
              adstock: weibull_cdf
              saturation: michaelis_menten
              priors:
                adstock_theta: HalfNormal(2)
        sampler: {chains: 2, warmup: 300, draws: 400, target_accept: 0.9, max_tree_depth: 12, seed: 42, metric: dense}
        optimizer:
          budget: 150000
          periods: 13
          relative_bound: 0.5
          objective: cvar:0.1
          include_carryover: false
          fixed: [search]
        report: {currency: USD, templates: my-templates, interval_mass: 0.9}
        """)
        XCTAssertEqual(config.data.file, "weekly.csv")
        XCTAssertEqual(config.resolvedDataPath, "/plans/weekly.csv")
        XCTAssertEqual(config.data.dateColumn, "week")
        XCTAssertEqual(config.data.dateFormat, .monthDayYear)
        XCTAssertEqual(config.data.target, "revenue")
        XCTAssertEqual(config.data.channels, ["tv", "search"])
        XCTAssertEqual(config.data.controls, ["price"])
        XCTAssertEqual(config.model.adstock, .delayed)
        XCTAssertEqual(config.model.adstockMaxLag, 12)
        XCTAssertEqual(config.model.saturation, .hill)
        XCTAssertEqual(config.model.yearlySeasonality, 3)
        XCTAssertTrue(config.model.trend)
        XCTAssertEqual(config.model.likelihood, .studentT)
        XCTAssertEqual(config.model.priors["intercept"], PriorSpec(.normal, ["mu": 0, "sigma": 5]))
        XCTAssertEqual(config.model.adstock(for: "tv"), .weibullCDF)
        XCTAssertEqual(config.model.adstock(for: "search"), .delayed)
        XCTAssertEqual(config.model.saturation(for: "tv"), .michaelisMenten)
        XCTAssertEqual(config.model.prior("adstock_theta", channel: "tv"), PriorSpec(.halfNormal, ["sigma": 2]))
        XCTAssertEqual(config.model.prior("intercept", channel: "tv"), PriorSpec(.normal, ["mu": 0, "sigma": 5]))
        XCTAssertEqual(config.sampler.chains, 2)
        XCTAssertEqual(config.sampler.warmup, 300)
        XCTAssertEqual(config.sampler.draws, 400)
        XCTAssertEqual(config.sampler.targetAccept, 0.9)
        XCTAssertEqual(config.sampler.maxTreeDepth, 12)
        XCTAssertEqual(config.sampler.metric, .dense)
        XCTAssertEqual(config.sampler.seed, 42)
        XCTAssertEqual(config.optimizer.budget, 150000)
        XCTAssertEqual(config.optimizer.periods, 13)
        XCTAssertEqual(config.optimizer.relativeBound, 0.5)
        XCTAssertEqual(config.optimizer.objective, .conditionalValueAtRisk(q: 0.1))
        XCTAssertFalse(config.optimizer.includeCarryover)
        XCTAssertEqual(config.optimizer.fixed, ["search"])
        XCTAssertEqual(config.report.currency, "USD")
        XCTAssertEqual(config.report.templates, "my-templates")
        XCTAssertEqual(config.report.intervalMass, 0.9)
    }

    func testUnknownKeysSuggestTheNearestKnownKey() {
        let cases: [(String, String, String)] = [
            ("sampler:\n  chain: 4\n", "sampler.chain", "Did you mean \"chains\"?"),
            ("data:\n  date_colum: week\n", "data.date_colum", "Did you mean \"date_column\"?"),
            ("modle:\n  trend: true\n", "modle", "Did you mean \"model\"?"),
            ("model:\n  priors:\n    adstock_alfa: Beta(1, 3)\n", "model.priors.adstock_alfa", "Did you mean \"adstock_alpha\"?"),
            ("data:\n  channels: [tv]\nmodel:\n  channels:\n    tv:\n      adstok: delayed\n", "model.channels.tv.adstok", "Did you mean \"adstock\"?"),
        ]
        for (yaml, key, suggestion) in cases {
            let e = parseError(yaml)
            XCTAssertEqual(e?.location.key, key, yaml)
            XCTAssertTrue(e?.hint?.hasPrefix(suggestion) ?? false, "\(e?.hint ?? "nil") for \(yaml)")
            XCTAssertTrue(e?.message.contains("not a known key") ?? false)
        }
        // Far from every key: no suggestion, but the list of known keys.
        let e = parseError("report:\n  zzzzzz: 1\n")
        XCTAssertEqual(e?.hint, "Known keys here: currency, templates, interval_mass, chart_scale.")
    }

    /// No currency unless configured (no "€" on US data), and the chart scale with its range.
    func testNeutralCurrencyAndChartScale() throws {
        let defaults = try parse("data:\n  file: d.csv\n")
        XCTAssertEqual(defaults.report.currency, "")
        XCTAssertEqual(defaults.report.chartScale, 1)
        let set = try parse("report:\n  currency: USD\n  chart_scale: 2\n")
        XCTAssertEqual(set.report.currency, "USD")
        XCTAssertEqual(set.report.chartScale, 2)
        for bad in ["0.5", "9", "big"] {
            let e = parseError("report:\n  chart_scale: \(bad)\n")
            XCTAssertEqual(e?.location.key, "report.chart_scale", bad)
            XCTAssertTrue(e?.description.contains("from 1 to 4") ?? false, e?.description ?? bad)
        }
        // A model saved before chart_scale existed still loads, at scale 1.
        let old = #"{"currency":"€","templates":"","intervalMass":0.94}"#
        let decoded = try JSONDecoder().decode(MixPlanConfig.ReportSection.self, from: Data(old.utf8))
        XCTAssertEqual(decoded.chartScale, 1)
        XCTAssertEqual(decoded.currency, "€")
    }

    func testWrongTypesNameKeyAndExpectation() {
        let cases: [(String, String, String)] = [
            ("sampler:\n  chains: four\n", "sampler.chains", "expected a whole number"),
            ("sampler:\n  chains: 0\n", "sampler.chains", "from 1 to 256"),
            ("sampler:\n  target_accept: 1.5\n", "sampler.target_accept", "strictly between 0 and 1"),
            ("sampler:\n  seed: -1\n", "sampler.seed", "whole number ≥ 0"),
            ("sampler:\n  metric: full\n", "sampler.metric", "expected one of diagonal, dense"),
            ("model:\n  trend: maybe\n", "model.trend", "expected true or false"),
            ("model:\n  adstock: geometrik\n", "model.adstock", "expected one of geometric, delayed, weibull_cdf, weibull_pdf"),
            ("data:\n  channels: tv\n", "data.channels", "expected a list"),
            ("data: [1, 2]\n", "data", "expected a mapping"),
            ("optimizer:\n  objective: maximum\n", "optimizer.objective", "expected mean, mean-sd:K"),
            ("optimizer:\n  budget: -5\n", "optimizer.budget", "> 0 (or null)"),
            ("data:\n  date_format: d/m/yy\n", "data.date_format", "expected one of auto, iso, d/m/yyyy, m/d/yyyy"),
            ("data:\n  delimiter: colon\n", "data.delimiter", "expected one of auto, comma, semicolon, tab, pipe"),
        ]
        for (yaml, key, expected) in cases {
            let e = parseError(yaml)
            XCTAssertEqual(e?.location.key, key, yaml)
            XCTAssertTrue(e?.message.contains(expected) ?? false, "\(e?.message ?? "nil") should contain \(expected)")
            XCTAssertTrue(e?.message.contains("(line ") ?? false, "the line is named")
        }
        XCTAssertEqual(parseError("model:\n  adstock: geometrik\n")?.hint, "Did you mean \"geometric\"?")
    }

    func testCrossChecksAgainstChannels() {
        let e = parseError("data:\n  channels: [tv, search]\nmodel:\n  channels:\n    tvv: {adstock: delayed}\n")
        XCTAssertEqual(e?.location.key, "model.channels.tvv")
        XCTAssertEqual(e?.hint, "Did you mean \"tv\"?")
        let f = parseError("data:\n  channels: [tv, search]\noptimizer:\n  fixed: [serch]\n")
        XCTAssertEqual(f?.location.key, "optimizer.fixed")
    }

    func testInvalidYAMLAndMissingFile() {
        let e = parseError("data:\n  file: [unclosed\n")
        XCTAssertTrue(e?.message.contains("is not valid YAML") ?? false)
        XCTAssertTrue(e?.message.contains("line") ?? false)
        let missing = TestSupport.inputError { _ = try ConfigLoader.load(path: "/nonexistent/mixplan.yaml") }
        XCTAssertTrue(missing?.message.contains("does not exist") ?? false)
    }

    func testNullBudgetAndTemplatesKeepDefaults() throws {
        let config = try parse("optimizer:\n  budget: null\nreport:\n  templates: ~\n")
        XCTAssertNil(config.optimizer.budget)
        XCTAssertEqual(config.report.templates, "")
    }
}

final class NameSuggestionTests: XCTestCase {
    func testEditDistance() {
        XCTAssertEqual(NameSuggestion.editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(NameSuggestion.editDistance("modle", "model"), 1)
        XCTAssertEqual(NameSuggestion.editDistance("", "abc"), 3)
        XCTAssertEqual(NameSuggestion.editDistance("tv", "tv"), 0)
    }

    func testNearest() {
        XCTAssertEqual(NameSuggestion.nearest(to: "TV_Spend", in: ["tv_spend", "search_spend"]), "tv_spend")
        XCTAssertNil(NameSuggestion.nearest(to: "weather", in: ["tv_spend", "search_spend"]))
    }
}

final class ConfigFileTests: XCTestCase {
    func testLoadFromDiskRecordsPathAndResolvesDataFile() throws {
        let path = TestSupport.temporaryFile("data:\n  file: sub/data.csv\n  channels: [tv]\n", name: "mixplan.yaml")
        let config = try ConfigLoader.load(path: path)
        XCTAssertEqual(config.path, path)
        XCTAssertEqual(config.resolvedDataPath,
                       URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("sub/data.csv").path)
    }

    func testRootMustBeAMapping() {
        let e = TestSupport.inputError { _ = try ConfigLoader.parse(yaml: "just text\n", path: "m.yaml") }
        XCTAssertNil(e?.location.key)
        XCTAssertTrue(e?.message.contains("expected a mapping") ?? false)
    }
}
