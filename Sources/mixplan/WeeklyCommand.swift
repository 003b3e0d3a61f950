import ArgumentParser
import Foundation
import Logging
import MixData
import MixModel
import MixOptimize
import MixReport

/// `mixplan weekly`: the scheduled job — validate, fit, optimise and write this week's pack.
struct WeeklyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weekly",
        abstract: "Validate, fit, optimise and write this week's report pack (for cron).",
        discussion: """
        Runs the whole pipeline on the config's data and writes REPORTS_DIR/<ISO week>/ — the ISO \
        week of the data's last period, e.g. 2026-W47 — holding charts/*.png, mixplan.xlsx, \
        report.md, report.html, summary.json, plan.json and model/ (the fit, usable with \
        `mixplan optimize`/`whatif --model`). The pack is built in REPORTS_DIR/.mixplan/ and moved \
        into place in one step when complete; REPORTS_DIR/latest (a symbolic link) moves after \
        it. A run killed at any point leaves earlier packs and `latest` as they were; re-running \
        a week replaces its pack in one step. On a geo config (data.geo_column) the pack is the \
        geo one (see `mixplan report`), with no plan until the geo optimiser is wired in, no \
        warm start, and no backtest (--backtest N is refused; auto is skipped with a note).

        The budget and constraints come from the config's optimizer section (default: the mean \
        total spend per period over optimizer.current_window_days, 28 by default, every channel within ±30 % of its current spend); \
        flags override the config, which overrides the defaults (see `mixplan config --show`). \
        When the data only grew since the latest pack's fit, sampling starts from that fit's \
        last draws, step size and metric (a warm start), and the log says so. The report \
        compares with the newest earlier week's pack.

        Logging: key=value lines on stderr at --log-level (default info); no progress bar unless \
        stderr is a terminal. stdout gets one summary line. A lock file stops two runs writing \
        the same folder; a lock left by a dead process is taken over with a warning.

        Exit codes: 0 ok; 1 the pack was written but with warnings — the fit did not converge, \
        data warnings, or plan warnings (e.g. a channel with no recent spend held at zero) — \
        each logged on stderr at level=warning and listed in report.md (weekly has no --strict: \
        any warning gives exit 1); 2 bad input (config, data, flags, templates, an unwritable folder, or \
        another run holding the lock); 3 internal error.

        Example:
          mixplan weekly --config mixplan.yaml --out reports
        """
    )

    @Option(name: .shortAndLong, help: "The config file (see `mixplan init`).")
    var config: String = "mixplan.yaml"

    @Option(name: .shortAndLong, help: "The reports folder; each run writes a <ISO week> folder inside it.")
    var out: String

    @Option(parsing: .unconditional, help: "Keep the last N periods out of the fit and report out-of-sample accuracy on them.")
    var holdout: Int = 0

    @Option(help: "Backtest: auto (the last 13 weeks or 28 days, at most 10 % of the data), off, or a number of periods.")
    var backtest: String = "auto"

    @Flag(help: "Link the charts from report.html (charts/*.png) instead of embedding them.")
    var linkedImages = false

    @Flag(help: "Fit from scratch even when the previous week's fit could warm-start this one.")
    var noWarmStart = false

    @Option(help: "Log level: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")).")
    var logLevel: Logger.Level = .info

    @OptionGroup(title: "Overrides of the config")
    var overrides: RunOverrides

    func run() throws {
        let level = logLevel
        LoggingSystem.bootstrap { LineLogHandler(label: $0, level: level) }
        var log = Logger(label: "mixplan.weekly")
        log.logLevel = level
        var outcome: WeeklyOutcome?
        try CLISupport.run {
            do {
                outcome = try WeeklyJob(command: self, log: log).run()
            } catch let locked as FolderLockedError {
                throw InputError(InputLocation(file: out), locked.description)
            }
        }
        guard let outcome else { return }
        print(outcome.summaryLine)
        if !outcome.warnings.isEmpty || !outcome.converged { throw ExitCode(1) }
    }
}

/// What one weekly run produced, for the summary line and the exit code.
struct WeeklyOutcome {
    var week: String
    var pack: String
    var seconds: Double
    var converged: Bool
    var warnings: [String]
    var headline: String

    var summaryLine: String {
        let verdict = converged ? "converged" : "NOT converged"
        let notes = warnings.isEmpty ? "" : "; \(warnings.count) warning\(warnings.count == 1 ? "" : "s")"
        return String(format: "weekly %@: fit %@; %@; pack %@ (%.1f s%@)", week, verdict, headline, pack, seconds, notes)
    }
}
