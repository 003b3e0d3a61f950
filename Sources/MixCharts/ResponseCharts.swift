import Foundation

/// Band colours of a channel: 94 % and 50 % intervals as opaque tints (so overlaps stay legible
/// and a pixel inside a band has exactly the band's colour).
public func bandColors(channelIndex: Int) -> (band94: RGBA, band50: RGBA) {
    let c = Palette.channel(channelIndex)
    return (c.withAlpha(0.18).overWhite(), c.withAlpha(0.40).overWhite())
}

/// Response curves as small multiples, one panel per channel, each with its 50 %/94 % bands,
/// the mean curve, the current (hollow) and optimal (filled) spend marked, and lift tests drawn
/// where a channel has them (see `drawLiftTests`).
public func responseCurvesChart(_ panels: [ResponseCurvePanel], currency: String = "$", size: ChartSize = ChartSize(),
                                title: String = "Response curves",
                                subtitle: String? = "Expected incremental response by channel spend · bands: 50 % and 94 % credible intervals",
                                units: AxisUnits = AxisUnits()) throws -> RenderedChart {
    for p in panels {
        try requireAligned("response curve", [("spendGrid", p.spendGrid.count), ("mean", p.mean.count), ("lower50", p.lower50.count),
                                             ("upper50", p.upper50.count), ("lower94", p.lower94.count), ("upper94", p.upper94.count)])
    }
    var legend = [Canvas.LegendItem("Mean response", Palette.ink, .line), Canvas.LegendItem("50 % interval", RGBA(hex: 0x999999).withAlpha(0.4).overWhite(), .band),
                  Canvas.LegendItem("94 % interval", RGBA(hex: 0x999999).withAlpha(0.18).overWhite(), .band),
                  Canvas.LegendItem("Current spend", Palette.ink, .ring)]
    if panels.contains(where: { $0.optimalSpend != nil }) { legend.append(Canvas.LegendItem("Optimal spend (channel colour)", Palette.subtle, .dot)) }
    if panels.contains(where: { p in p.observedMaxSpend.map { $0 < (p.spendGrid.last ?? 0) } ?? false }) {
        legend.append(Canvas.LegendItem("Beyond the largest observed spend", Palette.ink, .dashedLine))
    }
    if panels.contains(where: { !$0.liftTests.isEmpty }) { legend.append(Canvas.LegendItem("Lift test: measured change ± 1 σ from the curve", Palette.ink, .dashedLine)) }
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let cols = panels.count <= 2 ? panels.count : panels.count <= 4 ? 2 : 3
    let rects = panelGrid(region: region, count: panels.count, columns: cols, gap: 16)
    var axes: [Axes] = []
    for (p, r) in zip(panels, rects) {
        // Lift tests widen the axes so their end points and error bars stay in view.
        let testYs = p.liftTests.flatMap { [$0.anchor, $0.end.y - $0.standardError, $0.end.y + $0.standardError] }
        let testXs = p.liftTests.flatMap { [$0.spend, $0.end.x] }
        let (ylo, yhi) = niceDomain(lo: min(0, extent([p.lower94, testYs]).0), hi: extent([p.upper94, testYs]).1)
        let xhi = niceDomain(lo: 0, hi: max(p.spendGrid.last ?? 1, p.currentSpend, p.optimalSpend ?? 0, testXs.max() ?? 0)).1
        let ax = Axes(canvas: canvas, region: r, x: AxisSpec(.linear(lo: 0, hi: xhi, format: .currency(currency)), label: units.spendLabel),
                      y: AxisSpec(.linear(lo: ylo, hi: yhi, format: .compact), label: units.responseLabel), title: p.title)
        let (b94, b50) = bandColors(channelIndex: p.channelIndex)
        let color = Palette.channel(p.channelIndex)
        ax.band(xs: p.spendGrid, lower: p.lower94, upper: p.upper94, color: b94)
        ax.band(xs: p.spendGrid, lower: p.lower50, upper: p.upper50, color: b50)
        meanCurve(ax, p, color: color, width: 2.2)
        drawLiftTests(ax, p.liftTests)
        let cy = interpolate(p.spendGrid, p.mean, at: p.currentSpend)
        ax.referenceLine(p.currentSpend, vertical: true, color: Palette.subtle, dash: [3, 3], width: 1)
        if let o = p.optimalSpend {
            ax.referenceLine(o, vertical: true, color: color, dash: [5, 3], width: 1.2)
            let oy = interpolate(p.spendGrid, p.mean, at: o)
            // Label the one further right on the right side so the two labels do not collide.
            ax.marker(x: p.currentSpend, y: cy, color: Palette.ink, label: nil, hollow: true)
            ax.marker(x: o, y: oy, color: color, label: nil)
            labelPair(ax, a: ("Current", p.currentSpend, cy, Palette.ink), b: ("Optimal", o, oy, color))
        } else {
            ax.marker(x: p.currentSpend, y: cy, color: Palette.ink, label: "Current", hollow: true)
        }
        axes.append(ax)
    }
    return RenderedChart(canvas: canvas, panels: axes)
}

/// The mean curve: solid over the observed spend, dashed beyond the largest observed spend.
func meanCurve(_ ax: Axes, _ p: ResponseCurvePanel, color: RGBA, width: Double) {
    let parts = splitCurve(p.spendGrid, p.mean, at: p.observedMaxSpend)
    ax.line(xs: parts.observed.xs, ys: parts.observed.ys, color: color, width: width)
    if parts.beyond.xs.count > 1 { ax.line(xs: parts.beyond.xs, ys: parts.beyond.ys, color: color, width: width, dash: [7, 4]) }
}

/// A curve cut at x = `limit` into the part up to it and the part beyond, both including the
/// interpolated point at `limit` so they join; all of it is "observed" when `limit` is nil or
/// beyond the grid.
public func splitCurve(_ xs: [Double], _ ys: [Double], at limit: Double?) -> (observed: (xs: [Double], ys: [Double]), beyond: (xs: [Double], ys: [Double])) {
    guard let limit, let last = xs.last, limit < last, limit >= (xs.first ?? 0) else { return ((xs, ys), ([], [])) }
    let cut = interpolate(xs, ys, at: limit)
    let k = xs.firstIndex { $0 > limit } ?? xs.count
    return ((Array(xs[..<k]) + [limit], Array(ys[..<k]) + [cut]), ([limit] + Array(xs[k...]), [cut] + Array(ys[k...])))
}

/// Labels two markers so the labels sit on opposite sides and never overlap.
func labelPair(_ ax: Axes, a: (String, Double, Double, RGBA), b: (String, Double, Double, RGBA)) {
    let (left, right) = a.1 <= b.1 ? (a, b) : (b, a)
    let size = 10.0
    let lm = ax.canvas.measure(left.0, size: size, bold: left.0 == "Optimal"), rm = ax.canvas.measure(right.0, size: size, bold: right.0 == "Optimal")
    var lx = ax.px(left.1) - 8 - lm.width
    var ly = ax.py(left.2) + 4
    if lx < ax.frame.x + 1 { lx = ax.px(left.1) + 8; ly = ax.py(left.2) + 6 }
    var rx = ax.px(right.1) + 8
    var ry = ax.py(right.2) - rm.height - 4
    if rx + rm.width > ax.frame.maxX { rx = ax.px(right.1) - 8 - rm.width }
    if ry < ax.frame.y { ry = ax.py(right.2) + 6 }
    ly = min(ly, ax.frame.maxY - lm.height - 1)
    // When both labels end up on the same side (markers near an edge), stack them: the right
    // one goes just above the left one.
    let lr = Rect(x: lx, y: ly, w: lm.width, h: lm.height)
    if lr.intersects(Rect(x: rx - 2, y: ry - 1, w: rm.width + 4, h: rm.height + 2)) { ry = lr.y - rm.height - 2 }
    // A translucent white backing keeps the labels legible over bands and gridlines.
    let c = ax.canvas.context
    c.setColor(RGBA(1, 1, 1, 0.8))
    c.rectangle(lx - 2, ly, lm.width + 4, lm.height); c.rectangle(rx - 2, max(ry, ax.frame.y + 1), rm.width + 4, rm.height); c.fill()
    ax.canvas.text(left.0, x: lx, top: ly, size: size, color: Palette.ink, bold: left.0 == "Optimal")
    ax.canvas.text(right.0, x: rx, top: max(ry, ax.frame.y + 1), size: size, color: Palette.ink, bold: right.0 == "Optimal")
}

/// All channels' mean response curves on one set of axes with their 50 % bands (translucent),
/// current spend as hollow and optimal spend as filled markers.
public func responseOverlayChart(_ panels: [ResponseCurvePanel], currency: String = "$", size: ChartSize = ChartSize(),
                                 title: String = "Response curves, all channels",
                                 subtitle: String? = "Mean response with 50 % interval · ○ current spend · ● optimal spend",
                                 units: AxisUnits = AxisUnits()) throws -> RenderedChart {
    let legend = panels.map { Canvas.LegendItem($0.channel, Palette.channel($0.channelIndex), .line) }
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let (ylo, yhi) = niceDomain(lo: min(0, extent(panels.map(\.lower50)).0), hi: extent(panels.map(\.upper50)).1)
    let xhi = niceDomain(lo: 0, hi: extent(panels.map(\.spendGrid)).1).1
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.linear(lo: 0, hi: xhi, format: .currency(currency)), label: units.spendLabel),
                  y: AxisSpec(.linear(lo: ylo, hi: yhi, format: .compact), label: "Incremental " + units.responseLabel.lowercased()))
    for p in panels { ax.band(xs: p.spendGrid, lower: p.lower50, upper: p.upper50, color: Palette.channel(p.channelIndex).withAlpha(0.15)) }
    for p in panels {
        let color = Palette.channel(p.channelIndex)
        meanCurve(ax, p, color: color, width: 2.2)
        ax.marker(x: p.currentSpend, y: interpolate(p.spendGrid, p.mean, at: p.currentSpend), color: color, hollow: true)
        if let o = p.optimalSpend { ax.marker(x: o, y: interpolate(p.spendGrid, p.mean, at: o), color: color) }
    }
    return RenderedChart(canvas: canvas, panels: [ax])
}

/// Adstock weights as bars over lag, one small panel per channel.
public func adstockChart(_ channels: [AdstockWeights], size: ChartSize = ChartSize(), title: String = "Adstock: carry-over weights",
                         subtitle: String? = "Share of a period's spend effect felt 0, 1, 2 … periods later · bar: posterior mean · whisker: credible interval") throws -> RenderedChart {
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: [])
    let cols = channels.count <= 3 ? channels.count : 3
    let rects = panelGrid(region: region, count: channels.count, columns: cols, gap: 16)
    let yhi = niceDomain(lo: 0, hi: extent(channels.map(\.weights) + channels.map(\.upper)).1).1
    var axes: [Axes] = []
    for (ch, r) in zip(channels, rects) {
        guard !ch.weights.isEmpty else { throw ChartError.invalidInput(chart: "adstock", reason: "\(ch.channel) has no weights") }
        let lags = ch.weights.indices.map { String($0) }
        let ax = Axes(canvas: canvas, region: r, x: AxisSpec(.categories(lags), label: "Lag (periods)", gridlines: false),
                      y: AxisSpec(.linear(lo: 0, hi: yhi, format: .percent), label: "Share of effect"), title: ch.channel)
        for (i, w) in ch.weights.enumerated() { ax.bar(at: Double(i), width: 0.72, from: 0, to: w, color: Palette.channel(ch.channelIndex)) }
        if ch.lower.count == ch.weights.count, ch.upper.count == ch.weights.count {
            for i in ch.weights.indices { ax.interval(at: Double(i), lo: ch.lower[i], hi: ch.upper[i], color: Palette.ink, width: 1.4, horizontal: false) }
        }
        axes.append(ax)
    }
    return RenderedChart(canvas: canvas, panels: axes)
}

/// Saturation curves of all channels in scaled units on one set of axes.
public func saturationChart(_ curves: [SaturationCurve], size: ChartSize = ChartSize(), title: String = "Saturation curves",
                            subtitle: String? = "Share of each channel's maximum response vs spend ÷ the channel's largest spend in the data (posterior mean)") throws -> RenderedChart {
    for c in curves { try requireAligned("saturation", [("x", c.x.count), ("y", c.y.count)]) }
    let legend = curves.map { Canvas.LegendItem($0.channel, Palette.channel($0.channelIndex), .line) }
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let xhi = niceDomain(lo: 0, hi: extent(curves.map(\.x)).1).1
    let yhi = max(1, niceDomain(lo: 0, hi: extent(curves.map(\.y)).1).1)
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.linear(lo: 0, hi: xhi, format: .compact), label: "Scaled spend"),
                  y: AxisSpec(.linear(lo: 0, hi: yhi, format: .percent), label: "Share of maximum response"))
    if xhi > 1 {
        // Scaled spend 1 is each channel's largest spend in the data: beyond it the curve is extrapolated.
        ax.referenceLine(1, vertical: true, color: Palette.subtle, dash: [4, 3], width: 1)
        let label = "Largest observed spend"
        let m = canvas.measure(label, size: 10)
        canvas.text(label, x: min(ax.px(1) + 5, ax.frame.maxX - m.width - 2), top: ax.frame.y + 4, size: 10, color: Palette.subtle)
    }
    for c in curves { ax.line(xs: c.x, ys: c.y, color: Palette.channel(c.channelIndex), width: 2.4) }
    return RenderedChart(canvas: canvas, panels: [ax])
}
