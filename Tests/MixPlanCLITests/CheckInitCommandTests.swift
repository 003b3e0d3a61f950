import MixTestSupport
import Foundation
import MixData
import XCTest

/// Runs the built `mixplan` executable (it sits next to the test bundle in .build/<config>/)
/// and checks exit codes, stdout and stderr of `check` and `init`.
final class CheckInitCommandTests: XCTestCase {
    private struct Run { var status: Int32; var stdout: String; var stderr: String }

    private var executable: URL {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [folder, Bundle.main.bundleURL.deletingLastPathComponent(),
                          Bundle(for: CheckInitCommandTests.self).bundleURL.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("mixplan")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return folder.appendingPathComponent("mixplan")
    }

    private func run(_ arguments: [String], in directory: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    private func temporaryCopy(of fixture: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent(URL(fileURLWithPath: fixture).lastPathComponent)
        try FileManager.default.copyItem(at: Fixtures.url(fixture), to: target)
        return target
    }

    func testCheckCleanCSVPrintsSummaryAndExitsZero() throws {
        let r = try run(["check", Fixtures.url("data/good/weekly.csv").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("60 weekly periods, 2023-01-02 … 2024-02-19"), r.stdout)
        XCTAssertTrue(r.stdout.contains("tv_spend"))
        XCTAssertTrue(r.stdout.contains("OK: no problems found."))
        XCTAssertEqual(r.stderr, "")
    }

    func testWarningsExitZeroUnlessStrict() throws {
        let path = Fixtures.url("data/good/rare_channel.csv").path
        let lenient = try run(["check", path])
        XCTAssertEqual(lenient.status, 0)
        XCTAssertTrue(lenient.stdout.contains("warning:"), lenient.stdout)
        let strict = try run(["check", "--strict", path])
        XCTAssertEqual(strict.status, 1)
    }

    func testBadDataExitsTwoWithOneParagraphOnStderr() throws {
        let r = try run(["check", Fixtures.url("data/bad/gap.csv").path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("error: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("row 27, column \"date\""), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one paragraph")
    }

    func testUsageErrorsExitTwo() throws {
        let r = try run(["check", "--no-such-option"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--no-such-option"), r.stderr)
        XCTAssertEqual(try run(["init"]).status, 2)
    }

    func testInitWritesConfigThatCheckAccepts() throws {
        let csv = try temporaryCopy(of: "data/good/weekly.csv")
        let folder = csv.deletingLastPathComponent()
        let first = try run(["init", csv.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("target: \"sales\""), first.stdout)
        let configPath = folder.appendingPathComponent("mixplan.yaml").path
        let config = try ConfigLoader.load(path: configPath)
        XCTAssertEqual(config.data.channels, ["tv_spend", "search_spend"])
        XCTAssertEqual(config.data.controls, ["price"])
        XCTAssertEqual(config.sampler, MixPlanConfig().sampler)
        // Only the config was added: no temporary file is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["mixplan.yaml", "weekly.csv"])

        let check = try run(["check", "--config", configPath])
        XCTAssertEqual(check.status, 0, check.stderr)
        // With neither argument, check reads ./mixplan.yaml.
        XCTAssertEqual(try run(["check"], in: folder).status, 0)

        let again = try run(["init", csv.path])
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("--force"), again.stderr)
        XCTAssertEqual(try run(["init", "--force", csv.path]).status, 0)
    }

    func testConfigErrorsExitTwoNamingTheKey() throws {
        let csv = try temporaryCopy(of: "data/good/weekly.csv")
        XCTAssertEqual(try run(["init", csv.path]).status, 0)
        let configPath = csv.deletingLastPathComponent().appendingPathComponent("mixplan.yaml").path
        let text = try String(contentsOfFile: configPath, encoding: .utf8).replacingOccurrences(of: "  draws:", with: "  drawz:")
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        let r = try run(["check", "-c", configPath])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("key \"sampler.drawz\""), r.stderr)
        XCTAssertTrue(r.stderr.contains("Did you mean \"draws\"?"), r.stderr)
    }

    func testHelpDocumentsExitCodes() throws {
        for command in ["check", "init"] {
            let r = try run([command, "--help"])
            XCTAssertEqual(r.status, 0)
            XCTAssertTrue(r.stdout.contains("Exit codes: 0 ok;"), r.stdout)
            XCTAssertTrue(r.stdout.contains("3 internal error"), r.stdout)
        }
    }
}
