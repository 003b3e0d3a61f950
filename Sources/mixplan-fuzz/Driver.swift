import Foundation

/// The seeded mutation driver: runs `FuzzTarget` on `count` generated inputs, with a watchdog
/// that stops the run when one input takes longer than the time limit, and a crash handler that
/// names the input so it can be replayed (`--replay N --seed S`).
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
        let watchdog = Watchdog(limit: timeLimit)
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
            let t0 = clock.now
            FuzzTarget.run(input)
            let dt = clock.now - t0
            watchdog.end()
            let seconds = Double(dt.components.seconds) + Double(dt.components.attoseconds) * 1e-18
            if seconds > slowest.seconds { slowest = (i, seconds) }
            done = i + 1
            if (i + 1) % 100_000 == 0 {
                FileHandle.standardError.write(Data("mixplan-fuzz: \(i + 1) inputs…\n".utf8))
            }
        }
        let wall = clock.now - began
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
        print(String(format: "mixplan-fuzz: %d inputs (seed %llu, %d seed files, %.1f MB in total), 0 crashes, 0 hangs; "
                     + "wall %.1f s; slowest input #%d took %.3f s (limit %.1f s)",
                     done, seed, seeds.count, Double(bytes) / 1e6, wallSeconds, slowest.index, slowest.seconds, timeLimit))
        return 0
    }
}

/// Stops the process when an input runs longer than the limit (a hang), naming the input.
final class Watchdog: @unchecked Sendable {
    private let limit: Double
    private let lock = NSLock()
    private var index = -1
    private var started = Date.distantFuture

    init(limit: Double) { self.limit = limit }

    func begin(_ i: Int) { lock.lock(); index = i; started = Date(); lock.unlock() }
    func end() { lock.lock(); index = -1; started = .distantFuture; lock.unlock() }

    func start() {
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: min(0.25, limit / 4))
                lock.lock()
                let (i, elapsed) = (index, Date().timeIntervalSince(started))
                lock.unlock()
                if i >= 0 && elapsed > limit {
                    FileHandle.standardError.write(Data("mixplan-fuzz: HANG: input #\(i) has run \(String(format: "%.1f", elapsed)) s (limit \(limit) s); replay it with --replay \(i) --seed \(CrashReport.seed)\n".utf8))
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
