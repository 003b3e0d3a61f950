import Foundation
import MixData
import MixInference

/// The time-varying parts of a fit per training period, with their intervals: the media
/// multiplier m[t] (mean 1 over training; the same summary `media-multiplier.png` draws) and the
/// intercept drift in target units. One value for every place that saves them — the model
/// folder's `time_varying.csv`, `summary.json` and the workbook's "Time-varying" sheet — so they
/// all show the chart's numbers.
public struct TimeVaryingTable: Sendable, Codable, Equatable {
    /// A posterior median with its equal-tailed interval.
    public struct Band: Sendable, Codable, Equatable {
        public var median: Double
        public var lower: Double
        public var upper: Double
    }

    /// One training period.
    public struct Row: Sendable, Codable, Equatable {
        /// YYYY-MM-DD.
        public var date: String
        /// m[t] (nil without `time_varying_media`).
        public var multiplier: Band?
        /// The intercept drift d[t] in target units (nil without `time_varying_intercept`).
        public var interceptDrift: Band?
    }

    /// Central mass of the intervals (the report's `interval_mass`).
    public var mass: Double
    /// The multiplier response curves and the optimiser plan with (mean over the last
    /// `planningPeriods` periods): posterior mean (nil without a media multiplier).
    public var planningMultiplier: Double?
    public var planningPeriods: Int
    public var rows: [Row]

    /// Draws summarised by default: the chart's (`ChartPack.multiplierSeries`) thinning.
    public static let defaultMaxDraws = 1000

    /// Nil for a model with neither time-varying part. `maxDraws` thins evenly as the chart does
    /// (0 keeps all), so with the defaults the multiplier is exactly the chart's.
    public init?(model: FittedModel, maxDraws: Int = defaultMaxDraws) {
        let s = model.structure
        guard s.timeVarying.media != nil || s.timeVarying.intercept != nil else { return nil }
        let mass = model.config.report.intervalMass
        let media = MultiplierSummary(model: model, mass: mass, maxDraws: maxDraws)
        let drift = Self.driftBands(model: model, mass: mass, maxDraws: maxDraws)
        let dates = model.dataset.dates.prefix(s.periodCount).map(\.description)
        rows = dates.enumerated().map { t, date in
            Row(date: date, multiplier: media.map { Band(median: $0.median[t], lower: $0.lower[t], upper: $0.upper[t]) },
                interceptDrift: drift?[t])
        }
        self.mass = mass
        planningMultiplier = media?.planning.mean
        planningPeriods = s.timeVarying.planningPeriods
    }

    /// The drift's bands in target units over the same thinned draws as `MultiplierSummary`.
    private static func driftBands(model: FittedModel, mass: Double, maxDraws: Int) -> [Band]? {
        let s = model.structure
        guard s.timeVarying.intercept != nil else { return nil }
        var columns = [[Double]](repeating: [], count: s.periodCount)
        for i in model.thinnedDrawIndices(maxDraws: maxDraws) {
            let d = s.interceptDrift(model.draw(i))
            for t in d.indices { columns[t].append(d[t] * s.scaling.targetScale) }
        }
        let tail = (1 - mass) / 2
        return columns.map { column in
            let sorted = column.sorted()
            return Band(median: Diagnostics.quantile(sorted: sorted, 0.5), lower: Diagnostics.quantile(sorted: sorted, tail),
                        upper: Diagnostics.quantile(sorted: sorted, 1 - tail))
        }
    }

    /// The CSV header: date, then median/lower/upper of each part the model has.
    public var csvHeader: [String] {
        var out = ["date"]
        if rows.first?.multiplier != nil { out += ["multiplier_median", "multiplier_lower", "multiplier_upper"] }
        if rows.first?.interceptDrift != nil { out += ["intercept_drift_median", "intercept_drift_lower", "intercept_drift_upper"] }
        return out
    }

    /// `time_varying.csv`: one row per training period, numbers as the shortest text that reads
    /// back to the same Double.
    public var csv: String {
        var out = CSVFormat.record(csvHeader) + "\n"
        for row in rows {
            var fields = [row.date]
            for band in [row.multiplier, row.interceptDrift].compactMap({ $0 }) {
                fields += [band.median, band.lower, band.upper].map(CSVFormat.number)
            }
            out += CSVFormat.record(fields) + "\n"
        }
        return out
    }
}
