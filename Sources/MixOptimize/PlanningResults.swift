import Foundation
import MixModel

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
    /// Things the reader must know (non-convergence, data warnings, skipped steps).
    public var warnings: [String]

    public init(model: FittedModel, quantities: PosteriorQuantities, curves: [ResponseCurveSummary],
                optimization: OptimizationResult? = nil, frontier: BudgetFrontier? = nil,
                scenarios: [Scenario] = [], warnings: [String] = []) {
        self.model = model
        self.quantities = quantities
        self.curves = curves
        self.optimization = optimization
        self.frontier = frontier
        self.scenarios = scenarios
        self.warnings = warnings
    }

    /// Computes quantities and curves from the model's draws (at most `maxDraws` of them, spread
    /// evenly, so that big posteriors stay quick) and adds the sampler's problems as warnings.
    public init(model: FittedModel, optimization: OptimizationResult? = nil, frontier: BudgetFrontier? = nil,
                scenarios: [Scenario] = [], warnings: [String] = [], curvePoints: Int = 60, maxDraws: Int = 1000) {
        let mass = model.config.report.intervalMass
        let quantities = PosteriorQuantities(model: model, maxDraws: maxDraws, mass: mass)
        let curves = (0..<model.dataset.channelCount).map {
            ResponseCurveSummary(model: model, channel: $0, points: curvePoints, maxDraws: maxDraws)
        }
        let notes = model.sampler.problems.map { "The fit did not converge: \($0)." } + warnings
        self.init(model: model, quantities: quantities, curves: curves, optimization: optimization,
                  frontier: frontier, scenarios: scenarios, warnings: notes)
    }

    /// Channel names in model order.
    public var channelNames: [String] { model.dataset.channelNames }
    /// Currency symbol or code from the config (e.g. "€").
    public var currency: String { model.config.report.currency }
}
