import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a weekly run must undo when it is stopped with SIGINT (Ctrl-C) or SIGTERM (a cron or
/// systemd timeout): remove its staging folders and release its lock, so the next run neither
/// waits for a dead lock nor finds a half-built pack. The signals are taken by dispatch sources
/// (not a C handler), so the cleanup runs as ordinary code; publishing a pack holds `mutex`, so a
/// signal never removes a staging folder while it is being moved into place. After cleaning up
/// the process ends by the same signal, as it would have without the handler.
final class InterruptCleanup: @unchecked Sendable {
    static let shared = InterruptCleanup()

    private let mutex = NSLock()
    private var lockFile: String?
    private var staging: Set<String> = []
    private var sources: [DispatchSourceSignal] = []

    /// Starts catching SIGINT and SIGTERM (once per process).
    func install() {
        mutex.lock()
        defer { mutex.unlock() }
        guard sources.isEmpty else { return }
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in self.stop(by: number) }
            source.resume()
            sources.append(source)
        }
    }

    func holdLock(_ path: String?) { mutex.lock(); lockFile = path; mutex.unlock() }
    func addStaging(_ path: String) { mutex.lock(); staging.insert(path); mutex.unlock() }
    func removeStaging(_ path: String) { mutex.lock(); staging.remove(path); mutex.unlock() }

    /// Runs `body` (a publication) with the cleanup held off.
    func uninterrupted<T>(_ body: () throws -> T) rethrows -> T {
        mutex.lock()
        defer { mutex.unlock() }
        return try body()
    }

    private func stop(by number: Int32) {
        mutex.lock() // never released: the process ends below
        for path in staging { try? FileManager.default.removeItem(atPath: path) }
        if let lockFile { unlink(lockFile) }
        let message = "mixplan: stopped by signal \(number); removed the unfinished pack and released the lock\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        signal(number, SIG_DFL)
        // To the process, not this thread: dispatch's worker threads block signals.
        kill(getpid(), number)
        usleep(200_000)
        _exit(128 + number)
    }
}
