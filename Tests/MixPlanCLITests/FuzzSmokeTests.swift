import Foundation
import XCTest

/// A short run of the fuzz driver (`mixplan-fuzz`, built beside `mixplan`): 20 000 mutated
/// samples and fixtures through the CSV reader, the dataset loader and the config parser, with
/// no crash, no untyped error, no multi-line message and no input over the time limit. The
/// full ≥ 1 million-input run is documented in Tests/Fixtures/bad-input/README.md.
final class FuzzSmokeTests: XCTestCase {
    private var fuzz: URL { MixPlanProcess.executable.deletingLastPathComponent().appendingPathComponent("mixplan-fuzz") }

    /// Runs `mixplan-fuzz ARGS`; its output is a few lines, so reading after exit cannot block.
    private func runFuzz(_ arguments: [String]) throws -> MixPlanProcess.Output {
        let process = Process()
        process.executableURL = fuzz
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return MixPlanProcess.Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                     stderr: String(decoding: stderr, as: UTF8.self))
    }

    func testTwentyThousandMutatedInputsFailCleanly() throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: fuzz.path), "mixplan-fuzz is built beside mixplan")
        let r = try runFuzz(["--inputs", "20000", "--seed", "20261123", "--time-limit", "5"])
        XCTAssertEqual(r.status, 0, "a finding (crash, hang, untyped or multi-line error):\n\(r.stderr.suffix(4000))")
        XCTAssertTrue(r.stdout.contains("20000 inputs"), r.stdout)
        XCTAssertTrue(r.stdout.contains("0 crashes, 0 hangs"), r.stdout)
    }

    func testTheSameSeedGivesTheSameInputs() throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: fuzz.path), "mixplan-fuzz is built beside mixplan")
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        var dumps: [Data] = []
        for name in ["a", "b"] {
            let file = dir.appendingPathComponent(name).path
            let r = try runFuzz(["--replay", "777", "--seed", "5", "--dump", file])
            XCTAssertEqual(r.status, 0, r.stderr)
            dumps.append(try Data(contentsOf: URL(fileURLWithPath: file)))
        }
        XCTAssertEqual(dumps[0], dumps[1], "input #777 of seed 5 is reproducible")
        XCTAssertFalse(dumps[0].isEmpty)
    }
}
