import ArgumentParser
import Foundation
import MixData
import MixOptimize
import Yams

/// Sampler flags shared by `fit`, `weekly` and `config --show`; each overrides its `sampler.` key.
struct SamplerOverrides: ParsableArguments {
    @Option(help: "Random seed (overrides sampler.seed).")
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "Number of chains (overrides sampler.chains).")
    var chains: Int?

    @Option(parsing: .unconditional, help: "Warm-up iterations per chain (overrides sampler.warmup).")
    var warmup: Int?

    @Option(parsing: .unconditional, help: "Kept draws per chain (overrides sampler.draws).")
    var draws: Int?

    /// Range checks, before any file is read, so errors name the flag.
    func check() throws {
        try FlagChecks.within(chains, Limits.chains, flag: "--chains", what: "the number of chains")
        try FlagChecks.within(warmup, Limits.warmup, flag: "--warmup", what: "the number of warm-up iterations")
        try FlagChecks.within(draws, Limits.draws, flag: "--draws", what: "the number of draws per chain")
    }

    /// Applies the flags that were given; returns, per config key, the flag that set it.
    func apply(to config: inout MixPlanConfig) throws -> [String: String] {
        try check()
        var set: [String: String] = [:]
        if let seed { config.sampler.seed = seed; set["sampler.seed"] = "--seed" }
        if let chains { config.sampler.chains = chains; set["sampler.chains"] = "--chains" }
        if let warmup { config.sampler.warmup = warmup; set["sampler.warmup"] = "--warmup" }
        if let draws { config.sampler.draws = draws; set["sampler.draws"] = "--draws" }
        if let problem = Limits.totalDrawsProblem(chains: config.sampler.chains, draws: config.sampler.draws) {
            let flag = draws != nil ? "--draws" : "--chains"
            throw InputError(InputLocation(file: flag), problem.message + ".", hint: problem.hint)
        }
        return set
    }
}

/// Settings a run's flags may override. Precedence: flag > config file > default; `mixplan
/// config --show` prints the result with the source of each value.
struct RunOverrides: ParsableArguments {
    @Option(parsing: .unconditional, help: "Total budget over the horizon (overrides optimizer.budget).")
    var budget: Double?

    @Option(parsing: .unconditional, help: "Horizon in periods the budget covers (overrides optimizer.periods).")
    var periods: Int?

    @Option(help: "mean | mean-sd:K | var:Q | cvar:Q (overrides optimizer.objective).")
    var objective: String?

    @Option(parsing: .unconditional, help: "Bound on every channel relative to its current spend, as a fraction: 0.3 means ±30 %; at most 10 (±1000 %) (overrides optimizer.relative_bound).")
    var relativeBound: Double?

    @OptionGroup var sampler: SamplerOverrides

    /// Applies the flags that were given and returns, per config key, the flag that set it.
    func apply(to config: inout MixPlanConfig) throws -> [String: String] {
        try FlagChecks.amount(budget, flag: "--budget")
        try FlagChecks.within(periods, Limits.horizon, flag: "--periods", what: "the horizon in periods")
        if let relativeBound, !(relativeBound.isFinite && relativeBound >= 0) {
            throw InputError(InputLocation(file: "--relative-bound"), "expected a fraction ≥ 0 such as 0.3 (±30 %), got \(relativeBound).")
        }
        if let relativeBound, relativeBound > MixPlanConfig.OptimizerSection.largestRelativeBound {
            let largest = MixPlanConfig.OptimizerSection.largestRelativeBound
            throw InputError(InputLocation(file: "--relative-bound"),
                             "is a fraction of current spend between 0 and \(String(format: "%g", largest)) (±\(String(format: "%g", 100 * largest)) %); got \(String(format: "%g", relativeBound)).",
                             hint: MixPlanConfig.OptimizerSection.relativeBoundHint(relativeBound))
        }
        var set = try sampler.apply(to: &config)
        if let budget { config.optimizer.budget = budget; set["optimizer.budget"] = "--budget" }
        if let periods { config.optimizer.periods = periods; set["optimizer.periods"] = "--periods" }
        if let objective {
            config.optimizer.objective = try Objective.parse(objective); set["optimizer.objective"] = "--objective"
        }
        if let relativeBound {
            config.optimizer.relativeBound = relativeBound; set["optimizer.relative_bound"] = "--relative-bound"
        }
        return set
    }
}

/// The effective settings of a run, each with where it came from.
struct EffectiveSettings {
    struct Row {
        var key: String
        var value: String
        var source: String
    }
    var rows: [Row]

    /// `fileKeys` are the dotted keys written in the config file; `flags` maps keys to the flag
    /// that overrode them.
    init(config c: MixPlanConfig, fileKeys: Set<String>, flags: [String: String]) {
        func list(_ xs: [String]) -> String { "[" + xs.joined(separator: ", ") + "]" }
        func number(_ x: Double) -> String { CSVFormat.number(x) }
        var values: [(String, String)] = [
            ("data.file", c.data.file), ("data.date_column", c.data.dateColumn), ("data.date_format", c.data.dateFormat.rawValue),
            ("data.delimiter", c.data.delimiter.rawValue), ("data.decimal", c.data.decimalMark.rawValue),
            ("data.thousands", c.data.thousandsSeparator.rawValue),
            ("data.target", c.data.target), ("data.channels", list(c.data.channels)), ("data.controls", list(c.data.controls)),
            ("model.adstock", c.model.adstock.rawValue), ("model.adstock_max_lag", "\(c.model.adstockMaxLag)"),
            ("model.saturation", c.model.saturation.rawValue), ("model.yearly_seasonality", "\(c.model.yearlySeasonality)"),
            ("model.trend", "\(c.model.trend)"), ("model.likelihood", c.model.likelihood.rawValue),
            ("model.default_priors", c.model.priorDefaults.rawValue),
        ]
        // Channels measured in exposures: their keys follow data.channels, where they are written.
        let exposureRows = c.data.channels.flatMap { name -> [(String, String)] in
            guard let e = c.data.exposures[name] else { return [] }
            let key = "data.channels.\(name)"
            let money: (String, String)
            switch e.cost {
            case .spendColumn(let column): money = ("\(key).spend_column", column + " (cost per unit = total \(column) / total \(e.exposureColumn))")
            case .perUnit(let fixed): money = ("\(key).cost_per_unit", number(fixed))
            }
            return [("\(key).exposure_column", e.exposureColumn), money, ("\(key).unit", e.unit ?? "null (the exposure column's name)")]
        }
        let unitsNotWritten = Set(c.data.channels.filter { c.data.exposures[$0] != nil && c.data.exposures[$0]?.unit == nil }.map { "data.channels.\($0).unit" })
        values.insert(contentsOf: exposureRows, at: values.firstIndex { $0.0 == "data.controls" }!)
        for name in c.model.priors.keys.sorted() { values.append(("model.priors.\(name)", c.model.priors[name]!.description)) }
        for channel in c.model.channels.keys.sorted() {
            let s = c.model.channels[channel]!
            if let a = s.adstock { values.append(("model.channels.\(channel).adstock", a.rawValue)) }
            if let k = s.saturation { values.append(("model.channels.\(channel).saturation", k.rawValue)) }
            for name in s.priors.keys.sorted() { values.append(("model.channels.\(channel).priors.\(name)", s.priors[name]!.description)) }
            if let roi = s.roiPrior { values.append(("model.channels.\(channel).roi_prior", roi.description)) }
            if let lift = s.liftROIPrior {
                let key = "model.channels.\(channel).lift_roi_prior"
                values += [("\(key).spend", "\(lift.spend)"), ("\(key).spend_change", "\(lift.spendChange)"), ("\(key).prior", lift.prior.description)]
            }
        }
        if let tv = c.model.timeVarying {   // listed only when switched on, so static configs show as before
            values += [
                ("model.time_varying_media", "\(tv.media)"), ("model.time_varying_intercept", "\(tv.intercept)"),
                ("model.hsgp.basis_functions", tv.basisFunctions.map(String.init) ?? "null (rule of thumb from the span)"),
                ("model.hsgp.boundary_factor", number(tv.boundaryFactor)), ("model.hsgp.kernel", tv.kernel.rawValue),
                ("model.hsgp.lengthscale", tv.lengthScalePrior?.description ?? "(default from the span)"),
                ("model.hsgp.media_amplitude", tv.mediaAmplitudePrior?.description ?? "Exponential(lam=3)"),
                ("model.hsgp.intercept_amplitude", tv.interceptAmplitudePrior?.description ?? "Exponential(lam=10)"),
                ("model.hsgp.planning_periods", "\(tv.planningPeriods)"),
            ]
        }
        values += [
            ("sampler.chains", "\(c.sampler.chains)"), ("sampler.warmup", "\(c.sampler.warmup)"), ("sampler.draws", "\(c.sampler.draws)"),
            ("sampler.target_accept", number(c.sampler.targetAccept)), ("sampler.max_tree_depth", "\(c.sampler.maxTreeDepth)"),
            ("sampler.seed", "\(c.sampler.seed)"), ("sampler.metric", c.sampler.metric.rawValue),
            ("sampler.retry", "\(c.sampler.retry)"),
            ("optimizer.budget", c.optimizer.budget.map(number) ?? "null (current total spend per period × periods)"),
            ("optimizer.current_window_days", "\(c.optimizer.currentWindowDays)"),
            ("optimizer.periods", "\(c.optimizer.periods)"), ("optimizer.relative_bound", number(c.optimizer.relativeBound)),
            ("optimizer.objective", c.optimizer.objective.description), ("optimizer.include_carryover", "\(c.optimizer.includeCarryover)"),
            ("optimizer.fixed", list(c.optimizer.fixed)),
            ("report.currency", c.report.currency), ("report.templates", c.report.templates.isEmpty ? "(bundled)" : c.report.templates),
            ("report.interval_mass", number(c.report.intervalMass)), ("report.chart_scale", number(c.report.chartScale)),
            ("calibration.lift_tests", EffectiveSettings.liftTests(c.calibration)),
        ]
        let file = c.path.isEmpty ? "config" : c.path
        rows = values.map { key, value in
            // An exposure channel's keys sit in a list item of data.channels, which `keys` does not walk.
            let written = fileKeys.contains(key)
                || (key.hasPrefix("data.channels.") && fileKeys.contains("data.channels") && !unitsNotWritten.contains(key))
            let source = flags[key].map { "flag \($0)" } ?? (written ? "config \(file)" : "default")
            return Row(key: key, value: value, source: source)
        }
    }

    /// The lift-test file and/or the number of tests listed in the config.
    static func liftTests(_ c: MixPlanConfig.CalibrationSection) -> String {
        let inline = c.liftTests.isEmpty ? nil : "\(c.liftTests.count) test\(c.liftTests.count == 1 ? "" : "s") listed"
        let parts = [c.liftTestsFile, inline].compactMap { $0 }
        return parts.isEmpty ? "null (none)" : parts.joined(separator: " + ")
    }

    /// The dotted keys written in a YAML config file (nested mappings joined with dots).
    static func keys(inConfigAt path: String) -> Set<String> {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let root = try? Yams.compose(yaml: text) else { return [] }
        var out: Set<String> = []
        func walk(_ node: Node, _ prefix: String) {
            guard let mapping = node.mapping else { return }
            for (k, v) in mapping {
                guard let name = k.string else { continue }
                let key = prefix.isEmpty ? name : "\(prefix).\(name)"
                out.insert(key)
                walk(v, key)
            }
        }
        walk(root, "")
        return out
    }

    /// A three-column table: key, value, source.
    func render() -> String {
        let keyWidth = rows.map(\.key.count).max() ?? 0
        let valueWidth = min(48, rows.map(\.value.count).max() ?? 0)
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        return rows.map { pad($0.key, keyWidth) + "  " + pad($0.value, valueWidth) + "  " + $0.source }.joined(separator: "\n")
    }
}
