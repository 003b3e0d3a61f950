import Foundation
import MixData
import MixModel
import MixOptimize
import MixResults

/// How the CLI prints the trust verdict: each failed check with what to try next, the channels
/// the data did not inform, and the backtest. One place, so fit, weekly, optimize and whatif say
/// the same thing the same way.
enum VerdictPrinting {
    /// "Convergence: passed every check." or one line per failure with its next step.
    /// `retry` (the fit's `sampler.retry` record) adds a line saying the results come from a
    /// refit and what it changed.
    static func lines(_ verdict: ConvergenceVerdict, retry: FitRetry? = nil) -> [String] {
        let retried = retry.map { ["Retry: " + $0.sentence] } ?? []
        guard !verdict.passed else {
            return ["Convergence: passed every check (R-hat, bulk and tail ESS, divergences, tree depth, E-BFMI, baseline)\(retry == nil ? "" : " on the second fit")."] + retried
        }
        var out = ["Convergence: NOT converged — \(verdict.reasons.count) check\(verdict.reasons.count == 1 ? "" : "s") failed:"]
        for r in verdict.reasons {
            out.append("  - \(r.message)")
            out.append("    try next: \(r.nextStep)")
        }
        return out + retried
    }

    /// The prior-dominated channels with their next step, and the media share before and after.
    static func lines(_ evidence: ChannelEvidenceSummary) -> [String] {
        var out = [String(format: "Media share of the target: %.1f %% after the data; the priors alone assumed %.1f %% [%.1f, %.1f].",
                          100 * evidence.posteriorMediaShare.mean, 100 * evidence.priorMediaShare.mean,
                          100 * evidence.priorMediaShare.lower, 100 * evidence.priorMediaShare.upper)]
        let narrowed = evidence.channels.compactMap { c in c.narrowedText.map { "\(c.channel) \($0)" } }
        if !narrowed.isEmpty { out.append("ROAS prior narrowed by the data (1 − posterior ÷ prior variance): \(narrowed.joined(separator: ", ")).") }
        for c in evidence.channels {
            for f in c.findings {
                out.append("  \(c.channel): \(f.message)")
                out.append("    next: \(f.nextStep)")
            }
        }
        if evidence.priorDominated.isEmpty {
            out.append("Every channel was informed by the data: none is prior-dominated (ROAS prior narrowed by at least 50 %, posterior sd at most 50 % of its mean).")
        } else {
            out.append("Prior-dominated (not informed by the data): \(evidence.priorDominated.joined(separator: ", ")); a plan that moves their spend says so beside its probability.")
        }
        return out
    }

    static func line(_ b: Backtest) -> String {
        String(format: "Backtest (refitted without the last %d periods, %d draws per chain, %.1f s): MAPE %.1f %% in sample, %.1f %% out of sample; NRMSE %.3f and %.3f.",
               b.heldOut, b.draws, b.seconds, 100 * b.inSample.mape, 100 * b.outOfSample.mape, b.inSample.nrmse, b.outOfSample.nrmse)
    }

    /// The periods a backtest holds out for `--backtest SPEC`: "auto" (the default rule, 0
    /// when the data are too short), "off" or 0, or a number of periods. None when `holdout` > 0:
    /// the fit itself then has an out-of-sample check.
    static func backtestPeriods(_ spec: String, holdout: Int, data: Dataset, config: MixPlanConfig) throws -> Int {
        guard holdout == 0 else { return 0 }
        switch spec.lowercased() {
        case "auto": return Backtest.defaultPeriods(data, config: config)
        case "off", "0": return 0
        default:
            guard let n = Int(spec), n > 0 else {
                throw InputError(InputLocation(file: "--backtest"), "\"\(spec)\" is not auto, off or a number of periods.",
                                 hint: "Write --backtest auto (the default: the last 13 weeks or 28 days, at most 10 % of the data), --backtest off, or --backtest 8.")
            }
            if let problem = ModelFitter.holdoutProblem(n, periods: data.periodCount, config: config) {
                throw InputError(InputLocation(file: "--backtest"), problem.message + " (\(data.source))", hint: problem.hint)
            }
            return n
        }
    }
}
