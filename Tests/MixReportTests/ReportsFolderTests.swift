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
        // Each pack lists the files MixPlan wrote into it.
        XCTAssertEqual(OutputManifest.foreignItems(in: root.appendingPathComponent("2026-W46")), [])
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
        let text = try String(contentsOf: root.appendingPathComponent(".mixplan/lock"), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("\(getpid()) "), text)
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

    // MARK: Hardening (issue 19)

    func testALinkedWorkFolderIsRefusedAndWhatItPointsAtKept() throws {
        let root = try temporaryRoot()
        let victim = root.appendingPathComponent("victim")
        try FileManager.default.createDirectory(at: victim.appendingPathComponent("staging-2026-W01-1"), withIntermediateDirectories: true)
        try "precious".write(to: victim.appendingPathComponent("precious.txt"), atomically: false, encoding: .utf8)
        let reports = root.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: reports.appendingPathComponent(".mixplan").path, withDestinationPath: "../victim")
        XCTAssertThrowsError(try ReportsFolder(root: reports)) { error in
            XCTAssertTrue(error is InputError)
            XCTAssertTrue("\(error)".contains(".mixplan: is a symbolic link"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: victim.path).sorted(), ["precious.txt", "staging-2026-W01-1"])
    }

    func testTheRootAndHomeFoldersAreRefused() {
        for root in [URL(fileURLWithPath: "/"), FileManager.default.homeDirectoryForCurrentUser] {
            XCTAssertThrowsError(try ReportsFolder(root: root)) { error in
                XCTAssertTrue("\(error)".contains("weekly packs need a folder of their own"), "\(error)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/.mixplan/lock"))
    }

    func testALockNamingAnUnrelatedOrReusedProcessIsTakenOver() throws {
        let root = try temporaryRoot()
        let folder = try ReportsFolder(root: root)
        let lock = root.appendingPathComponent(".mixplan/lock")
        // PID 1 is alive but is not a mixplan run (a lock without a start time, as written by hand).
        try "1\n".write(to: lock, atomically: false, encoding: .utf8)
        XCTAssertTrue(try XCTUnwrap(try folder.lock()).contains("process 1, which is not a mixplan run"))
        folder.unlock()
        // This process's id with another start time: the id was reused after the run died.
        try "\(getpid()) 1\n".write(to: lock, atomically: false, encoding: .utf8)
        XCTAssertTrue(try XCTUnwrap(try folder.lock()).contains("belongs to a process started later"))
        // …while a lock with this process's real start time is live.
        let second = try ReportsFolder(root: root)
        XCTAssertThrowsError(try second.lock()) { XCTAssertEqual(($0 as? FolderLockedError)?.pid, getpid()) }
        folder.unlock()
    }

    func testALockThatIsAFolderIsReportedAsSuch() throws {
        let root = try temporaryRoot()
        let folder = try ReportsFolder(root: root)
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".mixplan/lock"), withIntermediateDirectories: false)
        XCTAssertThrowsError(try folder.lock()) { error in
            XCTAssertTrue(error is InputError, "\(error)")
            XCTAssertTrue("\(error)".contains(".mixplan/lock: is a folder, not MixPlan's lock file"), "\(error)")
        }
    }

    func testHalfMadeLatestLinksAreClearedAndOnlyStagingIsRemoved() throws {
        let root = try temporaryRoot()
        let folder = try ReportsFolder(root: root)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent(".latest.tmp-2147483000").path, withDestinationPath: "2026-W01")
        try "mine".write(to: root.appendingPathComponent(".mixplan/notes.txt"), atomically: false, encoding: .utf8)
        try folder.lock()
        XCTAssertEqual(folder.clearStaging(), [".latest.tmp-2147483000"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent(".latest.tmp-2147483000").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(".mixplan/notes.txt").path))
    }

    func testAPackHoldingAPlannersNotesIsNotReplaced() throws {
        let root = try temporaryRoot()
        let folder = try ReportsFolder(root: root)
        try folder.lock()
        try folder.publish(staged: try stage(folder, "2026-W46", content: "first"), as: "2026-W46")
        try "call the agency".write(to: root.appendingPathComponent("2026-W46/notes.txt"), atomically: false, encoding: .utf8)
        let staged = try stage(folder, "2026-W46", content: "again")
        XCTAssertThrowsError(try folder.publish(staged: staged, as: "2026-W46")) { error in
            XCTAssertTrue("\(error)".contains("1 item MixPlan did not write (notes.txt)"), "\(error)")
        }
        folder.discard(staged: staged)
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("2026-W46/report.md"), encoding: .utf8), "first")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".mixplan").path), ["lock"])
    }
}
