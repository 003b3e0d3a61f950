import Foundation
import Logging
import MixData
import MixModel
import MixReport

/// `mixplan weekly` on a config with `data.geo_column`: validate the panel, fit the geo model,
/// write its pack (charts, workbook, report, summary.json and model/) into REPORTS_DIR/<ISO week>/
/// with the same lock, staging and one-step publish as the national job. No warm start and no
/// backtest yet (both said in the log and the report). The plan is the geo optimiser's with the
/// defaults `mixplan optimize --model <geo folder>` uses (`GeoPackPlanning.defaultPlan`).
struct GeoWeeklyJob {
    let command: WeeklyCommand
    let log: Logger
    let config: MixPlanConfig

    func run() throws -> WeeklyOutcome {
        let started = Date()
        let steps = WeeklySteps(command: command, log: log)
        try GeoRunChecks.refuseHoldout(command.holdout, config: command.config)
        let backtestNote = try GeoRunChecks.backtestNote(command.backtest)
        let panel = try DatasetLoader().loadPanel(config)
        let last = panel.dates[panel.periodCount - 1]
        let week = ReportsFolder.weekName(for: last)
        log.info("data loaded", metadata: ["stage": "data", "file": "\(panel.geos[0].source)", "geos": "\(panel.geoCount)",
                                           "periods": "\(panel.periodCount)", "channels": "\(panel.channelNames.count)",
                                           "through": "\(last)", "week": "\(week)"])
        for line in panel.inactiveDescriptions { log.notice("\(line)", metadata: ["stage": "data"]) }
        // Templates are checked before the fit, not after it.
        let templates = WeeklySteps.templates(config)
        _ = try GeoReportWriter(templatesDirectory: templates)
        let folder = try steps.openReportsFolder(week: week)
        defer { folder.unlock() }
        var notes: [String] = []
        if let backtestNote {
            log.notice("\(backtestNote)", metadata: ["stage": "backtest"])
            notes.append(backtestNote.prefix(1).uppercased() + backtestNote.dropFirst())
        }
        if !command.noWarmStart { log.info("no warm start: geo fits always start from scratch", metadata: ["stage": "fit"]) }

        let staged = try folder.stagingFolder(for: week)
        defer { folder.discard(staged: staged) }
        Checkpoint.reach("before-fit")
        log.info("sampling", metadata: ["stage": "fit", "model": "geo", "chains": "\(config.sampler.chains)",
                                        "warmup": "\(config.sampler.warmup)", "draws": "\(config.sampler.draws)"])
        let modelFolder = staged.appendingPathComponent("model")
        let fit = try GeoFitRun.run(config: config, out: modelFolder.path, quiet: true)
        let verdict = fit.verdict
        log.info("fit done", metadata: ["stage": "fit", "seconds": "\(String(format: "%.1f", fit.seconds))", "converged": "\(verdict.passed)"])
        steps.logRetry(fit.retry)
        let warnings = steps.logVerdict(verdict)
        Checkpoint.reach("after-fit")
        if let previous = folder.previousWeek(before: week) {
            log.notice("no comparison with the earlier pack \(previous): geo reports do not have a what-changed section yet", metadata: ["stage": "report"])
        }
        // The pack is built from the saved folder, so it shows exactly what model/ holds.
        let saved = try GeoModelFolder(modelFolder)
        let plan = try GeoPackPlanning.defaultPlan(modelFolder: modelFolder)
        let caveat = GeoPlanText.caveat(saved, plan: plan.plan)
        if let caveat { log.notice("\(caveat)", metadata: ["stage": "optimize"]) }
        let headline = "geo model, \(panel.geoCount) geos; " + GeoPackPlanning.headline(plan.plan, caveat: caveat)
        log.info("plan", metadata: ["stage": "optimize", "budget": "\(String(format: "%.2f", plan.plan.plan.totalSpend))", "summary": "\(headline)"])
        try GeoReportPack.write(saved, into: staged, templates: templates, plan: plan, notes: notes, linkedImages: command.linkedImages) { stage in
            log.info("writing", metadata: ["stage": "\(stage)"])
            Checkpoint.reach(stage)
        }
        return try steps.publish(staged, week: week, folder: folder, started: started, verdict: verdict, warnings: warnings, headline: headline)
    }
}
