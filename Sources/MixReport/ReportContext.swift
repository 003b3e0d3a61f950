import Foundation
import MixData
import MixModel
import MixOptimize

/// What the templates see: every figure of the report as already-formatted text, grouped by
/// section. Field names are the Mustache tag names (`{{period.text}}`, `{{#channels}}…`);
/// optional fields and empty lists make their sections disappear.
///
/// The context holds text, not numbers, so a template cannot format a figure differently from
/// the workbook or the tests; all formatting is `ReportFormat`'s.
public struct ReportContext: Sendable {
    public var title: String
    public var target: String
    public var currency: String
    /// "week" or "day".
    public var periodUnit: String
    public var period: PeriodText
    /// Adstock, saturation and sampler settings in one line.
    public var modelText: String
    /// One sentence per channel measured in exposures (GRPs, impressions): its unit, and the cost
    /// per unit that turns them into the money of every ROAS and budget (`ExposureCost.note`).
    public var exposures: [String]
    /// Label of the posterior intervals, e.g. "94 %" (config `report.interval_mass`).
    public var intervalLabel: String
    /// Label of the optimiser's intervals (always 94 %).
    public var planIntervalLabel: String
    /// True when the fit passed every check of its convergence verdict.
    public var converged: Bool
    /// The trust verdict the report opens with: convergence, prior-dominated channels, backtest.
    public var trust: Trust
    /// What the data, not the priors, say about each channel.
    public var evidence: Evidence
    /// The out-of-sample backtest (nil when none was run).
    public var backtest: BacktestText?
    /// Things the reader must know besides the verdict (data warnings, skipped steps).
    public var warnings: [String]
    public var hasWarnings: Bool
    public var recommendation: Recommendation?
    public var confidence: Confidence
    public var channels: [ChannelLine]
    public var scenarios: [ScenarioLine]
    public var hasScenarios: Bool
    public var frontier: FrontierText?
    public var changes: Changes?
    /// Prior against posterior and lift tests of calibrated channels (nil when none are).
    public var calibration: CalibrationText?
    public var charts: ChartGroups

    public struct PeriodText: Sendable {
        public var start: String
        public var end: String
        /// "2023-01-02 to 2026-05-25 (177 weeks)".
        public var text: String
        /// "the last 12 weeks (2026-03-09 to 2026-05-25) were held out of the fit", if any.
        public var holdoutText: String?
    }

    public struct Recommendation: Sendable {
        /// The objective as the CLI spells it ("mean", "var:0.05") and in words.
        public var objective: String
        public var objectiveText: String
        /// "1 week", "4 weeks".
        public var horizon: String
        public var budget: String
        public var currentSpend: String
        public var response: String
        public var currentResponse: String
        public var change: String
        /// Mean change relative to the current plan's mean response.
        public var changePercent: String
        /// "—" when the plan keeps current spend (no comparison to make).
        public var probabilityBetter: String
        /// What the probability assumes and the reader must see beside it: the plan leans on
        /// prior-dominated channels, or the fit did not converge (nil when neither).
        public var caveat: String?
        /// The plan is current spend: the report says "no change recommended" instead of a
        /// change of ±0 that beats current spend in 0 % of draws.
        public var keepsCurrent: Bool
        public var roas: String
        /// True when the response counts the carry-over after the horizon.
        public var countsCarryover: Bool
        /// The part of the expected response that spend before the plan carries into it (nil
        /// when none): in the response, not in ROAS.
        public var fromEarlierSpend: String?
        public var channels: [PlanLine]
        public var certificate: String
        public var certificateConverged: Bool
    }

    public struct PlanLine: Sendable {
        public var name: String
        public var current: String
        public var recommended: String
        public var change: String
        public var changePercent: String
        public var share: String
        public var response: String
        public var roas: String
        public var marginalRoas: String
        public var fixed: Bool
    }

    /// The verdict in words, for the top of the report.
    public struct Trust: Sendable {
        /// One sentence a planner reads first.
        public var headline: String
        /// Failed checks with what to try next (empty when the fit passed).
        public var reasons: [ReasonText]
        public var hasReasons: Bool
        /// "the fit (R² 0.91) against an intercept and 2 yearly Fourier pairs (R² 0.42)".
        public var baseline: String?
        /// Set when these results come from `sampler.retry`'s refit: why, and what the refit
        /// changed (`FitRetry.sentence`).
        public var retry: String?
    }

    public struct ReasonText: Sendable {
        public var message: String
        public var nextStep: String
    }

    /// Per-channel evidence and the prior predictive media share.
    public struct Evidence: Sendable {
        public var channels: [EvidenceLine]
        /// "tv, radio" when any channel is prior-dominated, else nil.
        public var priorDominated: String?
        /// Media's share of the target under the priors alone and under the posterior.
        public var priorMediaShare: String
        public var posteriorMediaShare: String
    }

    public struct EvidenceLine: Sendable {
        public var name: String
        public var priorROAS: String
        public var posteriorROAS: String
        /// "85 %": how much the data narrowed the ROAS prior (variance); "n/a" for an
        /// experiment-calibrated channel.
        public var narrowed: String
        public var spendShare: String
        public var effectShare: String
        /// "prior-dominated" or "informed by the data".
        public var status: String
        public var priorDominated: Bool
        public var findings: [ReasonText]
    }

    public struct BacktestText: Sendable {
        /// "13 weeks".
        public var heldOut: String
        public var inSample: FitText
        public var outOfSample: FitText
        /// "4 chains × 250 draws, 3.1 s".
        public var cost: String
    }

    public struct Confidence: Sendable {
        /// "Converged" or "Not converged".
        public var verdict: String
        public var problems: [String]
        /// The problems joined by "; " (nil when converged).
        public var problemsText: String?
        public var maxRhat: String
        public var minEssBulk: String
        /// "0 divergences", "1 divergence".
        public var divergences: String
        /// "4 chains × 1,000 draws".
        public var draws: String
        public var inSample: FitText
        public var outOfSample: FitText?
    }

    public struct FitText: Sendable {
        public var r2: String
        public var mape: String
        public var nrmse: String
        public var periods: String
    }

    public struct ChannelLine: Sendable {
        public var name: String
        public var spend: String
        public var contribution: String
        public var share: String
        public var roas: String
        public var marginalRoas: String
    }

    public struct ScenarioLine: Sendable {
        public var name: String
        public var spend: String
        public var response: String
        public var change: String
        public var probabilityBetter: String
        /// What the probability assumes (see `Recommendation.caveat`); nil when nothing.
        public var caveat: String?
    }

    public struct FrontierText: Sendable {
        public var objective: String
        public var points: [FrontierLine]
        public var skipped: [String]
    }

    public struct FrontierLine: Sendable {
        public var fraction: String
        public var budget: String
        public var response: String
        /// True for the point at current spend (100 %).
        public var isCurrent: Bool
    }

    /// Builds the context; `previous` adds the "what changed" section, `chartFiles` the figures.
    public init(_ results: PlanningResults, previous: ReportSnapshot?, chartFiles: [String]) {
        let model = results.model
        let q = results.quantities
        let f = ReportFormat(currency: results.currency)
        let training = model.trainingData
        let unit = model.dataset.frequency == .daily ? "day" : "week"
        target = model.dataset.targetName
        currency = results.currency
        title = "Media mix report: \(target)"
        periodUnit = unit
        let trainingText = Self.span(training.dates.first, training.dates.last, training.periodCount, unit: unit)
        var holdoutText: String?
        if model.holdout > 0 {
            let held = Array(model.dataset.dates.suffix(model.holdout))
            holdoutText = "the last \(Self.count(model.holdout, unit)) (\(held.first!) to \(held.last!)) were held out of the fit to test it"
        }
        period = PeriodText(start: training.dates.first?.description ?? "", end: training.dates.last?.description ?? "",
                            text: trainingText, holdoutText: holdoutText)
        modelText = Self.modelText(model, unit: unit)
        exposures = model.dataset.channelNames.compactMap { name in model.dataset.exposureCosts[name]?.note(channel: name) }
        intervalLabel = ReportFormat.percentLabel(model.config.report.intervalMass)
        planIntervalLabel = ReportFormat.percentLabel(results.optimization?.plan.intervalMass ?? Interval.defaultMass)
        let verdict = results.verdict
        converged = verdict.passed
        self.warnings = results.warnings
        hasWarnings = !results.warnings.isEmpty
        evidence = Self.evidence(results.evidence)
        trust = Self.trust(verdict, evidence: evidence, retry: results.model.sampler.retry)
        backtest = results.backtest.map { b in
            BacktestText(heldOut: Self.count(b.heldOut, unit), inSample: Self.fit(b.inSample, unit: unit),
                         outOfSample: Self.fit(b.outOfSample, unit: unit),
                         cost: "\(model.chains) chains × \(ReportFormat.count(b.draws)) draws, \(ReportFormat.fixed(b.seconds, decimals: 1)) s")
        }

        recommendation = results.optimization.map { Self.recommendation($0, format: f, unit: unit, target: model.dataset.targetName) }
        recommendation?.caveat = Self.caveat(results)

        let s = model.sampler
        confidence = Confidence(
            verdict: verdict.label, problems: verdict.reasons.map(\.message),
            problemsText: verdict.passed ? nil : verdict.summary,
            maxRhat: ReportFormat.score(s.maxRhat), minEssBulk: s.minEssBulk.isFinite ? ReportFormat.count(Int(s.minEssBulk.rounded())) : ReportFormat.notANumber,
            divergences: ReportFormat.count(s.divergences) + (s.divergences == 1 ? " divergence" : " divergences"),
            draws: "\(model.chains) chains × \(ReportFormat.count(model.drawsPerChain)) draws",
            inSample: Self.fit(q.inSample, unit: unit), outOfSample: q.outOfSample.map { Self.fit($0, unit: unit) })

        channels = q.channels.map { c in
            ChannelLine(name: c.name, spend: f.money(c.spend), contribution: ReportFormat.interval(c.contribution),
                        share: ReportFormat.percent(c.share.mean), roas: ReportFormat.ratioInterval(c.roas),
                        marginalRoas: ReportFormat.ratioInterval(c.marginalRoas))
        }
        scenarios = results.scenarios.map { s in
            // The current plan against itself: no change in any draw, so no chance to compare.
            let same = s.plan.change.lower == 0 && s.plan.change.upper == 0
            return ScenarioLine(name: s.name, spend: f.money(s.plan.totalSpend), response: ReportFormat.interval(s.plan.response),
                                change: same ? "none (this is current spend)" : ReportFormat.signedInterval(s.plan.change),
                                probabilityBetter: same ? "\u{2014}" : ReportFormat.probability(s.plan.probabilityBetter),
                                caveat: same ? nil : Self.caveat(results, plan: s.plan))
        }
        hasScenarios = !scenarios.isEmpty
        frontier = results.frontier.map { fr in
            FrontierText(objective: fr.objective, points: fr.points.map { p in
                FrontierLine(fraction: ReportFormat.percentLabel(p.fractionOfCurrent), budget: f.money(p.budget),
                             response: ReportFormat.interval(p.response), isCurrent: abs(p.fractionOfCurrent - 1) < 1e-9)
            }, skipped: fr.skipped)
        }
        changes = previous.map { Changes(current: ReportSnapshot(results), previous: $0) }
        calibration = Self.calibrationText(results.calibration, format: f)
        charts = ChartGroups(chartFiles, target: target, unit: unit)
    }

    static func recommendation(_ o: OptimizationResult, format f: ReportFormat, unit: String, target: String) -> Recommendation {
        let plan = o.plan
        let current = plan.channels.reduce(0) { $0 + $1.currentSpendPerPeriod } * Double(plan.periods)
        let lines = plan.channels.map { c in
            PlanLine(name: c.channel, current: f.money(c.currentSpendPerPeriod), recommended: f.money(c.spendPerPeriod),
                     change: f.signedMoney(c.spendPerPeriod - c.currentSpendPerPeriod),
                     changePercent: ReportFormat.relativeChange(c.spendPerPeriod, from: c.currentSpendPerPeriod),
                     share: ReportFormat.percent(c.share), response: ReportFormat.interval(c.response),
                     roas: ReportFormat.ratio(c.roas), marginalRoas: ReportFormat.ratio(c.marginalROAS), fixed: c.isFixed)
        }
        return Recommendation(
            objective: o.objective, objectiveText: objectiveText(o.objective, target: target), horizon: count(plan.periods, unit), budget: f.money(plan.totalSpend),
            currentSpend: f.money(current), response: ReportFormat.interval(plan.response),
            currentResponse: ReportFormat.interval(plan.currentResponse), change: ReportFormat.signedInterval(plan.change),
            changePercent: ReportFormat.relativeChange(plan.response.mean, from: plan.currentResponse.mean),
            probabilityBetter: plan.keepsCurrentSpend ? "\u{2014}" : ReportFormat.probability(plan.probabilityBetter), caveat: nil,
            keepsCurrent: plan.keepsCurrentSpend, roas: ReportFormat.ratio(plan.roas),
            countsCarryover: plan.countsCarryoverTail,
            fromEarlierSpend: plan.fromEarlierSpend.flatMap { $0 > 0 ? ReportFormat.compact($0) : nil },
            channels: lines, certificate: o.certificate.explanation,
            certificateConverged: o.certificate.converged)
    }

    /// The objective in words: "mean" → "the expected sales", "var:0.05" → "the 5 % quantile of sales".
    static func objectiveText(_ spelling: String, target: String) -> String {
        guard case .success(let objective) = Objective.read(spelling) else { return "the objective \(spelling)" }
        switch objective {
        case .mean: return "the expected \(target)"
        case .meanMinusSD(let k): return "the expected \(target) minus \(ReportFormat.trimmed(k)) standard deviation\(k == 1 ? "" : "s")"
        case .valueAtRisk(let q): return "the \(ReportFormat.percentLabel(q)) quantile of \(target) (a cautious outcome)"
        case .conditionalValueAtRisk(let q): return "the mean of the worst \(ReportFormat.percentLabel(q)) of outcomes for \(target)"
        }
    }

    /// "geometric adstock (up to 8 weeks), logistic saturation (tv: delayed adstock); 4 chains × 1,000 draws".
    static func modelText(_ model: FittedModel, unit: String) -> String {
        let m = model.config.model
        var text = "\(m.adstock.displayName) adstock (up to \(count(m.adstockMaxLag, unit))), \(m.saturation.displayName) saturation"
        let overrides = model.dataset.channelNames.compactMap { name -> String? in
            guard let o = m.channels[name], o.adstock != nil || o.saturation != nil else { return nil }
            let parts = [o.adstock.map { $0.displayName + " adstock" }, o.saturation.map { $0.displayName + " saturation" }]
            return "\(name): " + parts.compactMap { $0 }.joined(separator: ", ")
        }
        if !overrides.isEmpty { text += " (" + overrides.joined(separator: "; ") + ")" }
        return text + "; \(model.chains) chains × \(ReportFormat.count(model.drawsPerChain)) draws"
    }

    static func fit(_ m: FitMetrics, unit: String) -> FitText {
        FitText(r2: ReportFormat.score(m.r2), mape: ReportFormat.percent(m.mape), nrmse: ReportFormat.percent(m.nrmse),
                periods: count(m.periods, unit))
    }

    /// "1 week", "12 weeks".
    static func count(_ n: Int, _ unit: String) -> String {
        "\(ReportFormat.count(n)) \(unit)\(n == 1 ? "" : "s")"
    }

    /// "2023-01-02 to 2026-05-25 (177 weeks)".
    static func span(_ first: CalendarDate?, _ last: CalendarDate?, _ n: Int, unit: String) -> String {
        guard let first, let last else { return count(n, unit) }
        return "\(first) to \(last) (\(count(n, unit)))"
    }
}

extension ReportFormat {
    /// A share as a whole percentage when it is one ("94 %", "150 %"), else with one decimal:
    /// the interval label every output uses (`Interval.percentLabel`).
    public static func percentLabel(_ fraction: Double) -> String { Interval.percentLabel(fraction) }

    /// A plain number without trailing zeros: 1 → "1", 0.5 → "0.5".
    public static func trimmed(_ x: Double) -> String {
        var text = fixed(x, decimals: 6)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// "+12.5 %": the change from `old` to `new` relative to `old`; "n/a" when `old` is 0.
    public static func relativeChange(_ new: Double, from old: Double) -> String {
        old != 0 ? signedPercent((new - old) / abs(old)) : notANumber
    }
}
