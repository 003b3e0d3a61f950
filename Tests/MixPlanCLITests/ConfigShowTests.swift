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
