import MixTestSupport
import Foundation
import XCTest

/// `mixplan weekly` under the failures of issue 19: stopped by SIGTERM, a full disk, a re-run on
/// unchanged data, and a previous pack whose draws are damaged. Each leaves the reports folder
/// usable: no lock, no staging, the previous pack intact.
final class WeeklyHardeningTests: XCTestCase {
    static let quick = ["--chains", "2", "--warmup", "150", "--draws", "100", "--seed", "11", "--log-level", "info"]

    /// The weekly-2ch sample with only its first `rows` periods (all when nil).
    func input(rows: Int?, in dir: URL) throws -> URL {
        let sample = Fixtures.sample("weekly-2ch")
        let folder = dir.appendingPathComponent("input")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lines = try String(contentsOf: sample.appendingPathComponent("data.csv"), encoding: .utf8).split(separator: "\n")
        let kept = rows.map { Array(lines.prefix($0 + 1)) } ?? lines
        try (kept.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("mixplan.yaml")
        try? FileManager.default.removeItem(at: config)
        try FileManager.default.copyItem(at: sample.appendingPathComponent("mixplan.yaml"), to: config)
        return config
    }

    func periods() throws -> Int {
        try String(contentsOf: Fixtures.sample("weekly-2ch").appendingPathComponent("data.csv"), encoding: .utf8).split(separator: "\n").count - 1
    }

    func weekly(_ config: URL, _ reports: URL, environment: [String: String] = [:]) throws -> MixPlanProcess.Output {
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        return try MixPlanProcess.run(["weekly", "--config", config.path, "--out", reports.path] + Self.quick, environment: env, timeLimit: 600)
    }

    func files(_ folder: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return out }
        for case let path as String in walker {
            var isDirectory: ObjCBool = false
            let url = folder.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue { out[path] = FileManager.default.contents(atPath: url.path) }
        }
        return out
    }

    func workArea(_ reports: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: reports.appendingPathComponent(".mixplan").path).sorted()
    }

    func testSIGTERMAndSIGINTReleaseTheLockAndRemoveStaging() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let reports = dir.appendingPathComponent("reports")
        let config = try input(rows: nil, in: dir)
        for (signal, number) in [("TERM", SIGTERM), ("INT", SIGINT)] {
            let stopped = try weekly(config, reports, environment: ["MIXPLAN_KILL_AT": "charts", "MIXPLAN_KILL_SIGNAL": signal])
            XCTAssertEqual(stopped.status, number, "ended by SIG\(signal): \(stopped.stderr)")
            XCTAssertTrue(stopped.stderr.contains("stopped by signal \(number); removed the unfinished pack and released the lock"), stopped.stderr)
            XCTAssertEqual(try workArea(reports), [], "no lock, no staging after SIG\(signal)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: reports.path).filter { !$0.hasPrefix(".") }, [])
        }
        // The next run neither waits for a lock nor finds leftovers.
        let next = try weekly(config, reports)
        XCTAssertTrue(next.status == 0 || next.status == 1, next.stderr)
        XCTAssertFalse(next.stderr.contains("stale lock") || next.stderr.contains("interrupted run"), next.stderr)
    }

    func testReRunningAWeekOnUnchangedDataGivesTheSamePack() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let reports = dir.appendingPathComponent("reports")
        let config = try input(rows: nil, in: dir)
        let first = try weekly(config, reports)
        XCTAssertTrue(first.status == 0 || first.status == 1, first.stderr)
        let week = try XCTUnwrap(FileManager.default.destinationOfSymbolicLink(atPath: reports.appendingPathComponent("latest").path))
        let pack = reports.appendingPathComponent(week)
        let plan = try Data(contentsOf: pack.appendingPathComponent("plan.json"))
        let draws = try Data(contentsOf: pack.appendingPathComponent("model/draws.csv"))
        let again = try weekly(config, reports)
        XCTAssertTrue(again.status == 0 || again.status == 1, again.stderr)
        XCTAssertTrue(again.stderr.contains("no warm start: the data has not changed"), again.stderr)
        XCTAssertEqual(try Data(contentsOf: pack.appendingPathComponent("model/draws.csv")), draws, "same data, config and seed: same draws")
        XCTAssertEqual(try Data(contentsOf: pack.appendingPathComponent("plan.json")), plan, "…and the same plan")
    }

    func testDamagedDrawsInThePreviousPackMeanNoWarmStart() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let reports = dir.appendingPathComponent("reports")
        let n = try periods()
        let first = try weekly(try input(rows: n - 1, in: dir), reports)
        XCTAssertTrue(first.status == 0 || first.status == 1, first.stderr)
        let week = try XCTUnwrap(FileManager.default.destinationOfSymbolicLink(atPath: reports.appendingPathComponent("latest").path))
        // Damage the last draw of each chain: a NaN and a 1e308 where finite values were.
        let drawsURL = reports.appendingPathComponent("\(week)/model/draws.csv")
        var lines = try String(contentsOf: drawsURL, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let header = lines[0].split(separator: ",").map(String.init)
        let sigma = try XCTUnwrap(header.firstIndex(of: "sigma"))
        for row in [lines.count / 2, lines.count - 1] {
            var cells = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[sigma] = row == lines.count - 1 ? "1e308" : "nan"
            lines[row] = cells.joined(separator: ",")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: drawsURL, atomically: true, encoding: .utf8)

        for _ in 0..<2 { // every later week must work, not only the next one
            let next = try weekly(try input(rows: nil, in: dir), reports)
            XCTAssertTrue(next.status == 0 || next.status == 1, next.stderr)
            XCTAssertFalse(next.stderr.contains("warm start from the previous fit"), next.stderr)
            XCTAssertTrue(next.stderr.contains("no warm start"), next.stderr)
        }
    }

    /// A tmpfs too small for a second copy of the pack: the re-run fails with exit 2 naming what
    /// could not be written, removes its staging copy, and leaves the previous pack as it was.
    func testAFullDiskLeavesThePreviousPackAndNoStaging() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let reports = dir.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        guard Self.shell("mount -t tmpfs -o size=64m mixplan-test \(reports.path)") == 0 else {
            throw XCTSkip("needs root to mount a small tmpfs")
        }
        addTeardownBlock { _ = Self.shell("umount \(reports.path)") }
        let n = try periods()
        let first = try weekly(try input(rows: n - 1, in: dir), reports)
        XCTAssertTrue(first.status == 0 || first.status == 1, first.stderr)
        let before = files(reports)
        let used = before.values.map(\.count).reduce(0, +)
        // Room for what is there plus a third of a pack more.
        XCTAssertEqual(Self.shell("mount -o remount,size=\(used + used / 3 + 64 * 1024) \(reports.path)"), 0)
        let full = try weekly(try input(rows: nil, in: dir), reports)
        XCTAssertEqual(full.status, 2, full.stderr)
        let error = full.stderr.split(separator: "\n").last { $0.hasPrefix("error: ") }.map(String.init) ?? ""
        XCTAssertTrue(error.contains("No space left on device") || error.contains("space"), full.stderr)
        XCTAssertTrue(error.contains(reports.path), "names the file: \(error)")
        XCTAssertEqual(try workArea(reports), [], "staging removed, lock released")
        XCTAssertEqual(files(reports).filter { !$0.key.hasPrefix(".mixplan/") }, before.filter { !$0.key.hasPrefix(".mixplan/") })
    }

    /// A reports folder on a read-only mount: exit 2 naming the folder MixPlan could not create
    /// and the system's reason, "Read-only file system" (it was reported as "No such file or
    /// directory", errno read after other calls had changed it), and nothing in it touched.
    func testAReadOnlyReportsFolderIsReportedAsReadOnly() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let reports = dir.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        guard Self.shell("mount -t tmpfs -o size=1m mixplan-test \(reports.path)") == 0 else {
            throw XCTSkip("needs root to mount a small tmpfs")
        }
        addTeardownBlock { _ = Self.shell("umount \(reports.path)") }
        try Data("an earlier pack\n".utf8).write(to: reports.appendingPathComponent("notes.txt"))
        XCTAssertEqual(Self.shell("mount -o remount,ro \(reports.path)"), 0)
        let run = try weekly(try input(rows: nil, in: dir), reports)
        XCTAssertEqual(run.status, 2, run.stderr)
        let error = run.stderr.split(separator: "\n").last { $0.hasPrefix("error: ") }.map(String.init) ?? ""
        XCTAssertTrue(error.contains(reports.appendingPathComponent(".mixplan").path), error)
        XCTAssertTrue(error.contains("Read-only file system"), error)
        XCTAssertFalse(error.contains("No such file"), error)
        XCTAssertEqual(files(reports), ["notes.txt": Data("an earlier pack\n".utf8)])
    }

    static func shell(_ command: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command + " 2>/dev/null"]
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}
