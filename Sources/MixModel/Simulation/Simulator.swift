import Foundation

/// The files of one simulated dataset, as bytes ready to write.
public struct SimulationOutput: Sendable {
    /// `data.csv`: date, one spend column per channel, controls, target.
    public var dataCSV: String
    /// `truth.json`: true parameters on the model's scale, scaling constants, true contributions.
    public var truthJSON: String
    /// `mixplan.yaml`: a config pointing at `data.csv` with the truth's transform kinds.
    public var configYAML: String
    /// The same data as `dataCSV`, as a `Dataset` (values exactly as written).
    public var dataset: Dataset
    /// The model settings the truth was generated with (as in `configYAML`).
    public var model: MixPlanConfig.ModelSection
    /// `lift_tests.csv` when the preset has a spend cut (`configYAML` then calibrates with it).
    public var liftTestsCSV: String? = nil
    /// `mixplan-uncalibrated.yaml`: the same config without the lift tests, for the default-prior
    /// fit to compare against (only with `liftTestsCSV`).
    public var uncalibratedConfigYAML: String? = nil

    /// The names of the files `write(to:)` writes.
    public var fileNames: [String] {
        ["data.csv", "truth.json", "mixplan.yaml"]
            + (liftTestsCSV == nil ? [] : ["lift_tests.csv"]) + (uncalibratedConfigYAML == nil ? [] : ["mixplan-uncalibrated.yaml"])
    }

    /// Writes the files (`fileNames`) into `directory` (created if missing).
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(dataCSV.utf8).write(to: directory.appendingPathComponent("data.csv"))
        try Data(truthJSON.utf8).write(to: directory.appendingPathComponent("truth.json"))
        try Data(configYAML.utf8).write(to: directory.appendingPathComponent("mixplan.yaml"))
        if let csv = liftTestsCSV { try Data(csv.utf8).write(to: directory.appendingPathComponent("lift_tests.csv")) }
        if let yaml = uncalibratedConfigYAML {
            try Data(yaml.utf8).write(to: directory.appendingPathComponent("mixplan-uncalibrated.yaml"))
        }
    }
}

/// The contents of `truth.json`.
public struct SimulationTruth: Codable, Sendable, Equatable {
    public var preset: String
    public var seed: UInt64
    public var periods: Int
    public var adstock: String
    public var adstockMaxLag: Int
    public var saturation: String
    public var yearlySeasonality: Int
    public var trend: Bool
    /// max_t y[t] — the target scaling constant.
    public var targetMax: Double
    /// max_t x[t, c] per channel — the spend scaling constants.
    public var spendMax: [String: Double]
    /// True parameters on the model's (scaled) natural scale, named as the log density names them.
    public var parameters: [String: Double]
    /// True total contribution of each channel over all rows, in target units.
    public var contributions: [String: Double]
    /// Each channel's contribution as a share of the total target.
    public var contributionShare: [String: Double]
    /// The latent media multiplier m[t] per row, mean 1 (presets with a `mediaDrift` only).
    public var mediaMultiplier: [Double]? = nil
    /// The lift tests of the preset's spend cuts, with their true values (nil: no cut).
    public var liftTests: [SimulatedLiftTest]? = nil

    enum CodingKeys: String, CodingKey {
        case preset, seed, periods, adstock, saturation, trend, parameters, contributions
        case adstockMaxLag = "adstock_max_lag"
        case yearlySeasonality = "yearly_seasonality"
        case targetMax = "target_max"
        case spendMax = "spend_max"
        case contributionShare = "contribution_share"
        case mediaMultiplier = "media_multiplier"
        case liftTests = "lift_tests"
    }
}

/// Generates a dataset from the DESIGN.md §2 model with known parameters, deterministically
/// from a seed.
///
/// The preset's effects are written on a "raw" scale where the baseline is ≈ `intercept`; the
/// target in units is raw × `targetScale`. The model sees ỹ = y / max y, so its true linear
/// coefficients (intercept, saturation β, control γ, Fourier, trend, σ) are the raw ones times
/// k = targetScale / max y; adstock and saturation-shape parameters are unchanged because spend
/// enters as x̃ = x / max x exactly as in the model. Spend and controls are rounded to the
/// precision written to the CSV *before* the effects are computed, so the truth recomputes
/// exactly from the files.
public struct Simulator: Sendable {
    public var preset: SimulationPreset
    public var seed: UInt64

    public init(preset: SimulationPreset, seed: UInt64) { self.preset = preset; self.seed = seed }

    public var targetColumn: String { "sales" }

    public func run() -> SimulationOutput {
        var rng = SeededRandom(seed: seed)
        let p = preset
        let T = p.periods
        let dates = (0..<T).map { p.start.adding(days: $0 * p.stepDays) }
        let yearPhase = dates.map { 2 * Double.pi * Double($0.dayOfYear) / 365.25 }

        // Spend, rounded to cents. A channel with a spend cut runs a campaign in the cut window;
        // the data are the untouched market's, and the twin market cut the campaign's spend
        // (`cutSpend`, for the lift test).
        var spend: [[Double]] = []
        for ch in p.channels {
            var s = generateSpend(ch, yearPhase: yearPhase, earlier: spend, rng: &rng)
            if let cut = ch.cut { for t in cut.rows { s[t] *= cut.campaign } }
            spend.append(s.map { ($0 * 100).rounded() / 100 })
        }
        let cutSpend: [[Double]] = zip(p.channels, spend).map { ch, s in
            guard let cut = ch.cut else { return s }
            var out = s
            for t in cut.rows { out[t] = (s[t] * (1 - cut.fraction) * 100).rounded() / 100 }
            return out
        }
        let controls: [[Double]] = p.controls.map { generateControl($0, dates: dates, rng: &rng) }

        // Media effects on the raw scale, first with β = 1 (`unitMedia`), then times the raw β.
        let saturation = Saturation(kind: p.saturation)
        var unitMedia = [[Double]](), adstockedMedia = [[Double]]()
        for (c, ch) in p.channels.enumerated() {
            let xmax = spend[c].max()!
            let scaled = spend[c].map { $0 / xmax }
            let adstocked = Adstock.apply(weights: Adstock(kind: p.adstock, maxLag: p.maxLag).weights(ch.adstock), to: scaled)
            var unit = ch.saturation
            unit[unit.count - 1] = 1
            adstockedMedia.append(adstocked)
            unitMedia.append(adstocked.map { saturation.value($0, parameters: unit) })
        }
        // A preset's latent media multiplier m[t] scales every channel's effect.
        let drift = p.mediaDrift?.multiplier(periods: T)
        if let drift { unitMedia = unitMedia.map { zip($0, drift).map { $0 * $1 } } }
        var base = [Double](repeating: 0, count: T)
        for t in 0..<T {
            var mu = p.intercept
            for k in p.controls.indices { mu += p.controls[k].gamma * controls[k][t] }
            mu += seasonality(p.fourierSin, p.fourierCos, yearPhase[t])
            if let d = p.trend { mu += d * Double(t + 1) / Double(T) }
            base[t] = mu + p.sigma * rng.normal()
        }
        let givenBetas = p.channels.map { $0.saturation.last! }
        let rawScale = p.betaOnModelScale ? Self.modelScaleTarget(base: base, unitMedia: unitMedia, betas: givenBetas) : 1
        let rawBetas = givenBetas.map { $0 * rawScale }
        let rawParameters = p.channels.indices.map { c in Array(p.channels[c].saturation.dropLast()) + [rawBetas[c]] }
        let rawMedia = p.channels.indices.map { c in
            adstockedMedia[c].enumerated().map { t, a in saturation.value(a, parameters: rawParameters[c]) * (drift?[t] ?? 1) }
        }
        var y = [Double](repeating: 0, count: T)
        for t in 0..<T {
            var mu = base[t]
            for c in p.channels.indices { mu += rawMedia[c][t] }
            y[t] = (mu * p.targetScale * 100).rounded() / 100
        }
        let ymax = y.max()!
        let k = p.targetScale / ymax

        // The model standardises a non-0/1 control (ModelStructure.Scaling): its true coefficient
        // is per standard deviation, and its mean's effect moves into the intercept.
        let standardization = controls.map(ModelStructure.Scaling.controlStandardization)
        let shift = zip(p.controls, standardization).reduce(0) { $0 + $1.0.gamma * $1.1.center }
        var params: [String: Double] = ["intercept": (p.intercept + shift) * k, "sigma": p.sigma * k]
        var spendMax: [String: Double] = [:], contributions: [String: Double] = [:], share: [String: Double] = [:]
        let totalY = y.reduce(0, +)
        for (c, ch) in p.channels.enumerated() {
            for (name, v) in zip(Adstock(kind: p.adstock, maxLag: p.maxLag).parameterNames, ch.adstock) {
                params["\(ch.name).adstock_\(name)"] = v
            }
            for (name, v) in zip(Saturation(kind: p.saturation).parameterNames, ch.saturation) {
                params["\(ch.name).saturation_\(name)"] = name == "beta" ? rawBetas[c] * k : v
            }
            spendMax[ch.name] = spend[c].max()!
            let total = rawMedia[c].reduce(0, +) * p.targetScale
            contributions[ch.name] = total
            share[ch.name] = total / totalY
        }
        for (ctl, z) in zip(p.controls, standardization) { params["gamma_control[\(ctl.name)]"] = ctl.gamma * z.scale * k }
        for j in 0..<p.fourierOrder {
            params["fourier_sin[\(j + 1)]"] = p.fourierSin[j] * k
            params["fourier_cos[\(j + 1)]"] = p.fourierCos[j] * k
        }
        if let d = p.trend { params["trend"] = d * k }

        // Each spend cut's lift test: steady-state response f(s) = y-units · sat(s / max x) with
        // the raw parameters (see `SimulatedLiftTest` for the design).
        var liftTests: [SimulatedLiftTest] = []
        for (c, ch) in p.channels.enumerated() {
            guard let cut = ch.cut else { continue }
            let xmax = spend[c].max()!
            func f(_ s: Double) -> Double { saturation.value(s / xmax, parameters: rawParameters[c]) * p.targetScale }
            let n = Double(cut.periods)
            let x = cut.rows.reduce(0) { $0 + spend[c][$1] } / n
            let deltaX = cut.rows.reduce(0) { $0 + cutSpend[c][$1] - spend[c][$1] } / n
            let trueDeltaY = cut.rows.reduce(0) { $0 + f(cutSpend[c][$1]) - f(spend[c][$1]) } / n
            let sigma = cut.relativeError.map { $0 * abs(trueDeltaY) } ?? 2.0.squareRoot() * cut.marketSigma * p.targetScale / n.squareRoot()
            liftTests.append(SimulatedLiftTest(
                channel: ch.name, x: x, deltaX: deltaX, deltaY: trueDeltaY + sigma * rng.normal(), trueDeltaY: trueDeltaY,
                sigma: sigma, start: dates[cut.start], end: dates[cut.start + cut.periods - 1]))
        }

        let truth = SimulationTruth(
            preset: p.name, seed: seed, periods: T, adstock: p.adstock.rawValue, adstockMaxLag: p.maxLag,
            saturation: p.saturation.rawValue, yearlySeasonality: p.fourierOrder, trend: p.trend != nil,
            targetMax: ymax, spendMax: spendMax, parameters: params, contributions: contributions,
            contributionShare: share, mediaMultiplier: drift, liftTests: liftTests.isEmpty ? nil : liftTests)
        let encoder = MixJSON.encoder()
        let json = String(decoding: try! encoder.encode(truth), as: UTF8.self) + "\n"
        let dataset = Dataset(dates: dates, frequency: p.stepDays == 1 ? .daily : .weekly,
                              channelNames: p.channels.map(\.name), spend: spend,
                              controlNames: p.controls.map(\.name), controls: controls,
                              targetName: targetColumn, target: y, source: "data.csv")
        var model = MixPlanConfig.ModelSection()
        model.adstock = p.adstock
        model.saturation = p.saturation
        model.adstockMaxLag = p.maxLag
        model.yearlySeasonality = p.fourierOrder
        model.trend = p.trend != nil
        if p.mediaDrift != nil {
            var tv = MixPlanConfig.TimeVarying()
            tv.media = true
            model.timeVarying = tv
        }
        return SimulationOutput(dataCSV: csv(dates, spend, controls, y), truthJSON: json,
                                configYAML: yaml(liftTests: liftTests.isEmpty ? nil : "lift_tests.csv"),
                                dataset: dataset, model: model,
                                liftTestsCSV: liftTests.isEmpty ? nil : SimulatedLiftTest.csv(liftTests),
                                uncalibratedConfigYAML: liftTests.isEmpty ? nil : yaml(liftTests: nil))
    }

    // MARK: - Generators

    /// `earlier`: the spend of the channels before `ch` (for `.correlated`).
    private func generateSpend(_ ch: SimulatedChannel, yearPhase: [Double], earlier: [[Double]], rng: inout SeededRandom) -> [Double] {
        let phase = rng.uniform(0, 2 * .pi)
        switch ch.pattern {
        // Week-to-week variation must be large enough for the channel's effect to be told apart
        // from the baseline: with only ±20 % around a steady level, intercept and ceiling β trade
        // off along a ridge and no sampler converges well (a real limit of such data, not ours).
        case .alwaysOn:
            return yearPhase.map { ch.spendLevel * (1 + 0.4 * sin($0 + phase)) * exp(0.45 * rng.normal()) }
        case .steady(let variation):
            return yearPhase.map { ch.spendLevel * (1 + 0.1 * sin($0 + phase)) * exp(variation * rng.normal()) }
        case .correlated(let other, let r):
            let source = earlier[preset.channels.firstIndex { $0.name == other }!]
            let n = Double(source.count)
            let mean = source.reduce(0, +) / n
            let sd = (source.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
            let q = (1 - r * r).squareRoot()
            return source.map { ch.spendLevel * max(0.05, 1 + 0.4 * (r * ($0 - mean) / sd + q * rng.normal())) }
        case .barelyMoving(let v):
            // sd of the wave v/√2, of the log-noise v/√2: CV ≈ v.
            return yearPhase.map { ch.spendLevel * (1 + v * sin($0 + phase)) * exp(v / 2.0.squareRoot() * rng.normal()) }
        case .demandFollowing:
            return yearPhase.map { ch.spendLevel * (1 + 0.35 * sin($0) + 0.15 * cos($0)) * exp(0.35 * rng.normal()) }
        case .flighted:
            var out = [Double](), on = true
            var remaining = rng.integer(2, 6)
            let stretch = preset.stepDays == 1 ? 7 : 1   // daily flights last weeks, not days
            for _ in yearPhase.indices {
                if remaining == 0 {
                    on.toggle()
                    remaining = (on ? rng.integer(2, 6) : rng.integer(2, 7)) * stretch
                }
                out.append(on ? ch.spendLevel * 2 * exp(0.25 * rng.normal()) : 0)
                remaining -= 1
            }
            return out
        }
    }

    private func generateControl(_ ctl: SimulatedControl, dates: [CalendarDate], rng: inout SeededRandom) -> [Double] {
        switch ctl.pattern {
        case .events(let rows):
            let set = Set(rows)
            return dates.indices.map { set.contains($0) ? 1 : 0 }
        case .holidays:
            // A period counts as holiday if it contains a day of the Black-Friday or Christmas week.
            return dates.map { d in
                (0..<preset.stepDays).contains { off in
                    let day = d.adding(days: off)
                    return (day.month == 11 && day.day >= 24 && day.day <= 30) || (day.month == 12 && day.day >= 20 && day.day <= 26)
                } ? 1 : 0
            }
        case .continuous:
            var v = 0.0
            return dates.map { _ in
                v = 0.8 * v + 0.6 * rng.normal()     // stationary sd = 0.6/√(1−0.64) = 1
                return (v * 10_000).rounded() / 10_000
            }
        case .level(let mean, let sd):
            var v = rng.normal()
            return dates.map { _ in
                v = 0.8 * v + 0.6 * rng.normal()
                return ((mean + sd * v) * 100).rounded() / 100
            }
        }
    }

    // MARK: - Formatting

    private func csv(_ dates: [CalendarDate], _ spend: [[Double]], _ controls: [[Double]], _ y: [Double]) -> String {
        var lines = [(["date"] + preset.channels.map(\.name) + preset.controls.map(\.name) + [targetColumn]).joined(separator: ",")]
        for t in dates.indices {
            var fields = [dates[t].description]
            for c in spend.indices { fields.append(String(format: "%.2f", spend[c][t])) }
            for (k, ctl) in preset.controls.enumerated() {
                switch ctl.pattern {
                case .continuous: fields.append(String(format: "%.4f", controls[k][t]))
                case .level: fields.append(String(format: "%.2f", controls[k][t]))
                default: fields.append(String(Int(controls[k][t])))
                }
            }
            fields.append(String(format: "%.2f", y[t]))
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The config; `liftTests` names the lift-test file it calibrates with (nil: none).
    private func yaml(liftTests: String?) -> String {
        let p = preset
        let calibration = liftTests.map { "calibration:\n  lift_tests: \($0)\n" } ?? ""
        var priors = p.configPriors.isEmpty ? "" : "\n  priors:" + p.configPriors.map { "\n    \($0.0): \"\($0.1)\"" }.joined()
        if !p.channelConfigPriors.isEmpty {
            priors += "\n  channels:"
            for channel in p.channels.map(\.name) {
                let entries = p.channelConfigPriors.filter { $0.channel == channel }
                guard !entries.isEmpty else { continue }
                priors += "\n    \(channel):\n      priors:" + entries.map { "\n        \($0.key): \"\($0.prior)\"" }.joined()
            }
        }
        return """
        # Generated by `mixplan simulate --preset \(p.name) --seed \(seed)`; truth in truth.json.
        data:
          file: data.csv
          date_column: date
          date_format: iso
          target: \(targetColumn)
          channels: [\(p.channels.map(\.name).joined(separator: ", "))]
          controls: [\(p.controls.map(\.name).joined(separator: ", "))]
        model:
          adstock: \(p.adstock.rawValue)
          adstock_max_lag: \(p.maxLag)
          saturation: \(p.saturation.rawValue)
          yearly_seasonality: \(p.fourierOrder)
          trend: \(p.trend != nil)
          likelihood: normal\(p.mediaDrift == nil ? "" : "\n  time_varying_media: true")\(priors)
        sampler:
          chains: 4
          warmup: 1000
          draws: \(p.keptDraws)
          seed: \(seed)
        \(calibration)
        """
    }
}

/// Σ_j sin[j]·sin(j·φ) + cos[j]·cos(j·φ), φ = 2π·day-of-year/365.25.
func seasonality(_ s: [Double], _ c: [Double], _ phase: Double) -> Double {
    var v = 0.0
    for j in s.indices {
        v += s[j] * sin(Double(j + 1) * phase) + c[j] * cos(Double(j + 1) * phase)
    }
    return v
}
