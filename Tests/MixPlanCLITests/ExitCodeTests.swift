import XCTest
import MixData

/// The documented exit codes hold for the executable as a whole.
final class ExitCodeTests: XCTestCase {
    func testVersionPrintsPackageVersion() throws {
        let result = try MixPlanProcess.run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), MixPlanInfo.version)
    }

    func testUsageErrorExitsTwoWithMessageOnStderr() throws {
        let result = try MixPlanProcess.run(["--no-such-flag"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("--no-such-flag"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testHelpListsExitCodes() throws {
        let result = try MixPlanProcess.run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("2 bad input or usage"), result.stdout)
    }
}
