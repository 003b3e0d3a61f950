import ArgumentParser
import Foundation
import MixData
import MixModel
import MixOptimize
import MixResults

/// `--portfolio M.csv --runs DIR [--group G]` for `optimize` and `whatif`: plan across the
/// models a `mixplan batch` run saved, as one budget problem over `model/channel` (DESIGN.md §10).
struct PortfolioOptions: ParsableArguments {
    @Option(help: "A portfolio manifest (name,config[,budget_group,budget]): plan across its models × channels, from the fits `mixplan batch` saved (give --runs). Channels are then named model/channel in --bounds, --fix, --spend and plan files.")
    var portfolio: String?

    @Option(help: "With --portfolio: the folder `mixplan batch --out` wrote (each model's fit is in RUNS/<name>/model).")
    var runs: String?

    @Option(help: "With --portfolio: only the models of this budget_group; the group's manifest budget is then the default budget.")
    var group: String?

    /// A loaded portfolio and the settings its models' configs agree on.
    struct Loaded {
        var manifest: PortfolioManifest
        var entries: [PortfolioManifest.Entry]
        var portfolio: Portfolio
        var models: [FittedModel]
        /// The manifest's budget for the chosen models (their group's), if any.
        var manifestBudget: Double?
    }

    /// Reads the manifest and each chosen model's saved fit; the horizon is `periods` or the
    /// models' common `optimizer.periods` (models that disagree need --periods).
    func load(manifestPath: String, periods: Int?, noCarryover: Bool) throws -> Loaded {
        guard let runs else {
            throw InputError(InputLocation(file: "--runs"), "is missing; with --portfolio give the folder `mixplan batch --out` wrote.")
        }
        let manifest = try PortfolioManifest.load(path: manifestPath)
        var entries = manifest.entries
        var manifestBudget: Double?
        if let group {
            entries = entries.filter { $0.budgetGroup == group }
            guard !entries.isEmpty else {
                let groups = manifest.groups.isEmpty ? "it has none" : "its groups are \(manifest.groups.joined(separator: ", "))"
                throw InputError(InputLocation(file: "--group"), "no model of \(manifestPath) is in budget group \"\(group)\"; \(groups).")
            }
            manifestBudget = try manifest.budget(ofGroup: group)
        } else if let only = manifest.groups.first, manifest.groups.count == 1, entries.allSatisfy({ $0.budgetGroup == only }) {
            manifestBudget = try manifest.budget(ofGroup: only)
        }
        let folder = try BatchFolder(root: URL(fileURLWithPath: runs), create: false)
        let models = try entries.map { entry -> FittedModel in
            let path = folder.pack(entry.name).appendingPathComponent("model")
            guard FileManager.default.fileExists(atPath: path.appendingPathComponent("model.json").path) else {
                throw InputError(InputLocation(file: manifestPath, row: entry.row, column: "name"),
                                 "model \"\(entry.name)\" has no saved fit in \(path.path); run `mixplan batch` for it (see `mixplan batch status`).")
            }
            return try ModelStore.load(from: path)
        }
        let horizon = try commonHorizon(entries, models, periods: periods, noCarryover: noCarryover, manifestPath: manifestPath)
        let members = try zip(entries, models).map { entry, model in
            try Portfolio.Member(name: entry.name, model: model, horizon: horizon)
        }
        let portfolio = try asInputError(manifestPath) { try Portfolio(members: members, horizon: horizon) }
        return Loaded(manifest: manifest, entries: entries, portfolio: portfolio, models: models, manifestBudget: manifestBudget)
    }

    /// The one horizon every model is planned over.
    private func commonHorizon(_ entries: [PortfolioManifest.Entry], _ models: [FittedModel], periods: Int?, noCarryover: Bool,
                               manifestPath: String) throws -> HorizonSettings {
        let first = models[0].config.optimizer
        if periods == nil, let i = models.firstIndex(where: { $0.config.optimizer.periods != first.periods }) {
            throw InputError(InputLocation(file: manifestPath, row: entries[i].row, column: "config"),
                             "model \"\(entries[i].name)\" plans over \(models[i].config.optimizer.periods) periods (optimizer.periods) but \"\(entries[0].name)\" over \(first.periods); one budget needs one horizon: pass --periods.")
        }
        let h = periods ?? first.periods
        guard h >= 1 else { throw InputError(InputLocation(file: "--periods"), "the horizon must be at least 1 period, got \(h).") }
        if !noCarryover, let i = models.firstIndex(where: { $0.config.optimizer.includeCarryover != first.includeCarryover }) {
            throw InputError(InputLocation(file: manifestPath, row: entries[i].row, column: "config"),
                             "models \"\(entries[0].name)\" and \"\(entries[i].name)\" disagree on optimizer.include_carryover; pass --no-carryover or align their configs.")
        }
        return HorizonSettings(periods: h, countCarryoverTail: first.includeCarryover && !noCarryover)
    }

    /// The objective: the flag, else the models' common `optimizer.objective`.
    static func objective(_ flag: String?, _ loaded: Loaded) throws -> Objective {
        if let flag { return try Objective.parse(flag) }
        let objectives = Set(loaded.models.map(\.config.optimizer.objective))
        guard objectives.count == 1, let objective = objectives.first else {
            throw InputError(InputLocation(file: "--objective"), "is needed: the models' configs name different objectives (\(objectives.map(\.description).sorted().joined(separator: ", "))).")
        }
        return objective
    }
}

/// A portfolio plan for the command line: the joint result, then one line per model.
struct PortfolioPlanOutput: Encodable {
    var models: [PortfolioModelLine]
    var result: OptimizationResult?
    var plan: PlanSummary?

    func renderTable(periods: Int) -> String {
        let rows = models.map { m in
            [m.model, String(format: "%.2f", m.currentSpendPerPeriod), String(format: "%.2f", m.spendPerPeriod),
             String(format: "%+.2f", m.spendPerPeriod - m.currentSpendPerPeriod), String(format: "%.2f", m.responseMean)]
        }
        let width = (0..<5).map { c in max(["model", "current/period", "spend/period", "change/period", "response mean"][c].count, rows.map { $0[c].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, t in c == 0 ? t.padding(toLength: width[0], withPad: " ", startingAt: 0) : String(repeating: " ", count: width[c] - t.count) + t }
                .joined(separator: "  ")
        }
        let table = ([line(["model", "current/period", "spend/period", "change/period", "response mean"])] + rows.map(line)).joined(separator: "\n")
        let body = result?.renderTable() ?? plan?.renderTable() ?? ""
        return "\(body)\n\nBy model (horizon \(periods) period\(periods == 1 ? "" : "s")):\n\(table)"
    }
}
