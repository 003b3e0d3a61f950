import Foundation
import Logging
import MixData
import MixModel
import MixOptimize
import MixReport

/// The stages of `mixplan weekly`, in order, each logged.
struct WeeklyJob {
    let command: WeeklyCommand
    let log: Logger

    func run() throws -> WeeklyOutcome {
        let started = Date()
        let steps = WeeklySteps(command: command, log: log)
        try FlagChecks.atLeast(command.holdout, 0, flag: "--holdout", what: "the number of held-out periods")
        var cfg = try ConfigLoader.load(path: command.config)
        let overridden = try command.overrides.apply(to: &cfg)
        for (key, flag) in overridden.sorted(by: { $0.key < $1.key }) {
            log.debug("setting overridden by flag", metadata: ["key": "\(key)", "flag": "\(flag)"])
        }
        // A geo panel (data.geo_column) takes the geo model's path.
        if cfg.data.geoColumn != nil { return try GeoWeeklyJob(command: command, log: log, config: cfg).run() }

        let loaded = try DatasetLoader().load(cfg)
        let data = loaded.dataset
        try FlagChecks.holdout(command.holdout, data, config: cfg)
        let backtestPeriods = try VerdictPrinting.backtestPeriods(command.backtest, holdout: command.holdout, data: data, config: cfg)
        let week = ReportsFolder.weekName(for: data.dates[data.periodCount - 1])
        log.info("data loaded", metadata: ["stage": "data", "file": "\(data.source)", "periods": "\(data.periodCount)",
                                           "channels": "\(data.channelCount)", "through": "\(data.dates[data.periodCount - 1])",
                                           "week": "\(week)"])
        // Report templates are checked (syntax, includes, names) before the fit, not after it.
        let templates = WeeklySteps.templates(cfg)
        _ = try ReportWriter(templatesDirectory: templates)
        let folder = try steps.openReportsFolder(week: week)
        defer { folder.unlock() }
        var warnings = loaded.warnings.map { "\($0)" }
        for warning in warnings { log.warning("\(warning)", metadata: ["stage": "data"]) }

        let warm = command.noWarmStart ? nil : warmStart(folder: folder, data: data, config: cfg)
        Checkpoint.reach("before-fit")
        let showBar = ProgressBar.terminalAttached && command.logLevel <= .info
        let bar = ProgressBar(chains: cfg.sampler.chains, enabled: showBar)
        log.info("sampling", metadata: ["stage": "fit", "chains": "\(cfg.sampler.chains)", "warmup": "\(cfg.sampler.warmup)",
                                        "draws": "\(cfg.sampler.draws)", "warm_start": "\(warm != nil)"])
        var model = try ModelFitter.fit(dataset: data, config: cfg, holdout: command.holdout, warmStart: warm, progress: bar.update)
        bar.finish()
        let s = model.sampler
        let verdict = model.verdict
        log.info("fit done", metadata: ["stage": "fit", "seconds": "\(String(format: "%.1f", s.seconds))",
                                        "converged": "\(verdict.passed)", "divergences": "\(s.divergences)",
                                        "max_rhat": "\(String(format: "%.3f", s.maxRhat))",
                                        "min_ess_bulk": "\(String(format: "%.0f", s.minEssBulk))"])
        steps.logRetry(s.retry)
        let verdictWarnings = steps.logVerdict(verdict)
        if backtestPeriods > 0 {
            log.info("backtest", metadata: ["stage": "backtest", "held_out": "\(backtestPeriods)"])
            let b = try Backtest.run(dataset: data, config: cfg, periods: backtestPeriods)
            model.backtest = b
            log.info("backtest done", metadata: ["stage": "backtest", "seconds": "\(String(format: "%.1f", b.seconds))",
                                                 "mape_in": "\(String(format: "%.4f", b.inSample.mape))",
                                                 "mape_out": "\(String(format: "%.4f", b.outOfSample.mape))"])
        }
        Checkpoint.reach("after-fit")

        let results = try DefaultPlan.run(model: model, warnings: warnings)
        // Every warning that counts towards exit 1 is in the log, so a cron job's log says why:
        // data warnings and the fit's verdict were logged above; the plan's are logged here.
        let logged = Set(warnings)
        for warning in results.warnings where !logged.contains(warning) {
            log.warning("\(warning)", metadata: ["stage": "optimize"])
        }
        for name in results.evidence.priorDominated {
            log.notice("channel not informed by the data (prior-dominated)", metadata: ["stage": "fit", "channel": "\(name)"])
        }
        if let caveat = results.planCaveat { log.notice("\(caveat)", metadata: ["stage": "optimize"]) }
        // Each failed check was logged at level=warning above, so it counts as one warning.
        warnings = verdictWarnings + results.warnings
        let headline = Self.headline(results)
        log.info("plan", metadata: ["stage": "optimize", "budget": "\(String(format: "%.2f", DefaultPlan.budget(for: model)))",
                                    "summary": "\(headline)"])

        let staged = try folder.stagingFolder(for: week)
        defer { folder.discard(staged: staged) }
        let previous = folder.previousWeek(before: week).flatMap { ReportPack.snapshot(inPack: folder.pack($0)) }
        if let previousWeek = folder.previousWeek(before: week) {
            log.info("comparing with an earlier pack", metadata: ["stage": "report", "previous": "\(previousWeek)",
                                                                   "has_summary": "\(previous != nil)"])
        }
        try ModelStore.save(model, to: staged.appendingPathComponent("model"))
        try ReportPack.write(results, previous: previous, templates: templates, into: staged, linkedImages: command.linkedImages) { stage in
            log.info("writing", metadata: ["stage": "\(stage)"])
            Checkpoint.reach(stage)
        }
        return try steps.publish(staged, week: week, folder: folder, started: started, verdict: verdict, warnings: warnings, headline: headline)
    }

    /// The latest pack's fit, when this week's data appended rows to the data it was fit on and
    /// its last draws are usable starting points. Unchanged data is fitted from scratch, so
    /// re-running a week gives the same pack as its first run.
    private func warmStart(folder: ReportsFolder, data: Dataset, config: MixPlanConfig) -> FittedModel? {
        guard let week = folder.latestWeek else { return nil }
        let modelFolder = folder.pack(week).appendingPathComponent("model")
        guard let previous = try? ModelStore.load(from: modelFolder) else {
            log.info("no warm start: the latest pack has no readable model", metadata: ["stage": "fit", "previous": "\(week)"])
            return nil
        }
        switch data.growth(since: previous.dataset) {
        case .grew(let added) where added == 0:
            log.info("no warm start: the data has not changed since the latest pack's fit, so this run fits from scratch and repeats it",
                     metadata: ["stage": "fit", "previous": "\(week)"])
            return nil
        case .grew(let added):
            if let problem = ModelFitter.warmStartProblem(previous, dataset: data, config: config, holdout: command.holdout) {
                log.notice("no warm start: \(problem)", metadata: ["stage": "fit", "previous": "\(week)"])
                return nil
            }
            log.info("warm start from the previous fit", metadata: ["stage": "fit", "previous": "\(week)", "added_periods": "\(added)"])
            return previous
        case .changed(let why):
            log.info("no warm start: \(why)", metadata: ["stage": "fit", "previous": "\(week)"])
            return nil
        }
    }

    /// One phrase for the summary line: the recommended change and how sure we are of it.
    static func headline(_ results: PlanningResults) -> String {
        guard let plan = results.optimization?.plan else { return "no plan" }
        if plan.keepsCurrentSpend {
            return "the current plan is already the best within the bounds"
        }
        let current = plan.currentResponse.mean
        let change = current != 0 ? 100 * plan.change.mean / abs(current) : 0
        let chance = ProbabilityText.format(plan.probabilityBetter)
        let lean = results.evidence.caveat(for: plan) != nil ? ", leans on prior-dominated channels" : ""
        let provisional = results.verdict.passed ? "" : ", provisional: fit not converged"
        return String(format: "recommended plan %+.1f %% response vs current (P better %@%@%@)", change, chance, lean, provisional)
    }
}

/// Named points of a run where a test can stop the process (`MIXPLAN_KILL_AT=stage` sends the
/// process SIGKILL there, or the signal `MIXPLAN_KILL_SIGNAL` names: INT or TERM), to prove that
/// a run killed or interrupted at any moment leaves no damage.
enum Checkpoint {
    static let killAt = ProcessInfo.processInfo.environment["MIXPLAN_KILL_AT"]
    static let signalName = ProcessInfo.processInfo.environment["MIXPLAN_KILL_SIGNAL"]

    static func reach(_ stage: String) {
        guard stage == killAt else { return }
        switch signalName {
        case "INT", "TERM":
            kill(getpid(), signalName == "INT" ? SIGINT : SIGTERM)
            // The handler runs on another thread and ends the process; wait for it here so the
            // test sees the stop at this stage rather than a race with the next one.
            sleep(30)
        default:
            kill(getpid(), SIGKILL)
        }
    }
}
