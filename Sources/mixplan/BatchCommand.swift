import ArgumentParser
import Foundation
import Logging
import MixData

/// `mixplan batch`: one shard of a portfolio of models, for a cluster's array job.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Fit, optimise and report every model of a portfolio manifest (one shard of it on a cluster).",
        discussion: """
        The manifest is a CSV with columns name,config[,budget_group,budget]: one model per row, \
        config paths relative to the manifest. `mixplan batch run` (the default) runs each model \
        of its shard like `mixplan weekly` — validate, fit, optimise, report — into OUT/<name>/, \
        built beside it and swapped in whole when complete, and records OUT/_status/<name>.json. \
        A model already done for the same config, data (and lift tests, templates) is skipped, so \
        a resubmitted array job only redoes what failed, changed or never ran; one model's \
        failure never stops the others. `status` says which models are done, failed or missing; \
        `collect` writes the roll-up of every model into OUT/_portfolio/.
        """,
        subcommands: [BatchRunCommand.self, BatchStatusCommand.self, BatchCollectCommand.self],
        defaultSubcommand: BatchRunCommand.self
    )
}

/// The manifest and output folder every `batch` subcommand takes.
struct BatchLocation: ParsableArguments {
    @Option(name: .shortAndLong, help: "The portfolio manifest: CSV with columns name,config[,budget_group,budget].")
    var manifest: String

    @Option(name: .shortAndLong, help: "The batch output folder (shared by all shards): OUT/<name>/ per model.")
    var out: String
}

/// `mixplan batch run`: runs one shard.
struct BatchRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one shard of the manifest's models (the default subcommand of batch).",
        discussion: """
        The shard is --shard i/N (0-based), or comes from the array job's environment: Slurm \
        (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT), a Kubernetes \
        Indexed Job (JOB_COMPLETION_INDEX of --shards N), AWS Batch (AWS_BATCH_JOB_ARRAY_INDEX of \
        AWS_BATCH_JOB_ARRAY_SIZE or --shards N); without any, every model. Shard i runs the models \
        in manifest rows i, i+N, i+2N, … so the split depends only on the manifest. Models run \
        one after another, each fit using the sampler's chains in parallel.

        Logging: key=value lines on stderr, each with model=<name>; stdout gets one summary line.
        Exit codes: 0 every model of the shard is done (fits that did not converge count as done: \
        their status and the roll-up say so); 1 at least one model failed (its status record \
        holds the error; the others ran); 2 bad input (manifest, flags, environment, an \
        unwritable folder); 3 internal error.
        """
    )

    @OptionGroup var location: BatchLocation

    @Option(help: "This process's shard, i/N with 0 ≤ i < N (default: from the array job's environment, else 0/1).")
    var shard: String?

    @Option(parsing: .unconditional, help: "Number of shards when the environment gives only the index (Kubernetes JOB_COMPLETION_INDEX, AWS Batch).")
    var shards: Int?

    @Option(help: "Log level: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")).")
    var logLevel: Logger.Level = .info

    func run() throws {
        let level = logLevel
        LoggingSystem.bootstrap { LineLogHandler(label: $0, level: level) }
        var log = Logger(label: "mixplan.batch")
        log.logLevel = level
        var outcomes: [BatchModelOutcome] = []
        var resolved: BatchShard?
        let started = Date()
        try CLISupport.run {
            try FlagChecks.atLeast(shards, 1, flag: "--shards", what: "the number of shards")
            let shard = try BatchShard.resolve(flag: self.shard, shards: self.shards, environment: ProcessInfo.processInfo.environment)
            resolved = shard
            let manifest = try PortfolioManifest.load(path: location.manifest)
            let folder = try BatchFolder(root: URL(fileURLWithPath: location.out), create: true)
            let mine = manifest.shard(shard.index, of: shard.count)
            log.info("shard", metadata: ["stage": "batch", "shard": "\(shard)", "from": "\(shard.source)",
                                         "models": "\(mine.count)", "of": "\(manifest.entries.count)"])
            for entry in mine {
                outcomes.append(BatchModelJob(entry: entry, folder: folder, shard: shard, log: log).run())
            }
        }
        let done = outcomes.filter { if case .done = $0 { return true } else { return false } }.count
        let skipped = outcomes.filter { $0 == .skipped }.count
        let failed = outcomes.count - done - skipped
        print(String(format: "batch shard %@: %d fitted, %d skipped (already done), %d failed (%.1f s)",
                     resolved?.description ?? "?", done, skipped, failed, Date().timeIntervalSince(started)))
        if failed > 0 { throw ExitCode(1) }
    }
}
