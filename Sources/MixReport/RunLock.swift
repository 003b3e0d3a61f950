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

/// The run lock of a reports folder: a file created exclusively, holding the owner's process id
/// and that process's start time (`PID START`, START in clock ticks since boot as in
/// /proc/PID/stat). The start time tells a live owner from an unrelated process that was later
/// given the same id, so a lock left by a killed run never blocks later runs for good.
enum RunLock {
    /// Creates `path` for this process. Returns a note when a stale lock was taken over; throws
    /// `FolderLockedError` when a live run holds it, and `InputError` when it cannot be made.
    static func acquire(_ path: String) throws -> String? {
        var takenOver: String?
        for _ in 0..<2 {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                let text = "\(getpid()) \(startTime(of: getpid()).map(String.init) ?? "0")\n"
                let written = text.withCString { write(fd, $0, strlen($0)) }
                let failure = written < 0 ? errno : 0
                close(fd)
                if failure != 0 || written != text.utf8.count {
                    unlink(path)
                    throw InputError(InputLocation(file: path), "cannot write the lock file: \(failure != 0 ? String(cString: strerror(failure)) : "short write (disk full?)").")
                }
                return takenOver
            }
            let failure = errno
            guard failure == EEXIST else {
                throw InputError(InputLocation(file: path), "cannot create the lock file: \(String(cString: strerror(failure))).",
                                 hint: "Check that the reports folder is writable by this user and its disk is not read-only or full.")
            }
            var info = stat()
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
                let what = (info.st_mode & S_IFMT) == S_IFDIR ? "a folder" : "not a regular file"
                throw InputError(InputLocation(file: path), "is \(what), not MixPlan's lock file, so MixPlan cannot tell whether another run is writing this reports folder.",
                                 hint: "Remove it (no mixplan run makes it) and run again.")
            }
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            switch owner(described: text) {
            case .live(let pid):
                throw FolderLockedError(lockFile: path, pid: pid)
            case .gone(let why):
                takenOver = why
            }
            unlink(path)
        }
        throw FolderLockedError(lockFile: path, pid: 0)
    }

    enum Owner: Equatable {
        case live(Int32)
        case gone(String)
    }

    /// Whether the run a lock file's text names is still running.
    static func owner(described text: String) -> Owner {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard let first = fields.first, let pid = Int32(first), pid > 0 else {
            return .gone("took over an unreadable lock file")
        }
        guard kill(pid, 0) == 0 || errno == EPERM else {
            return .gone("took over a stale lock left by process \(pid), which is no longer running")
        }
        if fields.count > 1, let recorded = UInt64(fields[1]), recorded > 0 {
            if let now = startTime(of: pid), now != recorded {
                return .gone("took over a stale lock left by process \(pid); that process id now belongs to a process started later")
            }
            return .live(pid)
        }
        // A lock without a start time (an older MixPlan, or written by hand): the process must at
        // least be a mixplan run.
        if let command = commandLine(of: pid), !command.lowercased().contains("mixplan") {
            return .gone("took over a stale lock naming process \(pid), which is not a mixplan run")
        }
        return .live(pid)
    }

    /// Field 22 of /proc/PID/stat: when the process started, in clock ticks after boot.
    static func startTime(of pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command name come field 3 (state) onwards, so field 22 is at index 19.
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    private static func commandLine(of pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }
}
