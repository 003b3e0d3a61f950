// MixOptimize — budget allocation under saturation and posterior uncertainty (DESIGN.md §5).
//
// Map of the module:
// - ResponseDraws.swift: the posterior curves the optimiser needs (protocol) and a parametric
//   conformer for the §2 saturation families.
// - HorizonResponse.swift: what the response to a plan over H periods means (carryover ramp-up
//   from current spend, optional tail after the horizon), evaluated allocation-free.
// - BudgetProblem.swift: budget, horizon, bounds, fixed channels, minimum shares; infeasibility.
// - Objective.swift: mean, mean − k·sd, value at risk, CVaR on the joint draws; CLI spelling.
// - BudgetOptimizer.swift, GlobalSearch.swift, LocalSearch.swift, JointEvaluator.swift: the
//   exact KKT solver, DP grid and multi-start exchange global stages, gradient refinement.
// - Certificate.swift: optimality certificate and solver options.
// - PlanSummary.swift, Scenarios.swift: results, what-if, target modes, budget frontier.
// - PlanSpecs.swift, Rendering.swift: the CLI's spec strings and CSVs; tables and JSON.
// - ChannelEvidence.swift: what the data, not the priors, say per channel (prior-dominated flag);
//   ProbabilityText.swift: the one way a probability is written.
// - Geo/: a geo fit's cells as channels (GeoResponseDraws), one budget over geo × channel cells
//   with channel-total and geo-total limits or the historical geo split (GeoOptimizer), plan.json.
// - CalibrationSummary.swift, PriorSummary.swift: prior against posterior and lift tests against
//   the fitted curves, for the outputs of a calibrated model (exact prior quantiles).
@_exported import MixModel
