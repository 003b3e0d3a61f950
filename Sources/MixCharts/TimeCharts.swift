import Foundation
import MixData

/// Colour of the net line (sum of all components) on the contributions chart.
public let netContributionColor = Palette.ink

/// Contributions over time as a stacked area: baseline, trend, controls, seasonality, then each
/// channel in its own colour. Positive parts stack up from zero and negative parts down from
/// zero (see `Axes.stackedArea`), and a line shows the net — the model's fitted mean.
public func contributionsChart(_ s: ContributionSeries, size: ChartSize = ChartSize(), title: String = "Contributions over time",
                               subtitle: String? = "Posterior-mean contribution of each component, stacked; negative parts stack below zero · line: net (fitted mean)",
                               yLabel: String = "Contribution per period") throws -> RenderedChart {
    var arrays = [("dates", s.dates.count), ("baseline", s.baseline.count), ("controls", s.controls.count), ("seasonality", s.seasonality.count)]
    if !s.trend.isEmpty { arrays.append(("trend", s.trend.count)) }
    arrays += s.channels.map { ($0.channel, $0.values.count) }
    try requireAligned("contributions", arrays)
    // Components that are zero throughout (no controls, no seasonality) are left out of layers and legend.
    var layers = [s.baseline], colors = [Palette.baseline], names = ["Baseline"]
    for (values, color, name) in [(s.trend, Palette.trend, "Trend"), (s.controls, Palette.controls, "Controls"), (s.seasonality, Palette.seasonality, "Seasonality")]
    where values.contains(where: { $0 != 0 }) {
        layers.append(values); colors.append(color); names.append(name)
    }
    layers += s.channels.map(\.values); colors += s.channels.map { Palette.channel($0.channelIndex) }; names += s.channels.map(\.channel)
    var legend = zip(names, colors).map { Canvas.LegendItem($0.0, $0.1) }
    legend.append(Canvas.LegendItem("Net", netContributionColor, .line))
    if s.holdoutStart != nil { legend.append(Canvas.LegendItem("Holdout", holdoutColor, .band)) }
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let edges = Axes.stackEdges(layers)
    let lo = edges.last.map { $0.negative.lower.min() ?? 0 } ?? 0, hi = edges.last.map { $0.positive.upper.max() ?? 0 } ?? 0
    let (ylo, yhi) = niceDomain(lo: min(lo, 0), hi: max(hi, 0))
    let xs = s.dates.map { Double($0.dayNumber) }
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.time(lo: xs.first!, hi: xs.last!), gridlines: false),
                  y: AxisSpec(.linear(lo: ylo, hi: yhi, format: .compact), label: yLabel))
    let holdout = s.holdoutStart.map { Double($0.dayNumber) - periodStep(xs) / 2 }
    if let h = holdout { ax.shadeX(lo: h, hi: ax.xDomain.1, color: holdoutColor) }
    ax.stackedArea(xs: xs, layers: layers, colors: colors)
    if ylo < 0 { ax.referenceLine(0, vertical: false, color: Palette.subtle, dash: [], width: 1) }
    let net = xs.indices.map { i in layers.reduce(0) { $0 + $1[i] } }
    ax.line(xs: xs, ys: net, color: netContributionColor, width: 1.4)
    if let h = holdout { holdoutMarker(ax, start: h) }
    return RenderedChart(canvas: canvas, panels: [ax])
}

/// Colour of the fitted band in the actual-vs-fitted chart.
public let fitBandColor = RGBA(hex: 0x0072B2).withAlpha(0.22).overWhite()
/// Colour of the holdout shading.
public let holdoutColor = RGBA(hex: 0xFBEBD3)

/// Observed target (dots) against the fitted mean with its predictive band; the holdout period
/// is shaded. The time axis reaches half a period beyond the first and last dates, so the end
/// points are drawn whole.
public func actualVsFittedChart(_ s: FitSeries, size: ChartSize = ChartSize(), title: String = "Actual vs fitted",
                                subtitle: String? = "Posterior-mean fit with 94 % interval; the shaded period was held out of fitting",
                                bandLabel: String = "94 % interval", yLabel: String = "Target") throws -> RenderedChart {
    try requireAligned("actual vs fitted", [("dates", s.dates.count), ("actual", s.actual.count), ("fitted", s.fitted.count),
                                            ("lower94", s.lower94.count), ("upper94", s.upper94.count)])
    var legend = [Canvas.LegendItem("Actual", Palette.ink, .dot), Canvas.LegendItem("Fitted mean", Palette.channel(0), .line),
                  Canvas.LegendItem(bandLabel, fitBandColor, .band)]
    if s.holdoutStart != nil { legend.append(Canvas.LegendItem("Holdout", holdoutColor, .band)) }
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let xs = s.dates.map { Double($0.dayNumber) }
    let step = periodStep(xs)
    let (ylo, yhi) = niceDomain(lo: extent([s.lower94, s.actual]).0, hi: extent([s.upper94, s.actual]).1)
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.time(lo: xs.first! - step / 2, hi: xs.last! + step / 2)),
                  y: AxisSpec(.linear(lo: ylo, hi: yhi, format: .compact), label: yLabel))
    let holdout = s.holdoutStart.map { Double($0.dayNumber) - step / 2 }
    if let h = holdout { ax.shadeX(lo: h, hi: ax.xDomain.1, color: holdoutColor) }
    ax.band(xs: xs, lower: s.lower94, upper: s.upper94, color: fitBandColor)
    ax.line(xs: xs, ys: s.fitted, color: Palette.channel(0), width: 1.8)
    ax.scatter(xs: xs, ys: s.actual, color: Palette.ink, r: size.width < 700 ? 1.6 : 2.1)
    if let h = holdout { holdoutMarker(ax, start: h) }
    return RenderedChart(canvas: canvas, panels: [ax])
}

/// Spacing of a regular date axis in days (7 for weekly data; 1 for a single date).
func periodStep(_ xs: [Double]) -> Double { xs.count > 1 ? (xs[xs.count - 1] - xs[0]) / Double(xs.count - 1) : 1 }

/// Marks the start of the holdout (day `start`) with a dashed line and a label on a white backing.
func holdoutMarker(_ ax: Axes, start: Double) {
    ax.referenceLine(start, vertical: true, color: RGBA(hex: 0xC98A2E), dash: [4, 3], width: 1.2)
    let m = ax.canvas.measure("Holdout", size: 10.5, bold: true)
    let lx = min(ax.px(start) + 4, ax.frame.maxX - m.width - 2)
    let c = ax.canvas.context
    c.setColor(RGBA(1, 1, 1, 0.75)); c.rectangle(lx - 2, ax.frame.y + 2, m.width + 4, m.height + 2); c.fill()
    ax.canvas.text("Holdout", x: lx, top: ax.frame.y + 3, size: 10.5, color: RGBA(hex: 0x9A6418), bold: true)
}
