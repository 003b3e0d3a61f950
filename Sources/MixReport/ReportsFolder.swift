import Foundation
import MixData
#if canImport(Glibc)
import Glibc
#endif

/// The folder a scheduled job writes into, one complete pack per ISO week:
///
///     REPORTS_DIR/2026-W47/   a pack (charts/, mixplan.xlsx, report.md, report.html, model/, …)
///     REPORTS_DIR/latest      symbolic link to the newest complete pack
///     REPORTS_DIR/.mixplan/   the run lock and the staging area of the run in progress
///
/// A pack is built in the staging area and moved into place in one step only when complete, and
/// `latest` moves after it, so a run killed at any moment leaves the previous packs and `latest`
/// as they were; the next run clears what the killed one left in `.mixplan/`.
public final class ReportsFolder {
    public let root: URL
    private var work: URL { root.appendingPathComponent(".mixplan") }
    private var lockFile: URL { work.appendingPathComponent("lock") }
    private var holdsLock = false

    /// Opens (creating if needed) the reports folder. Refused: a file, the root, home or current folder (or one holding it),
    /// and a `.mixplan` that is not a plain folder (a symbolic link there would make clearing the
    /// staging area delete files elsewhere).
    public init(root: URL) throws {
        self.root = root.standardizedFileURL
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: root.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw InputError(InputLocation(file: root.path), "is a file, not a folder; give a folder for the reports.")
        }
        try AtomicOutput.checkOutputFolder(root, for: "weekly packs")
        do {
            try fm.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw InputError(InputLocation(file: root.path), "cannot create the reports folder here: \(Self.reason(error)).",
                             hint: "Check that the folder is writable by this user and the disk is not full.")
        }
        var info = stat()
        if lstat(work.path, &info) != 0 {
            let path = work.path
            let failure = mkdir(path, 0o755) == 0 ? 0 : errno
            if failure != 0 && failure != EEXIST {
                throw InputError(InputLocation(file: path), "cannot be created: \(String(cString: strerror(failure))).",
                                 hint: "Check that the reports folder is writable by this user and its disk is not read-only or full.")
            }
        } else if (info.st_mode & S_IFMT) != S_IFDIR {
            let what = (info.st_mode & S_IFMT) == S_IFLNK ? "a symbolic link" : "not a folder"
            throw InputError(InputLocation(file: work.path), "is \(what); MixPlan keeps its lock and unfinished packs in a folder of its own here and does not follow links for what it deletes.",
                             hint: "Remove \(work.path) (MixPlan recreates it as a folder).")
        }
    }

    deinit { unlock() }

    /// The pack folder name for the period ending with `date`: its ISO week, e.g. `2026-W47`.
    public static func weekName(for date: CalendarDate) -> String {
        let (year, week) = date.isoWeek
        return String(format: "%04d-W%02d", year, week)
    }

    /// Takes the run lock (see `RunLock`: the process id and its start time). A lock whose
    /// process is gone, or whose id now belongs to another process, is taken over and the
    /// returned message says so; a live one throws `FolderLockedError`.
    @discardableResult
    public func lock() throws -> String? {
        let note = try RunLock.acquire(lockFile.path)
        holdsLock = true
        InterruptCleanup.shared.holdLock(lockFile.path)
        return note
    }

    /// Releases the lock if this object holds it.
    public func unlock() {
        guard holdsLock else { return }
        InterruptCleanup.shared.holdLock(nil)
        unlink(lockFile.path)
        holdsLock = false
    }

    /// From now on, SIGINT or SIGTERM removes this run's staging folders and releases its lock
    /// before the process ends.
    public func cleanUpOnInterrupt() {
        InterruptCleanup.shared.install()
    }

    /// Removes what earlier, interrupted runs left: staging folders in the work area and a
    /// half-made `latest` link (`.latest.tmp-PID`) beside the packs; returns their names. Only
    /// names MixPlan makes are touched, and a symbolic link is removed, never followed.
    /// Call with the lock held.
    @discardableResult
    public func clearStaging() -> [String] {
        let fm = FileManager.default
        var removed: [String] = []
        for name in ((try? fm.contentsOfDirectory(atPath: work.path)) ?? []).sorted() where name.hasPrefix("staging-") {
            if (try? fm.removeItem(at: work.appendingPathComponent(name))) != nil { removed.append(name) }
        }
        for name in ((try? fm.contentsOfDirectory(atPath: root.path)) ?? []).sorted() where name.hasPrefix(".latest.tmp-") {
            let path = root.appendingPathComponent(name).path
            var info = stat()
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK, unlink(path) == 0 { removed.append(name) }
        }
        return removed
    }

    /// An empty staging folder for the pack of `week`.
    public func stagingFolder(for week: String) throws -> URL {
        let url = work.appendingPathComponent("staging-\(week)-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        let path = url.path
        guard mkdir(path, 0o755) == 0 else {
            let failure = errno
            throw InputError(InputLocation(file: work.path), "cannot create a staging folder: \(String(cString: strerror(failure))).")
        }
        InterruptCleanup.shared.addStaging(url.path)
        return url
    }

    /// Removes a staging folder after a failed run (e.g. a full disk), so it does not keep the
    /// disk full until the next run.
    public func discard(staged: URL) {
        guard FileManager.default.fileExists(atPath: staged.path) else { return }
        try? FileManager.default.removeItem(at: staged)
        InterruptCleanup.shared.removeStaging(staged.path)
    }

    /// Moves a complete staged pack into place as `week` (replacing that week's previous pack in
    /// one step), then points `latest` at the newest week present — `week` unless a newer pack
    /// exists (re-running an earlier week must not turn `latest` back). Returns where `latest` points.
    @discardableResult
    public func publish(staged: URL, as week: String) throws -> String {
        try OutputManifest.write(in: staged)
        try AtomicOutput.checkReplaceable(pack(week), marker: "report.md", kind: "weekly pack")
        let latest = root.appendingPathComponent("latest")
        var info = stat()
        if lstat(latest.path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK {
            throw InputError(InputLocation(file: latest.path), "is not a symbolic link; MixPlan points `latest` at the newest pack and will not replace what is there.",
                             hint: "Move it away and run again.")
        }
        let newest = try InterruptCleanup.shared.uninterrupted {
            try AtomicOutput.replaceDirectory(at: pack(week), with: staged)
            let newest = max(week, weeks.last ?? week)
            try AtomicOutput.pointLink(latest, to: newest)
            return newest
        }
        // `staged` now holds the replaced pack, if any.
        discard(staged: staged)
        return newest
    }

    /// The folder of a week's pack (which may not exist).
    public func pack(_ week: String) -> URL { root.appendingPathComponent(week) }

    /// Week names of the complete packs, oldest first.
    public var weeks: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { Self.isWeekName($0) }.sorted()
    }

    /// The week `latest` points at, if any.
    public var latestWeek: String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: root.appendingPathComponent("latest").path) else { return nil }
        return URL(fileURLWithPath: target).lastPathComponent
    }

    /// The newest pack from an earlier week than `week` (the one "what changed" compares with).
    public func previousWeek(before week: String) -> String? {
        weeks.last { $0 < week }
    }

    static func isWeekName(_ name: String) -> Bool {
        let parts = name.split(separator: "-")
        return parts.count == 2 && parts[0].count == 4 && parts[0].allSatisfy(\.isNumber)
            && parts[1].count == 3 && parts[1].first == "W" && parts[1].dropFirst().allSatisfy(\.isNumber)
    }

    private static func reason(_ error: Error) -> String {
        let text = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }
}
