import ArgumentParser
import Foundation
import MixData
import MixInference
import MixModel
import MixOptimize
import MixResults

/// `mixplan fit`: sample the model's posterior and save it as a model folder.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit the media mix model to the configured data and save the posterior.",
        discussion: """
        Loads and validates the data named by the config, samples the posterior with NUTS \
        (sampler settings from the config; flags override them), prints the convergence \
        diagnostics, each channel's contribution and ROAS with 94 % intervals, and the fit \
        quality, and writes MODEL_DIR/ with model.json, draws.csv, summary.csv and data.csv — \
        everything `mixplan optimize`, `whatif` and `report` need.

        A fit counts as converged when max R-hat ≤ 1.01, bulk and tail ESS ≥ 400, there are no \
        divergences after warm-up, at most 1 % of draws hit the maximum tree depth, E-BFMI ≥ 0.3 \
        in every chain, and the fit is at least as good as an intercept-and-seasonality baseline. \
        If it is not, the model is still saved, each failed check is printed with what to try \
        next, and the exit code is 1 unless --allow-unconverged is given. Channels the data did \
        not inform (prior-dominated) are listed with the next step.

        Unless --holdout is given, a backtest refits the model without the last periods (13 \
        weeks or 28 days, at most 10 % of the data; --backtest N or off) with at most 500 warm-up \
        and 250 kept draws per chain, and reports MAPE and NRMSE in and out of sample; it adds \
        about 40 % to the fit's time on the default settings.

        Example: mixplan fit --config mixplan.yaml --out model --backtest off

        Examples:
          mixplan fit --config mixplan.yaml --out model
          mixplan fit --config mixplan.yaml --out model --holdout 8 --chains 4

        \(CLISupport.exitCodesHelp(one: "the model was saved but the fit did not converge (exit 0 with --allow-unconverged); data warnings are printed on stderr and do not change the exit code"))
        """
    )

    @Option(name: .shortAndLong, help: "The config file (see `mixplan init`).")
    var config: String = "mixplan.yaml"

    @Option(name: .shortAndLong, help: "The model folder to write: new, empty, or an earlier model folder, which is replaced atomically (any other folder or a file is refused).")
    var out: String

    @Option(parsing: .unconditional, help: "Keep the last N periods out of the fit and report out-of-sample accuracy on them.")
    var holdout: Int = 0

    @Option(help: "Backtest: auto (the last 13 weeks or 28 days, at most 10 % of the data), off, or a number of periods.")
    var backtest: String = "auto"

    @Flag(help: "Exit 0 even when the fit did not converge (the problems are still printed).")
    var allowUnconverged = false

    @OptionGroup var sampler: SamplerOverrides

    @Flag(name: .shortAndLong, help: "Print only the final summary line.")
    var quiet = false

    func run() throws {
        var fitResult: FittedModel?
        var geoFit: GeoFit?
        try CLISupport.run {
            // A geo panel (data.geo_column) takes the geo model's path (GeoFitRun).
            if let cfg = try? ConfigLoader.load(path: config), cfg.data.geoColumn != nil {
                try sampler.check()
                var cfg = cfg
                _ = try sampler.apply(to: &cfg)
                try GeoRunChecks.refuseHoldout(holdout, config: config)
                // The note waits until the panel has loaded: bad input gets its one error line alone.
                geoFit = try GeoFitRun.run(config: cfg, out: out, quiet: quiet, note: try GeoRunChecks.backtestNote(backtest))
                return
            }
            try FlagChecks.atLeast(holdout, 0, flag: "--holdout", what: "the number of held-out periods")
            try sampler.check()
            // Before any work: a folder that is not a model folder is refused, not replaced.
            try AtomicOutput.checkReplaceable(URL(fileURLWithPath: out), marker: "model.json", kind: "model")
            var cfg = try ConfigLoader.load(path: config)
            _ = try sampler.apply(to: &cfg)
            let loaded = try DatasetLoader().load(cfg)
            try FlagChecks.holdout(holdout, loaded.dataset, config: cfg)
            let backtestPeriods = try VerdictPrinting.backtestPeriods(backtest, holdout: holdout, data: loaded.dataset, config: cfg)
            if !quiet {
                for warning in loaded.warnings { CLISupport.printError("warning: \(warning)") }
            }
            let bar = ProgressBar(chains: cfg.sampler.chains, enabled: !quiet && ProgressBar.terminalAttached)
            var model = try ModelFitter.fit(dataset: loaded.dataset, config: cfg, holdout: holdout, progress: bar.update)
            bar.finish()
            if backtestPeriods > 0 {
                model.backtest = try Backtest.run(dataset: loaded.dataset, config: cfg, periods: backtestPeriods)
            }
            if !quiet, let line = model.structure.calibration.summary(channelNames: model.dataset.channelNames) { print(line) }
            try ModelStore.save(model, to: URL(fileURLWithPath: out))
            if !quiet { print(FitReport.render(model)) }
            fitResult = model
        }
        if let fit = geoFit {
            var text = fit.verdict.passed ? "converged" : "NOT converged (\(fit.verdict.summary))"
            if let retry = fit.retry { text += " after \(retry.refitDescription) (the first fit: \(retry.reason))" }
            print(String(format: "fit: geo model (%d geos) %@ in %.1f s; model saved to %@", fit.panel.geoCount, text, fit.seconds + (fit.retry?.discardedSeconds ?? 0), out))
            if !fit.verdict.passed && !allowUnconverged { throw ExitCode(1) }
            return
        }
        guard let model = fitResult else { return }
        let verdict = model.verdict
        let retry = model.sampler.retry
        if quiet, !verdict.passed { for line in VerdictPrinting.lines(verdict, retry: retry) { print(line) } }
        var text = verdict.passed ? "converged" : "NOT converged (\(verdict.summary))"
        if let retry { text += " after \(retry.refitDescription) (the first fit: \(retry.reason))" }
        print(String(format: "fit: %@ in %.1f s; model saved to %@", text, model.sampler.seconds + (retry?.discardedSeconds ?? 0), out))
        if !verdict.passed && !allowUnconverged { throw ExitCode(1) }
    }
}

/// The text a planner reads after a fit.
enum FitReport {
    static func render(_ model: FittedModel) -> String {
        // Every kept draw (not a thinned subset), so the printed figures are the posterior's.
        let q = PosteriorQuantities(model: model)
        var lines: [String] = []
        lines.append("Parameters (natural scale; 94 % HDI):")
        let rows = model.sampler.parameters.map { p in
            QuantitySummaryRow(p)
        }
        lines.append(QuantitySummaryRow.table(rows))
        lines.append("")
        lines.append(String(format: "Sampler: %d divergences, %d at max tree depth, E-BFMI %@, %d gradients",
                            model.sampler.divergences, model.sampler.maxTreeDepthHits,
                            model.sampler.ebfmi.map { String(format: "%.2f", $0) }.joined(separator: "/"),
                            model.sampler.gradientEvaluations))
        lines.append("")
        lines.append("Channels (training period; mean [3 %, 97 %]):")
        func iv(_ i: Interval, _ decimals: Int, scale: Double = 1) -> String { i.text(decimals: decimals, scale: scale) }
        let channelRows = q.channels.map { c in
            [c.name, groupedNumber(c.spend, decimals: 0), iv(c.contribution, 0), iv(c.share, 1, scale: 100),
             iv(c.roas, 2), iv(c.marginalRoas, 2)]
        }
        lines.append(renderColumns(["channel", "spend", "contribution", "share of media effect (%)", "ROAS", "marginal ROAS"], channelRows))
        for name in model.dataset.channelNames {
            if let cost = model.dataset.exposureCosts[name] { lines.append(cost.note(channel: name)) }
        }
        lines.append("")
        lines.append(String(format: "Fit in sample (%d periods): R² %.3f, MAPE %.1f %%, NRMSE %.3f",
                            q.inSample.periods, q.inSample.r2, 100 * q.inSample.mape, q.inSample.nrmse))
        if let o = q.outOfSample {
            lines.append(String(format: "Fit out of sample (%d periods): R² %.3f, MAPE %.1f %%, NRMSE %.3f",
                                o.periods, o.r2, 100 * o.mape, o.nrmse))
        }
        if let b = model.backtest { lines.append(VerdictPrinting.line(b)) }
        lines.append("")
        lines += VerdictPrinting.lines(ChannelEvidenceSummary(model: model))
        lines.append("")
        lines += VerdictPrinting.lines(model.verdict, retry: model.sampler.retry)
        return lines.joined(separator: "\n")
    }
}

/// Adapts a saved summary row to the sampler's table printer.
struct QuantitySummaryRow {
    var row: ParameterSummary
    init(_ row: ParameterSummary) { self.row = row }

    static func table(_ rows: [QuantitySummaryRow]) -> String {
        let width = max(8, rows.map(\.row.name.count).max() ?? 0)
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        // Fixed digits while they fit the 10-wide column, else 3 significant digits (a runaway
        // β of 1.66e9 reads "1.66e+09" instead of pushing every later column out of line).
        func num(_ x: Double, _ digits: Int) -> String {
            guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
            let fixed = String(format: "%.\(digits)f", x)
            return fixed.count <= 9 ? fixed : String(format: "%.3g", x)
        }
        var lines = [pad("", width) + ["mean", "sd", "hdi_3%", "hdi_97%", "ess_bulk", "ess_tail", "r_hat"].map { pad($0, 10) }.joined()]
        for r in rows.map(\.row) {
            let cells = [num(r.mean, 3), num(r.sd, 3), num(r.hdi3, 3), num(r.hdi97, 3), num(r.essBulk, 0), num(r.essTail, 0), num(r.rhat, 3)]
            lines.append(pad(r.name, width) + cells.map { pad($0, 10) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}

/// A one-line progress bar on stderr, drawn only on a terminal: phase, share done (never
/// backwards), time left and divergences after warm-up (`ProgressTracker`).
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var tracker: ProgressTracker
    private let enabled: Bool
    private var lastDraw = 0.0

    init(chains: Int, enabled: Bool) {
        tracker = ProgressTracker(chains: chains)
        self.enabled = enabled
    }

    func update(_ p: SamplingProgress) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date().timeIntervalSince1970
        tracker.record(p, now: now)
        guard now - lastDraw > 0.1 else { return }
        lastDraw = now
        let filled = Int(tracker.fraction * 30)
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 30 - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(tracker.line) \u{1B}[K".utf8))
    }

    /// Progress bars only on an interactive terminal (both streams), never under cron.
    static var terminalAttached: Bool { isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
