import Foundation
import XCTest

/// `mixplan batch` end to end: shards give the same outputs as one run, resubmission skips
/// finished models, one failure never stops the others, status and collect report all of it.
final class BatchCommandTests: XCTestCase {
    /// Small sampler settings: these tests are about the batch, not the fits' quality.
    static let sampler = "sampler:\n  chains: 2\n  warmup: 120\n  draws: 80\n"

    /// `datasets` simulated weekly-2ch datasets (seeds 1…) and, per dataset, `perDataset` model
    /// folders with their own sampler seed; returns the manifest's rows (name, config path).
    func portfolio(in dir: URL, datasets: Int, perDataset: Int) throws -> [(String, String)] {
        var rows: [(String, String)] = []
        for k in 1...datasets {
            let data = dir.appendingPathComponent("data-\(k)")
            let sim = try MixPlanProcess.run(["simulate", "--preset", "weekly-2ch", "--seed", "\(k)", "--out", data.path])
            XCTAssertEqual(sim.status, 0, sim.stderr)
            let generated = try String(contentsOf: data.appendingPathComponent("mixplan.yaml"), encoding: .utf8)
            let head = generated.components(separatedBy: "sampler:")[0].replacingOccurrences(of: "file: data.csv", with: "file: ../../data-\(k)/data.csv")
            for j in 1...perDataset {
                let name = "brand\(k)-market\(j)"
                let folder = dir.appendingPathComponent("models/\(name)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try (head + Self.sampler + "  seed: \(10 * k + j)\n").write(to: folder.appendingPathComponent("mixplan.yaml"), atomically: true, encoding: .utf8)
                rows.append((name, "models/\(name)/mixplan.yaml"))
            }
        }
        return rows
    }

    func writeManifest(_ rows: [(String, String)], to url: URL, extra: String = "") throws {
        let text = "name,config\n" + rows.map { "\($0.0),\($0.1)" }.joined(separator: "\n") + "\n" + extra
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func batch(_ args: [String], environment: [String: String] = [:]) throws -> MixPlanProcess.Output {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("SLURM_") || key.hasPrefix("AWS_BATCH_") || key == "JOB_COMPLETION_INDEX" { env[key] = nil }
        for (k, v) in environment { env[k] = v }
        return try MixPlanProcess.run(["batch"] + args, environment: env)
    }

    func status(_ manifest: URL, _ out: URL) throws -> [String: String] {
        let result = try batch(["status", "--manifest", manifest.path, "--out", out.path, "--json"])
        XCTAssertTrue(result.status == 0 || result.status == 1, result.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]] ?? []
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["name"]!, $0["state"]!) })
    }

    func modificationDate(_ url: URL) throws -> Date {
        try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as! Date
    }

    /// The files a model's results are made of (the fit's draws, the plan, the key figures and
    /// the report). The workbook is left out because it records when it was written (document
    /// properties and zip entry times); status records hold times and shards.
    static let comparedFiles = ["model/draws.csv", "model/summary.csv", "plan.json", "summary.json", "report.md", "report.html"]

    func testTwentyModelsInFourShardsGiveTheSameOutputsAsOneRun() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let rows = try portfolio(in: dir, datasets: 4, perDataset: 5)
        let manifest = dir.appendingPathComponent("portfolio.csv")
        try writeManifest(rows, to: manifest)
        let whole = dir.appendingPathComponent("whole"), sharded = dir.appendingPathComponent("sharded")

        let one = try batch(["--manifest", manifest.path, "--out", whole.path])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertTrue(one.stdout.contains("20 fitted, 0 skipped"), one.stdout)
        // Four shards at once, as an array job runs them, sharing one output folder.
        var outputs = [MixPlanProcess.Output?](repeating: nil, count: 4)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let o = try? batch(["--manifest", manifest.path, "--out", sharded.path, "--shard", "\(i)/4", "--log-level", "warning"])
            lock.lock(); outputs[i] = o; lock.unlock()
        }
        for (i, output) in outputs.enumerated() {
            let o = try XCTUnwrap(output, "shard \(i) did not run")
            XCTAssertEqual(o.status, 0, o.stderr)
            XCTAssertTrue(o.stdout.contains("batch shard \(i)/4: 5 fitted"), o.stdout)
        }
        for (name, _) in rows {
            let charts = try FileManager.default.contentsOfDirectory(atPath: whole.appendingPathComponent("\(name)/charts").path)
            XCTAssertFalse(charts.isEmpty)
            for file in Self.comparedFiles + charts.map({ "charts/\($0)" }) {
                let a = FileManager.default.contents(atPath: whole.appendingPathComponent("\(name)/\(file)").path)
                let b = FileManager.default.contents(atPath: sharded.appendingPathComponent("\(name)/\(file)").path)
                XCTAssertNotNil(a, "\(name)/\(file)")
                XCTAssertEqual(a, b, "\(name)/\(file) differs between the sharded and the unsharded run")
            }
        }
        // Different sampler seeds give different fits, so equal files are not a vacuous match.
        XCTAssertNotEqual(FileManager.default.contents(atPath: whole.appendingPathComponent("brand1-market1/model/draws.csv").path),
                          FileManager.default.contents(atPath: whole.appendingPathComponent("brand1-market2/model/draws.csv").path))
        XCTAssertEqual(Set(try status(manifest, sharded).values), ["done"])

        // The roll-up: one row per model, its figures recomputed from each pack's plan.json.
        let collect = try batch(["collect", "--manifest", manifest.path, "--out", sharded.path])
        XCTAssertEqual(collect.status, 0, collect.stderr)
        let csv = try String(contentsOf: sharded.appendingPathComponent("_portfolio/portfolio.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(lines.count, 21)
        let header = lines[0]
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        for line in lines.dropFirst() {
            let name = line[column("name")]
            XCTAssertEqual(line[column("state")], "done")
            let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: sharded.appendingPathComponent("\(name)/plan.json"))) as! [String: Any]
            let summary = plan["plan"] as! [String: Any]
            let response = (summary["response"] as! [String: Double])["mean"]!
            let current = (summary["currentResponse"] as! [String: Double])["mean"]!
            // The CSV holds the shortest text that reads back to the same Double, but
            // JSONSerialization may read plan.json's decimals 1 ulp off: 1e-12 relative covers that.
            let parsingTolerance = 1e-12
            XCTAssertEqual(Double(line[column("recommended_response")])!, response, accuracy: parsingTolerance * abs(response), name)
            XCTAssertEqual(Double(line[column("change")])!, response - current, accuracy: parsingTolerance * abs(response), name)
            XCTAssertEqual(Double(line[column("probability_better")])!, summary["probabilityBetter"] as! Double, accuracy: parsingTolerance, name)
        }
        for file in ["portfolio.xlsx", "portfolio.md"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: sharded.appendingPathComponent("_portfolio/\(file)").path), file)
        }
        let report = try String(contentsOf: sharded.appendingPathComponent("_portfolio/portfolio.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("20 models: 20 done"), report)
    }

    func testResubmissionSkipsDoneModelsAndOneFailureDoesNotStopTheOthers() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        var rows = try portfolio(in: dir, datasets: 1, perDataset: 2)
        // A third model whose data has a text cell in a spend column.
        let broken = dir.appendingPathComponent("models/broken")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        var lines = try String(contentsOf: dir.appendingPathComponent("data-1/data.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        var cells = lines[5].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[1] = "lots"
        lines[5] = cells.joined(separator: ",")
        try (lines.joined(separator: "\n") + "\n").write(to: broken.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let good = try String(contentsOf: dir.appendingPathComponent("models/brand1-market1/mixplan.yaml"), encoding: .utf8)
        try good.replacingOccurrences(of: "../../data-1/data.csv", with: "data.csv")
            .write(to: broken.appendingPathComponent("mixplan.yaml"), atomically: true, encoding: .utf8)
        rows.insert(("broken", "models/broken/mixplan.yaml"), at: 1)
        let manifest = dir.appendingPathComponent("portfolio.csv")
        try writeManifest(rows, to: manifest)
        let out = dir.appendingPathComponent("out")

        let first = try batch(["--manifest", manifest.path, "--out", out.path])
        XCTAssertEqual(first.status, 1, "a failed model gives exit 1")
        XCTAssertTrue(first.stdout.contains("2 fitted, 0 skipped (already done), 1 failed"), first.stdout)
        XCTAssertEqual(try status(manifest, out), ["brand1-market1": "done", "broken": "failed", "brand1-market2": "done"])
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("_status/broken.json"))) as! [String: Any]
        let error = record["error"] as? String ?? ""
        XCTAssertTrue(error.contains("data.csv") && error.contains("row 6") && error.contains("lots"), error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("broken").path), "no half-written pack")
        let statusText = try batch(["status", "--manifest", manifest.path, "--out", out.path])
        XCTAssertEqual(statusText.status, 1)
        XCTAssertTrue(statusText.stdout.contains("broken") && statusText.stdout.contains("row 6"), statusText.stdout)

        // Resubmitted: the done models are skipped (their fits untouched), the broken one retried.
        let draws = out.appendingPathComponent("brand1-market1/model/draws.csv")
        let before = try modificationDate(draws)
        let second = try batch(["--manifest", manifest.path, "--out", out.path])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stdout.contains("0 fitted, 2 skipped (already done), 1 failed"), second.stdout)
        XCTAssertEqual(try modificationDate(draws), before)

        // Fixed data: only that model is fitted; then everything is done.
        try FileManager.default.removeItem(at: broken.appendingPathComponent("data.csv"))
        try FileManager.default.copyItem(at: dir.appendingPathComponent("data-1/data.csv"), to: broken.appendingPathComponent("data.csv"))
        let third = try batch(["--manifest", manifest.path, "--out", out.path])
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertTrue(third.stdout.contains("1 fitted, 2 skipped (already done), 0 failed"), third.stdout)
        XCTAssertEqual(try batch(["status", "--manifest", manifest.path, "--out", out.path]).status, 0)

        // A changed config makes its model outdated, and the next run refits just that one.
        let config = dir.appendingPathComponent("models/brand1-market2/mixplan.yaml")
        try (try String(contentsOf: config, encoding: .utf8)).replacingOccurrences(of: "seed: 12", with: "seed: 13")
            .write(to: config, atomically: true, encoding: .utf8)
        XCTAssertEqual(try status(manifest, out)["brand1-market2"], "outdated")
        let fourth = try batch(["--manifest", manifest.path, "--out", out.path])
        XCTAssertTrue(fourth.stdout.contains("1 fitted, 2 skipped"), fourth.stdout)
        XCTAssertEqual(try modificationDate(draws), before)
    }

    /// The shard comes from the scheduler's environment; a bad one is exit 2 naming the variable.
    func testShardFromTheSchedulersEnvironment() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let rows = try portfolio(in: dir, datasets: 1, perDataset: 3)
        let manifest = dir.appendingPathComponent("portfolio.csv")
        try writeManifest(rows, to: manifest)
        let out = dir.appendingPathComponent("out")
        // Slurm numbers the array from SLURM_ARRAY_TASK_MIN: task 5 of --array=4-6 is shard 1/3.
        let slurm = try batch(["--manifest", manifest.path, "--out", out.path],
                              environment: ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "4", "SLURM_ARRAY_TASK_COUNT": "3"])
        XCTAssertEqual(slurm.status, 0, slurm.stderr)
        XCTAssertTrue(slurm.stdout.contains("batch shard 1/3: 1 fitted"), slurm.stdout)
        XCTAssertEqual(try status(manifest, out), ["brand1-market1": "missing", "brand1-market2": "done", "brand1-market3": "missing"])
        let k8s = try batch(["--manifest", manifest.path, "--out", out.path, "--shards", "3"], environment: ["JOB_COMPLETION_INDEX": "2"])
        XCTAssertTrue(k8s.stdout.contains("batch shard 2/3: 1 fitted"), k8s.stdout)

        for (env, flags, needle) in [(["JOB_COMPLETION_INDEX": "0"], [String](), "JOB_COMPLETION_INDEX"),
                                     (["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "3"], [], "SLURM_ARRAY_TASK_ID"),
                                     (["AWS_BATCH_JOB_ARRAY_INDEX": "x"], [], "AWS_BATCH_JOB_ARRAY_INDEX"),
                                     ([:], ["--shard", "4/4"], "--shard"), ([:], ["--shards", "2"], "--shards")] {
            let bad = try batch(["--manifest", manifest.path, "--out", out.path] + flags, environment: env)
            XCTAssertEqual(bad.status, 2, "\(env) \(flags)")
            XCTAssertTrue(bad.stderr.contains(needle), bad.stderr)
        }
        let badManifest = dir.appendingPathComponent("bad.csv")
        try "name,config\nok,models/brand1-market1/mixplan.yaml\nno,models/none.yaml\n".write(to: badManifest, atomically: true, encoding: .utf8)
        let refused = try batch(["--manifest", badManifest.path, "--out", out.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("bad.csv, row 3, column \"config\""), refused.stderr)
    }

    /// `optimize --portfolio` on a one-model manifest is `optimize --model` on that model; on two
    /// models it spends the budget across both, and `whatif --portfolio` prices a typed plan.
    func testPortfolioOptimizeFromTheBatchsSavedFits() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let rows = try portfolio(in: dir, datasets: 2, perDataset: 1)
        let manifest = dir.appendingPathComponent("portfolio.csv"), single = dir.appendingPathComponent("single.csv")
        try writeManifest(rows, to: manifest)
        try writeManifest([rows[0]], to: single)
        let out = dir.appendingPathComponent("out")
        XCTAssertEqual(try batch(["--manifest", manifest.path, "--out", out.path]).status, 0)

        func json(_ args: [String]) throws -> [String: Any] {
            let r = try MixPlanProcess.run(args + ["--json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        }
        func spends(_ plan: [String: Any]) -> [Double] { (plan["channels"] as! [[String: Any]]).map { $0["spendPerPeriod"] as! Double } }
        let alone = try json(["optimize", "--model", out.appendingPathComponent("\(rows[0].0)/model").path])
        let portfolio = try json(["optimize", "--portfolio", single.path, "--runs", out.path])
        let joint = (portfolio["result"] as! [String: Any])
        XCTAssertEqual(spends(joint["plan"] as! [String: Any]), spends(alone["plan"] as! [String: Any]))
        XCTAssertEqual(joint["objectiveValue"] as? Double, alone["objectiveValue"] as? Double)

        let both = try json(["optimize", "--portfolio", manifest.path, "--runs", out.path])
        let plan = (both["result"] as! [String: Any])["plan"] as! [String: Any]
        let names = (plan["channels"] as! [[String: Any]]).map { $0["channel"] as! String }
        XCTAssertEqual(names, ["brand1-market1/x1", "brand1-market1/x2", "brand2-market1/x1", "brand2-market1/x2"])
        let models = both["models"] as! [[String: Any]]
        XCTAssertEqual(models.count, 2)
        // Default budget: current total spend; the per-model lines add up to it.
        let current = models.reduce(0) { $0 + ($1["currentSpendPerPeriod"] as! Double) }
        let planned = models.reduce(0) { $0 + ($1["spendPerPeriod"] as! Double) }
        XCTAssertEqual(planned, current, accuracy: 1e-9 * current)

        let whatif = try MixPlanProcess.run(["whatif", "--portfolio", manifest.path, "--runs", out.path, "--spend", "brand2-market1/x1=0"])
        XCTAssertEqual(whatif.status, 0, whatif.stderr)
        XCTAssertTrue(whatif.stdout.contains("By model"), whatif.stdout)
        let unknown = try MixPlanProcess.run(["optimize", "--portfolio", manifest.path, "--runs", out.path, "--fix", "x1"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("x1"), unknown.stderr)
    }

    /// A model locked by a live run elsewhere is left alone (its status untouched, exit 1); a
    /// lock from another host that nobody refreshed for the lease (a node lost mid-fit) is taken over.
    func testLockOfAnotherHostIsRespectedUntilItsLeaseRunsOut() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let rows = try portfolio(in: dir, datasets: 1, perDataset: 1)
        let manifest = dir.appendingPathComponent("portfolio.csv")
        try writeManifest(rows, to: manifest)
        let out = dir.appendingPathComponent("out")
        let lock = out.appendingPathComponent("_status/brand1-market1.lock")
        try FileManager.default.createDirectory(at: lock.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "node-elsewhere 4242\n".write(to: lock, atomically: true, encoding: .utf8)

        let held = try batch(["--manifest", manifest.path, "--out", out.path])
        XCTAssertEqual(held.status, 1)
        XCTAssertTrue(held.stderr.contains("node-elsewhere") && held.stderr.contains("4242"), held.stderr)
        XCTAssertEqual(try status(manifest, out)["brand1-market1"], "missing", "the other run's record is not touched")
        XCTAssertTrue(FileManager.default.fileExists(atPath: lock.path))

        // Ten minutes without a refresh: longer than the 5-minute lease.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -600)], ofItemAtPath: lock.path)
        let taken = try batch(["--manifest", manifest.path, "--out", out.path])
        XCTAssertEqual(taken.status, 0, taken.stderr)
        XCTAssertTrue(taken.stderr.contains("took over the lock of host node-elsewhere"), taken.stderr)
        XCTAssertEqual(try status(manifest, out)["brand1-market1"], "done")
        XCTAssertFalse(FileManager.default.fileExists(atPath: lock.path), "the run releases its lock")
    }
}
