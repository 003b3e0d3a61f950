import Foundation
import MixData

/// One geo × channel cell of the ROAS heat map: posterior mean and credible interval (nil: the
/// channel never spends in the geo).
public struct GeoROASCell: Sendable, Equatable {
    public var mean: Double, lower: Double, upper: Double
    public init(mean: Double, lower: Double, upper: Double) { self.mean = mean; self.lower = lower; self.upper = upper }
}

/// One geo's observed target against its fitted mean and band (small multiples).
public struct GeoFitPanel: Sendable {
    public var geo: String
    public var fit: FitSeries
    /// In-sample accuracy shown in the panel's title.
    public var r2: Double, mape: Double
    public init(geo: String, fit: FitSeries, r2: Double, mape: Double) { self.geo = geo; self.fit = fit; self.r2 = r2; self.mape = mape }
}

/// One geo's response curves, one per active channel (`ResponseCurvePanel` each), on shared axes.
public struct GeoResponsePanel: Sendable {
    public var geo: String
    public var curves: [ResponseCurvePanel]
    public init(geo: String, curves: [ResponseCurvePanel]) { self.geo = geo; self.curves = curves }
}

/// Fill of a heat-map cell for ROAS `r`: a diverging scale on log ROAS around break-even (1),
/// orange below and blue above, saturating at ×`span` either way, so equal ratios look equally far
/// from break-even. Palest (a faint tint, so the grid stays visible) at 1.
public func geoROASColor(_ r: Double, span: Double) -> RGBA {
    let t = r > 0 ? max(-1, min(1, log(r) / log(max(span, 1.0001)))) : -1
    let end = t >= 0 ? RGBA(hex: 0x0072B2) : RGBA(hex: 0xD55E00)
    return end.withAlpha(0.12 + 0.68 * abs(t)).overWhite()
}

/// Colour of a cell whose channel never spends in the geo.
public let geoInactiveColor = RGBA(hex: 0xEFEFEF)

/// ROAS per geo (rows) × channel (columns) as a heat map: each cell coloured by its posterior
/// mean on a diverging log scale around break-even, with the mean and its credible interval
/// written in the cell; cells where the channel never spends are grey and say so. A last row
/// gives the national ROAS (per-draw sums over geos) under a rule.
public func geoROASHeatMap(geos: [String], channels: [String], cells: [[GeoROASCell?]], national: [GeoROASCell],
                           size: ChartSize = ChartSize(), title: String = ChartKind.geoROAS.title,
                           subtitle: String? = "Posterior mean ROAS with its 94 % interval in each cell · colour: mean against break-even (1)") throws -> RenderedChart {
    guard !geos.isEmpty, !channels.isEmpty, cells.count == geos.count, cells.allSatisfy({ $0.count == channels.count }),
          national.count == channels.count else {
        throw ChartError.invalidInput(chart: "geo ROAS heat map", reason: "needs one row of \(channels.count) cells per geo and a national row")
    }
    let means = cells.flatMap { $0.compactMap { $0?.mean } } + national.map(\.mean)
    let span = max(2, means.filter { $0 > 0 }.map { max($0, 1 / $0) }.max() ?? 2)
    let legend = [Canvas.LegendItem("ROAS below 1 (loses money)", geoROASColor(1 / span, span: span)),
                  Canvas.LegendItem("ROAS above 1", geoROASColor(span, span: span)),
                  Canvas.LegendItem("No spend in this geo", geoInactiveColor)]
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let labelW = min(220, (geos + ["National"]).map { canvas.measure($0, size: 11.5, bold: true).width }.max()! + 16)
    let headerH = 24.0, gap = 8.0
    let rows = Double(geos.count + 1)
    let cellW = (region.w - labelW) / Double(channels.count)
    let cellH = max(20, min(58, (region.h - headerH - gap) / rows))
    let c = canvas.context
    for (j, name) in channels.enumerated() {
        let fit = canvas.fitting(name, width: cellW - 8, size: 11.5, minimumSize: 8, bold: true)
        canvas.text(fit.text, x: region.x + labelW + (Double(j) + 0.5) * cellW, top: region.y + 4, size: fit.size, anchor: .middle, bold: true)
    }
    func row(_ label: String, _ values: [GeoROASCell?], top: Double, bold: Bool) {
        let fit = canvas.fitting(label, width: labelW - 12, size: 11.5, minimumSize: 8, bold: bold)
        canvas.text(fit.text, x: region.x + labelW - 8, top: top + cellH / 2 - 7, size: fit.size, anchor: .end, bold: bold)
        for (j, v) in values.enumerated() {
            let x = region.x + labelW + Double(j) * cellW
            c.setColor(v.map { geoROASColor($0.mean, span: span) } ?? geoInactiveColor)
            c.rectangle(x + 1, top + 1, cellW - 2, cellH - 2); c.fill()
            guard let v else {
                canvas.text("no spend", x: x + cellW / 2, top: top + cellH / 2 - 7, size: 10.5, color: Palette.subtle, anchor: .middle)
                continue
            }
            let two = cellH >= 34
            let main = NumberFormat.fixed(2).format(v.mean)
            let band = "[\(NumberFormat.fixed(2).format(v.lower)), \(NumberFormat.fixed(2).format(v.upper))]"
            if two {
                canvas.text(main, x: x + cellW / 2, top: top + cellH / 2 - 16, size: 13, anchor: .middle, bold: true)
                let f = canvas.fitting(band, width: cellW - 8, size: 10.5, minimumSize: 7.5)
                canvas.text(f.text, x: x + cellW / 2, top: top + cellH / 2 + 2, size: f.size, color: Palette.ink, anchor: .middle)
            } else {
                let f = canvas.fitting(main + " " + band, width: cellW - 8, size: 10.5, minimumSize: 7.5)
                canvas.text(f.text, x: x + cellW / 2, top: top + cellH / 2 - 7, size: f.size, anchor: .middle)
            }
        }
    }
    var top = region.y + headerH
    for (g, name) in geos.enumerated() {
        row(name, cells[g], top: top, bold: false)
        top += cellH
    }
    c.setColor(Palette.ink); c.setLineWidth(1.2); c.setDash([])
    c.moveTo(region.x + 8, top + gap / 2); c.lineTo(region.maxX, top + gap / 2); c.stroke()
    row("National", national, top: top + gap, bold: true)
    return RenderedChart(canvas: canvas, panels: [])
}

/// Observed against fitted target for several geos as small multiples (each panel on its own
/// scale, titled with the geo and its in-sample R² and MAPE).
public func geoFitChart(_ panels: [GeoFitPanel], size: ChartSize = ChartSize(), title: String = ChartKind.geoFit.title,
                        subtitle: String? = "Posterior-mean fit with the 94 % interval of the mean",
                        bandLabel: String = "94 % interval of the fitted mean", yLabel: String? = nil) throws -> RenderedChart {
    guard !panels.isEmpty else { throw ChartError.invalidInput(chart: "geo fit", reason: "no geos") }
    for p in panels {
        try requireAligned("geo fit", [("dates", p.fit.dates.count), ("actual", p.fit.actual.count), ("fitted", p.fit.fitted.count),
                                       ("lower94", p.fit.lower94.count), ("upper94", p.fit.upper94.count)])
    }
    let legend = [Canvas.LegendItem("Actual", Palette.ink, .dot), Canvas.LegendItem("Fitted mean", Palette.channel(0), .line),
                  Canvas.LegendItem(bandLabel, fitBandColor, .band)]
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let cols = panels.count <= 2 ? panels.count : panels.count <= 4 ? 2 : 3
    var axes: [Axes] = []
    for (p, r) in zip(panels, panelGrid(region: region, count: panels.count, columns: cols, gap: 16)) {
        let xs = p.fit.dates.map { Double($0.dayNumber) }
        let step = periodStep(xs)
        let (ylo, yhi) = niceDomain(lo: extent([p.fit.lower94, p.fit.actual]).0, hi: extent([p.fit.upper94, p.fit.actual]).1)
        let name = String(format: "%@ · R² %.2f · MAPE %.1f %%", p.geo, p.r2, 100 * p.mape)
        let ax = Axes(canvas: canvas, region: r, x: AxisSpec(.time(lo: xs.first! - step / 2, hi: xs.last! + step / 2)),
                      y: AxisSpec(.linear(lo: ylo, hi: yhi, format: .compact), label: yLabel), title: name)
        ax.band(xs: xs, lower: p.fit.lower94, upper: p.fit.upper94, color: fitBandColor)
        ax.line(xs: xs, ys: p.fit.fitted, color: Palette.channel(0), width: 1.5)
        ax.scatter(xs: xs, ys: p.fit.actual, color: Palette.ink, r: 1.5)
        axes.append(ax)
    }
    return RenderedChart(canvas: canvas, panels: axes)
}

/// Response curves of several geos as small multiples: in each geo's panel, every active
/// channel's mean curve with its 50 % band, current spend marked (hollow), dashed beyond the
/// largest spend the cell had in the data.
public func geoResponseChart(_ panels: [GeoResponsePanel], currency: String = "", size: ChartSize = ChartSize(),
                             title: String = ChartKind.geoResponseCurves.title,
                             subtitle: String? = "Mean response per period at a steady spend, 50 % band · ○ current spend · dashed beyond the largest observed spend",
                             units: AxisUnits = AxisUnits()) throws -> RenderedChart {
    guard !panels.isEmpty else { throw ChartError.invalidInput(chart: "geo response curves", reason: "no geos") }
    var seen = Set<Int>()
    let channels = panels.flatMap(\.curves).filter { seen.insert($0.channelIndex).inserted }.sorted { $0.channelIndex < $1.channelIndex }
    let legend = channels.map { Canvas.LegendItem($0.channel, Palette.channel($0.channelIndex), .line) }
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let cols = panels.count <= 2 ? panels.count : panels.count <= 4 ? 2 : 3
    var axes: [Axes] = []
    for (p, r) in zip(panels, panelGrid(region: region, count: panels.count, columns: cols, gap: 18)) {
        for q in p.curves {
            try requireAligned("geo response curve", [("spendGrid", q.spendGrid.count), ("mean", q.mean.count),
                                                      ("lower50", q.lower50.count), ("upper50", q.upper50.count)])
        }
        let (ylo, yhi) = niceDomain(lo: 0, hi: max(extent(p.curves.map(\.upper50)).1, 1e-9))
        let xhi = niceDomain(lo: 0, hi: max(extent(p.curves.map(\.spendGrid)).1, 1e-9)).1
        let ax = Axes(canvas: canvas, region: r, x: AxisSpec(.linear(lo: 0, hi: xhi, format: currency.isEmpty ? .compact : .currency(currency)), label: units.spendLabel),
                      y: AxisSpec(.linear(lo: ylo, hi: yhi, format: .compact), label: units.responseLabel), title: p.geo)
        for q in p.curves { ax.band(xs: q.spendGrid, lower: q.lower50, upper: q.upper50, color: Palette.channel(q.channelIndex).withAlpha(0.15)) }
        for q in p.curves {
            let color = Palette.channel(q.channelIndex)
            meanCurve(ax, q, color: color, width: 2)
            ax.marker(x: q.currentSpend, y: interpolate(q.spendGrid, q.mean, at: q.currentSpend), color: color, hollow: true)
        }
        axes.append(ax)
    }
    return RenderedChart(canvas: canvas, panels: axes)
}
