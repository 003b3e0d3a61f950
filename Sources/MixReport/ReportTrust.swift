import Foundation
import MixModel
import MixOptimize

extension ReportContext {
    /// The headline and reasons of the trust verdict: a failed fit says so and what to try; a
    /// passed fit with prior-dominated channels names them; otherwise it says what passed.
    /// `retry` is the fit's `sampler.retry` record: the trust section says the fit was refitted.
    static func trust(_ verdict: ConvergenceVerdict, evidence: Evidence, retry: FitRetry? = nil) -> Trust {
        let reasons = verdict.reasons.map { ReasonText(message: $0.message, nextStep: $0.nextStep) }
        let headline: String
        if !verdict.passed {
            let n = verdict.reasons.count
            headline = "Not converged: do not act on these figures yet. The fit failed \(n == 1 ? "one check" : "\(n) checks") (\(verdict.summary)); what to try next is listed below."
        } else if let names = evidence.priorDominated {
            headline = "Converged, but the data did not inform \(names): their results are mostly what the priors assumed, so treat any change on them as a hypothesis to test."
        } else {
            headline = "Converged: the fit passed every check (sampler diagnostics, and better than an intercept-and-seasonality baseline), and the data informed every channel."
        }
        let baseline = verdict.baseline.flatMap { b -> String? in
            guard !b.description.isEmpty else { return nil }
            return "the fit's R² \(ReportFormat.score(b.modelR2)) against \(ReportFormat.score(b.baselineR2)) for \(b.description)"
        }
        return Trust(headline: headline, reasons: reasons, hasReasons: !reasons.isEmpty, baseline: baseline, retry: retry?.sentence)
    }

    /// "25.1 % (22.5 %–27.7 %)": a share with its 94 % interval.
    static func share(_ i: Interval) -> String {
        ReportFormat.percent(i.mean) + " (" + ReportFormat.percent(i.lower) + "\u{2013}" + ReportFormat.percent(i.upper) + ")"
    }

    static func evidence(_ e: ChannelEvidenceSummary) -> Evidence {
        let lines = e.channels.map { c in
            EvidenceLine(name: c.channel, priorROAS: c.priorROAS.map(ReportFormat.ratioInterval) ?? "from an experiment",
                         posteriorROAS: ReportFormat.ratioInterval(c.posteriorROAS),
                         narrowed: c.narrowedText ?? ReportFormat.notANumber,
                         spendShare: ReportFormat.percent(c.spendShare), effectShare: ReportFormat.percent(c.effectShare),
                         status: c.priorDominated ? "prior-dominated" : "informed by the data", priorDominated: c.priorDominated,
                         findings: c.findings.map { ReasonText(message: $0.message, nextStep: $0.nextStep) })
        }
        let dominated = e.priorDominated
        return Evidence(channels: lines, priorDominated: dominated.isEmpty ? nil : dominated.joined(separator: ", "),
                        priorMediaShare: share(e.priorMediaShare), posteriorMediaShare: share(e.posteriorMediaShare))
    }

    /// What the chance of beating current spend assumes (`PlanningResults.caveat`).
    static func caveat(_ results: PlanningResults, plan: PlanSummary? = nil) -> String? {
        (plan ?? results.optimization?.plan).flatMap { results.caveat(for: $0) }
    }
}
