import Foundation
import MixCharts
import MixData

/// The whole chart pack for a real fitted weekly-5ch model (5 channels, 156 weeks, 4 chains ×
/// 1000 draws), with an optimised plan and a 20-point frontier so all 11 charts are drawn, at 1×
/// with the PNGs written. Target (issue 6): < 1 s total in release.
///
/// The model is read from `--model=DIR` (a folder written by `mixplan fit`); without it the
/// bench fits `samples/weekly-5ch` itself (4 × 1000 draws after a 300-iteration warm-up, so the
/// charts see the full draw count) — run from the package root. `--out=DIR` keeps the 1× and 2×
/// PNGs in DIR/1x and DIR/2x for viewing.
enum ChartsBench {
    static func run() {
        do {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let model = try loadModel()
            let t1 = DispatchTime.now().uptimeNanoseconds
            let results = try planningResults(model)
            let t2 = DispatchTime.now().uptimeNanoseconds
            print(String(format: "model ready in %.1f s; planning results (quantities, curves, plan, frontier) in %.2f s (not charts; not timed below)",
                         Double(t1 - t0) / 1e9, Double(t2 - t1) / 1e9))
            let dir = URL(fileURLWithPath: NSTemporaryDirectory() + "mixplan-bench-charts-\(getpid())")
            defer { try? FileManager.default.removeItem(at: dir) }
            _ = try ChartPack.write(results, to: dir) // warm-up (font cache, page faults)
            perChart(results)
            for threads in [1, 2] {
                var best = Double.infinity, bestCPU = Double.infinity, count = 0
                for _ in 0..<3 {
                    let s = DispatchTime.now().uptimeNanoseconds, c = cpuSeconds()
                    count = try ChartPack.write(results, to: dir, threads: threads).count
                    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - s) / 1e9)
                    bestCPU = min(bestCPU, cpuSeconds() - c)
                }
                print(String(format: "ChartPack.write, %d charts @1x, %d thread%@: %.3f s wall, %.3f s CPU (best of 3; target < 1 s)",
                             count, threads, threads == 1 ? "" : "s", best, bestCPU))
            }
            let s = DispatchTime.now().uptimeNanoseconds
            _ = try ChartPack.write(results, to: dir, scale: 2)
            print(String(format: "ChartPack.write @2x, 2 threads: %.3f s", Double(DispatchTime.now().uptimeNanoseconds - s) / 1e9))
            if let arg = CommandLine.arguments.first(where: { $0.hasPrefix("--out=") }) {
                let out = URL(fileURLWithPath: String(arg.dropFirst("--out=".count)))
                for scale in [1.0, 2.0] { try ChartPack.write(results, to: out.appendingPathComponent("\(Int(scale))x"), scale: scale) }
                print("charts kept in \(out.path)/1x and /2x")
            }
        } catch {
            print("charts failed: \(error)")
        }
    }

    /// CPU seconds used by this process so far (user + system, all threads). On a shared machine
    /// wall time includes waiting for a core; CPU time is the work itself.
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func loadModel() throws -> FittedModel {
        if let arg = CommandLine.arguments.first(where: { $0.hasPrefix("--model=") }) {
            return try ModelStore.load(from: URL(fileURLWithPath: String(arg.dropFirst("--model=".count))))
        }
        var config = try ConfigLoader.load(path: "samples/weekly-5ch/mixplan.yaml")
        let dataset = try DatasetLoader().load(config).dataset
        config.sampler.warmup = 300
        print("fitting samples/weekly-5ch (4 × 1000 draws, 300 warm-up; pass --model=DIR to skip) …")
        return try ModelFitter.fit(dataset: dataset, config: config, holdout: 12)
    }

    /// Quantities and curves from the draws, the mean-optimal plan of the current budget over
    /// 12 weeks with every channel within ±30 % of current spend, and a 20-point frontier.
    static func planningResults(_ model: FittedModel) throws -> PlanningResults {
        let draws = ParametricResponseDraws(model: model)
        let current = model.currentSpend()
        let horizon = HorizonSettings(periods: 12)
        let problem = BudgetProblem(channelNames: draws.channelNames, budget: current.reduce(0, +) * 12, horizon: horizon,
                                    currentSpend: current,
                                    bounds: Dictionary(uniqueKeysWithValues: draws.channelNames.map { ($0, SpendBound.relative(fraction: 0.3)) }))
        let optimizer = try BudgetOptimizer(draws: draws, problem: problem)
        return PlanningResults(model: model, optimization: try optimizer.optimize(.mean), frontier: try optimizer.frontier(.mean, steps: 20))
    }

    /// Each chart drawn and PNG-encoded on its own, in one thread: where the time goes.
    static func perChart(_ r: PlanningResults) {
        func time(_ name: String, _ draw: () throws -> RenderedChart) {
            do {
                let t0 = cpuSeconds()
                let chart = try draw()
                let t1 = cpuSeconds()
                _ = try chart.pngData()
                let t2 = cpuSeconds()
                print(String(format: "  %-18@ draw %6.1f ms  PNG %6.1f ms  (CPU)", name as NSString, (t1 - t0) * 1e3, (t2 - t1) * 1e3))
            } catch { print("  \(name) failed: \(error)") }
        }
        let panels = ChartPack.responsePanels(r)
        time("response curves") { try responseCurvesChart(panels, size: ChartSize(width: 960, height: 680)) }
        time("response overlay") { try responseOverlayChart(panels) }
        time("contributions") { try contributionsChart(ChartPack.contributionSeries(r)) }
        time("actual vs fitted") { try actualVsFittedChart(ChartPack.fitSeries(r)) }
        time("roas") { let rows = ChartPack.roasRows(r); return try roasForestChart(roas: rows.roas, marginal: rows.marginal) }
        if let o = r.optimization { time("allocation") { try allocationChart(ChartPack.allocationBars(o.plan, channelNames: r.channelNames)) } }
        if let f = r.frontier { time("frontier") { try frontierChart(ChartPack.frontierPoints(f), currentBudget: f.currentBudget, currentResponse: nil) } }
        time("waterfall") { try waterfallChart(ChartPack.waterfallSteps(r)) }
        time("adstock") { try adstockChart(ChartPack.adstockWeights(r)) }
        time("saturation") { try saturationChart(ChartPack.saturationCurves(r)) }
        time("diagnostics") {
            let t = ChartPack.traces(r)
            return try diagnosticsChart(t, size: ChartSize(width: 960, height: 110 + 150 * Double(t.count)))
        }
    }
}
