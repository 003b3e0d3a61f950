import Foundation

/// The seeded mutation driver: runs `FuzzTarget` on `count` generated inputs, with a watchdog
/// that stops the run when one input takes longer than the time limit, and a crash handler that
/// names the input so it can be replayed (`--replay N --seed S`).
///
/// The limit counts the fuzzing thread's CPU seconds, so a machine shared with other work does
/// not turn a slow scheduler into a finding; an input that blocks without using the CPU (a
/// FIFO read) is caught by a wall-clock limit of 30 s or 10× the limit, whichever is larger.
struct Driver {
    var seed: UInt64 = 1
    var count = 1_000_000
    var timeLimit = 2.0
    /// Stop after this many seconds of wall time (nil: run all `count` inputs).
    var duration: Double?
    var replay: Int?
    var dump: String?
    var corpus: [URL] = Driver.defaultCorpus

    /// The package root, from this file's location (the driver is run from a checkout).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Valid and bad inputs MixPlan ships: the samples, the MixData fixtures, the catalogue.
    static var defaultCorpus: [URL] {
        ["samples", "Tests/Fixtures/data/good", "Tests/Fixtures/data/bad", "Tests/Fixtures/bad-input", "Templates"]
            .map { packageRoot.appendingPathComponent($0) }
    }

    /// Seed files: every .csv, .yaml and .mustache under the corpus folders, cut to 16 KiB at a line end
    /// so that one input stays fast (the long-input paths are reached by the mutations).
    func loadSeeds() throws -> [Data] {
        var seeds: [Data] = []
        for root in corpus {
            let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
                .compactMap { $0 as? URL }.filter { ["csv", "yaml", "mustache"].contains($0.pathExtension) }
                .sorted { $0.path < $1.path } ?? []
            for file in files where !file.path.contains("/model-2ch/") {
                var data = try Data(contentsOf: file)
                if data.count > 16 << 10 {
                    let end = data[..<(16 << 10)].lastIndex(of: 0x0A).map { $0 + 1 } ?? (16 << 10)
                    data = data[..<end]
                }
                seeds.append(data)
            }
        }
        return seeds
    }

    func run() throws -> Int32 {
        let seeds = try loadSeeds()
        guard !seeds.isEmpty else {
            FileHandle.standardError.write(Data("mixplan-fuzz: no seed files found under \(corpus.map(\.path))\n".utf8))
            return 2
        }
        let mutator = Mutator(seeds: seeds)
        if let replay {
            let input = mutator.input(seed: seed, index: replay)
            if let dump { try input.write(to: URL(fileURLWithPath: dump)) }
            FuzzTarget.run(input)
            print("input #\(replay) (seed \(seed), \(input.count) bytes): no finding")
            return 0
        }
        CrashReport.install(seed: seed)
        let watchdog = Watchdog(limit: timeLimit, thread: pthread_self())
        watchdog.start()
        let clock = ContinuousClock()
        let began = clock.now
        var slowest = (index: 0, seconds: 0.0), bytes = 0, done = 0
        for i in 0..<count {
            if let duration, (i & 255) == 0, clock.now - began > .seconds(duration) { break }
            let input = mutator.input(seed: seed, index: i)
            bytes += input.count
            CrashReport.current = i
            watchdog.begin(i)
            let t0 = watchdog.cpuSeconds()
            FuzzTarget.run(input)
            let seconds = watchdog.cpuSeconds() - t0
            watchdog.end()
            if seconds > slowest.seconds { slowest = (i, seconds) }
            done = i + 1
            if (i + 1) % 100_000 == 0 {
                FileHandle.standardError.write(Data("mixplan-fuzz: \(i + 1) inputs…\n".utf8))
            }
        }
        let wall = clock.now - began
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
        print(String(format: "mixplan-fuzz: %d inputs (seed %llu, %d seed files, %.1f MB in total), 0 crashes, 0 hangs; "
                     + "wall %.1f s; slowest input #%d took %.3f CPU s (limit %.1f CPU s)",
                     done, seed, seeds.count, Double(bytes) / 1e6, wallSeconds, slowest.index, slowest.seconds, timeLimit))
        return 0
    }
}

/// Stops the process when an input runs longer than the limit (a hang), naming the input: more
/// than `limit` CPU seconds of the fuzzing thread, or more than `wallLimit` wall seconds.
final class Watchdog: @unchecked Sendable {
    private let limit: Double
    private let wallLimit: Double
    private let cpuClock: clockid_t
    private let lock = NSLock()
    private var index = -1
    private var started = Date.distantFuture
    private var startedCPU = 0.0

    init(limit: Double, thread: pthread_t) {
        self.limit = limit
        wallLimit = max(30, 10 * limit)
        var id = clockid_t()
        cpuClock = pthread_getcpuclockid(thread, &id) == 0 ? id : CLOCK_MONOTONIC
    }

    /// CPU seconds the watched thread has used.
    func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(cpuClock, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    func begin(_ i: Int) {
        let cpu = cpuSeconds()
        lock.lock(); index = i; started = Date(); startedCPU = cpu; lock.unlock()
    }
    func end() { lock.lock(); index = -1; started = .distantFuture; lock.unlock() }

    func start() {
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: min(0.25, limit / 4))
                let cpu = cpuSeconds()
                lock.lock()
                let (i, wall, used) = (index, Date().timeIntervalSince(started), cpu - startedCPU)
                lock.unlock()
                if i >= 0 && (used > limit || wall > wallLimit) {
                    FileHandle.standardError.write(Data("mixplan-fuzz: HANG: input #\(i) has run \(String(format: "%.1f", used)) CPU s, \(String(format: "%.1f", wall)) s wall (limits \(limit) CPU s, \(wallLimit) s wall); replay it with --replay \(i) --seed \(CrashReport.seed)\n".utf8))
                    exit(4)
                }
            }
        }
        thread.start()
    }
}

/// On a fatal signal, writes which input was running — into a buffer allocated beforehand,
/// with `write` only, as a signal handler must — then lets the signal take its default course.
enum CrashReport {
    nonisolated(unsafe) static var current = -1
    nonisolated(unsafe) static var seed: UInt64 = 0
    nonisolated(unsafe) static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)

    static func install(seed: UInt64) {
        self.seed = seed
        for fatalSignal in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                var n = 0
                func put(_ s: StaticString) {
                    s.withUTF8Buffer { for c in $0 where n < 200 { CrashReport.buffer[n] = c; n += 1 } }
                }
                func put(_ v: UInt64) {
                    var x = v, k = 0
                    repeat { CrashReport.buffer[230 + k] = 0x30 + UInt8(x % 10); x /= 10; k += 1 } while x > 0
                    while k > 0 { k -= 1; CrashReport.buffer[n] = CrashReport.buffer[230 + k]; n += 1 }
                }
                let index = UInt64(max(0, CrashReport.current))
                put("\nmixplan-fuzz: CRASH on input #"); put(index)
                put("; replay it with --replay "); put(index)
                put(" --seed "); put(CrashReport.seed); put("\n")
                _ = write(STDERR_FILENO, CrashReport.buffer, n)
                signal(sig, SIG_DFL)
                raise(sig)
            }
            sigaction(fatalSignal, &action, nil)
        }
    }
}
