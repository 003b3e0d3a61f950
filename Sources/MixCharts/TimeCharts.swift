import Foundation
import MixData

/// Contributions over time as a stacked area: baseline, controls, seasonality, then each
/// channel in its own colour.
public func contributionsChart(_ s: ContributionSeries, size: ChartSize = ChartSize(), title: String = "Contributions over time",
                               subtitle: String? = "Posterior-mean contribution of each component to the target, stacked") throws -> RenderedChart {
    var arrays = [("dates", s.dates.count), ("baseline", s.baseline.count), ("controls", s.controls.count), ("seasonality", s.seasonality.count)]
    arrays += s.channels.map { ($0.channel, $0.values.count) }
    try requireAligned("contributions", arrays)
    let layers = [s.baseline, s.controls, s.seasonality] + s.channels.map(\.values)
    let colors = [Palette.baseline, Palette.controls, Palette.seasonality] + s.channels.map { Palette.channel($0.channelIndex) }
    let names = ["Baseline", "Controls", "Seasonality"] + s.channels.map(\.channel)
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle,
                                          legend: zip(names, colors).map { Canvas.LegendItem($0.0, $0.1) })
    // Extent of every partial sum, so negative layers (seasonality) stay in view.
    var lo = 0.0, hi = 0.0
    for i in s.dates.indices {
        var acc = 0.0
        for l in layers { acc += l[i]; lo = min(lo, acc); hi = max(hi, acc) }
    }
    let (ylo, yhi) = niceDomain(lo: lo, hi: hi)
    let xs = s.dates.map { Double($0.dayNumber) }
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.time(lo: xs.first!, hi: xs.last!), gridlines: false),
                  y: AxisSpec(.linear(lo: ylo, hi: yhi, format: .compact), label: "Contribution"))
    ax.stackedArea(xs: xs, layers: layers, colors: colors)
    return RenderedChart(canvas: canvas, panels: [ax])
}

/// Colour of the fitted 94 % band in the actual-vs-fitted chart.
public let fitBandColor = RGBA(hex: 0x0072B2).withAlpha(0.22).overWhite()
/// Colour of the holdout shading.
public let holdoutColor = RGBA(hex: 0xFBEBD3)

/// Observed target (dots) against the fitted mean with its 94 % band; the holdout period is shaded.
public func actualVsFittedChart(_ s: FitSeries, size: ChartSize = ChartSize(), title: String = "Actual vs fitted",
                                subtitle: String? = "Posterior-mean fit with 94 % interval; the shaded period was held out of fitting") throws -> RenderedChart {
    try requireAligned("actual vs fitted", [("dates", s.dates.count), ("actual", s.actual.count), ("fitted", s.fitted.count),
                                            ("lower94", s.lower94.count), ("upper94", s.upper94.count)])
    var legend = [Canvas.LegendItem("Actual", Palette.ink, .dot), Canvas.LegendItem("Fitted mean", Palette.channel(0), .line),
                  Canvas.LegendItem("94 % interval", fitBandColor, .band)]
    if s.holdoutStart != nil { legend.append(Canvas.LegendItem("Holdout", holdoutColor, .band)) }
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let xs = s.dates.map { Double($0.dayNumber) }
    let (ylo, yhi) = niceDomain(lo: extent([s.lower94, s.actual]).0, hi: extent([s.upper94, s.actual]).1)
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.time(lo: xs.first!, hi: xs.last!)),
                  y: AxisSpec(.linear(lo: ylo, hi: yhi, format: .compact), label: "Target"))
    if let h = s.holdoutStart {
        let step = xs.count > 1 ? xs[1] - xs[0] : 7
        ax.shadeX(lo: Double(h.dayNumber) - step / 2, hi: xs.last! + step, color: holdoutColor)
        ax.referenceLine(Double(h.dayNumber) - step / 2, vertical: true, color: RGBA(hex: 0xC98A2E), dash: [4, 3], width: 1.2)
        let m = canvas.measure("Holdout", size: 10.5)
        let lx = min(ax.px(Double(h.dayNumber)) + 4, ax.frame.maxX - m.width - 2)
        canvas.text("Holdout", x: lx, top: ax.frame.y + 3, size: 10.5, color: RGBA(hex: 0x9A6418), bold: true)
    }
    ax.band(xs: xs, lower: s.lower94, upper: s.upper94, color: fitBandColor)
    ax.line(xs: xs, ys: s.fitted, color: Palette.channel(0), width: 1.8)
    ax.scatter(xs: xs, ys: s.actual, color: Palette.ink, r: size.width < 700 ? 1.6 : 2.1)
    return RenderedChart(canvas: canvas, panels: [ax])
}
