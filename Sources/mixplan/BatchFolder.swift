import Foundation
import MixData
#if canImport(Glibc)
import Glibc
#endif

/// What one model's last batch run left: written to `OUT/_status/<name>.json` when the run
/// starts (state `running`) and when it ends (`done` or `failed`), each time atomically.
struct BatchStatusRecord: Codable, Equatable {
    enum State: String, Codable { case running, done, failed }

    var name: String
    var state: State
    /// SHA-256 of the model's inputs (see `BatchInputs`); a resubmission skips a `done` model
    /// whose inputs still have this fingerprint.
    var fingerprint: String
    var mixplanVersion: String
    /// ISO 8601 times (UTC) and the run's length.
    var started: String
    var finished: String?
    var seconds: Double?
    /// Where it ran: host name, process id and shard (`i/N`).
    var host: String
    var pid: Int32
    var shard: String
    /// Failed runs: the error, as the command line would print it.
    var error: String?
    /// Done runs: convergence verdict, the plan's headline and every warning.
    var converged: Bool?
    var headline: String?
    var warnings: [String]?
}

/// The output folder of a batch run:
///
///     OUT/<name>/              one complete pack per model (as `weekly` writes), swapped in whole
///     OUT/_status/<name>.json  the model's status record; <name>.lock while a run holds it
///     OUT/_portfolio/          the roll-up `mixplan batch collect` writes
///
/// Names starting with `_` or `.` are refused in manifests, so MixPlan's folders never clash
/// with a model's. Shards write disjoint models, so they share this folder without a global lock;
/// a per-model lock stops two runs (say a resubmission while the first is still running)
/// writing the same model.
struct BatchFolder {
    static let statusFolderName = "_status"
    static let rollupFolderName = "_portfolio"

    let root: URL

    init(root: URL, create: Bool) throws {
        self.root = root.standardizedFileURL
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw InputError(InputLocation(file: root.path), "is a file, not a folder; give a folder for the batch outputs.")
        }
        guard create else { return }
        try AtomicOutput.checkOutputFolder(root, for: "batch outputs")
        do {
            try FileManager.default.createDirectory(at: statusFolder, withIntermediateDirectories: true)
        } catch {
            throw InputError(InputLocation(file: root.path), "cannot create the batch output folder here: \((error as NSError).localizedDescription).",
                             hint: "Check that the folder (on a shared file system, for a cluster) is writable by this user.")
        }
    }

    var statusFolder: URL { root.appendingPathComponent(Self.statusFolderName) }
    var rollupFolder: URL { root.appendingPathComponent(Self.rollupFolderName) }
    func pack(_ name: String) -> URL { root.appendingPathComponent(name) }
    func statusFile(_ name: String) -> URL { statusFolder.appendingPathComponent("\(name).json") }
    private func lockFile(_ name: String) -> URL { statusFolder.appendingPathComponent("\(name).lock") }

    /// The model's last status record (nil when there is none or it cannot be read).
    func status(_ name: String) -> BatchStatusRecord? {
        guard let data = try? Data(contentsOf: statusFile(name)) else { return nil }
        return try? MixJSON.decoder().decode(BatchStatusRecord.self, from: data)
    }

    func write(_ record: BatchStatusRecord) throws {
        let encoder = MixJSON.encoder()
        try AtomicOutput.write(try encoder.encode(record) + Data("\n".utf8), to: statusFile(record.name))
    }

    /// How long a lock from another host stays valid without being refreshed. The run holding
    /// a lock touches it every `lockRefresh` seconds (`LockHeartbeat`), so a lock older than
    /// this was left by a run that died (a node lost, a job killed at its time limit), and a
    /// resubmission on another node may take it over.
    static let lockLease: TimeInterval = 300
    static let lockRefresh: TimeInterval = 30

    /// The outcome of trying to take a model's lock.
    enum LockResult {
        /// Taken; `tookOver` describes the stale lock replaced, if any.
        case taken(tookOver: String?)
        /// Another live run holds it.
        case held(String)
    }

    /// Takes the model's lock (a file naming host and process). A lock left by a process of
    /// this host that no longer runs, or by another host and not refreshed for `lockLease`, is
    /// taken over; a live one is reported and left alone.
    func lock(_ name: String) -> LockResult {
        let url = lockFile(name)
        let me = "\(Self.hostName) \(getpid())\n"
        var tookOver: String?
        for _ in 0..<2 {
            let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd >= 0 {
                _ = me.withCString { Glibc.write(fd, $0, strlen($0)) }
                close(fd)
                return .taken(tookOver: tookOver)
            }
            guard errno == EEXIST else { return .held("cannot create \(url.path): \(String(cString: strerror(errno)))") }
            let parts = ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: " ")
            let host = parts.first.map(String.init) ?? ""
            let pid = parts.count > 1 ? Int32(parts[1].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 : 0
            let modified = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? nil
            let age = modified.map { Date().timeIntervalSince($0) } ?? .infinity
            if host == Self.hostName && pid > 0 {
                if kill(pid, 0) == 0 || errno == EPERM {
                    return .held("another mixplan run (pid \(pid)) is fitting this model; \(url.path) is its lock")
                }
                tookOver = "took over the lock of process \(pid), which is no longer running"
            } else if host != Self.hostName && pid > 0 {
                guard age > Self.lockLease else {
                    return .held("a run on host \(host) (pid \(pid)) is fitting this model (its lock \(url.path) was refreshed \(Int(age)) s ago); locks not refreshed for \(Int(Self.lockLease)) s are taken over")
                }
                tookOver = "took over the lock of host \(host) (pid \(pid)), not refreshed for \(Int(age)) s"
            } else {
                tookOver = "took over an unreadable lock file"
            }
            unlink(url.path)
        }
        return .held("cannot take \(url.path)")
    }

    /// Refreshes the model's lock (its modification time), so other hosts see the run is alive.
    func refreshLock(_ name: String) {
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: lockFile(name).path)
    }

    func unlock(_ name: String) { unlink(lockFile(name).path) }

    /// Removes the temporary folders an interrupted run of this model left beside its pack
    /// (`.<name>.tmp-<pid>`, `.<name>.old-<pid>`). Call with the model's lock held.
    func clearLeftovers(_ name: String) -> [String] {
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: root.path)) ?? []).filter { item in
            [".\(name).tmp-", ".\(name).old-"].contains { prefix in
                item.hasPrefix(prefix) && !item.dropFirst(prefix.count).isEmpty && item.dropFirst(prefix.count).allSatisfy(\.isNumber)
            }
        }
        for item in names { try? fm.removeItem(at: root.appendingPathComponent(item)) }
        return names.sorted()
    }

    static let hostName = ProcessInfo.processInfo.hostName.split(separator: " ").first.map(String.init) ?? "localhost"

    static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}

/// Touches a model's lock every `BatchFolder.lockRefresh` seconds while its run lasts.
final class LockHeartbeat {
    private let timer: DispatchSourceTimer

    init(folder: BatchFolder, name: String) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + BatchFolder.lockRefresh, repeating: BatchFolder.lockRefresh)
        timer.setEventHandler { folder.refreshLock(name) }
        timer.resume()
    }

    func stop() { timer.cancel() }

    deinit { timer.cancel() }
}
