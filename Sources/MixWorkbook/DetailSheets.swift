import Foundation
import MixOptimize
import MixInference

/// Scenarios, Diagnostics and Charts: the what-ifs that were run, whether the sampler can be
/// trusted, and the PNG charts.
extension WorkbookContent {
    /// The convergence rule, stated on the Diagnostics sheet.
    static var diagnosticsNote: String {
        typealias T = ConvergenceVerdict.Threshold
        return String(format: "Converged when max R-hat ≤ %.2f, min bulk and tail ESS ≥ %.0f, no divergences after warm-up, at most %.0f %% of draws at the maximum tree depth, E-BFMI ≥ %.1f in every chain (Vehtari et al. 2021; Betancourt 2016), and the fit at least as good as an intercept-and-seasonality baseline.",
                      T.maxRhat, T.minESS, 100 * T.maxTreeDepthShare, T.minEBFMI)
    }

    func writeScenarios(_ sheet: XlsxSheet) throws {
        let s = style
        try sheet.text(0, 0, "Scenarios (what-ifs that were run)", s.title)
        guard !results.scenarios.isEmpty else {
            try sheet.text(1, 0, "No scenarios were evaluated for this run; use the Allocation sheet's planner cells for a quick what-if.", s.note)
            try sheet.width(0, 0, 24)
            return
        }
        try sheet.text(1, 0, "Expected \(targetName) over each scenario's horizon, with the \(lowerLabel)–\(upperLabel) interval, against current spend.", s.note)
        let r0 = 3
        try sheet.headers(r0, 0, ["Scenario", "Periods", "Total spend", "Response", "Lower (\(lowerLabel))", "Upper (\(upperLabel))",
                                  "Response at current spend", "Change", "Change lower", "Change upper", "Probability better", "ROAS", "Caveat"], s.header)
        try sheet.height(r0, 30)
        for (i, sc) in results.scenarios.enumerated() {
            let r = r0 + 1 + i, p = sc.plan
            try sheet.text(r, 0, sc.name, s.text)
            try sheet.number(r, 1, Double(p.periods), s.count)
            try sheet.number(r, 2, p.totalSpend, s.money)
            try sheet.interval(r, 3, p.response, s.amount)
            try sheet.number(r, 6, p.currentResponse.mean, s.amount)
            try sheet.interval(r, 7, p.change, s.amount)
            try sheet.number(r, 10, p.probabilityBetter, s.probability)
            try sheet.number(r, 11, p.roas, s.ratio)
            if let caveat = results.caveat(for: p) { try sheet.text(r, 12, caveat, s.caution) }
        }
        var r = r0 + results.scenarios.count + 2
        try sheet.text(r, 0, "Spend per period by channel", s.section)
        r += 1
        let channels = results.channelNames
        try sheet.headers(r, 0, ["Scenario"] + channels, s.header)
        for sc in results.scenarios {
            r += 1
            try sheet.text(r, 0, sc.name, s.text)
            for (c, name) in channels.enumerated() {
                if let line = sc.plan.channels.first(where: { $0.channel == name }) {
                    try sheet.number(r, 1 + c, line.spendPerPeriod, s.money)
                }
            }
        }
        try sheet.width(0, 0, 24)
        try sheet.width(1, max(11, channels.count), 14)
        sheet.freeze(rows: r0 + 1, cols: 1)
    }

    func writeDiagnostics(_ sheet: XlsxSheet) throws {
        let s = style
        let sampler = results.model.sampler
        let model = results.model
        try sheet.text(0, 0, "Sampler diagnostics", s.title)
        try sheet.text(1, 0, Self.diagnosticsNote, s.note)
        var r = 3
        let verdict = results.verdict
        try sheet.pair(r, 0, "Verdict", verdict.passed ? "Converged" : "NOT CONVERGED: " + verdict.summary, s,
                       valueStyle: verdict.passed ? s.good : s.bad); r += 1
        for reason in verdict.reasons {
            try sheet.pair(r, 0, "  " + reason.check.rawValue, reason.message + ". Next: " + reason.nextStep, s, valueStyle: s.caution); r += 1
        }
        if let b = verdict.baseline {
            try sheet.pair(r, 0, "Fit R² (model)", b.modelR2, s, s.ratio); r += 1
            try sheet.pair(r, 0, "Fit R² (baseline: \(b.description))", b.baselineR2, s, s.ratio); r += 1
        }
        try sheet.pair(r, 0, "Chains", Double(model.chains), s, s.count); r += 1
        try sheet.pair(r, 0, "Draws per chain", Double(model.drawsPerChain), s, s.count); r += 1
        try sheet.pair(r, 0, "Warm-up per chain", Double(sampler.warmup), s, s.count); r += 1
        try sheet.pair(r, 0, "Divergences", Double(sampler.divergences), s, s.count); r += 1
        try sheet.pair(r, 0, "Max tree depth hits", Double(sampler.maxTreeDepthHits), s, s.count); r += 1
        try sheet.pair(r, 0, "Max R-hat", sampler.maxRhat, s, s.rhat); r += 1
        try sheet.pair(r, 0, "Min bulk ESS", sampler.minEssBulk, s, s.count); r += 1
        try sheet.pair(r, 0, "Min tail ESS", sampler.minEssTail, s, s.count); r += 1
        try sheet.text(r, 0, "E-BFMI per chain", s.label)
        for (i, e) in sampler.ebfmi.enumerated() { try sheet.number(r, 1 + i, e, s.ratio) }
        r += 1
        try sheet.text(r, 0, "Step size per chain", s.label)
        for (i, e) in sampler.stepSizes.enumerated() { try sheet.number(r, 1 + i, e, s.precise) }
        r += 1
        try sheet.pair(r, 0, "Target acceptance", sampler.targetAcceptance, s, s.ratio); r += 1
        try sheet.pair(r, 0, "Seed", String(sampler.seed), s); r += 1
        try sheet.pair(r, 0, "Sampling time (s)", sampler.seconds, s, s.decimal); r += 1
        r += 1
        try sheet.text(r, 0, "Parameters (natural scale)", s.section); r += 1
        let header = r
        try sheet.headers(r, 0, ["Parameter", "Mean", "SD", "HDI 3 %", "HDI 97 %", "MCSE mean", "MCSE SD", "ESS bulk", "ESS tail", "R-hat"], s.header)
        for p in sampler.parameters {
            r += 1
            try sheet.text(r, 0, p.name, s.text)
            for (k, v) in [p.mean, p.sd, p.hdi3, p.hdi97, p.mcseMean, p.mcseSD].enumerated() { try sheet.number(r, 1 + k, v, s.precise) }
            try sheet.number(r, 7, p.essBulk, s.count)
            try sheet.number(r, 8, p.essTail, s.count)
            try sheet.number(r, 9, p.rhat, s.rhat)
        }
        if r > header {
            try sheet.highlight(rows: (header + 1)...r, cols: 9...9, when: .greaterThan, ConvergenceVerdict.Threshold.maxRhat, s.flag)
            try sheet.highlight(rows: (header + 1)...r, cols: 7...8, when: .lessThan, ConvergenceVerdict.Threshold.minESS, s.caution)
        }
        try sheet.width(0, 0, 26)
        try sheet.width(1, 9, 12)
        sheet.freeze(rows: header + 1, cols: 1)
    }

    /// Embeds each PNG below the previous one with its file name as a caption; a 2× chart is
    /// shown at half size.
    func writeCharts(_ sheet: XlsxSheet, files: [URL]) throws { try Self.writeChartImages(sheet, files: files, style: style) }

    /// The Charts sheet: each PNG under its name, one below the other (also the geo workbook's).
    static func writeChartImages(_ sheet: XlsxSheet, files: [URL], style s: WorkbookStyle) throws {
        try sheet.text(0, 0, "Charts", s.title)
        guard !files.isEmpty else {
            try sheet.text(1, 0, "No chart images were given for this workbook.", s.note)
            return
        }
        var r = 2
        for file in files {
            guard let size = PNGSize(file) else { continue }
            let scale = size.width > 1400 ? 0.5 : 1
            try sheet.text(r, 0, file.deletingPathExtension().lastPathComponent, s.section)
            try sheet.image(file, r + 1, 0, scale: scale, description: "Chart " + file.lastPathComponent)
            // Default rows are 20 px high.
            r += 3 + Int((Double(size.height) * scale / 20).rounded(.up))
        }
        sheet.hideGridlines()
    }
}
