/// Everything a run needs, as read from `mixplan.yaml` (see `Templates/mixplan.yaml` for the
/// commented template that documents every key and its default). Values not in the file keep
/// the defaults below.
public struct MixPlanConfig: Sendable, Equatable, Codable {
    public var data = DataSection()
    public var model = ModelSection()
    public var sampler = SamplerSection()
    public var optimizer = OptimizerSection()
    public var report = ReportSection()
    public var calibration = CalibrationSection()
    /// The config file's path (empty when built in code); relative paths inside are resolved
    /// against its folder.
    public var path: String = ""

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case data, model, sampler, optimizer, report, calibration, path
    }

    /// Decodes a saved config; `calibration` may be missing (models saved before it existed).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        data = try c.decode(DataSection.self, forKey: .data)
        model = try c.decode(ModelSection.self, forKey: .model)
        sampler = try c.decode(SamplerSection.self, forKey: .sampler)
        optimizer = try c.decode(OptimizerSection.self, forKey: .optimizer)
        report = try c.decode(ReportSection.self, forKey: .report)
        calibration = try c.decodeIfPresent(CalibrationSection.self, forKey: .calibration) ?? CalibrationSection()
        path = try c.decode(String.self, forKey: .path)
    }

    /// Where the data lives and which columns mean what.
    public struct DataSection: Sendable, Equatable, Codable {
        public var file: String = "data.csv"
        public var dateColumn: String = "date"
        /// `auto` (the default: detected from the column, see `DialectDetection`), `iso`
        /// (YYYY-MM-DD), `d/m/yyyy` or `m/d/yyyy`.
        public var dateFormat: DateFormat = .auto
        public var target: String = "sales"
        /// Channel names, in order. A channel is a spend column of that name, unless `exposures`
        /// has an entry for it.
        public var channels: [String] = []
        /// Channels measured in exposures, by channel name (`data.channels` items written as a
        /// mapping, see `ExposureChannel`); empty when every channel is a spend column.
        public var exposures: [String: ExposureChannel] = [:]
        public var controls: [String] = []
        /// How the file writes its fields and numbers (`data.delimiter`, `data.decimal`,
        /// `data.thousands`); `auto` detects each from the file.
        public var delimiter: Delimiter = .auto
        public var decimalMark: DecimalMark = .auto
        public var thousandsSeparator: ThousandsSeparator = .auto
        /// `data.geo_column`: the column naming each row's geo in a long panel (one row per
        /// geo × period, see `GeoPanel`); nil for a national series.
        public var geoColumn: String?
        /// `data.population_column`: each geo's population (or any size measure), used to scale
        /// geos of different size; nil scales each geo by its own mean target instead.
        public var populationColumn: String?
        public init() {}

        private enum CodingKeys: String, CodingKey {
            case file, dateColumn, dateFormat, target, channels, controls, delimiter, decimalMark, thousandsSeparator
            case geoColumn, populationColumn, exposures
        }

        /// Decodes a saved config; the dialect keys and `exposures` may be missing (models saved
        /// before them).
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            file = try c.decode(String.self, forKey: .file)
            dateColumn = try c.decode(String.self, forKey: .dateColumn)
            dateFormat = try c.decode(DateFormat.self, forKey: .dateFormat)
            target = try c.decode(String.self, forKey: .target)
            channels = try c.decode([String].self, forKey: .channels)
            controls = try c.decode([String].self, forKey: .controls)
            delimiter = try c.decodeIfPresent(Delimiter.self, forKey: .delimiter) ?? .auto
            decimalMark = try c.decodeIfPresent(DecimalMark.self, forKey: .decimalMark) ?? .auto
            thousandsSeparator = try c.decodeIfPresent(ThousandsSeparator.self, forKey: .thousandsSeparator) ?? .auto
            geoColumn = try c.decodeIfPresent(String.self, forKey: .geoColumn)
            populationColumn = try c.decodeIfPresent(String.self, forKey: .populationColumn)
            exposures = try c.decodeIfPresent([String: ExposureChannel].self, forKey: .exposures) ?? [:]
        }

        /// The data columns channel `name` reads: its exposure and spend columns, or its own name.
        public func channelColumns(_ name: String) -> [String] {
            guard let e = exposures[name] else { return [name] }
            if case .spendColumn(let spend) = e.cost { return [e.exposureColumn, spend] }
            return [e.exposureColumn]
        }
    }

    /// How dates are written. `auto` reads ISO dates, and slashed or dotted dates when the
    /// column shows which part is the day (some part above 12); otherwise it asks for the format.
    public enum DateFormat: String, Sendable, Equatable, CaseIterable, Codable {
        case auto = "auto"
        case iso = "iso"
        case dayMonthYear = "d/m/yyyy"
        case monthDayYear = "m/d/yyyy"

        /// How the format reads to a person, e.g. in messages.
        public var pattern: String {
            switch self {
            case .auto: return "auto-detected"
            case .iso: return "YYYY-MM-DD"
            case .dayMonthYear: return "D/M/YYYY"
            case .monthDayYear: return "M/D/YYYY"
            }
        }
    }

    /// The model of DESIGN.md §2.
    public struct ModelSection: Sendable, Equatable, Codable {
        /// Default adstock for every channel.
        public var adstock: AdstockKind = .geometric
        /// Lag window L.
        public var adstockMaxLag: Int = 8
        /// Default saturation for every channel.
        public var saturation: SaturationKind = .logistic
        /// Fourier order of yearly seasonality (0 turns it off).
        public var yearlySeasonality: Int = 2
        /// Linear trend δ · t/T.
        public var trend: Bool = false
        public var likelihood: Likelihood = .normal
        /// Prior overrides by parameter name (e.g. `intercept`, `sigma`, `saturation_beta`),
        /// applied to every channel unless a channel overrides it.
        public var priors: [String: PriorSpec] = [:]
        /// Per-channel overrides, by channel name.
        public var channels: [String: ChannelSettings] = [:]
        /// Time-varying media effectiveness and baseline drift (HSGP); nil means off.
        public var timeVarying: TimeVarying?
        /// `model.default_priors`: which set of default priors applies where the config names
        /// none. Nil only in models saved before the key existed, which were fitted with
        /// PyMC-Marketing's defaults (see `priorDefaults`).
        public var defaultPriors: PriorDefaults?
        public init() { defaultPriors = .roas }

        /// The default-prior set in force: nil (a model saved before the key existed) means
        /// `.pymcMarketing`, the only defaults there were, so an old model refits as it was.
        public var priorDefaults: PriorDefaults { defaultPriors ?? .pymcMarketing }

        /// The adstock kind for a channel after overrides.
        public func adstock(for channel: String) -> AdstockKind { channels[channel]?.adstock ?? adstock }
        /// The saturation kind for a channel after overrides.
        public func saturation(for channel: String) -> SaturationKind { channels[channel]?.saturation ?? saturation }
        /// The prior for a channel's parameter after overrides, or nil for the model default.
        public func prior(_ parameter: String, channel: String) -> PriorSpec? {
            channels[channel]?.priors[parameter] ?? priors[parameter]
        }
    }

    public struct ChannelSettings: Sendable, Equatable, Codable {
        public var adstock: AdstockKind?
        public var saturation: SaturationKind?
        public var priors: [String: PriorSpec] = [:]
        /// A prior on the channel's return on ad spend over the training window (`roi_prior`),
        /// which stands in for the prior on its effect size β (issue 9, point 3). Optional in saved
        /// models (older model.json files have none).
        public var roiPrior: PriorSpec?
        /// A prior on an experiment's incremental return (`lift_roi_prior`, see `LiftROIPrior`),
        /// which also stands in for the prior on β. Optional in saved models.
        public var liftROIPrior: LiftROIPrior?
        public init(adstock: AdstockKind? = nil, saturation: SaturationKind? = nil, priors: [String: PriorSpec] = [:],
                    roiPrior: PriorSpec? = nil, liftROIPrior: LiftROIPrior? = nil) {
            self.adstock = adstock
            self.saturation = saturation
            self.priors = priors
            self.roiPrior = roiPrior
            self.liftROIPrior = liftROIPrior
        }
    }

    /// The default priors of `model.default_priors`.
    public enum PriorDefaults: String, Sendable, Equatable, CaseIterable, Codable {
        /// Spend-aware (the default): each channel's effect gets a prior on its ROAS,
        /// LogNormal(0.2, 0.9) (Google Meridian's default ROI prior), and curve-shape priors whose
        /// mode is away from the values where a curve flattens into a constant.
        case roas
        /// PyMC-Marketing 0.19's defaults (MixPlan's before issue 20): independent priors on β and
        /// the curve's shape, for comparisons with PyMC-Marketing.
        case pymcMarketing = "pymc-marketing"
    }

    public enum Likelihood: String, Sendable, Equatable, CaseIterable, Codable {
        case normal
        case studentT = "student_t"
    }

    /// NUTS settings (DESIGN.md §3).
    public struct SamplerSection: Sendable, Equatable, Codable {
        public var chains: Int = 4
        public var warmup: Int = 1000
        public var draws: Int = 1000
        public var targetAccept: Double = 0.8
        public var maxTreeDepth: Int = 10
        public var seed: UInt64 = 1
        /// Mass matrix adapted in warm-up: one scale per parameter, or a full covariance.
        public var metric: Metric = .diagonal
        /// `sampler.retry`: when a fit fails the convergence gate on divergent transitions alone,
        /// refit once at the next higher target acceptance (0.95, then 0.99); when it fails on
        /// R-hat or ESS alone, refit once with warm-up and draws doubled at that higher target
        /// acceptance (runs of at least 1000 + 1000 per chain; `FitRetry`). Every output says
        /// so. Default true.
        public var retry: Bool = true
        public init() {}

        private enum CodingKeys: String, CodingKey {
            case chains, warmup, draws, targetAccept, maxTreeDepth, seed, metric, retry
        }

        /// Decodes a saved section; `metric` may be missing (models saved before it existed).
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            chains = try c.decode(Int.self, forKey: .chains)
            warmup = try c.decode(Int.self, forKey: .warmup)
            draws = try c.decode(Int.self, forKey: .draws)
            targetAccept = try c.decode(Double.self, forKey: .targetAccept)
            maxTreeDepth = try c.decode(Int.self, forKey: .maxTreeDepth)
            seed = try c.decode(UInt64.self, forKey: .seed)
            metric = try c.decodeIfPresent(Metric.self, forKey: .metric) ?? .diagonal
            retry = try c.decodeIfPresent(Bool.self, forKey: .retry) ?? true
        }
    }

    /// `sampler.metric`: Stan's `diag_e` (the default) or `dense_e`. Dense adapts to correlated
    /// parameters (e.g. intercept and an always-on channel) at O(n²) per step, cheap next to the
    /// model's gradient; on well-identified data it often halves the work per effective draw.
    public enum Metric: String, Sendable, Equatable, CaseIterable, Codable {
        case diagonal
        case dense
    }

    /// Budget allocation defaults (DESIGN.md §5).
    public struct OptimizerSection: Sendable, Equatable, Codable {
        /// Total budget over the horizon; nil means current spend (see `currentWindowDays`)
        /// times `periods`.
        public var budget: Double?
        /// Horizon H in periods.
        public var periods: Int = 1
        /// Default bound on every channel relative to its current spend, e.g. 0.3 for ±30 %.
        public var relativeBound: Double = 0.3
        /// What the optimiser maximises (parsed once, from `mean`, `mean-sd:K`, `var:Q` or `cvar:Q`).
        public var objective: Objective = .mean
        /// Count the carryover tail after the horizon in the response.
        public var includeCarryover: Bool = true
        /// Channels held at their current spend.
        public var fixed: [String] = []
        /// "Current spend" is each channel's mean spend per period over the last this-many days
        /// of the training data: 28 is the last 4 weeks of weekly data or 28 days of daily data.
        public var currentWindowDays: Int = 28
        public init() {}

        private enum CodingKeys: String, CodingKey {
            case budget, periods, relativeBound, objective, includeCarryover, fixed, currentWindowDays
        }

        /// Decodes a saved config; `currentWindowDays` may be missing (models saved before it,
        /// whose current spend was the last 4 periods: 28 days of weekly data).
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            budget = try c.decodeIfPresent(Double.self, forKey: .budget)
            periods = try c.decode(Int.self, forKey: .periods)
            relativeBound = try c.decode(Double.self, forKey: .relativeBound)
            objective = try c.decode(Objective.self, forKey: .objective)
            includeCarryover = try c.decode(Bool.self, forKey: .includeCarryover)
            fixed = try c.decode([String].self, forKey: .fixed)
            currentWindowDays = try c.decodeIfPresent(Int.self, forKey: .currentWindowDays) ?? 28
        }

        /// Rows in the current-spend window for data of `frequency`: the window's days in
        /// periods, rounded, at least 1. The one definition every "current spend" uses.
        public func currentWindowPeriods(_ frequency: Frequency) -> Int {
            max(1, Int((Double(currentWindowDays) / Double(frequency.days)).rounded()))
        }

        /// "the last 4 weeks", "the last 28 days": the window in words, for messages.
        public func currentWindowText(_ frequency: Frequency) -> String {
            let n = currentWindowPeriods(frequency)
            return "the last \(n == 1 ? "" : "\(n) ")\(frequency == .daily ? "day" : "week")\(n == 1 ? "" : "s")"
        }
        /// The largest relative bound accepted (±1000 %): a larger one is almost surely a
        /// percentage typed where a fraction belongs (30 for ±30 %).
        public static let largestRelativeBound = 10.0

        /// "Did you mean 0.3 for ±30 %?" for a relative bound above `largestRelativeBound`.
        public static func relativeBoundHint(_ value: Double) -> String {
            "Did you mean \(String(format: "%g", value / 100)) for ±\(String(format: "%g", value)) %?"
        }
    }

    /// Output settings.
    public struct ReportSection: Sendable, Equatable, Codable {
        /// Currency symbol or code used in charts, workbook and report. Empty by default, so
        /// amounts are plain numbers until a config names its currency (no "€" on US data).
        public var currency: String = ""
        /// Folder of Mustache templates; empty means the bundled `Templates/`.
        public var templates: String = ""
        /// Credible interval mass for reported intervals.
        public var intervalMass: Double = ReportSection.defaultIntervalMass
        /// 94 % (3 %–97 %), ArviZ's and PyMC-Marketing's default; the one place it is written.
        public static let defaultIntervalMass = 0.94
        /// Pixel scale of the charts: 1 (960 px wide) or 2 for sharp images on HiDPI screens
        /// and in print (1…4 accepted).
        public var chartScale: Double = 1
        public init() {}

        private enum CodingKeys: String, CodingKey { case currency, templates, intervalMass, chartScale }

        /// Decodes a saved config; `chartScale` may be missing (models saved before it).
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            currency = try c.decode(String.self, forKey: .currency)
            templates = try c.decode(String.self, forKey: .templates)
            intervalMass = try c.decode(Double.self, forKey: .intervalMass)
            chartScale = try c.decodeIfPresent(Double.self, forKey: .chartScale) ?? 1
        }
    }

    /// Experiments that calibrate the model (`calibration:` in the config).
    public struct CalibrationSection: Sendable, Equatable, Codable {
        /// A CSV of lift tests (see `LiftTestLoader`), relative to the config's folder.
        public var liftTestsFile: String?
        /// Lift tests written in the config itself.
        public var liftTests: [LiftTest] = []
        public init() {}
    }
}
