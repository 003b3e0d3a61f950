import Foundation
import MixData

/// One channel's share of media spend and of the media effect (posterior mean and interval).
public struct ShareRow: Sendable {
    public var channel: String, channelIndex: Int
    public var spendShare: Double
    public var effectShare: Double, effectLower: Double, effectUpper: Double
    public init(channel: String, channelIndex: Int, spendShare: Double, effectShare: Double, effectLower: Double, effectUpper: Double) {
        self.channel = channel; self.channelIndex = channelIndex; self.spendShare = spendShare
        self.effectShare = effectShare; self.effectLower = effectLower; self.effectUpper = effectUpper
    }
}

/// Observed minus fitted target per period with the predictive band around zero; periods from
/// `holdoutStart` on were held out of the fit and are shaded.
public struct ResidualSeries: Sendable {
    public var dates: [CalendarDate], residual: [Double], lower: [Double], upper: [Double]
    public var holdoutStart: CalendarDate?
    public init(dates: [CalendarDate], residual: [Double], lower: [Double], upper: [Double], holdoutStart: CalendarDate?) {
        self.dates = dates; self.residual = residual; self.lower = lower; self.upper = upper; self.holdoutStart = holdoutStart
    }
}

/// Spend share (pale bar) against effect share (solid bar with its interval) per channel: a
/// channel whose effect share is above its spend share returns more than the average channel.
public func spendEffectShareChart(_ rows: [ShareRow], size: ChartSize = ChartSize(), title: String = ChartKind.spendEffectShare.title,
                                  subtitle: String? = "Share of media spend and of the media effect over the training period · effect share with its 94 % interval") throws -> RenderedChart {
    guard !rows.isEmpty else { throw ChartError.invalidInput(chart: "spend share vs effect share", reason: "no channels") }
    let legend = [Canvas.LegendItem("Share of spend", RGBA(hex: 0x999999).withAlpha(0.35).overWhite()),
                  Canvas.LegendItem("Share of effect (94 % interval)", RGBA(hex: 0x777777))]
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    // Headroom for the value label above the tallest bar or interval: the label (10 pt plus its
    // 3 pt gap, about 18 px with the axis' own margin) must fit inside the plot, not on the bar.
    let tallest = max(rows.map(\.spendShare).max()!, rows.map(\.effectUpper).max()!)
    let labelRoom = min(0.2, 18 / max(region.h - 40, 1))
    let hi = niceDomain(lo: 0, hi: tallest / (1 - labelRoom)).1
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.categories(rows.map(\.channel)), gridlines: false),
                  y: AxisSpec(.linear(lo: 0, hi: max(hi, 0.1), format: .percent), label: "Share of media total"))
    for (i, r) in rows.enumerated() {
        let color = Palette.channel(r.channelIndex)
        ax.bar(at: Double(i) - 0.19, width: 0.36, from: 0, to: r.spendShare, color: currentBarColor(channelIndex: r.channelIndex))
        ax.bar(at: Double(i) + 0.19, width: 0.36, from: 0, to: r.effectShare, color: color)
        ax.interval(at: Double(i) + 0.19, lo: r.effectLower, hi: r.effectUpper, color: Palette.ink, width: 1.4, horizontal: false)
        for (x, v) in [(Double(i) - 0.19, r.spendShare), (Double(i) + 0.19, r.effectShare)] {
            let label = NumberFormat.percent.format(v, step: 0.01)
            let m = canvas.measure(label, size: 10)
            let top = max(ax.frame.y + 1, ax.py(x == Double(i) + 0.19 ? max(v, r.effectUpper) : v) - m.height - 3)
            canvas.text(label, x: ax.px(x) - m.width / 2, top: top, size: 10, color: Palette.subtle)
        }
    }
    return RenderedChart(canvas: canvas, panels: [ax])
}

/// Residuals (observed − fitted mean) over time against the band the model expects them in
/// (its predictive interval minus the fitted mean); runs or a trend show what the model misses.
public func residualsChart(_ s: ResidualSeries, unit: String = "", size: ChartSize = ChartSize(), title: String = ChartKind.residuals.title,
                           subtitle: String? = "Observed minus fitted (posterior mean) · band: the 94 % predictive interval around the fit",
                           bandLabel: String = "94 % predictive interval") throws -> RenderedChart {
    try requireAligned("residuals", [("dates", s.dates.count), ("residual", s.residual.count), ("lower", s.lower.count), ("upper", s.upper.count)])
    var legend = [Canvas.LegendItem("Residual", Palette.ink, .dot), Canvas.LegendItem(bandLabel, fitBandColor, .band)]
    if s.holdoutStart != nil { legend.append(Canvas.LegendItem("Holdout", holdoutColor, .band)) }
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let xs = s.dates.map { Double($0.dayNumber) }
    let step = periodStep(xs)
    let (lo, hi) = extent([s.lower, s.upper, s.residual])
    let bound = max(abs(lo), abs(hi))
    let (ylo, yhi) = niceDomain(lo: -bound, hi: bound)
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.time(lo: xs.first! - step / 2, hi: xs.last! + step / 2)),
                  y: AxisSpec(.linear(lo: ylo, hi: yhi, format: .compact), label: unit.isEmpty ? "Residual" : "Residual (\(unit))"))
    let holdout = s.holdoutStart.map { Double($0.dayNumber) - step / 2 }
    if let h = holdout { ax.shadeX(lo: h, hi: ax.xDomain.1, color: holdoutColor) }
    ax.band(xs: xs, lower: s.lower, upper: s.upper, color: fitBandColor)
    ax.referenceLine(0, vertical: false, color: Palette.subtle, dash: [], width: 1)
    ax.line(xs: xs, ys: s.residual, color: Palette.ink.withAlpha(0.35), width: 0.8)
    ax.scatter(xs: xs, ys: s.residual, color: Palette.ink, r: size.width < 700 ? 1.6 : 2.1)
    if let h = holdout { holdoutMarker(ax, start: h) }
    return RenderedChart(canvas: canvas, panels: [ax])
}

/// ROAS per channel under the priors alone (grey, above) and the posterior (channel colour,
/// below), each with its interval: where the two coincide, the data said little. Channels
/// whose prior is not on ROAS (a lift-test prior) show the posterior only.
public func roasPriorPosteriorChart(prior: [ForestRow?], posterior: [ForestRow], size: ChartSize = ChartSize(),
                                    title: String = ChartKind.roasPriorPosterior.title,
                                    subtitle: String? = "Mean and 94 % interval · grey: priors alone · colour: after the data · dashed line: break-even") throws -> RenderedChart {
    guard !posterior.isEmpty, prior.count == posterior.count else {
        throw ChartError.invalidInput(chart: "ROAS prior vs posterior", reason: "expected one prior (or none) per posterior row")
    }
    let legend = [Canvas.LegendItem("Prior", Palette.subtle, .line), Canvas.LegendItem("Posterior (channel colour)", Palette.ink, .line)]
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let all = posterior + prior.compactMap { $0 }
    let (lo, hi) = niceDomain(lo: min(0, all.map(\.lower94).min()!), hi: max(1, all.map(\.upper94).max()!))
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.linear(lo: lo, hi: hi, format: .compact), label: "ROAS (target per unit of spend)"),
                  y: AxisSpec(.categories(posterior.map(\.label))))
    ax.referenceLine(1, vertical: true)
    for (i, post) in posterior.enumerated() {
        if let p = prior[i] {
            ax.interval(at: Double(i) - 0.17, lo: p.lower94, hi: p.upper94, color: Palette.subtle, width: 3, horizontal: true)
            ax.marker(x: p.mean, y: Double(i) - 0.17, color: Palette.subtle, r: 3.5)
        }
        let c = Palette.channel(post.channelIndex)
        ax.interval(at: Double(i) + 0.17, lo: post.lower94, hi: post.upper94, color: c, width: 3, horizontal: true)
        ax.marker(x: post.mean, y: Double(i) + 0.17, color: c, r: 4.5)
    }
    return RenderedChart(canvas: canvas, panels: [ax])
}
