import MixTestSupport
import Foundation
import XCTest

/// Every committed sample passes `mixplan check` cleanly, so the README's demo works on a fresh
/// clone; and `simulate` writes exactly the committed files for seed 1.
final class SampleCheckTests: XCTestCase {
    static let samples = ["weekly-2ch", "weekly-5ch", "daily-8ch", "weekly-3ch-large"]

    func testCheckPassesOnEverySample() throws {
        for name in Self.samples {
            let config = Fixtures.sample(name).appendingPathComponent("mixplan.yaml").path
            let result = try MixPlanProcess.run(["check", "--config", config, "--strict"])
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)\(result.stdout)")
            XCTAssertTrue(result.stdout.contains("OK"), "\(name): \(result.stdout)")
        }
    }

    func testSimulateRewritesTheCommittedSampleByteForByte() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let result = try MixPlanProcess.run(["simulate", "--preset", "weekly-5ch", "--seed", "1", "--out", dir.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        for file in ["data.csv", "truth.json", "mixplan.yaml"] {
            let made = try Data(contentsOf: dir.appendingPathComponent(file))
            let committed = try Data(contentsOf: Fixtures.sample("weekly-5ch").appendingPathComponent(file))
            XCTAssertEqual(made, committed, file)
        }
    }
}
