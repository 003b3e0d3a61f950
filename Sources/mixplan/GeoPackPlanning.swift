import Foundation
import MixData
import MixModel
import MixOptimize
import MixResults
import MixWorkbook

/// The plan a geo pack shows (`mixplan weekly` on a geo config, `mixplan report --model <geo
/// folder>`): by default the plan `mixplan optimize --model <geo folder>` gives with no flags —
/// budget = current spend over the horizon (or optimizer.budget), every cell within
/// ±optimizer.relative_bound of current, optimizer.fixed channels held, the config's objective —
/// or a plan.json written by `optimize --json` on the same geo model.
enum GeoPackPlanning {
    /// The default plan of the geo model in `modelFolder`, with the draws it came from.
    static func defaultPlan(modelFolder: URL) throws -> GeoPackPlan {
        let draws = try GeoResponseDraws.load(modelFolder: modelFolder)
        let cfg = draws.optimizer
        let source = draws.configPath.isEmpty ? "config" : draws.configPath
        guard Limits.horizon.contains(cfg.periods) else {
            throw InputError(InputLocation(file: source, key: "optimizer.periods"),
                             "the horizon must be \(Limits.describe(Limits.horizon)) periods, got \(Limits.grouped(cfg.periods)).")
        }
        let horizon = HorizonSettings(periods: cfg.periods, countCarryoverTail: cfg.includeCarryover)
        do {
            let optimizer = try GeoOptimizer(model: draws, problem: GeoBudgetProblem.configured(for: draws, horizon: horizon))
            return try GeoPackPlan(plan: try optimizer.optimize(cfg.objective), draws: draws)
        } catch let error as OptimizationError {
            throw InputError(InputLocation(file: source, key: "optimizer"), error.message,
                             hint: "Check optimizer.budget, optimizer.relative_bound and optimizer.fixed.")
        }
    }

    /// A geo plan.json (`mixplan optimize --model <geo folder> --json`) for the geo model in
    /// `modelFolder`. A national optimiser result, a file that is no plan, and a plan over other
    /// cells are refused, naming the file.
    static func read(_ path: String, modelFolder: URL) throws -> GeoPackPlan {
        let data = try InputFile.contents(path, what: "plan file")
        let decoder = MixJSON.decoder()
        let plan: GeoPlan
        do {
            plan = try decoder.decode(GeoPlan.self, from: data)
        } catch {
            if (try? decoder.decode(OptimizationResult.self, from: data)) != nil {
                throw InputError(InputLocation(file: path), "is a national plan (one line per channel), but \(modelFolder.path) is a geo model, whose plans have a line per geo × channel cell.",
                                 hint: "Write the plan from this model: mixplan optimize --model \(modelFolder.path) --json > plan.json.")
            }
            throw InputError(InputLocation(file: path), "is not a geo plan written by `mixplan optimize --json` on a geo model.",
                             hint: "Write one with: mixplan optimize --model \(modelFolder.path) --json > plan.json.")
        }
        let draws = try GeoResponseDraws.load(modelFolder: modelFolder)
        do {
            return try GeoPackPlan(plan: plan, draws: draws)
        } catch let error as WorkbookError {
            throw InputError(InputLocation(file: path, key: "cells"), "was written for another geo model: \(error.reason)",
                             hint: "Write the plan from this model: mixplan optimize --model \(modelFolder.path) --json > plan.json.")
        }
    }

    /// One phrase for the weekly summary line, as the national job's: the change and how sure.
    static func headline(_ plan: GeoPlan, caveat: String?) -> String {
        let p = plan.plan
        let current = p.currentResponse.mean
        let change = current != 0 ? 100 * p.change.mean / abs(current) : 0
        let lean = caveat != nil ? ", with a caveat" : ""
        return String(format: "recommended geo plan %+.1f %% response vs current (P better %@%@)", change,
                      ProbabilityText.format(p.probabilityBetter), lean)
    }
}
