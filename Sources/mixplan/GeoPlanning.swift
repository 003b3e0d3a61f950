import Foundation
import MixData
import MixModel
import MixOptimize
import MixResults

/// `optimize` and `whatif` on a geo model folder (one with `geo-model.json`): plans over geo ×
/// channel cells, from the fit's `response-draws.json`.
enum GeoPlanning {
    /// Whether `folder` holds a geo fit.
    static func isGeoModel(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: URL(fileURLWithPath: folder).appendingPathComponent(GeoFitRun.marker).path)
    }

    /// The geo model's planning draws and the horizon (flags over the fit's `optimizer:` section).
    static func load(_ options: ModelOptions) throws -> (GeoResponseDraws, HorizonSettings) {
        let model = try GeoResponseDraws.load(modelFolder: URL(fileURLWithPath: options.model!))
        try FlagChecks.within(options.periods, Limits.horizon, flag: "--periods", what: "the horizon in periods")
        let h = options.periods ?? model.optimizer.periods
        guard Limits.horizon.contains(h) else {
            throw InputError(InputLocation(file: "optimizer.periods"),
                             "the horizon must be \(Limits.describe(Limits.horizon)) periods, got \(Limits.grouped(h)).")
        }
        return (model, HorizonSettings(periods: h, countCarryoverTail: model.optimizer.includeCarryover && !options.noCarryover))
    }

    /// The caveat beside a plan's probability of beating current spend.
    static func caveat(_ model: GeoResponseDraws) -> String? {
        model.converged ? nil : "The geo fit did not pass the convergence checks, so this chance is provisional."
    }
}

extension OptimizeCommand {
    /// `optimize --model GEO_MODEL`: one budget over the cells (or the historical split).
    func runGeo() throws {
        if targetResponse != nil || minMarginalRoas != nil {
            throw InputError(InputLocation(file: targetResponse != nil ? "--target-response" : "--min-marginal-roas"),
                             "is not available for geo models yet.", hint: "Give --budget (or none: current spend) and an --objective.")
        }
        let (model, horizon) = try GeoPlanning.load(options)
        let split: GeoSplit
        switch geoSplit {
        case nil, "cells"?: split = .cells
        case "historical"?: split = .historical
        case let other?:
            throw InputError(InputLocation(file: "--geo-split"), "expected cells or historical, got \"\(other)\".",
                             hint: "historical keeps each channel's current split across geos; cells lets money move between geos.")
        }
        let goal = try objective.map { try Objective.parse($0) } ?? model.optimizer.objective
        var problem = GeoBudgetProblem.configured(for: model, horizon: horizon, budget: budget, split: split)
        if let bounds {
            if bounds.lowercased().hasSuffix(".csv") {
                guard let text = try? String(contentsOfFile: bounds, encoding: .utf8) else {
                    throw InputError(InputLocation(file: bounds), "cannot be read (missing, unreadable or not UTF-8).")
                }
                try GeoPlanSpecs.parseBoundsCSV(text, model: model, file: bounds, into: &problem)
            } else {
                try GeoPlanSpecs.parseBounds(bounds, model: model, into: &problem)
            }
        }
        if let fix { problem.fixedCells = try GeoPlanSpecs.parseFixed(fix, model: model) }
        let optimizer = try asInputError("the budget problem") { try GeoOptimizer(model: model, problem: problem) }
        var plan = try asInputError("the budget problem") { try optimizer.optimize(goal) }
        plan.plan.caveat = GeoPlanning.caveat(model)
        let frontierResult = frontier ? try asInputError("the budget frontier") { try optimizer.frontier(goal) } : nil
        if options.json {
            guard let frontierResult else { return print(try ResultJSON.encode(plan)) }
            print(try ResultJSON.encode(GeoWithFrontier(result: plan, frontier: frontierResult)))
        } else {
            print(plan.renderTable())
            if let frontierResult { print("\nBudget frontier:\n" + frontierResult.renderTable()) }
        }
    }

    /// `--json --frontier` on a geo model.
    private struct GeoWithFrontier: Encodable {
        var result: GeoPlan
        var frontier: BudgetFrontier
    }
}

extension WhatIfCommand {
    /// `whatif --model GEO_MODEL`: a plan per cell (--spend north/tv=1000 or a CSV geo,channel,spend).
    func runGeo() throws {
        let (model, horizon) = try GeoPlanning.load(options)
        let current = model.currentSpend
        let baseline = try against.map { try Self.readGeoPlan($0, model: model) }
        let start = baseline ?? current
        let allocation: [Double]
        if let spend {
            allocation = try GeoPlanSpecs.parseSpend(spend, model: model, fill: start)
        } else {
            let path = plan!
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw InputError(InputLocation(file: path), "cannot be read (missing, unreadable or not UTF-8).")
            }
            allocation = try GeoPlanSpecs.parsePlanCSV(text, model: model, file: path, fill: start)
        }
        let problem = GeoBudgetProblem(budget: allocation.reduce(0, +) * Double(horizon.periods), horizon: horizon)
        let optimizer = try asInputError("the plan") { try GeoOptimizer(model: model, problem: problem) }
        var result = try asInputError("the plan") { try optimizer.whatIf(allocation) }
        result.plan.caveat = GeoPlanning.caveat(model)
        let comparison = baseline.map { optimizer.cellOptimizer.compare(allocation, against: $0, name: URL(fileURLWithPath: against!).lastPathComponent) }
        if options.json {
            guard let comparison else { return print(try ResultJSON.encode(result)) }
            print(try ResultJSON.encode(GeoCompared(plan: result, against: comparison)))
        } else {
            print(result.renderTable() + (comparison.map { "\n" + $0.render() } ?? ""))
        }
    }

    /// `--json --against` on a geo model.
    private struct GeoCompared: Encodable {
        var plan: GeoPlan
        var against: PlanComparison
    }

    /// Spend per cell of a geo plan file: `plan.json` of `optimize --json` on a geo model, or a
    /// CSV geo,channel,spend (cells not listed keep current spend).
    static func readGeoPlan(_ path: String, model: GeoResponseDraws) throws -> [Double] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(InputLocation(file: path), "cannot be read (missing or unreadable).")
        }
        guard path.lowercased().hasSuffix(".json") else {
            return try GeoPlanSpecs.parsePlanCSV(String(decoding: data, as: UTF8.self), model: model, file: path, fill: model.currentSpend)
        }
        let plan: GeoPlan
        do {
            plan = try MixJSON.decoder().decode(GeoPlan.self, from: data)
        } catch {
            throw InputError(InputLocation(file: path), "is not a geo plan written by `mixplan optimize --json` on a geo model.",
                             hint: "Give a plan.json from optimize --json on this model, or a CSV with columns geo,channel,spend.")
        }
        return try model.cellIDs.map { id in
            guard let cell = plan.cells.first(where: { $0.geo == id.geo && $0.channel == id.channel }) else {
                throw InputError(InputLocation(file: path, key: "cells"), "has no cell for geo \"\(id.geo)\", channel \"\(id.channel)\"; it was written for another model.")
            }
            return cell.spendPerPeriod
        }
    }
}
