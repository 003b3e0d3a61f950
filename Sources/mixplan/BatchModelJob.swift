import Foundation
import Logging
import MixData
import MixModel
import MixOptimize
import MixReport

/// The bytes a model's results depend on: the MixPlan version, the config file, the data file,
/// a lift-test file and a templates folder when the config names them. Their SHA-256 is the
/// model's fingerprint; a batch run skips a model already done with the same fingerprint.
enum BatchInputs {
    static func fingerprint(config: MixPlanConfig) throws -> String {
        var hash = SHA256()
        func add(_ label: String, file path: String, key: String?) throws {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw InputError(InputLocation(file: config.path, key: key), "names \(path), which cannot be read.")
            }
            hash.update("\(label) \(data.count)\n")
            hash.update(data)
        }
        hash.update("mixplan \(MixPlanInfo.version)\n")
        try add("config", file: config.path, key: nil)
        try add("data", file: config.resolvedPath(config.data.file), key: "data.file")
        if let lift = config.calibration.liftTestsFile {
            try add("lift_tests", file: config.resolvedPath(lift), key: "calibration.lift_tests")
        }
        if !config.report.templates.isEmpty {
            let folder = config.resolvedPath(config.report.templates)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            for name in names where !name.hasPrefix(".") {
                try add("template \(name)", file: (folder as NSString).appendingPathComponent(name), key: "report.templates")
            }
        }
        return hash.hexDigest()
    }
}

/// How one model of a batch ended.
enum BatchModelOutcome: Equatable {
    case done(converged: Bool)
    case skipped
    case failed(String)
}

/// One model of a batch: validate → fit → optimise → report into `OUT/<name>/`, published in
/// one step, with its status record written before and after. Every error of the model ends
/// here as a `failed` record, so the batch goes on with the next model.
struct BatchModelJob {
    let entry: PortfolioManifest.Entry
    let folder: BatchFolder
    let shard: BatchShard
    let log: Logger

    func run() -> BatchModelOutcome {
        let started = Date()
        var record = BatchStatusRecord(name: entry.name, state: .running, fingerprint: "", mixplanVersion: MixPlanInfo.version,
                                       started: BatchFolder.timestamp(started), host: BatchFolder.hostName,
                                       pid: ProcessInfo.processInfo.processIdentifier, shard: shard.description)
        var log = self.log
        log[metadataKey: "model"] = "\(entry.name)"
        do {
            let config = try ConfigLoader.load(path: entry.resolvedConfig)
            record.fingerprint = try BatchInputs.fingerprint(config: config)
            if let previous = folder.status(entry.name), previous.state == .done, previous.fingerprint == record.fingerprint,
               FileManager.default.fileExists(atPath: folder.pack(entry.name).appendingPathComponent("report.md").path) {
                log.info("skipped: already done for the same config and data", metadata: ["stage": "batch", "finished": "\(previous.finished ?? "")"])
                return .skipped
            }
            switch folder.lock(entry.name) {
            case .held(let why):
                // The status record belongs to the run holding the lock: leave it alone.
                let message = InputError(InputLocation(file: folder.pack(entry.name).path), why + ".").description
                log.error("model not run: \(message)", metadata: ["stage": "batch"])
                return .failed(message)
            case .taken(let tookOver):
                if let tookOver { log.warning("\(tookOver)", metadata: ["stage": "batch"]) }
            }
            let heartbeat = LockHeartbeat(folder: folder, name: entry.name)
            defer {
                heartbeat.stop()
                folder.unlock(entry.name)
            }
            let leftovers = folder.clearLeftovers(entry.name)
            if !leftovers.isEmpty {
                log.notice("removed what an interrupted run left", metadata: ["stage": "batch", "items": "\(leftovers.joined(separator: ","))"])
            }
            try folder.write(record)
            let outcome = try fitAndPublish(config: config, log: log)
            record.state = .done
            record.converged = outcome.converged
            record.headline = outcome.headline
            record.warnings = outcome.warnings
            record.finished = BatchFolder.timestamp()
            record.seconds = Date().timeIntervalSince(started)
            try folder.write(record)
            log.info("model done", metadata: ["stage": "batch", "seconds": "\(String(format: "%.1f", record.seconds!))",
                                             "converged": "\(outcome.converged)", "summary": "\(outcome.headline)"])
            return .done(converged: outcome.converged)
        } catch {
            let message = Self.message(error)
            record.state = .failed
            record.error = message
            record.finished = BatchFolder.timestamp()
            record.seconds = Date().timeIntervalSince(started)
            log.error("model failed: \(message)", metadata: ["stage": "batch"])
            do {
                try folder.write(record)
            } catch {
                log.error("cannot write the status record: \(Self.message(error))", metadata: ["stage": "batch"])
            }
            return .failed(message)
        }
    }

    /// The weekly pipeline's stages for one model, the pack built beside `OUT/<name>` and
    /// swapped in only when complete (a kill leaves the previous pack as it was).
    private func fitAndPublish(config: MixPlanConfig, log: Logger) throws -> (converged: Bool, headline: String, warnings: [String]) {
        let loaded = try DatasetLoader().load(config)
        let data = loaded.dataset
        log.info("data loaded", metadata: ["stage": "data", "periods": "\(data.periodCount)", "channels": "\(data.channelCount)",
                                           "through": "\(data.dates[data.periodCount - 1])"])
        let target = folder.pack(entry.name)
        try AtomicOutput.checkReplaceable(target, marker: "report.md", kind: "model pack")
        let model = try ModelFitter.fit(dataset: data, config: config)
        let s = model.sampler
        log.info("fit done", metadata: ["stage": "fit", "seconds": "\(String(format: "%.1f", s.seconds))", "converged": "\(model.verdict.passed)",
                                        "max_rhat": "\(String(format: "%.3f", s.maxRhat))"])
        let results = try DefaultPlan.run(model: model, warnings: loaded.warnings.map { "\($0)" })
        for warning in results.warnings { log.warning("\(warning)", metadata: ["stage": "optimize"]) }
        let previous = ReportPack.snapshot(inPack: target)
        let templates = config.report.templates.isEmpty ? nil : URL(fileURLWithPath: config.resolvedPath(config.report.templates))
        try AtomicOutput.writeDirectory(at: target, marker: "report.md", kind: "model pack") { staged in
            try ModelStore.save(model, to: staged.appendingPathComponent("model"))
            try ReportPack.write(results, previous: previous, templates: templates, into: staged) { stage in
                log.debug("writing", metadata: ["stage": "\(stage)"])
            }
        }
        return (model.verdict.passed, WeeklyJob.headline(results), results.warnings)
    }

    /// An error as the command line prints it (one line).
    static func message(_ error: Error) -> String {
        if let input = error as? InputError { return input.description }
        return "internal error: \(error)"
    }
}
