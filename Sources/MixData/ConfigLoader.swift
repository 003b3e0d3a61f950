import Foundation
import Yams

/// Reads `mixplan.yaml` into a `MixPlanConfig`.
///
/// Keys are snake_case; any key may be left out to keep its default (the defaults are those of
/// `MixPlanConfig()`, documented in `Templates/mixplan.yaml`). Unknown keys, wrong types and
/// out-of-range values are `InputError`s naming the key path (and line), with a "did you mean"
/// suggestion for near misses. `data.file` is kept as written; `resolvedDataPath` resolves it
/// against the config's folder.
public enum ConfigLoader {
    /// Parameter names accepted under `model.priors` and `model.channels.<name>.priors`.
    public static let priorParameterNames = [
        "intercept", "sigma", "nu", "trend", "gamma_control", "gamma_fourier",
        "adstock_alpha", "adstock_theta", "adstock_lambda", "adstock_k",
    ] + MixPlanConfig.SaturationKind.allCases.flatMap(\.parameterNames).reduce(into: [String]()) { names, name in
        if !names.contains(name) { names.append(name) }
    }.map { "saturation_" + $0 }
    /// The geo model's pooling scales (`GeoStructure`), accepted under the same keys; a national
    /// model refuses them (`ModelStructure.priorKeys` leaves them out).
    public static let geoPriorParameterNames = ["log_roas_scale", "log_beta_scale", "intercept_scale", "fourier_scale", "trend_scale"]

    /// Reads and parses the config at `path`.
    public static func load(path: String) throws -> MixPlanConfig {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(InputLocation(file: path), "the config file does not exist.",
                             hint: "Create one with `mixplan init DATA.csv`.")
        }
        if isDirectory.boolValue {
            throw InputError(InputLocation(file: path), "is a folder; expected a config file such as mixplan.yaml.")
        }
        return try parse(data: try InputFile.contents(path, what: "config file", limit: Limits.configBytes), path: path)
    }

    /// Parses the bytes of a config file (UTF-8 YAML); `path` is recorded and used in messages.
    public static func parse(data: Data, path: String) throws -> MixPlanConfig {
        guard data.count <= Limits.configBytes else {
            throw InputError(InputLocation(file: path), "is larger than \(Limits.grouped(Limits.configBytes)) bytes, the most a config file may have.",
                             hint: "A config lists settings, not data: put data in the CSV file named by data.file.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(InputLocation(file: path), "the config file is not valid UTF-8 text.")
        }
        return try parse(yaml: text, path: path)
    }

    /// Parses YAML text; `path` is recorded in the config and used in messages.
    public static func parse(yaml text: String, path: String) throws -> MixPlanConfig {
        if let line = YAMLAliasCheck.aliasKeyLine(in: text) {
            throw InputError(InputLocation(file: path), "uses an alias (*name) as a mapping key at line \(line); MixPlan refuses aliases as keys, because comparing such keys can take practically forever.",
                             hint: "Write the key as plain text; aliases are fine as values, e.g. channels: *my_channels.")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw InputError(InputLocation(file: path), "is not valid YAML: \(yamlProblem(error))")
        } catch {
            throw InputError(InputLocation(file: path), "is not valid YAML: \(error)")
        }
        var config = MixPlanConfig()
        config.path = path
        guard let root else { return config } // an empty file keeps every default
        let y = YAMLValues(file: path)
        try y.checkLengths(root, key: "")
        for (section, node) in try y.mapping(root, key: "", known: ["data", "model", "sampler", "optimizer", "report", "calibration"]) {
            switch section {
            case "data": try readData(node, y, &config.data)
            case "model": try readModel(node, y, &config.model)
            case "sampler": try readSampler(node, y, &config.sampler)
            case "optimizer": try readOptimizer(node, y, &config.optimizer)
            case "calibration": try readCalibration(node, y, &config.calibration)
            default: try readReport(node, y, &config.report)
            }
        }
        try crossCheck(config, y)
        return config
    }

    private static func readData(_ node: Node, _ y: YAMLValues, _ d: inout MixPlanConfig.DataSection) throws {
        let known = ["file", "date_column", "date_format", "target", "channels", "controls", "delimiter", "decimal", "thousands",
                     "geo_column", "population_column"]
        for (key, v) in try y.mapping(node, key: "data", known: known) {
            let path = "data.\(key)"
            switch key {
            case "file": d.file = try y.string(v, key: path)
            case "date_column": d.dateColumn = try y.name(v, key: path)
            case "date_format": d.dateFormat = try y.choice(v, key: path, MixPlanConfig.DateFormat.self)
            case "target": d.target = try y.name(v, key: path)
            case "channels": try readChannels(v, y, key: path, &d)
            case "delimiter": d.delimiter = try y.choice(v, key: path, MixPlanConfig.Delimiter.init(text:))
            case "decimal": d.decimalMark = try y.choice(v, key: path, MixPlanConfig.DecimalMark.init(text:))
            case "thousands": d.thousandsSeparator = try y.choice(v, key: path, MixPlanConfig.ThousandsSeparator.init(text:))
            case "geo_column": d.geoColumn = try y.name(v, key: path)
            case "population_column": d.populationColumn = try y.name(v, key: path)
            default: d.controls = try y.names(v, key: path)
            }
        }
    }

    /// `data.channels`: a list whose items are spend column names or mappings describing a
    /// channel measured in exposures (`MixPlanConfig.ExposureChannel`).
    private static func readChannels(_ node: Node, _ y: YAMLValues, key: String, _ d: inout MixPlanConfig.DataSection) throws {
        d.channels = []
        d.exposures = [:]
        guard case .sequence(let items) = node else {
            d.channels = try y.names(node, key: key) // null, or the error for a non-list
            return
        }
        guard items.count <= Limits.columns else { _ = try y.names(node, key: key); return }
        for item in items {
            guard case .mapping = item else {
                let name = try y.name(item, key: key)
                if d.exposures[name] != nil { throw y.error(key, item, "names the channel \"\(name)\" twice") }
                d.channels.append(name)
                continue
            }
            var values: [String: Node] = [:]
            for (k, v) in try y.mapping(item, key: key, known: MixPlanConfig.ExposureChannel.keys) { values[k] = v }
            let example = "e.g. {name: tv, exposure_column: tv_grp, spend_column: tv_spend} or {name: tv, exposure_column: tv_grp, cost_per_unit: 850}"
            guard let nameNode = values["name"], let exposureNode = values["exposure_column"] else {
                throw y.error(key, item, "a channel written as a mapping needs name and exposure_column", hint: "Write it as \(example).")
            }
            let name = try y.name(nameNode, key: "\(key).name")
            let itemKey = "\(key).\(name)"
            let cost: MixPlanConfig.ExposureChannel.Cost
            switch (values["spend_column"], values["cost_per_unit"]) {
            case let (spend?, nil): cost = .spendColumn(try y.name(spend, key: "\(itemKey).spend_column"))
            case let (nil, perUnit?):
                cost = .perUnit(try y.double(perUnit, key: "\(itemKey).cost_per_unit", expected: "> 0 (money per exposure unit)") { $0 > 0 })
            case (.some, .some):
                throw y.error(itemKey, item, "has both spend_column and cost_per_unit; give one",
                              hint: "With spend_column the cost per unit is total spend / total exposures over the data's rows.")
            case (nil, nil):
                throw y.error(itemKey, item, "names exposures but no money: give spend_column or cost_per_unit", hint: "Write it as \(example).")
            }
            let unit = try values["unit"].map { try y.name($0, key: "\(itemKey).unit") }
            if d.exposures[name] != nil || d.channels.contains(name) {
                throw y.error(itemKey, nameNode, "names a channel twice")
            }
            d.channels.append(name)
            d.exposures[name] = MixPlanConfig.ExposureChannel(exposureColumn: try y.name(exposureNode, key: "\(itemKey).exposure_column"),
                                                              cost: cost, unit: unit)
        }
    }

    private static func readModel(_ node: Node, _ y: YAMLValues, _ m: inout MixPlanConfig.ModelSection) throws {
        let known = ["adstock", "adstock_max_lag", "saturation", "yearly_seasonality", "trend", "likelihood", "default_priors", "priors", "channels"]
            + timeVaryingKeys
        for (key, v) in try y.mapping(node, key: "model", known: known) {
            let path = "model.\(key)"
            switch key {
            case _ where timeVaryingKeys.contains(key): try readTimeVarying(key, v, y, &m)
            case "adstock": m.adstock = try y.choice(v, key: path, MixPlanConfig.AdstockKind.self)
            case "adstock_max_lag": m.adstockMaxLag = try y.int(v, key: path, range: 1...520)
            case "saturation": m.saturation = try y.choice(v, key: path, MixPlanConfig.SaturationKind.self)
            case "yearly_seasonality": m.yearlySeasonality = try y.int(v, key: path, range: 0...20)
            case "trend": m.trend = try y.bool(v, key: path)
            case "likelihood": m.likelihood = try y.choice(v, key: path, MixPlanConfig.Likelihood.self)
            case "default_priors": m.defaultPriors = try y.choice(v, key: path, MixPlanConfig.PriorDefaults.self)
            case "priors": m.priors = try readPriors(v, y, key: path)
            default:
                for (channel, settings) in try y.mapping(v, key: path, known: nil) {
                    m.channels[channel] = try readChannel(settings, y, key: "\(path).\(channel)")
                }
            }
        }
    }

    private static func readChannel(_ node: Node, _ y: YAMLValues, key: String) throws -> MixPlanConfig.ChannelSettings {
        var settings = MixPlanConfig.ChannelSettings()
        for (name, v) in try y.mapping(node, key: key, known: ["adstock", "saturation", "priors", "roi_prior", "lift_roi_prior"]) {
            let path = "\(key).\(name)"
            switch name {
            case "adstock": settings.adstock = try y.choice(v, key: path, MixPlanConfig.AdstockKind.self)
            case "saturation": settings.saturation = try y.choice(v, key: path, MixPlanConfig.SaturationKind.self)
            case "roi_prior":
                settings.roiPrior = try PriorParser.parse(try y.string(v, key: path), location: InputLocation(file: y.file, key: path))
            case "lift_roi_prior": settings.liftROIPrior = try readLiftROIPrior(v, y, key: path)
            default: settings.priors = try readPriors(v, y, key: path)
            }
        }
        if settings.roiPrior != nil, settings.liftROIPrior != nil {
            throw y.error("\(key).lift_roi_prior", node, "is set together with roi_prior; both stand in for the prior on the channel's effect size β",
                          hint: "Keep one: lift_roi_prior (an experiment's incremental return) or roi_prior (the whole-period ROAS).")
        }
        return settings
    }

    private static func readPriors(_ node: Node, _ y: YAMLValues, key: String) throws -> [String: PriorSpec] {
        var priors: [String: PriorSpec] = [:]
        for (name, v) in try y.mapping(node, key: key, known: priorParameterNames + geoPriorParameterNames) {
            let path = "\(key).\(name)"
            let text = try y.string(v, key: path)
            let spec = try PriorParser.parse(text, location: InputLocation(file: y.file, key: path))
            if let problem = PriorDomain.problem(spec, parameter: name) {
                throw y.error(path, v, "the prior \"\(text)\" \(problem)",
                              hint: name == "adstock_alpha" ? "A decay rate needs a prior on (0, 1), e.g. Beta(1, 3) or Uniform(0, 1)." : "Use a prior on positive values, e.g. HalfNormal(1) or Gamma(mu=2, sigma=1).")
            }
            priors[name] = spec
        }
        return priors
    }

    private static func readSampler(_ node: Node, _ y: YAMLValues, _ s: inout MixPlanConfig.SamplerSection) throws {
        let known = ["chains", "warmup", "draws", "target_accept", "max_tree_depth", "seed", "metric", "retry"]
        for (key, v) in try y.mapping(node, key: "sampler", known: known) {
            let path = "sampler.\(key)"
            switch key {
            case "chains": s.chains = try y.int(v, key: path, range: Limits.chains)
            case "warmup": s.warmup = try y.int(v, key: path, range: Limits.warmup)
            case "draws": s.draws = try y.int(v, key: path, range: Limits.draws)
            case "target_accept": s.targetAccept = try y.double(v, key: path, expected: "strictly between 0 and 1") { $0 > 0 && $0 < 1 }
            case "max_tree_depth": s.maxTreeDepth = try y.int(v, key: path, range: 1...30)
            case "metric": s.metric = try y.choice(v, key: path, MixPlanConfig.Metric.self)
            case "retry": s.retry = try y.bool(v, key: path)
            default: s.seed = try y.uint64(v, key: path)
            }
        }
    }

    private static func readOptimizer(_ node: Node, _ y: YAMLValues, _ o: inout MixPlanConfig.OptimizerSection) throws {
        let known = ["budget", "periods", "relative_bound", "objective", "include_carryover", "fixed", "current_window_days"]
        for (key, v) in try y.mapping(node, key: "optimizer", known: known) {
            let path = "optimizer.\(key)"
            switch key {
            case "budget": o.budget = y.isNull(v) ? nil : try y.double(v, key: path, expected: "> 0 (or null)") { $0 > 0 }
            case "periods": o.periods = try y.int(v, key: path, range: Limits.horizon)
            case "relative_bound":
                let largest = MixPlanConfig.OptimizerSection.largestRelativeBound
                o.relativeBound = try y.double(v, key: path, expected: "≥ 0") { $0 >= 0 }
                if o.relativeBound > largest {
                    throw y.error(path, v, "expected a fraction of current spend between 0 and \(String(format: "%g", largest)) (±\(String(format: "%g", 100 * largest)) %), found \(String(format: "%g", o.relativeBound))",
                                  hint: MixPlanConfig.OptimizerSection.relativeBoundHint(o.relativeBound))
                }
            case "objective":
                switch Objective.read(try y.string(v, key: path)) {
                case .success(let objective): o.objective = objective
                case .failure(let error): throw y.error(path, v, error.reason)
                }
            case "include_carryover": o.includeCarryover = try y.bool(v, key: path)
            case "current_window_days": o.currentWindowDays = try y.int(v, key: path, range: 1...3650)
            default: o.fixed = try y.strings(v, key: path)
            }
        }
    }

    private static func readReport(_ node: Node, _ y: YAMLValues, _ r: inout MixPlanConfig.ReportSection) throws {
        for (key, v) in try y.mapping(node, key: "report", known: ["currency", "templates", "interval_mass", "chart_scale"]) {
            let path = "report.\(key)"
            switch key {
            case "currency": r.currency = try y.string(v, key: path)
            case "templates": r.templates = y.isNull(v) ? "" : try y.string(v, key: path)
            case "chart_scale": r.chartScale = try y.double(v, key: path, expected: "a pixel scale from 1 to 4 (2 for HiDPI)") { $0 >= 1 && $0 <= 4 }
            default: r.intervalMass = try y.double(v, key: path, expected: "strictly between 0 and 1") { $0 > 0 && $0 < 1 }
            }
        }
    }

    /// `calibration.lift_tests`: a CSV path, or a list of tests with the CSV's column names as keys.
    private static func readCalibration(_ node: Node, _ y: YAMLValues, _ c: inout MixPlanConfig.CalibrationSection) throws {
        for (key, v) in try y.mapping(node, key: "calibration", known: ["lift_tests"]) {
            let path = "calibration.\(key)"
            if case .scalar = v, !y.isNull(v) {
                c.liftTestsFile = try y.string(v, key: path)
                continue
            }
            guard case .sequence(let items) = v else {
                if y.isNull(v) { continue }
                throw y.error(path, v, "expected a CSV file name or a list of tests, found \(y.describe(v))")
            }
            for (i, item) in items.enumerated() {
                let itemPath = "\(path)[\(i)]"
                var values: [String: Node] = [:]
                for (name, value) in try y.mapping(item, key: itemPath, known: LiftTestLoader.required + LiftTestLoader.optional) {
                    values[name] = value
                }
                for name in LiftTestLoader.required where values[name] == nil {
                    throw y.error(itemPath, item, "has no \"\(name)\"", hint: "A lift test needs \(LiftTestLoader.required.joined(separator: ", ")).")
                }
                func number(_ name: String) throws -> Double {
                    try y.double(values[name]!, key: "\(itemPath).\(name)", expected: "(finite)") { _ in true }
                }
                func date(_ name: String) throws -> CalendarDate? {
                    guard let node = values[name] else { return nil }
                    let text = try y.string(node, key: "\(itemPath).\(name)")
                    guard let d = CellParsing.date(text, format: .iso) else {
                        throw y.error("\(itemPath).\(name)", node, "expected a date such as 2024-03-04, found \"\(text)\"")
                    }
                    return d
                }
                let test = LiftTest(channel: try y.string(values["channel"]!, key: "\(itemPath).channel"),
                                    spend: try number("x"), spendChange: try number("delta_x"),
                                    targetChange: try number("delta_y"), standardError: try number("sigma"),
                                    start: try date("start"), end: try date("end"), source: "\(y.file), \(itemPath)")
                if let problem = test.problem { throw y.error(itemPath, item, problem) }
                c.liftTests.append(test)
            }
        }
    }

    /// Names that must refer to configured channels, and limits spanning two keys.
    private static func crossCheck(_ config: MixPlanConfig, _ y: YAMLValues) throws {
        if let problem = Limits.totalDrawsProblem(chains: config.sampler.chains, draws: config.sampler.draws) {
            throw InputError(InputLocation(file: y.file, key: "sampler.draws"), problem.message + ".", hint: problem.hint)
        }
        let channels = config.data.channels
        for name in config.model.channels.keys.sorted() where !channels.contains(name) {
            throw InputError(InputLocation(file: y.file, key: "model.channels.\(name)"),
                             "overrides settings for \"\(name)\", which is not in data.channels.",
                             hint: NameSuggestion.didYouMean(name, in: channels) ?? "Configured channels: \(channels.joined(separator: ", ")).")
        }
        for test in config.calibration.liftTests where !channels.contains(test.channel) {
            throw InputError(InputLocation(file: y.file, key: "calibration.lift_tests"),
                             "has a test for \"\(test.channel)\", which is not in data.channels.",
                             hint: NameSuggestion.didYouMean(test.channel, in: channels) ?? "Configured channels: \(channels.joined(separator: ", ")).")
        }
        for name in config.optimizer.fixed where !channels.contains(name) {
            throw InputError(InputLocation(file: y.file, key: "optimizer.fixed"),
                             "holds \"\(name)\" fixed, but it is not in data.channels.",
                             hint: NameSuggestion.didYouMean(name, in: channels) ?? "Configured channels: \(channels.joined(separator: ", ")).")
        }
    }

    private static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            // libyaml's wording names its own API; say what it means for a config instead.
            let what = problem.hasPrefix("Maximum nesting level reached")
                ? "lists or mappings are nested too deeply (a config needs only a few levels)" : problem
            return "\(what) at line \(mark.line), column \(mark.column)."
        default:
            // Yams lists every duplicated key; the first line, cut, says enough.
            let first = "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable."
            return first.count <= 300 ? first : String(first.prefix(297)) + "…"
        }
    }
}
