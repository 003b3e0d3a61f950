import Foundation
import MixData

/// The MMM of DESIGN.md §2 laid out as a parameter vector: which parameter sits where, its
/// prior, and the scaled data every evaluation reads. Built once from a dataset and config;
/// shared (read-only) by the log density, the posterior summaries and saved models.
public struct ModelStructure: Sendable {
    /// One named model parameter (natural scale) with its prior.
    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var prior: Prior
    }

    /// Index ranges of one channel's parameters in the vector.
    public struct ChannelLayout: Sendable, Equatable {
        public var name: String
        public var adstock: Adstock
        public var saturation: Saturation
        /// First adstock parameter; `adstock.parameterCount` follow.
        public var adstockOffset: Int
        /// First saturation parameter; `saturation.parameterCount` follow (β last).
        public var saturationOffset: Int
        /// The scaled spend level r at which the sampler measures this channel's effect instead
        /// of sampling β directly (see `SamplerCoordinates.swift`); nil when β's prior is not on
        /// (0, ∞), and then β is unconstrained by its prior's support like every other parameter.
        public var effectReference: Double?
        /// For a channel calibrated by an experiment: the other end r₀ < r of the tested spend
        /// interval, and the sampler measures the effect's mean slope over [r₀, r] — what the
        /// experiment pins down — instead of the effect at r. Nil otherwise.
        public var effectReferenceStart: Double?

        /// h(θ): the effect with β = 1 that the sampler's coordinate measures — the saturation
        /// at `effectReference`, or its mean slope from `effectReferenceStart` to there.
        public func referenceEffect(shape: [Double]) -> Double {
            guard let r = effectReference else { return .nan }
            let high = saturation.value(r, parameters: shape + [1])
            guard let r0 = effectReferenceStart else { return high }
            return (high - saturation.value(r0, parameters: shape + [1])) / (r - r0)
        }
    }

    public let parameters: [Parameter]
    public let channels: [ChannelLayout]
    public let interceptIndex: Int
    /// Control coefficients start here, one per control.
    public let controlOffset: Int
    public let controlNames: [String]
    /// Fourier coefficients start here: sin 1…n then cos 1…n.
    public let fourierOffset: Int
    public let fourierOrder: Int
    public let trendIndex: Int?
    public let sigmaIndex: Int
    public let nuIndex: Int?
    /// HSGP parts (media multiplier, intercept drift), after every static parameter.
    public let timeVarying: TimeVaryingLayout
    public let likelihood: MixPlanConfig.Likelihood
    public let scaling: Scaling
    /// Training periods T.
    public let periodCount: Int
    /// Scaled spend, `spend[c·T + t]` = x[t,c] / max_t x[t,c].
    public let scaledSpend: [Double]
    /// Scaled target ỹ[t] = y[t] / max y.
    public let scaledTarget: [Double]
    /// Controls as the model uses them, `controls[k·T + t]`: a 0/1 column as given, any other
    /// standardised, (z − centre)/scale with `scaling.controlCenter`/`controlScale`.
    public let controls: [Double]
    /// Fourier basis, `fourier[j·T + t]` for the 2n columns (sin 1…n, cos 1…n).
    public let fourier: [Double]
    /// Trend regressor t/T, t = 1…T.
    public let trend: [Double]
    /// Lift tests and ROI priors, on the model's scales (`Calibration/`).
    public private(set) var calibration = CalibrationLayout()

    public var dimension: Int { parameters.count }
    public var parameterNames: [String] { parameters.map(\.name) }

    /// Original-unit scales, so results can be reported in currency and target units.
    public struct Scaling: Sendable, Equatable, Codable {
        /// max_t x[t,c] per channel over the training rows.
        public var spendScale: [Double]
        /// max_t y[t] over the training rows.
        public var targetScale: Double
        /// Per control, the mean and standard deviation over the training rows it is standardised
        /// with, z̃ = (z − centre)/scale — 0 and 1 for a 0/1 column (used as given) and for a
        /// constant one. A control's coefficient γ is then the effect of one `controlScale` on the
        /// scaled target: γ · targetScale / controlScale target units per unit of the control.
        public var controlCenter: [Double] = []
        public var controlScale: [Double] = []

        public init(spendScale: [Double], targetScale: Double, controlCenter: [Double] = [], controlScale: [Double] = []) {
            self.spendScale = spendScale
            self.targetScale = targetScale
            self.controlCenter = controlCenter
            self.controlScale = controlScale
        }

        private enum CodingKeys: String, CodingKey { case spendScale, targetScale, controlCenter, controlScale }

        /// Decodes saved scaling; models saved before controls were standardised have no centres
        /// and scales (their controls were used as given).
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            spendScale = try c.decode([Double].self, forKey: .spendScale)
            targetScale = try c.decode(Double.self, forKey: .targetScale)
            controlCenter = try c.decodeIfPresent([Double].self, forKey: .controlCenter) ?? []
            controlScale = try c.decodeIfPresent([Double].self, forKey: .controlScale) ?? []
        }

        /// Control k's column as the model uses it (see `controlCenter`).
        public func standardizedControl(_ k: Int, _ values: [Double]) -> [Double] {
            guard k < controlScale.count else { return values }
            let m = controlCenter[k], sd = controlScale[k]
            return values.map { ($0 - m) / sd }
        }

        /// Control k's coefficient γ (on the model's scales) in target units per unit of the control.
        public func controlEffectPerUnit(_ k: Int, gamma: Double) -> Double {
            gamma * targetScale / (k < controlScale.count ? controlScale[k] : 1)
        }

        /// The centre and scale control `values` are standardised with: (0, 1) for a column of
        /// 0s and 1s or a constant one, else the mean and (population) standard deviation.
        public static func controlStandardization(_ values: [Double]) -> (center: Double, scale: Double) {
            guard !values.isEmpty, !values.allSatisfy({ $0 == 0 || $0 == 1 }) else { return (0, 1) }
            let n = Double(values.count)
            let mean = values.reduce(0, +) / n
            let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
            return sd > 0 && sd.isFinite ? (mean, sd) : (0, 1)
        }
    }

    /// The default prior on a channel's ROAS under `model.default_priors: roas`: Google Meridian's
    /// default ROI prior, LogNormal(0.2, 0.9) — median 1.2, 94 % between 0.22 and 6.6.
    public static let defaultROASPrior = PriorSpec(.logNormal, ["mu": 0.2, "sigma": 0.9])

    /// The prior on channel `c`'s ROAS over the training rows (target units per currency unit),
    /// when the model has one: its `roi_prior`, or the default ROAS prior of
    /// `default_priors: roas`. Nil when β has its own prior (the ROAS prior is then implied by
    /// β's and the shape's priors, not a closed form) or under a `lift_roi_prior`.
    public func roasPrior(channel c: Int) -> Prior? {
        calibration.roiPriors.first { $0.channel == c }?.prior
    }

    /// True when channel `c`'s ROAS prior is the default of `default_priors: roas` rather than
    /// one the config set.
    public func hasDefaultROASPrior(channel c: Int) -> Bool {
        calibration.roiPriors.contains { $0.channel == c && $0.isDefault }
    }

    /// The prior keys a config may override, and which parameters they apply to.
    public static let priorKeys = ConfigLoader.priorParameterNames

    /// Lays out the model for `dataset` under `model` settings, calibrated by `liftTests` (in
    /// original units) and the channels' ROI priors; errors name the config key at fault.
    public init(dataset: Dataset, model: MixPlanConfig.ModelSection, liftTests: [LiftTest] = [],
                configPath: String = "mixplan.yaml") throws {
        let T = dataset.periodCount
        guard T >= 2 else { throw InputError(InputLocation(file: dataset.source), "needs at least 2 periods to fit, got \(T)") }
        try ModelStructure.checkPriorKeys(model, configPath: configPath)

        var params: [Parameter] = []
        func add(_ name: String, _ spec: PriorSpec, key: String) throws {
            do { params.append(Parameter(name: name, prior: try Prior(spec))) } catch let e as PriorError {
                throw InputError(InputLocation(file: configPath, key: key), e.description)
            }
        }
        interceptIndex = 0
        try add("intercept", model.priors["intercept"] ?? PriorSpec(.normal, ["mu": 0, "sigma": 2]), key: "model.priors.intercept")

        var layouts: [ChannelLayout] = []
        for name in dataset.channelNames {
            let adstock = Adstock(kind: model.adstock(for: name), maxLag: model.adstockMaxLag)
            let saturation = Saturation(kind: model.saturation(for: name))
            let adstockOffset = params.count
            for prior in model.adstockPriors(channel: name) { try add(prior.name, prior.spec, key: prior.key) }
            let saturationOffset = params.count
            for prior in model.saturationPriors(channel: name, defaults: model.priorDefaults) { try add(prior.name, prior.spec, key: prior.key) }
            layouts.append(ChannelLayout(name: name, adstock: adstock, saturation: saturation,
                                         adstockOffset: adstockOffset, saturationOffset: saturationOffset))
        }

        controlOffset = params.count
        controlNames = dataset.controlNames
        for name in dataset.controlNames {
            try add("gamma_control[\(name)]", model.priors["gamma_control"] ?? PriorSpec(.normal, ["mu": 0, "sigma": 2]), key: "model.priors.gamma_control")
        }
        fourierOffset = params.count
        fourierOrder = model.yearlySeasonality
        for kind in ["sin", "cos"] {
            for j in stride(from: 1, through: model.yearlySeasonality, by: 1) {
                try add("fourier_\(kind)[\(j)]", model.priors["gamma_fourier"] ?? PriorSpec(.laplace, ["mu": 0, "b": 1]), key: "model.priors.gamma_fourier")
            }
        }
        if model.trend {
            trendIndex = params.count
            try add("trend", model.priors["trend"] ?? PriorSpec(.normal, ["mu": 0, "sigma": 1]), key: "model.priors.trend")
        } else {
            trendIndex = nil
        }
        sigmaIndex = params.count
        try add("sigma", model.priors["sigma"] ?? PriorSpec(.halfNormal, ["sigma": 2]), key: "model.priors.sigma")
        likelihood = model.likelihood
        if model.likelihood == .studentT {
            nuIndex = params.count
            try add("nu", model.priors["nu"] ?? PriorSpec(.gamma, ["alpha": 2, "beta": 0.1]), key: "model.priors.nu")
        } else {
            nuIndex = nil
        }
        timeVarying = try TimeVaryingLayout.build(model.timeVarying, periods: T, parameters: &params, configPath: configPath)
        parameters = params

        // Scaled data.
        periodCount = T
        var spendScale: [Double] = []
        var xs = [Double](repeating: 0, count: dataset.channelCount * T)
        for (c, series) in dataset.spend.enumerated() {
            let m = series.max() ?? 0
            guard m > 0 else {
                throw InputError(InputLocation(file: dataset.source, column: dataset.channelNames[c]),
                                 "channel spend is zero in every training period, so its effect cannot be estimated.")
            }
            spendScale.append(m)
            for t in 0..<T { xs[c * T + t] = series[t] / m }
        }
        let yMax = dataset.target.max() ?? 0
        guard yMax > 0 else {
            throw InputError(InputLocation(file: dataset.source, column: dataset.targetName), "the target's maximum must be positive to scale it.")
        }
        for c in layouts.indices {
            let beta = params[layouts[c].saturationOffset + layouts[c].saturation.parameterCount - 1]
            if case .lowerBounded(0) = beta.prior.support {
                layouts[c].effectReference = xs[(c * T)..<((c + 1) * T)].reduce(0, +) / Double(T)
            }
        }
        let standardization = dataset.controls.map(Scaling.controlStandardization)
        let scaling = Scaling(spendScale: spendScale, targetScale: yMax,
                              controlCenter: standardization.map(\.center), controlScale: standardization.map(\.scale))
        // Spend-aware defaults: a ROAS prior on every channel whose effect size has no prior of its own.
        var calibrated = model
        var defaulted: Set<String> = []
        if model.priorDefaults == .roas {
            for name in dataset.channelNames {
                let settings = model.channels[name]
                guard settings?.roiPrior == nil, settings?.liftROIPrior == nil,
                      model.prior("saturation_beta", channel: name) == nil else { continue }
                calibrated.channels[name, default: MixPlanConfig.ChannelSettings()].roiPrior = Self.defaultROASPrior
                defaulted.insert(name)
            }
        }
        var calibration = try CalibrationLayout(tests: liftTests, model: calibrated, channelNames: dataset.channelNames,
                                                spend: dataset.spend, scaling: scaling, configPath: configPath)
        for i in calibration.roiPriors.indices where defaulted.contains(dataset.channelNames[calibration.roiPriors[i].channel]) {
            calibration.roiPriors[i].isDefault = true
        }
        for c in layouts.indices where layouts[c].effectReference != nil {
            if let (low, high) = calibration.testedInterval(channel: c) {
                layouts[c].effectReference = high
                layouts[c].effectReferenceStart = low
            }
        }
        channels = layouts
        self.scaling = scaling
        scaledSpend = xs
        scaledTarget = dataset.target.map { $0 / yMax }
        controls = dataset.controls.enumerated().flatMap { scaling.standardizedControl($0, $1) }
        fourier = ModelStructure.fourierBasis(dates: dataset.dates, order: model.yearlySeasonality)
        trend = (1...T).map { Double($0) / Double(T) }
        self.calibration = calibration
    }

    /// Fourier columns sin(2πj·d/365.25) for j = 1…n, then cos, with d the day of the year.
    public static func fourierBasis(dates: [CalendarDate], order: Int) -> [Double] {
        let T = dates.count
        guard order > 0 else { return [] }
        var basis = [Double](repeating: 0, count: 2 * order * T)
        for (t, date) in dates.enumerated() {
            let phase = 2 * Double.pi * Double(date.dayOfYear) / 365.25
            for j in 1...order {
                basis[(j - 1) * T + t] = sin(Double(j) * phase)
                basis[(order + j - 1) * T + t] = cos(Double(j) * phase)
            }
        }
        return basis
    }

    private static func checkPriorKeys(_ model: MixPlanConfig.ModelSection, configPath: String) throws {
        func check(_ key: String, path: String) throws {
            guard !priorKeys.contains(key) else { return }
            let best = priorKeys.min { NameSuggestion.editDistance($0, key) < NameSuggestion.editDistance($1, key) } ?? ""
            throw InputError(InputLocation(file: configPath, key: path),
                             "\"\(key)\" is not a model parameter with a prior.",
                             hint: "Did you mean \"\(best)\"? Known: \(priorKeys.joined(separator: ", ")).")
        }
        for key in model.priors.keys.sorted() { try check(key, path: "model.priors.\(key)") }
        for (channel, settings) in model.channels.sorted(by: { $0.key < $1.key }) {
            for key in settings.priors.keys.sorted() { try check(key, path: "model.channels.\(channel).priors.\(key)") }
        }
    }
}
