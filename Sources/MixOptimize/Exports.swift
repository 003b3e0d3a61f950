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
// - ProbabilityText.swift: the one way a probability is written.
// - DefaultPlan.swift: the configured budget, bounds and problem after a fit.
// - Geo/: a geo fit's cells as channels (GeoResponseDraws), one budget over geo × channel cells
//   with channel-total and geo-total limits or the historical geo split (GeoOptimizer), plan.json.
// The results bundle the writers read (PlanningResults), calibration and evidence summaries,
// the plan tables, JSON and plan.csv are the next stage, MixResults; the CLI's spec strings and
// plan/bounds CSV parsers (PlanSpecs, GeoPlanSpecs) live with the CLI (Sources/mixplan).
@_exported import MixModel
