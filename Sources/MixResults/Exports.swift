// MixResults — what an analysis found, bundled for the writers (charts, workbook, report).
//
// The stage after the optimiser and before every output: it reads the fitted model and the
// optimiser's result and never goes back to the config for a setting they already applied.
// - PlanningResults.swift: the bundle every writer reads (model, posterior quantities, response
//   curves, plan, frontier, scenarios, warnings, channel evidence) and the plan's caveat.
// - DefaultPlan+Run.swift: the default analysis after a fit (plan, frontier, scenarios) as a bundle.
// - CalibrationSummary.swift, EffectPriorCalibration.swift, PriorSummary.swift: prior against
//   posterior per parameter and lift tests against the fitted curves (exact prior quantiles).
// - ChannelEvidence.swift: what the data, not the priors, say per channel (prior-dominated flag).
// - Rendering.swift, PlanCSV.swift: the plans as the command line prints them (national and geo
//   tables), sorted-key JSON (plan.json) and plan.csv.
@_exported import MixOptimize
