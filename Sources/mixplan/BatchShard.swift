import Foundation
import MixData

/// Which part of the manifest this process runs: shard `index` of `count` (0-based), taking
/// every `count`-th model from `index` on (`PortfolioManifest.shard`).
///
/// From, in order: `--shard i/N`; a Slurm array task (`SLURM_ARRAY_TASK_ID` −
/// `SLURM_ARRAY_TASK_MIN`, of `SLURM_ARRAY_TASK_COUNT`); a Kubernetes Indexed Job
/// (`JOB_COMPLETION_INDEX`, of `--shards N`, which the Job sets to its `completions`); an AWS
/// Batch array child (`AWS_BATCH_JOB_ARRAY_INDEX`, of `AWS_BATCH_JOB_ARRAY_SIZE` or `--shards N`);
/// otherwise the whole manifest (0/1).
struct BatchShard: Equatable, CustomStringConvertible {
    var index: Int
    var count: Int
    /// Where the shard came from, for the log ("--shard", "SLURM_ARRAY_TASK_ID", …).
    var source: String

    var description: String { "\(index)/\(count)" }

    static func resolve(flag: String?, shards: Int?, environment env: [String: String]) throws -> BatchShard {
        if let flag { return try parse(flag) }
        func integer(_ name: String) throws -> Int? {
            guard let text = env[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let value = Int(text), value >= 0 else {
                throw InputError(InputLocation(file: "environment", key: name), "expected a whole number ≥ 0, got \"\(text)\".")
            }
            return value
        }
        func make(_ index: Int, _ count: Int?, _ source: String, countFrom: String) throws -> BatchShard {
            guard let count else {
                throw InputError(InputLocation(file: "environment", key: source),
                                 "is set (\(index)) but the number of shards is not; \(countFrom).")
            }
            guard count >= 1, index < count else {
                throw InputError(InputLocation(file: "environment", key: source),
                                 "gives shard \(index) of \(count); expected 0 ≤ index < count (\(countFrom)).")
            }
            return BatchShard(index: index, count: count, source: source)
        }
        if let task = try integer("SLURM_ARRAY_TASK_ID") {
            let first = try integer("SLURM_ARRAY_TASK_MIN") ?? 0
            guard task >= first else {
                throw InputError(InputLocation(file: "environment", key: "SLURM_ARRAY_TASK_ID"), "is \(task), below SLURM_ARRAY_TASK_MIN \(first).")
            }
            return try make(task - first, try shards ?? integer("SLURM_ARRAY_TASK_COUNT"), "SLURM_ARRAY_TASK_ID",
                            countFrom: "submit with sbatch --array=0-(N-1) (Slurm then sets SLURM_ARRAY_TASK_COUNT) or pass --shards N")
        }
        if let index = try integer("JOB_COMPLETION_INDEX") {
            return try make(index, shards, "JOB_COMPLETION_INDEX",
                            countFrom: "pass --shards N with N the Indexed Job's completions")
        }
        if let index = try integer("AWS_BATCH_JOB_ARRAY_INDEX") {
            return try make(index, try shards ?? integer("AWS_BATCH_JOB_ARRAY_SIZE"), "AWS_BATCH_JOB_ARRAY_INDEX",
                            countFrom: "set AWS_BATCH_JOB_ARRAY_SIZE in the job definition or pass --shards N")
        }
        if let shards {
            throw InputError(InputLocation(file: "--shards"), "gives the number of shards (\(shards)) but not which one this is; pass --shard i/\(shards), or run as an array job (Slurm, Kubernetes Indexed Job, AWS Batch) that sets the index.")
        }
        return BatchShard(index: 0, count: 1, source: "default")
    }

    /// `i/N` with 0 ≤ i < N.
    static func parse(_ text: String) throws -> BatchShard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else {
            throw InputError(InputLocation(file: "--shard"), "expected i/N with 0 ≤ i < N (shards are numbered from 0), e.g. 0/4; got \"\(text)\".")
        }
        return BatchShard(index: i, count: n, source: "--shard")
    }
}
