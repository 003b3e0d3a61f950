import Foundation
import MixModel
import MixOptimize

/// A named what-if that was evaluated, as shown in the workbook's Scenarios sheet and the report.
public struct Scenario: Codable, Sendable, Equatable {
    public var name: String
    public var plan: PlanSummary

    public init(name: String, plan: PlanSummary) {
        self.name = name
        self.plan = plan
    }
}

/// Everything the outputs (charts, workbook, report) show about one fitted model and its plan.
/// Built once, then handed to every writer so that they all show the same numbers.
public struct PlanningResults: Sendable {
    public var model: FittedModel
    /// Contributions, ROAS, fit and decomposition from the posterior draws.
    public var quantities: PosteriorQuantities
    /// One response curve per channel (steady spend per period → response per period).
    public var curves: [ResponseCurveSummary]
    /// The recommended allocation, if the optimiser ran.
    public var optimization: OptimizationResult?
    /// Best response as the total budget varies, if computed.
    public var frontier: BudgetFrontier?
    /// What-ifs that were run (the current plan is always a useful first one).
    public var scenarios: [Scenario]
    /// Things the reader must know besides the verdict (data warnings, skipped steps).
    public var warnings: [String]
    /// Whether the fit may advise (the sampler's checks and the baseline comparison).
    public var verdict: ConvergenceVerdict { model.verdict }
    /// What the data, not the priors, say about each channel.
    public var evidence: ChannelEvidenceSummary
    /// The out-of-sample backtest, when one was run.
    public var backtest: Backtest?

    /// `evidence` nil computes it from the model.
    public init(model: FittedModel, quantities: PosteriorQuantities, curves: [ResponseCurveSummary],
                optimization: OptimizationResult? = nil, frontier: BudgetFrontier? = nil,
                scenarios: [Scenario] = [], warnings: [String] = [], evidence: ChannelEvidenceSummary? = nil) {
        self.model = model
        self.evidence = evidence ?? ChannelEvidenceSummary(model: model)
        self.backtest = model.backtest
        self.quantities = quantities
        self.curves = curves
        self.optimization = optimization
        self.frontier = frontier
        self.scenarios = scenarios
        self.warnings = warnings
        // Every probability of beating current spend carries what it assumes.
        if let plan = self.optimization?.plan {
            let text = caveat(for: plan)
            self.optimization?.plan.caveat = text
        }
        self.scenarios = self.scenarios.map { s in
            var s = s
            s.plan.caveat = caveat(for: s.plan)
            return s
        }
    }

    /// Computes quantities and curves from the model's draws (at most `maxDraws` of them, spread
    /// evenly, so that big posteriors stay quick).
    public init(model: FittedModel, optimization: OptimizationResult? = nil, frontier: BudgetFrontier? = nil,
                scenarios: [Scenario] = [], warnings: [String] = [], curvePoints: Int = 60, maxDraws: Int = 1000) {
        let mass = model.config.report.intervalMass
        let quantities = PosteriorQuantities(model: model, maxDraws: maxDraws, mass: mass)
        let curves = (0..<model.dataset.channelCount).map {
            ResponseCurveSummary(model: model, channel: $0, points: curvePoints, maxDraws: maxDraws)
        }
        self.init(model: model, quantities: quantities, curves: curves, optimization: optimization,
                  frontier: frontier, scenarios: scenarios, warnings: warnings)
    }

    /// What a plan's probability of beating current spend assumes, to be shown beside it: the
    /// fit did not converge, and/or the plan moves spend on prior-dominated channels (nil when
    /// neither).
    public static func caveat(for plan: PlanSummary, verdict: ConvergenceVerdict, evidence: ChannelEvidenceSummary) -> String? {
        var parts: [String] = []
        if !verdict.passed { parts.append("the fit did not converge, so this chance is provisional") }
        if let c = evidence.caveat(for: plan) { parts.append(c) }
        guard !parts.isEmpty else { return nil }
        let text = parts.joined(separator: "; and ")
        return text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    /// The caveat for a plan under this fit.
    public func caveat(for plan: PlanSummary) -> String? {
        Self.caveat(for: plan, verdict: verdict, evidence: evidence)
    }

    /// The caveat straight from a model, for the CLI's optimize and whatif (which build no full
    /// results).
    public static func caveat(for plan: PlanSummary, model: FittedModel) -> String? {
        caveat(for: plan, verdict: model.verdict, evidence: ChannelEvidenceSummary(model: model))
    }

    /// The recommendation's caveat (nil without a plan or when nothing needs saying).
    public var planCaveat: String? { optimization.flatMap { caveat(for: $0.plan) } }

    /// Channel names in model order.
    public var channelNames: [String] { model.dataset.channelNames }
    /// Currency symbol or code from the config (e.g. "€").
    public var currency: String { model.config.report.currency }
}
