import Foundation
import XCTest
import MixReport

/// The weekly reports folder: lock, stale-lock takeover, one-step publication and `latest`.
final class ReportsFolderTests: XCTestCase {
    private func temporaryRoot() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-folder-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    private func stage(_ folder: ReportsFolder, _ week: String, content: String) throws -> URL {
        let staged = try folder.stagingFolder(for: week)
        try content.write(to: staged.appendingPathComponent("report.md"), atomically: false, encoding: .utf8)
        return staged
    }

    func testWeekNamesFollowISOWeeks() {
        XCTAssertEqual(ReportsFolder.weekName(for: CalendarDate(year: 2026, month: 11, day: 23)!), "2026-W48")
        // 2021-01-03 is a Sunday belonging to ISO week 53 of 2020.
        XCTAssertEqual(ReportsFolder.weekName(for: CalendarDate(year: 2021, month: 1, day: 3)!), "2020-W53")
        XCTAssertEqual(ReportsFolder.weekName(for: CalendarDate(year: 2024, month: 12, day: 30)!), "2025-W01")
    }

    func testPublishReplacesAWeekInOneStepAndMovesLatest() throws {
        let root = try temporaryRoot()
        let folder = try ReportsFolder(root: root)
        XCTAssertNil(try folder.lock())
        try folder.publish(staged: try stage(folder, "2026-W46", content: "first"), as: "2026-W46")
        try folder.publish(staged: try stage(folder, "2026-W47", content: "second"), as: "2026-W47")
        XCTAssertEqual(folder.latestWeek, "2026-W47")
        try folder.publish(staged: try stage(folder, "2026-W47", content: "second, re-run"), as: "2026-W47")
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("latest/report.md"), encoding: .utf8), "second, re-run")
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("2026-W46/report.md"), encoding: .utf8), "first")
        XCTAssertEqual(folder.weeks, ["2026-W46", "2026-W47"])
        // Re-running an earlier week replaces its pack but leaves `latest` at the newest week.
        let latest = try folder.publish(staged: try stage(folder, "2026-W46", content: "first, re-run"), as: "2026-W46")
        XCTAssertEqual(latest, "2026-W47")
        XCTAssertEqual(folder.latestWeek, "2026-W47")
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("2026-W46/report.md"), encoding: .utf8), "first, re-run")
        try folder.publish(staged: try stage(folder, "2026-W46", content: "first"), as: "2026-W46")
        XCTAssertEqual(folder.previousWeek(before: "2026-W47"), "2026-W46")
        XCTAssertNil(folder.previousWeek(before: "2026-W46"))
        // Nothing but the lock is left in the working area, and nothing stray beside the packs.
        let visible = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertEqual(visible, ["2026-W46", "2026-W47", "latest"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".mixplan").path), ["lock"])
        folder.unlock()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".mixplan").path), [])
    }

    func testALiveLockRefusesASecondRun() throws {
        let root = try temporaryRoot()
        let first = try ReportsFolder(root: root)
        try first.lock()
        let second = try ReportsFolder(root: root)
        XCTAssertThrowsError(try second.lock()) { error in
            let locked = error as? FolderLockedError
            XCTAssertEqual(locked?.pid, getpid())
            XCTAssertTrue("\(error)".contains("another mixplan run"), "\(error)")
        }
        first.unlock()
        XCTAssertNil(try second.lock())
    }

    func testAStaleLockIsTakenOverWithAMessage() throws {
        let root = try temporaryRoot()
        let folder = try ReportsFolder(root: root)
        // A process id far above any pid_max cannot be running.
        try "2147483000\n".write(to: root.appendingPathComponent(".mixplan/lock"), atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".mixplan/staging-2026-W47-2147483000"),
                                                withIntermediateDirectories: false)
        let message = try XCTUnwrap(try folder.lock())
        XCTAssertTrue(message.contains("2147483000"), message)
        XCTAssertEqual(folder.clearStaging(), ["staging-2026-W47-2147483000"])
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent(".mixplan/lock"), encoding: .utf8), "\(getpid())\n")
    }

    func testAFileWhereTheFolderShouldBeIsBadInput() throws {
        let root = try temporaryRoot()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("reports")
        try "x".write(to: file, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try ReportsFolder(root: file)) { error in
            XCTAssertTrue(error is InputError)
            XCTAssertTrue("\(error)".contains("is a file"), "\(error)")
        }
    }
}
