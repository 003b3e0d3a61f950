import Foundation
import MixOptimize

/// The Summary sheet: what data, how well the model fits, whether to trust it, what each channel
/// returned, and the headline recommendation.
extension WorkbookContent {
    func writeSummary(_ sheet: XlsxSheet) throws {
        let s = style
        let model = results.model
        let data = model.dataset
        let q = results.quantities
        let sampler = model.sampler
        let trainT = data.periodCount - model.holdout
        try sheet.text(0, 0, "MixPlan: media mix model and budget plan", s.title)
        var r = 2
        try sheet.pair(r, 0, "Target", data.targetName, s); r += 1
        try sheet.pair(r, 0, "Data file", URL(fileURLWithPath: data.source).lastPathComponent, s); r += 1
        try sheet.pair(r, 0, "Periods covered", "\(data.dates[0]) to \(data.dates[trainT - 1]) (\(trainT) \(data.frequency.rawValue) periods)", s); r += 1
        if model.holdout > 0 {
            try sheet.pair(r, 0, "Holdout", "\(data.dates[trainT]) to \(data.dates[data.periodCount - 1]) (\(model.holdout) periods kept out of the fit)", s); r += 1
        }
        try sheet.pair(r, 0, "Channels", Double(data.channelCount), s, s.count); r += 1
        for name in data.channelNames {
            guard let cost = data.exposureCosts[name] else { continue }
            try sheet.pair(r, 0, "  Measured in exposures", cost.note(channel: name), s); r += 1
        }
        r += 1
        try sheet.text(r, 0, "Fit and convergence", s.section); r += 1
        try sheet.headers(r, 0, ["", "In sample", "Out of sample"], s.header); r += 1
        let out = q.outOfSample
        for (label, a, b, f) in [("R²", q.inSample.r2, out?.r2, s.ratio), ("MAPE", q.inSample.mape, out?.mape, s.percent),
                                 ("NRMSE", q.inSample.nrmse, out?.nrmse, s.percent)] {
            try sheet.text(r, 0, label, s.label)
            try sheet.number(r, 1, a, f)
            if let b { try sheet.number(r, 2, b, f) } else { try sheet.text(r, 2, "no holdout", s.note) }
            r += 1
        }
        let verdict = results.verdict
        try sheet.pair(r, 0, "Convergence", verdict.passed ? "Converged: every check passed (see Diagnostics)"
                                                           : "NOT CONVERGED: " + verdict.summary + ". Treat every number with caution.",
                       s, valueStyle: verdict.passed ? s.good : s.bad); r += 1
        if let retry = results.model.sampler.retry {
            try sheet.pair(r, 0, "  Refitted (sampler.retry)", retry.sentence, s, valueStyle: s.caution); r += 1
        }
        for reason in verdict.reasons {
            try sheet.pair(r, 0, "  What to try next", reason.message + ": " + reason.nextStep, s, valueStyle: s.caution); r += 1
        }
        if let b = results.backtest {
            try sheet.pair(r, 0, "Backtest (last \(b.heldOut) periods)", String(format: "refitted without them: MAPE %.1f %% in sample, %.1f %% out of sample; NRMSE %.1f %% and %.1f %%",
                                                                     100 * b.inSample.mape, 100 * b.outOfSample.mape, 100 * b.inSample.nrmse, 100 * b.outOfSample.nrmse), s); r += 1
        }
        let e = results.evidence
        try sheet.pair(r, 0, "Media share of target", String(format: "%.1f %% after the data; the priors alone assumed %.1f %% (%.1f–%.1f %%)",
                                                             100 * e.posteriorMediaShare.mean, 100 * e.priorMediaShare.mean,
                                                             100 * e.priorMediaShare.lower, 100 * e.priorMediaShare.upper), s); r += 1
        let dominated = e.priorDominated
        try sheet.pair(r, 0, "Prior-dominated channels", dominated.isEmpty ? "None: the data informed every channel"
                                                                             : dominated.joined(separator: ", ") + " (their ROAS is mostly the prior's; see the channel table)",
                       s, valueStyle: dominated.isEmpty ? s.good : s.bad); r += 1
        try sheet.pair(r, 0, "Max R-hat", sampler.maxRhat, s, s.rhat); r += 1
        try sheet.pair(r, 0, "Min bulk ESS", sampler.minEssBulk, s, s.count); r += 1
        try sheet.pair(r, 0, "Divergences", Double(sampler.divergences), s, s.count); r += 1
        try sheet.pair(r, 0, "Posterior draws", "\(model.chains) chains × \(model.drawsPerChain) draws", s); r += 1

        r += 1
        try sheet.text(r, 0, "Recommendation", s.section); r += 1
        if let o = results.optimization {
            let p = o.plan
            let verb = p.change.mean >= 0 ? "gains" : "loses"
            try sheet.text(r, 0, String(format: "Re-allocate to the optimal plan (Allocation sheet): it %@ %.0f %@ in expectation over %d periods, with probability %@ of doing better than current spend.",
                                        verb, abs(p.change.mean), targetName, p.periods, WorkbookStyle.probabilityText(p.probabilityBetter)), s.label); r += 1
            if let caveat = results.planCaveat {
                try sheet.text(r, 0, "Caveat: " + caveat, s.caution); r += 1
            }
            try sheet.headers(r, 0, ["", "Mean", "Lower (\(lowerLabel))", "Upper (\(upperLabel))"], s.header); r += 1
            for (label, i) in [("Expected response, optimal plan", p.response), ("Expected response, current spend", p.currentResponse),
                               ("Change", p.change)] {
                try sheet.text(r, 0, label, s.label)
                try sheet.interval(r, 1, i, s.amount)
                r += 1
            }
            try sheet.pair(r, 0, "Probability of doing better", p.probabilityBetter, s, s.probability)
            if results.planCaveat != nil { try sheet.text(r, 2, "see the caveat above", s.caution) }
            r += 1
            try sheet.pair(r, 0, "Budget over the horizon", o.budget, s, s.money); r += 1
            try sheet.pair(r, 0, "Horizon (periods)", Double(p.periods), s, s.count); r += 1
            try sheet.pair(r, 0, "Objective", o.objective, s); r += 1
        } else {
            try sheet.text(r, 0, "No optimisation was run; the Allocation sheet's planner starts from current spend.", s.note); r += 1
        }

        r += 1
        try sheet.text(r, 0, "Channels over the training periods (mean and \(lowerLabel)–\(upperLabel) interval over posterior draws)", s.section); r += 1
        var headers = ["Channel", "Spend", "Contribution", "Lower (\(lowerLabel))", "Upper (\(upperLabel))", "Share of media effect",
                       "ROAS", "ROAS lower", "ROAS upper", "Marginal ROAS"]
        headers += ["ROAS narrowed by the data", "Data verdict"]
        if results.optimization != nil { headers += ["Current spend / period", "Optimal spend / period"] }
        try sheet.headers(r, 0, headers, s.header)
        try sheet.height(r, 30)
        for ch in q.channels {
            r += 1
            try sheet.text(r, 0, ch.name, s.text)
            try sheet.number(r, 1, ch.spend, s.money)
            try sheet.interval(r, 2, ch.contribution, s.amount)
            try sheet.number(r, 5, ch.share.mean, s.percent)
            try sheet.interval(r, 6, ch.roas, s.ratio)
            try sheet.number(r, 9, ch.marginalRoas.mean, s.ratio)
            let evidence = e.channels.first { $0.channel == ch.name }
            if let k = evidence?.narrowed { try sheet.number(r, 10, k, s.percent) } else { try sheet.text(r, 10, "experiment prior", s.note) }
            let dominatedChannel = evidence?.priorDominated ?? false
            try sheet.text(r, 11, dominatedChannel ? "prior-dominated" : "informed", dominatedChannel ? s.bad : s.text)
            if let line = results.optimization?.plan.channels.first(where: { $0.channel == ch.name }) {
                try sheet.number(r, 12, line.currentSpendPerPeriod, s.money)
                try sheet.number(r, 13, line.spendPerPeriod, s.money)
            }
        }
        for ev in e.channels {
            for f in ev.findings {
                r += 1
                try sheet.text(r, 0, "\(ev.channel): \(f.message). Next: \(f.nextStep).", f.flag == .priorDominated ? s.caution : s.note)
            }
        }
        r += 2
        try sheet.text(r, 0, "Warnings", s.section); r += 1
        if results.warnings.isEmpty {
            try sheet.text(r, 0, "None.", s.note)
        } else {
            for w in results.warnings {
                try sheet.text(r, 0, w, s.caution)
                r += 1
            }
        }
        try sheet.width(0, 0, 34)
        try sheet.width(1, 13, 14)
        sheet.printLandscapeFitWidth()
    }
}
