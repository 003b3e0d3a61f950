import Foundation

/// ROAS and marginal ROAS per channel as a two-panel forest plot: dot = mean, thick line = 50 %,
/// thin line = 94 % interval; a dashed line marks break-even (1.0).
public func roasForestChart(roas: [ForestRow], marginal: [ForestRow], size: ChartSize = ChartSize(), title: String = "Return on ad spend",
                            subtitle: String? = "Posterior mean with 50 % (thick) and 94 % (thin) intervals · dashed line: break-even") throws -> RenderedChart {
    guard !roas.isEmpty else { throw ChartError.invalidInput(chart: "ROAS forest", reason: "no rows") }
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: [])
    let halves = panelGrid(region: region, count: marginal.isEmpty ? 1 : 2, columns: 2, gap: 24)
    var axes: [Axes] = []
    for (k, rows) in [roas, marginal].enumerated() where !rows.isEmpty {
        let (lo, hi) = niceDomain(lo: min(0, rows.map(\.lower94).min()!), hi: max(1, rows.map(\.upper94).max()!))
        let ax = Axes(canvas: canvas, region: halves[k], x: AxisSpec(.linear(lo: lo, hi: hi, format: .compact), label: k == 0 ? "ROAS" : "Marginal ROAS"),
                      y: AxisSpec(.categories(rows.map(\.label))), title: k == 0 ? "ROAS" : "Marginal ROAS (next unit of spend)")
        ax.referenceLine(1, vertical: true)
        for (i, r) in rows.enumerated() {
            let c = Palette.channel(r.channelIndex)
            ax.interval(at: Double(i), lo: r.lower94, hi: r.upper94, color: c, width: r.lower50 == nil ? 3 : 1.6, horizontal: true)
            if let lo = r.lower50, let hi = r.upper50 { ax.interval(at: Double(i), lo: lo, hi: hi, color: c, width: 5, horizontal: true) }
            ax.marker(x: r.mean, y: Double(i), color: c, r: 4.5)
            let label = NumberFormat.fixed(2).format(r.mean)
            // The mean is written level with its row, right of the interval; left of it when the
            // interval reaches the right edge; above the dot when neither side has room.
            let m = ax.canvas.measure(label, size: 10)
            var lx = ax.px(r.upper94) + 8, top = ax.py(Double(i)) - m.height / 2
            if lx + m.width > ax.frame.maxX - 1 {
                lx = ax.px(r.lower94) - 8 - m.width
                if lx < ax.frame.x + 1 { lx = min(ax.px(r.mean) + 6, ax.frame.maxX - m.width - 1); top = ax.py(Double(i)) - m.height - 6 }
            }
            ax.canvas.text(label, x: lx, top: top, size: 10, color: Palette.subtle)
        }
        axes.append(ax)
    }
    return RenderedChart(canvas: canvas, panels: axes)
}

/// Tint used for the "current" bars of the allocation chart.
public func currentBarColor(channelIndex: Int) -> RGBA { Palette.channel(channelIndex).withAlpha(0.35).overWhite() }

/// Current vs optimal spend per channel as grouped bars; the change is labelled above each pair.
public func allocationChart(_ bars: [AllocationBar], currency: String = "$", size: ChartSize = ChartSize(), title: String = "Budget allocation: current vs optimal",
                            subtitle: String? = "Spend per channel over the planning period · pale: current · solid: optimal") throws -> RenderedChart {
    guard !bars.isEmpty else { throw ChartError.invalidInput(chart: "allocation", reason: "no channels") }
    let legend = [Canvas.LegendItem("Current", RGBA(hex: 0x999999).withAlpha(0.35).overWhite()), Canvas.LegendItem("Optimal", RGBA(hex: 0x777777))]
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let hi = niceDomain(lo: 0, hi: bars.map { max($0.current, $0.optimal) }.max()! * 1.12).1
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.categories(bars.map(\.channel)), gridlines: false),
                  y: AxisSpec(.linear(lo: 0, hi: hi, format: .currency(currency)), label: "Spend over the horizon" + (currency.isEmpty ? "" : " (\(currency))")))
    drawCurrentAndOptimal(bars, on: ax, labelSize: 11, labelGap: 4)
    return RenderedChart(canvas: canvas, panels: [ax])
}

/// One pair of bars per channel at x = 0, 1, …: current spend (pale) then the plan's (solid), with
/// the change in percent above the taller of the two, green for more and orange for less. The
/// national and the per-geo allocation charts draw a plan this way.
func drawCurrentAndOptimal(_ bars: [AllocationBar], on ax: Axes, labelSize: Double, labelGap: Double) {
    for (g, b) in bars.enumerated() {
        let x = Double(g)
        ax.bar(at: x - 0.19, width: 0.36, from: 0, to: b.current, color: currentBarColor(channelIndex: b.channelIndex))
        ax.bar(at: x + 0.19, width: 0.36, from: 0, to: b.optimal, color: Palette.channel(b.channelIndex))
        let change = b.current > 0 ? (b.optimal - b.current) / b.current : 0
        let text = (change >= 0 ? "+" : "") + NumberFormat.percent.format(change, step: 0.01)
        let top = ax.py(max(b.current, b.optimal)) - ax.canvas.measure(text, size: labelSize, bold: true).height - labelGap
        ax.canvas.text(text, x: ax.px(x), top: top, size: labelSize, color: change >= 0 ? RGBA(hex: 0x00745A) : RGBA(hex: 0xB34700),
                       anchor: .middle, bold: true)
    }
}

/// Colour of the frontier band.
public let frontierBandColor = RGBA(hex: 0x009E73).withAlpha(0.22).overWhite()

/// Budget frontier: best expected response against total budget with its 94 % band; the
/// optimum at the current budget is marked, and the current plan's response when given.
public func frontierChart(_ points: [FrontierChartPoint], currentBudget: Double, currentResponse: Double?, currency: String = "$",
                          size: ChartSize = ChartSize(), title: String = "Budget frontier",
                          subtitle: String? = "Best achievable expected response at each total budget, with 94 % interval") throws -> RenderedChart {
    guard points.count >= 2 else { throw ChartError.invalidInput(chart: "frontier", reason: "needs at least two budgets, got \(points.count)") }
    var legend = [Canvas.LegendItem("Optimal response", Palette.channel(2), .line), Canvas.LegendItem("94 % interval", frontierBandColor, .band),
                  Canvas.LegendItem("Optimum at current budget", Palette.channel(2), .dot)]
    if currentResponse != nil { legend.append(Canvas.LegendItem("Current plan", Palette.ink, .dot)) }
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let xs = points.map(\.budget)
    let (xlo, xhi) = niceDomain(lo: min(xs.min()!, currentBudget), hi: max(xs.max()!, currentBudget))
    let (ylo, yhi) = niceDomain(lo: min(0, points.map(\.lower94).min()!), hi: max(points.map(\.upper94).max()!, currentResponse ?? 0))
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.linear(lo: xlo, hi: xhi, format: .currency(currency)), label: "Total budget" + (currency.isEmpty ? "" : " (\(currency))")),
                  y: AxisSpec(.linear(lo: ylo, hi: yhi, format: .compact), label: "Expected response"))
    ax.band(xs: xs, lower: points.map(\.lower94), upper: points.map(\.upper94), color: frontierBandColor)
    ax.line(xs: xs, ys: points.map(\.mean), color: Palette.channel(2), width: 2.4)
    ax.scatter(xs: xs, ys: points.map(\.mean), color: Palette.channel(2), r: 3) // the budgets actually solved
    ax.referenceLine(currentBudget, vertical: true, color: Palette.subtle, dash: [3, 3], width: 1)
    let opt = interpolate(xs, points.map(\.mean), at: currentBudget)
    ax.marker(x: currentBudget, y: opt, color: Palette.channel(2), r: 4)
    // The optimum is labelled above-left and the current plan below-right: the two never collide.
    let o = "Optimised " + NumberFormat.compact.format(opt)
    let om = canvas.measure(o, size: 10.5)
    canvas.text(o, x: max(ax.px(currentBudget) - 8 - om.width, ax.frame.x + 2), top: max(ax.py(opt) - om.height - 6, ax.frame.y + 1), size: 10.5,
                color: RGBA(hex: 0x00745A))
    if let currentResponse {
        ax.marker(x: currentBudget, y: currentResponse, color: Palette.ink)
        let cur = "Current plan " + NumberFormat.compact.format(currentResponse)
        let cm = canvas.measure(cur, size: 10.5)
        canvas.text(cur, x: min(ax.px(currentBudget) + 8, ax.frame.maxX - cm.width - 2),
                    top: min(ax.py(currentResponse) + 6, ax.frame.maxY - cm.height - 2), size: 10.5, color: Palette.ink)
    }
    return RenderedChart(canvas: canvas, panels: [ax])
}

/// Contribution waterfall: the baseline and each channel add up, step by step, to the total.
public func waterfallChart(_ steps: [WaterfallStep], size: ChartSize = ChartSize(), title: String = "Contribution waterfall",
                           subtitle: String? = "How the baseline and each channel add up to the total over the period") throws -> RenderedChart {
    guard !steps.isEmpty else { throw ChartError.invalidInput(chart: "waterfall", reason: "no steps") }
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: [])
    let total = steps.reduce(0) { $0 + $1.value }
    var cum = 0.0, lo = 0.0, hi = 0.0
    for s in steps { cum += s.value; lo = min(lo, cum); hi = max(hi, cum) }
    let (ylo, yhi) = niceDomain(lo: lo, hi: hi * 1.08)
    let ax = Axes(canvas: canvas, region: region, x: AxisSpec(.categories(steps.map(\.label) + ["Total"]), gridlines: false),
                  y: AxisSpec(.linear(lo: ylo, hi: yhi, format: .compact), label: "Contribution"))
    cum = 0
    let c = canvas.context
    for (i, s) in steps.enumerated() {
        let color = s.channelIndex.map(Palette.channel) ?? s.color ?? (i == 0 ? Palette.baseline : Palette.controls)
        ax.bar(at: Double(i), width: 0.64, from: cum, to: cum + s.value, color: color)
        let next = cum + s.value
        c.setColor(RGBA(hex: 0x888888)); c.setLineWidth(1); c.setDash([2, 2])
        c.moveTo(ax.px(Double(i) + 0.32), ax.py(next)); c.lineTo(ax.px(Double(i + 1) - 0.32), ax.py(next)); c.stroke(); c.setDash([])
        let label = (s.value >= 0 && i > 0 ? "+" : "") + NumberFormat.compact.format(s.value)
        canvas.text(label, x: ax.px(Double(i)), top: ax.py(max(cum, next)) - 16, size: 10.5, color: Palette.ink, anchor: .middle)
        cum = next
    }
    ax.bar(at: Double(steps.count), width: 0.64, from: 0, to: total, color: Palette.ink)
    canvas.text(NumberFormat.compact.format(total), x: ax.px(Double(steps.count)), top: ax.py(max(total, 0)) - 16, size: 10.5,
                color: Palette.ink, anchor: .middle, bold: true)
    return RenderedChart(canvas: canvas, panels: [ax])
}
