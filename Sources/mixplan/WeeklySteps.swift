import Foundation
import Logging
import MixData
import MixInference
import MixReport

/// The steps every `mixplan weekly` run takes around its own fit and pack, national
/// (`WeeklyJob`) or geo (`GeoWeeklyJob`), written once: the templates folder, taking the reports
/// folder (refusing a week folder MixPlan did not write, the lock, what an interrupted run left),
/// the fit's verdict in the log, and the one-step publish with its outcome line.
struct WeeklySteps {
    let command: WeeklyCommand
    let log: Logger

    /// The config's report templates folder, or nil for the bundled templates.
    static func templates(_ config: MixPlanConfig) -> URL? {
        config.report.templates.isEmpty ? nil : URL(fileURLWithPath: config.resolvedPath(config.report.templates))
    }

    /// The reports folder, locked for this run and cleared of an interrupted run's staging. Refused
    /// before anything is created when `week`'s folder exists and is not a pack (checked again when
    /// publishing). The caller unlocks it (`defer { folder.unlock() }`).
    func openReportsFolder(week: String) throws -> ReportsFolder {
        let root = URL(fileURLWithPath: command.out)
        try AtomicOutput.checkReplaceable(root.appendingPathComponent(week), marker: "report.md", kind: "weekly pack")
        let folder = try ReportsFolder(root: root)
        if let takeover = try folder.lock() { log.warning("\(takeover)", metadata: ["stage": "lock"]) }
        folder.cleanUpOnInterrupt()
        let leftovers = folder.clearStaging()
        if !leftovers.isEmpty {
            log.notice("removed files an interrupted run left", metadata: ["stage": "lock", "items": "\(leftovers.joined(separator: ","))"])
        }
        return folder
    }

    /// Each failed convergence check at level=warning (so a cron job's log says why it exits 1),
    /// and the same as the outcome's warnings.
    /// Logs an automatic refit (`sampler.retry`: a higher target acceptance, a longer run, or a geo
    /// fit's chains run on), if there was one.
    func logRetry(_ retry: FitRetry?) {
        guard let retry else { return }
        var metadata: Logger.Metadata = ["stage": "fit", "reason": "\(retry.reason)", "remedy": "\(retry.remedy.rawValue)",
                                         "first_target_accept": "\(retry.firstTargetAccept)", "target_accept": "\(retry.targetAccept)"]
        if let warmup = retry.warmup, let draws = retry.draws { metadata["warmup"] = "\(warmup)"; metadata["draws"] = "\(draws)" }
        log.notice("fit \(retry.remedy == .moreDraws ? "run on" : "refitted"): \(retry.refitDescription)", metadata: metadata)
    }

    func logVerdict(_ verdict: ConvergenceVerdict) -> [String] {
        for reason in verdict.reasons {
            log.warning("fit did not converge: \(reason.message)", metadata: ["stage": "fit", "check": "\(reason.check.rawValue)", "try_next": "\(reason.nextStep)"])
        }
        return verdict.reasons.map { "The fit did not converge: \($0.message)." }
    }

    /// Publishes the staged pack as `week` in one step and says so; the outcome's summary line.
    func publish(_ staged: URL, week: String, folder: ReportsFolder, started: Date, verdict: ConvergenceVerdict,
                 warnings: [String], headline: String) throws -> WeeklyOutcome {
        Checkpoint.reach("before-publish")
        let latest = try folder.publish(staged: staged, as: week)
        let pack = folder.pack(week).path
        log.info("pack published", metadata: ["stage": "publish", "pack": "\(pack)", "latest": "\(latest)"])
        if latest != week {
            log.notice("latest still points at the newer pack \(latest): this run's data ends in an earlier week", metadata: ["stage": "publish"])
        }
        return WeeklyOutcome(week: week, pack: pack, seconds: Date().timeIntervalSince(started), converged: verdict.passed,
                             warnings: warnings, headline: headline)
    }
}
