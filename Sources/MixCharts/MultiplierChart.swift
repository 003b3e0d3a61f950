import Foundation
import MixData
import MixModel

/// The latent media multiplier over the training periods: posterior median with its band, the
/// reference level 1 (the multiplier's mean over training, by construction), and the level the
/// response curves and optimiser plan with.
public struct MultiplierSeries: Sendable {
    public var dates: [CalendarDate]
    public var median: [Double], lower: [Double], upper: [Double]
    /// Posterior mean of the planning multiplier (mean over the last `planningPeriods` periods).
    public var planning: Double
    public var planningPeriods: Int
    public init(dates: [CalendarDate], median: [Double], lower: [Double], upper: [Double], planning: Double, planningPeriods: Int) {
        self.dates = dates; self.median = median; self.lower = lower; self.upper = upper
        self.planning = planning; self.planningPeriods = planningPeriods
    }
}

/// Media effectiveness over time: above 1 a unit of media works better than on average over the
/// training data, below 1 worse.
public func mediaMultiplierChart(_ s: MultiplierSeries, size: ChartSize = ChartSize(), title: String = "Media effectiveness over time",
                                 subtitle: String? = nil, bandLabel: String = "94 % interval") throws -> RenderedChart {
    try requireAligned("media multiplier", [("dates", s.dates.count), ("median", s.median.count), ("lower", s.lower.count), ("upper", s.upper.count)])
    let legend = [Canvas.LegendItem("Posterior median", Palette.channel(0), .line), Canvas.LegendItem(bandLabel, fitBandColor, .band),
                  Canvas.LegendItem("Planning level (last \(s.planningPeriods) periods)", Palette.negative, .dashedLine)]
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let xs = s.dates.map { Double($0.dayNumber) }
    let step = periodStep(xs)
    let (lo, hi) = extent([s.lower, s.upper, [1, s.planning]])
    let (ylo, yhi) = niceDomain(lo: min(lo, 1), hi: max(hi, 1))
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.time(lo: xs.first! - step / 2, hi: xs.last! + step / 2)),
                  y: AxisSpec(.linear(lo: ylo, hi: yhi, format: .fixed(2)), label: "Multiplier (training mean = 1)"))
    ax.band(xs: xs, lower: s.lower, upper: s.upper, color: fitBandColor)
    ax.referenceLine(1, vertical: false)
    let tail = Array(xs.suffix(s.planningPeriods))
    ax.line(xs: tail, ys: tail.map { _ in s.planning }, color: Palette.negative, width: 2, dash: [5, 3])
    ax.line(xs: xs, ys: s.median, color: Palette.channel(0), width: 1.8)
    return RenderedChart(canvas: canvas, panels: [ax])
}

extension ChartPack {
    /// The multiplier's posterior over the training dates (nil for a static model).
    public static func multiplierSeries(_ r: PlanningResults, maxDraws: Int = 1000) -> MultiplierSeries? {
        guard let m = MultiplierSummary(model: r.model, mass: r.model.config.report.intervalMass, maxDraws: maxDraws) else { return nil }
        return MultiplierSeries(dates: Array(r.model.dataset.dates.prefix(m.median.count)), median: m.median, lower: m.lower, upper: m.upper,
                                planning: m.planning.mean, planningPeriods: m.planningPeriods)
    }

    /// The multiplier chart's job, if the model has one.
    static func multiplierJob(_ r: PlanningResults, size: ChartSize) -> Job? {
        guard r.model.structure.timeVarying.media != nil else { return nil }
        let mass = Interval.percentLabel(r.model.config.report.intervalMass)
        return (.mediaMultiplier, {
            guard let series = multiplierSeries(r) else { throw ChartError.invalidInput(chart: "media multiplier", reason: "the model has no media multiplier") }
            return try mediaMultiplierChart(series, size: size, subtitle: "Shared multiplier on every channel's effect · median with \(mass) interval · "
                + String(format: "planning uses %.2f, its mean over the last %d periods", series.planning, series.planningPeriods),
                bandLabel: "\(mass) interval")
        })
    }
}
