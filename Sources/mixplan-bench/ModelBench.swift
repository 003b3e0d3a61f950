import Foundation
import MixData
import MixModel

/// µs per log-density + gradient evaluation of the MMM on each bundled sample, and optionally
/// the whole fit (`--fit`): `mixplan fit` run as its own process (the `mixplan` built next to this
/// benchmark), timed from start to exit — reading, sampling, summaries, saving — with the sampler's
/// own figures read back from the saved model. Samples are read from `samples/` relative to the
/// working directory.
/// "CPU µs" is the thread's CPU time per evaluation: on a shared machine the wall-clock figure
/// also counts time spent waiting for a core. "best µs" is the fastest of five batches, the
/// figure least disturbed by other work. "exp µs" is what the gradient's exponentials alone cost
/// (logistic saturation needs one per period and channel): a floor no other work can lower.
enum ModelBench {
    static func run() {
        // `--only=NAME[,NAME…]` limits the run to some samples.
        let all = ["weekly-2ch", "weekly-5ch", "daily-8ch", "weekly-3ch-large"]
        let only = CommandLine.arguments.first { $0.hasPrefix("--only=") }.map { $0.dropFirst(7).split(separator: ",").map(String.init) }
        let samples = only ?? all
        let fit = CommandLine.arguments.contains("--fit")
        // `--reps=N` fixes the number of evaluations per sample (more for a profiler to sample).
        let fixedReps = CommandLine.arguments.first { $0.hasPrefix("--reps=") }.flatMap { Int($0.dropFirst(7)) }
        print("sample              periods  params   µs/gradient   CPU µs  best µs   exp µs" + (fit ? "  process s  sampler s    grads  min ESS  ESS/s  div.  max R̂  R²" : ""))
        for name in samples {
            let path = "samples/\(name)/mixplan.yaml"
            guard FileManager.default.fileExists(atPath: path) else {
                print("\(name): not found at \(path) (run from the package root)")
                continue
            }
            do {
                let config = try ConfigLoader.load(path: path)
                let data = try DatasetLoader().load(config).dataset
                let structure = try ModelStructure(dataset: data, model: config.model)
                var density = MediaMixModel(structure: structure)
                let n = density.dimension
                var u = [Double](repeating: 0.1, count: n)
                var g = [Double](repeating: 0, count: n)
                let reps = fixedReps ?? max(2000, 4_000_000 / max(1, data.periodCount * data.channelCount))
                var sink = 0.0
                // Five batches: the mean over all of them, and the fastest batch (the least disturbed
                // by other work on a shared machine).
                let batches = 5, perBatch = max(1, reps / batches)
                var best = Double.infinity, cpuTotal = 0.0
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<batches {
                    let cpuStart = threadCPUNanoseconds()
                    for r in 0..<perBatch {
                        u[r % n] += 1e-9
                        sink += u.withUnsafeBufferPointer { up in g.withUnsafeMutableBufferPointer { density.logDensity(at: up, gradient: $0) } }
                    }
                    let cpu = Double(threadCPUNanoseconds() - cpuStart)
                    cpuTotal += cpu
                    best = min(best, cpu / 1000 / Double(perBatch))
                }
                let cpu = cpuTotal / 1000 / Double(batches * perBatch)
                let micros = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(batches * perBatch)
                let exps = exponentialMicros(count: structure.channels.filter { $0.saturation.kind == .logistic }.count * data.periodCount)
                var line = String(format: "%-18@ %8d %7d %13.2f %9.2f %8.2f %8.2f", name as NSString, data.periodCount, n, micros, cpu, best, exps)
                if sink.isNaN { line += " (nan)" }
                if fit {
                    let (model, wall) = try fitInProcess(config: path)
                    let minESS = model.sampler.minEssBulk
                    let r2 = PosteriorQuantities(model: model, maxDraws: 400).inSample.r2
                    line += String(format: " %10.2f %10.2f %8d %8.0f %6.0f %5d %7.4f %6.3f", wall, model.sampler.seconds, model.sampler.gradientEvaluations,
                                   minESS, minESS / wall, model.sampler.divergences, model.sampler.maxRhat, r2)
                    if CommandLine.arguments.contains("--verbose") {
                        for p in model.sampler.parameters {
                            print(String(format: "  %-28@ mean %9.4f sd %8.4f ess %6.0f rhat %.4f", p.name as NSString, p.mean, p.sd, p.essBulk, p.rhat))
                        }
                        print("  step sizes", model.sampler.stepSizes)
                    }
                }
                print(line)
            } catch {
                print("\(name): \(error)")
            }
        }
    }
}

/// The best-of-five CPU µs for `count` exponentials by the model's vectorised exp: what one
/// gradient of a model with logistic saturation spends on them at least (one per period and
/// logistic channel), 0 when there are none.
private func exponentialMicros(count: Int) -> Double {
    guard count > 0 else { return 0 }
    let x = (0..<count).map { -3 * Double($0) / Double(count) }
    var y = [Double](repeating: 0, count: count)
    let reps = max(1000, 2_000_000 / count)
    var best = Double.infinity, sink = 0.0
    for _ in 0..<5 {
        let start = threadCPUNanoseconds()
        for _ in 0..<reps {
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { vectorExp(xp.baseAddress!, scale: 1.0001, into: $0.baseAddress!, count: count) } }
            sink += y[count / 2]
        }
        best = min(best, Double(threadCPUNanoseconds() - start) / 1000 / Double(reps))
    }
    return sink.isNaN ? .nan : best
}

/// Runs `mixplan fit --config PATH` as a child process into a temporary folder and returns the saved
/// model and the process's wall time in seconds.
private func fitInProcess(config path: String) throws -> (FittedModel, Double) {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("mixplan")
    guard FileManager.default.isExecutableFile(atPath: executable.path) else {
        throw BenchError("\(executable.path) not found: build it first (swift build -c release)")
    }
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-bench-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: out) }
    let process = Process()
    process.executableURL = executable
    process.arguments = ["fit", "--config", path, "--out", out.path, "--allow-unconverged"]
    process.standardOutput = FileHandle.nullDevice
    let start = DispatchTime.now().uptimeNanoseconds
    try process.run()
    process.waitUntilExit()
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard process.terminationStatus == 0 else { throw BenchError("mixplan fit --config \(path) exited with \(process.terminationStatus)") }
    return (try ModelStore.load(from: out), wall)
}

/// A benchmark that could not run, with the reason.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// CPU time consumed by the calling thread, in nanoseconds.
private func threadCPUNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
