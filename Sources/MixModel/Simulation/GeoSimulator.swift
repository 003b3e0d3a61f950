import Foundation
import MixData

/// A seeded geo panel with known truth (`mixplan simulate --preset geo-…`), drawn from the model
/// of `GeoStructure`: shared geometric adstock and logistic shape per channel, a ROAS per
/// geo × channel around the channel's mean (log R = μ_c + τ·ζ), per-capita baselines that vary by
/// geo, yearly seasonality and Normal noise.
///
/// What makes it a test of pooling: geo sizes span 50× (log-uniform populations); channels come
/// in four kinds by index — always on, flighted on/off (about 40 % of weeks dark), starting a third
/// of the way in, and active in only some geos (about half, never all, never none); small geos
/// are noisy per head, so their own data say little and the pooled estimate should help.
public struct GeoSimulationPreset: Sendable, Equatable {
    public var name: String
    public var geos: Int
    public var periods: Int
    public var channels: Int
    /// τ, the spread of log ROAS across geos (the same for every channel).
    public var roasSpread: Double
    /// Control columns (smooth per-geo series with shared effects); 0 for the smaller presets.
    public var controls: Int = 0

    public var summary: String {
        "\(geos) geos (populations 50× apart) × \(periods) weeks × \(channels) channels\(controls > 0 ? " × \(controls) controls" : ""): always-on, flighted, late-starting and geo-restricted channels; ROAS varies by geo (log sd \(roasSpread))"
    }

    public static let all = [
        GeoSimulationPreset(name: "geo-4x104", geos: 4, periods: 104, channels: 4, roasSpread: 0.3),
        GeoSimulationPreset(name: "geo-8x156", geos: 8, periods: 156, channels: 8, roasSpread: 0.3),
        // The issue's scale target: 50 geos × 4 years × 30 channels × 10 controls.
        GeoSimulationPreset(name: "geo-50x208", geos: 50, periods: 208, channels: 30, roasSpread: 0.3, controls: 10),
    ]

    public static func named(_ name: String) -> GeoSimulationPreset? { all.first { $0.name == name } }

    static let channelNames = ["tv", "search", "social", "display", "radio", "video", "print", "ooh", "podcast", "email"]
}

/// The simulated panel and its truth, as the files `simulate` writes.
public struct GeoSimulation: Sendable {
    /// The true figures written to `truth.json`.
    public struct Truth: Codable, Sendable, Equatable {
        public struct Cell: Codable, Sendable, Equatable {
            public var geo: String
            public var channel: String
            public var spend: Double
            /// Contribution over all periods (target units) and ROAS = contribution / spend (0 spend: absent).
            public var contribution: Double
            public var roas: Double?
        }
        public struct Channel: Codable, Sendable, Equatable {
            public var name: String
            public var adstockAlpha: Double
            public var logisticLambda: Double
            public var logROASMean: Double
            /// Σ_g contribution / Σ_g spend.
            public var nationalROAS: Double
        }
        public var preset: String
        public var seed: UInt64
        public var geos: [String]
        public var population: [Double]
        public var channels: [Channel]
        public var cells: [Cell]
        /// Per control, its effect on the target per standard deviation, per 1,000 people (absent without controls).
        public var controlEffects: [Double]?
    }

    public var preset: GeoSimulationPreset
    public var panel: GeoPanel
    public var truth: Truth

    public var fileNames: [String] { ["data.csv", "truth.json", "mixplan.yaml"] }

    /// Draws the panel for `preset` and `seed` (same inputs, same bytes).
    public init(preset: GeoSimulationPreset, seed: UInt64) {
        var rng = SeededRandom(seed: seed &* 0x9E37_79B9 &+ 0x6E0)
        let G = preset.geos, T = preset.periods, C = preset.channels, L = 8
        let names = (0..<C).map { GeoSimulationPreset.channelNames[$0 % 10] + ($0 >= 10 ? "\($0 / 10 + 1)" : "") }
        let geoNames = (0..<G).map { "geo\(String(format: "%02d", $0 + 1))" }
        let population = (0..<G).map { _ in exp(rng.uniform(log(2e5), log(1e7))).rounded() }.sorted(by: >)
        let start = CalendarDate(year: 2021, month: 1, day: 3)!.dayNumber
        let dates = (0..<T).map { CalendarDate(dayNumber: start + 7 * $0) }
        // Channel kinds by index: 0 always on, 1 flighted, 2 late start, 3 in some geos only.
        let perCapita = (0..<C).map { _ in rng.uniform(2, 6) }
        let alpha = (0..<C).map { _ in rng.uniform(0.1, 0.6) }
        let lambda = (0..<C).map { _ in rng.uniform(1, 4) }
        let logMean = (0..<C).map { _ in log(rng.uniform(0.8, 3)) }
        var restricted = (0..<G).map { _ in rng.uniform() < 0.5 }
        if restricted.allSatisfy({ $0 }) { restricted[G - 1] = false }
        if !restricted.contains(true) { restricted[0] = true }
        var spend = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: T), count: C), count: G)
        for g in 0..<G {
            for c in 0..<C {
                let kind = c % 4
                if kind == 3 && !restricted[g] { continue }
                for t in 0..<T {
                    if kind == 1 && rng.uniform() < 0.4 { continue }
                    if kind == 2 && t < T / 3 { continue }
                    let level = population[g] / 1000 * perCapita[c] * exp(0.4 * rng.normal())
                    spend[g][c][t] = (level * 100).rounded() / 100
                }
            }
        }
        // Controls, from their own stream so the presets without them keep their bytes: a smooth
        // AR(1) series per geo (mean 10, sd about 1) whose effect per sd is shared, ±3 per 1,000 people.
        var controlRNG = SeededRandom(seed: seed &* 0x51_7CC1 &+ 0xC0)
        let K = preset.controls
        let effects = (0..<K).map { _ in controlRNG.uniform(-3, 3) }
        let controls = (0..<G).map { _ in
            (0..<K).map { _ -> [Double] in
                var level = controlRNG.normal(), out: [Double] = []
                for _ in 0..<T {
                    level = 0.9 * level + 0.44 * controlRNG.normal()
                    out.append(((10 + level) * 1000).rounded() / 1000)
                }
                return out
            }
        }
        // Contributions from the model's own form (GeoStructure): per-size scaled spend, shared shape.
        let spendFactor = (0..<C).map { c in (0..<G).map { g in (spend[g][c].max() ?? 0) / population[g] }.max() ?? 1 }
        var target = (0..<G).map { _ in [Double](repeating: 0, count: T) }
        var cells: [Truth.Cell] = []
        var channelContribution = [Double](repeating: 0, count: C), channelSpend = channelContribution
        let adstock = Adstock(kind: .geometric, maxLag: L), saturation = Saturation(kind: .logistic)
        for g in 0..<G {
            for c in 0..<C {
                let total = spend[g][c].reduce(0, +)
                let z = rng.normal()
                guard total > 0 else {
                    cells.append(Truth.Cell(geo: geoNames[g], channel: names[c], spend: 0, contribution: 0, roas: nil))
                    continue
                }
                let roas = exp(logMean[c] + preset.roasSpread * z)
                let scaled = spend[g][c].map { $0 / (population[g] * spendFactor[c]) }
                let a = Adstock.apply(weights: adstock.weights([alpha[c]]), to: scaled)
                let h = a.map { saturation.value($0, parameters: [lambda[c], 1]) }
                let H = h.reduce(0, +)
                for t in 0..<T { target[g][t] += roas * total * h[t] / H }
                cells.append(Truth.Cell(geo: geoNames[g], channel: names[c], spend: total, contribution: roas * total, roas: roas))
                channelContribution[c] += roas * total
                channelSpend[c] += total
            }
            // Baseline per head ~100 a week (±15 % by geo), seasonality, and noise that is larger per
            // head in small geos (sd ∝ √population, as for counts): 3 % of the baseline in a geo of
            // 10 million, 21 % in one of 200,000.
            let base = population[g] / 1000 * 100 * exp(0.15 * rng.normal())
            let phase = rng.uniform(-0.5, 0.5)
            let noise = base * 0.03 * (1e7 / population[g]).squareRoot()
            for t in 0..<T {
                let season = 0.1 * sin(2 * Double.pi * Double(dates[t].dayOfYear) / 365.25 + phase)
                let control = (0..<K).reduce(0.0) { $0 + effects[$1] * (controls[g][$1][t] - 10) } * population[g] / 1000
                target[g][t] = max(0, (target[g][t] + base * (1 + season) + control + noise * rng.normal()) * 100).rounded() / 100
            }
        }
        let channels = (0..<C).map { c in
            Truth.Channel(name: names[c], adstockAlpha: alpha[c], logisticLambda: lambda[c], logROASMean: logMean[c],
                          nationalROAS: channelContribution[c] / channelSpend[c])
        }
        let datasets = (0..<G).map { g in
            Dataset(dates: dates, frequency: .weekly, channelNames: names, spend: spend[g], controlNames: (0..<K).map { "control\($0 + 1)" },
                    controls: controls[g],
                    targetName: "sales", target: target[g], source: "data.csv")
        }
        self.preset = preset
        panel = GeoPanel(geoNames: geoNames, geos: datasets, population: population)
        truth = Truth(preset: preset.name, seed: seed, geos: geoNames, population: population, channels: channels, cells: cells,
                      controlEffects: K > 0 ? effects : nil)
    }

    /// `data.csv`: date, geo, population, one spend column per channel, sales.
    public var dataCSV: String {
        let controlNames = panel.geos[0].controlNames
        var out = "date,geo,population," + (panel.channelNames + controlNames).joined(separator: ",") + ",sales\n"
        for (g, d) in panel.geos.enumerated() {
            for t in 0..<d.periodCount {
                out += "\(d.dates[t]),\(panel.geoNames[g]),\(Int(panel.population![g]))"
                for c in 0..<d.channelCount { out += "," + String(format: "%.2f", d.spend[c][t]) }
                for k in controlNames.indices { out += "," + String(format: "%.3f", d.controls[k][t]) }
                out += "," + String(format: "%.2f", d.target[t]) + "\n"
            }
        }
        return out
    }

    /// `mixplan.yaml`: the panel's columns and the model the truth was drawn from.
    public var configYAML: String {
        let controls = panel.geos[0].controlNames
        let controlsLine = controls.isEmpty ? "" : "\n  controls: [\(controls.joined(separator: ", "))]"
        return """
        # Simulated geo panel: mixplan simulate --preset \(preset.name) --seed \(truth.seed)
        data:
          file: data.csv
          date_column: date
          geo_column: geo
          population_column: population
          target: sales
          channels: [\(panel.channelNames.joined(separator: ", "))]\(controlsLine)
        model:
          adstock: geometric
          saturation: logistic
          yearly_seasonality: 1
          default_priors: roas

        """
    }

    public var truthJSON: String {
        let encoder = MixJSON.encoder()
        return String(decoding: try! encoder.encode(truth), as: UTF8.self) + "\n"
    }

    /// Writes `fileNames` into `directory` (created if missing).
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(dataCSV.utf8).write(to: directory.appendingPathComponent("data.csv"))
        try Data(truthJSON.utf8).write(to: directory.appendingPathComponent("truth.json"))
        try Data(configYAML.utf8).write(to: directory.appendingPathComponent("mixplan.yaml"))
    }
}
