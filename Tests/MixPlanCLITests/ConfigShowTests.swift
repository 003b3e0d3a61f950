import MixTestSupport
import Foundation
import XCTest

/// `mixplan config --show`: flags beat the config file, which beats the defaults, and every
/// setting says where it came from.
final class ConfigShowTests: XCTestCase {
    func testEachSettingNamesItsSource() throws {
        let config = Fixtures.sample("weekly-5ch").appendingPathComponent("mixplan.yaml").path
        let result = try MixPlanProcess.run(["config", "--show", "--config", config, "--budget", "5000", "--chains", "2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        var rows: [String: (value: String, source: String)] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard parts.count >= 3 else { continue }
            let sourceStart = parts.firstIndex { $0 == "flag" || $0 == "config" || $0 == "default" }!
            rows[parts[0]] = (parts[1..<sourceStart].joined(separator: " "), parts[sourceStart...].joined(separator: " "))
        }
        XCTAssertEqual(rows["optimizer.budget"]?.value, "5000")
        XCTAssertEqual(rows["optimizer.budget"]?.source, "flag --budget")
        XCTAssertEqual(rows["sampler.chains"]?.value, "2")
        XCTAssertEqual(rows["sampler.chains"]?.source, "flag --chains")
        XCTAssertEqual(rows["sampler.warmup"]?.source, "config \(config)", "the sample's config sets warmup")
        XCTAssertEqual(rows["model.trend"]?.value, "true")
        XCTAssertEqual(rows["sampler.target_accept"]?.value, "0.8")
        XCTAssertEqual(rows["sampler.target_accept"]?.source, "default")
        XCTAssertEqual(rows["optimizer.relative_bound"]?.source, "default")
    }

    func testABadOverrideIsBadInput() throws {
        let config = Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path
        let result = try MixPlanProcess.run(["config", "--show", "--config", config, "--periods", "0"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("--periods"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }
}

/// A relative bound is a fraction: 30 (meant as 30 %) would silently allow ±3000 %.
final class RelativeBoundTests: XCTestCase {
    func testAPercentageGivenAsRelativeBoundIsRefusedWithTheFraction() throws {
        let config = Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml")
        let flag = try MixPlanProcess.run(["config", "--show", "--config", config.path, "--relative-bound", "30"])
        XCTAssertEqual(flag.status, 2, flag.stderr)
        XCTAssertTrue(flag.stderr.contains("--relative-bound") && flag.stderr.contains("Did you mean 0.3 for ±30 %?"), flag.stderr)
        XCTAssertEqual(try MixPlanProcess.run(["config", "--show", "--config", config.path, "--relative-bound", "10"]).status, 0,
                       "±1000 % is the largest bound accepted")

        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        for file in ["data.csv", "mixplan.yaml"] {
            try FileManager.default.copyItem(at: config.deletingLastPathComponent().appendingPathComponent(file), to: dir.appendingPathComponent(file))
        }
        let copy = dir.appendingPathComponent("mixplan.yaml")
        var text = try String(contentsOf: copy, encoding: .utf8)
        text += text.contains("\noptimizer:") ? "" : "\noptimizer:\n  relative_bound: 30\n"
        try text.write(to: copy, atomically: true, encoding: .utf8)
        let file = try MixPlanProcess.run(["check", "--config", copy.path])
        XCTAssertEqual(file.status, 2, file.stderr)
        XCTAssertTrue(file.stderr.contains("optimizer.relative_bound") && file.stderr.contains("Did you mean 0.3 for ±30 %?"), file.stderr)

        func flat(_ text: String) -> String { text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
        let help = flat(try MixPlanProcess.run(["weekly", "--help"]).stdout)
        XCTAssertTrue(help.contains("as a fraction: 0.3 means ±30 %"), help)
        let optimize = flat(try MixPlanProcess.run(["optimize", "--help"]).stdout)
        XCTAssertTrue(optimize.contains("spend PER PERIOD, whereas --budget is the TOTAL over the horizon"), optimize)
        XCTAssertTrue(optimize.contains("`+30%` and `-30%` are refused"), optimize)
    }
}

/// `mixplan config --show` lists each channel measured in exposures with its exposure column,
/// where its money comes from and its unit (issue 20 item 8), under data.channels.NAME.
final class ConfigShowExposureTests: XCTestCase {
    func testExposureChannelsShowTheirKeys() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let config = dir.appendingPathComponent("mixplan.yaml")
        try """
            data:
              file: data.csv
              target: sales
              channels:
                - search
                - {name: tv, exposure_column: tv_grp, spend_column: tv_spend, unit: GRP}
                - {name: radio, exposure_column: radio_spots, cost_per_unit: 850}
            """.write(to: config, atomically: true, encoding: .utf8)
        let result = try MixPlanProcess.run(["config", "--show", "--config", config.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        func row(_ key: String) -> String? { lines.first { $0.hasPrefix(key + " ") } }
        func check(_ key: String, value: String, source: String, file: StaticString = #filePath, line: UInt = #line) {
            guard let text = row(key) else { return XCTFail("no row \(key) in\n\(result.stdout)", file: file, line: line) }
            XCTAssertTrue(text.contains(" \(value) "), text, file: file, line: line)
            XCTAssertTrue(text.hasSuffix(source), text, file: file, line: line)
        }
        let written = "config \(config.path)"
        check("data.channels", value: "[search, tv, radio]", source: written)
        check("data.channels.tv.exposure_column", value: "tv_grp", source: written)
        check("data.channels.tv.spend_column", value: "tv_spend (cost per unit = total tv_spend / total tv_grp)", source: written)
        check("data.channels.tv.unit", value: "GRP", source: written)
        check("data.channels.radio.exposure_column", value: "radio_spots", source: written)
        check("data.channels.radio.cost_per_unit", value: "850", source: written)
        check("data.channels.radio.unit", value: "null (the exposure column's name)", source: "default")
        XCTAssertNil(row("data.channels.search.exposure_column"), "search is measured in money")
        XCTAssertNil(row("data.channels.radio.spend_column"))
        // They follow data.channels, before data.controls.
        let order = ["data.channels", "data.channels.tv.exposure_column", "data.channels.radio.unit", "data.controls"]
            .map { key in lines.firstIndex { $0.hasPrefix(key + " ") } ?? -1 }
        XCTAssertEqual(order, order.sorted(), "\(order)")
        XCTAssertFalse(order.contains(-1))
    }
}
