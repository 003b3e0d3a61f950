import MixTestSupport
import Foundation
import XCTest

/// `mixplan weekly` end to end as cron would run it: the pack's files, `latest`, warm starts,
/// the lock, and runs killed at every stage leaving the previous pack untouched.
final class WeeklyCommandTests: XCTestCase {
    /// Small sampler settings: these tests are about the job, not the fit's quality.
    static let quick = ["--chains", "2", "--warmup", "150", "--draws", "100", "--log-level", "info"]

    /// A copy of the weekly-2ch sample whose data holds only the first `rows` periods.
    private func sampleCopy(rows: Int?, in dir: URL) throws -> URL {
        let sample = Fixtures.sample("weekly-2ch")
        let folder = dir.appendingPathComponent("input")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lines = try String(contentsOf: sample.appendingPathComponent("data.csv"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true)
        let kept = rows.map { Array(lines.prefix($0 + 1)) } ?? lines
        try (kept.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("mixplan.yaml")
        try? FileManager.default.removeItem(at: config)
        try FileManager.default.copyItem(at: sample.appendingPathComponent("mixplan.yaml"), to: config)
        return config
    }

    private func weekly(_ config: URL, _ reports: URL, environment: [String: String]? = nil,
                        extra: [String] = []) throws -> MixPlanProcess.Output {
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment ?? [:] { env[k] = v }
        return try MixPlanProcess.run(["weekly", "--config", config.path, "--out", reports.path] + Self.quick + extra, environment: env)
    }

    /// Every file under `folder` with its bytes, for before/after comparisons.
    private func snapshot(_ folder: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return out }
        for case let path as String in walker {
            let url = folder.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[path] = FileManager.default.contents(atPath: url.path)
            }
        }
        return out
    }

    private func visibleEntries(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
    }

    func testTwoWeeksThenKillsAtEveryStageLeaveThePreviousPackIntact() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let reports = dir.appendingPathComponent("reports")

        // Week 1: the data without its last period.
        let periods = try String(contentsOf: Fixtures.sample("weekly-2ch").appendingPathComponent("data.csv"), encoding: .utf8)
            .split(separator: "\n").count - 1
        var config = try sampleCopy(rows: periods - 1, in: dir)
        let first = try weekly(config, reports)
        XCTAssertTrue(first.status == 0 || first.status == 1, first.stderr)
        let firstLines = first.stdout.split(separator: "\n")
        XCTAssertEqual(firstLines.count, 1, "one summary line on stdout: \(first.stdout)")
        XCTAssertTrue(first.stdout.hasPrefix("weekly 20"), first.stdout)
        XCTAssertTrue(first.stderr.split(separator: "\n").allSatisfy { $0.contains(" level=") }, "every log line is key=value: \(first.stderr)")
        XCTAssertFalse(first.stderr.contains("\u{1B}"), "no terminal escapes when not on a terminal")
        let week1 = try XCTUnwrap(try visibleEntries(reports).first { $0 != "latest" })
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: reports.appendingPathComponent("latest").path), week1)
        let pack1 = reports.appendingPathComponent(week1)
        for file in ["mixplan.xlsx", "report.md", "report.html", "summary.json", "plan.json", "model/draws.csv", "model/model.json", "charts/response-curves.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: pack1.appendingPathComponent(file).path), "pack has \(file)")
        }

        // Week 2: the full data; the fit warm-starts from week 1's, and the report compares with it.
        config = try sampleCopy(rows: nil, in: dir)
        let second = try weekly(config, reports)
        XCTAssertTrue(second.status == 0 || second.status == 1, second.stderr)
        XCTAssertTrue(second.stderr.contains("warm start from the previous fit"), second.stderr)
        XCTAssertTrue(second.stderr.contains("added_periods=1"), second.stderr)
        let weeks = try visibleEntries(reports).filter { $0 != "latest" }
        XCTAssertEqual(weeks.count, 2, "\(weeks)")
        let week2 = weeks.last!
        XCTAssertNotEqual(week1, week2)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: reports.appendingPathComponent("latest").path), week2)

        // Re-runs of week 2 killed at each stage: nothing visible changes, week 2's pack is intact.
        let before = snapshot(reports)
        let entries = try visibleEntries(reports)
        for stage in ["after-fit", "charts", "workbook", "before-publish"] {
            let killed = try weekly(config, reports, environment: ["MIXPLAN_KILL_AT": stage], extra: ["--seed", "7"])
            XCTAssertNotEqual(killed.status, 0, "killed at \(stage)")
            XCTAssertEqual(try visibleEntries(reports), entries, "after a kill at \(stage)")
            XCTAssertEqual(snapshot(reports).filter { !$0.key.hasPrefix(".") }, before.filter { !$0.key.hasPrefix(".") },
                           "every file of every pack is unchanged after a kill at \(stage)")
        }

        // The next run takes over the dead run's lock, clears its leftovers and replaces week 2.
        let rerun = try weekly(config, reports, extra: ["--seed", "7"])
        XCTAssertTrue(rerun.status == 0 || rerun.status == 1, rerun.stderr)
        XCTAssertTrue(rerun.stderr.contains("stale lock"), rerun.stderr)
        XCTAssertTrue(rerun.stderr.contains("removed files an interrupted run left"), rerun.stderr)
        XCTAssertEqual(try visibleEntries(reports), entries)
        XCTAssertNotEqual(FileManager.default.contents(atPath: reports.appendingPathComponent("\(week2)/model/draws.csv").path),
                          before["\(week2)/model/draws.csv"], "another seed, so week 2's pack was replaced")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: reports.appendingPathComponent(".mixplan").path), [],
                       "no lock and no staging left after a clean run")
    }

    func testALiveLockIsRefusedWithExitTwo() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let reports = dir.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports.appendingPathComponent(".mixplan"), withIntermediateDirectories: true)
        try "\(getpid())\n".write(to: reports.appendingPathComponent(".mixplan/lock"), atomically: true, encoding: .utf8)
        let result = try weekly(try sampleCopy(rows: nil, in: dir), reports)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("another mixplan run (pid \(getpid()))"), result.stderr)
        XCTAssertEqual(try visibleEntries(reports), [])
    }

    func testAReportsPathThatIsAFileIsBadInput() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let file = dir.appendingPathComponent("reports")
        try "not a folder".write(to: file, atomically: true, encoding: .utf8)
        let result = try weekly(try sampleCopy(rows: nil, in: dir), file)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("is a file"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    /// A folder that cannot be created (even root cannot write under /proc) is a clear exit 2.
    func testAnUnwritableReportsFolderIsBadInput() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let result = try weekly(try sampleCopy(rows: nil, in: dir), URL(fileURLWithPath: "/proc/mixplan-reports"))
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("/proc/mixplan-reports") && result.stderr.contains("cannot create"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }
}
