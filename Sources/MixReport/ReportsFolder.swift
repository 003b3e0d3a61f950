import Foundation
import MixData
#if canImport(Glibc)
import Glibc
#endif

/// Another run holds the reports folder's lock.
public struct FolderLockedError: Error, CustomStringConvertible {
    public var lockFile: String
    public var pid: Int32
    public var description: String {
        "\(lockFile): another mixplan run (pid \(pid)) is writing this reports folder; try again when it has finished, or stop it."
    }
}

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

    /// Opens (creating if needed) the reports folder.
    public init(root: URL) throws {
        self.root = root.standardizedFileURL
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: root.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw InputError(InputLocation(file: root.path), "is a file, not a folder; give a folder for the reports.")
        }
        do {
            try fm.createDirectory(at: work, withIntermediateDirectories: true)
        } catch {
            throw InputError(InputLocation(file: root.path), "cannot create the reports folder here: \(Self.reason(error)).",
                             hint: "Check that the folder is writable by this user and the disk is not full.")
        }
    }

    deinit { unlock() }

    /// The pack folder name for the period ending with `date`: its ISO week, e.g. `2026-W47`.
    public static func weekName(for date: CalendarDate) -> String {
        let (year, week) = date.isoWeek
        return String(format: "%04d-W%02d", year, week)
    }

    /// Takes the run lock (a file holding this process's id). A lock whose process is gone is
    /// taken over, and the returned message says so; a live one throws `FolderLockedError`.
    @discardableResult
    public func lock() throws -> String? {
        var takenOver: String?
        for _ in 0..<2 {
            let fd = open(lockFile.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd >= 0 {
                let text = "\(getpid())\n"
                _ = text.withCString { write(fd, $0, strlen($0)) }
                close(fd)
                holdsLock = true
                return takenOver
            }
            guard errno == EEXIST else {
                throw InputError(InputLocation(file: lockFile.path), "cannot create the lock file: \(String(cString: strerror(errno))).",
                                 hint: "Check that the reports folder is writable by this user.")
            }
            let text = (try? String(contentsOf: lockFile, encoding: .utf8)) ?? ""
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            if pid > 0 && (kill(pid, 0) == 0 || errno == EPERM) {
                throw FolderLockedError(lockFile: lockFile.path, pid: pid)
            }
            takenOver = pid > 0
                ? "took over a stale lock left by process \(pid), which is no longer running"
                : "took over an unreadable lock file"
            unlink(lockFile.path)
        }
        throw FolderLockedError(lockFile: lockFile.path, pid: 0)
    }

    /// Releases the lock if this object holds it.
    public func unlock() {
        guard holdsLock else { return }
        unlink(lockFile.path)
        holdsLock = false
    }

    /// Removes what earlier, interrupted runs left in the staging area; returns their names.
    /// Call with the lock held.
    @discardableResult
    public func clearStaging() -> [String] {
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: work.path)) ?? []).filter { $0 != "lock" }.sorted()
        for name in names { try? fm.removeItem(at: work.appendingPathComponent(name)) }
        return names
    }

    /// An empty staging folder for the pack of `week`.
    public func stagingFolder(for week: String) throws -> URL {
        let url = work.appendingPathComponent("staging-\(week)-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        } catch {
            throw InputError(InputLocation(file: work.path), "cannot create a staging folder: \(Self.reason(error)).")
        }
        return url
    }

    /// Moves a complete staged pack into place as `week` (replacing that week's previous pack in
    /// one step), then points `latest` at the newest week present — `week` unless a newer pack
    /// exists (re-running an earlier week must not turn `latest` back). Returns where `latest` points.
    @discardableResult
    public func publish(staged: URL, as week: String) throws -> String {
        try AtomicOutput.checkReplaceable(pack(week), marker: "report.md", kind: "weekly pack")
        try AtomicOutput.replaceDirectory(at: pack(week), with: staged)
        try? FileManager.default.removeItem(at: staged)
        let newest = max(week, weeks.last ?? week)
        try AtomicOutput.pointLink(root.appendingPathComponent("latest"), to: newest)
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
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
