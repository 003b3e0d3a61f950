import Foundation

/// One parameter of one calibrated channel: its prior and posterior as density shapes on a
/// common grid, with each one's mean and central interval.
public struct PriorPosteriorPanel: Sendable {
    public var channel: String, channelIndex: Int
    /// E.g. "λ (saturation)".
    public var parameter: String
    /// Grid of parameter values; both densities are given on it (any positive scale: each is
    /// drawn relative to its own peak).
    public var grid: [Double], priorDensity: [Double], posteriorDensity: [Double]
    public var priorMean: Double, priorLower: Double, priorUpper: Double
    public var posteriorMean: Double, posteriorLower: Double, posteriorUpper: Double
    /// True when the prior was set for this channel in the config (e.g. elicited from a test).
    public var priorFromConfig: Bool
    /// What stands in for this parameter's prior when the model does not use it (β under an
    /// ROAS or incremental-return prior, e.g. "r (lift_roi_prior)"); the prior row then says so
    /// instead of drawing the unused default.
    public var priorReplacedBy: String?

    public init(channel: String, channelIndex: Int, parameter: String, grid: [Double], priorDensity: [Double], posteriorDensity: [Double],
                priorMean: Double, priorLower: Double, priorUpper: Double,
                posteriorMean: Double, posteriorLower: Double, posteriorUpper: Double, priorFromConfig: Bool, priorReplacedBy: String? = nil) {
        self.channel = channel; self.channelIndex = channelIndex; self.parameter = parameter
        self.grid = grid; self.priorDensity = priorDensity; self.posteriorDensity = posteriorDensity
        self.priorMean = priorMean; self.priorLower = priorLower; self.priorUpper = priorUpper
        self.posteriorMean = posteriorMean; self.posteriorLower = posteriorLower; self.posteriorUpper = posteriorUpper
        self.priorFromConfig = priorFromConfig; self.priorReplacedBy = priorReplacedBy
    }

    /// Posterior interval width ÷ prior interval width (NaN when the prior is replaced).
    public var narrowing: Double {
        priorReplacedBy == nil ? (posteriorUpper - posteriorLower) / (priorUpper - priorLower) : .nan
    }
}

/// Colour of the prior's shape and interval: a neutral grey, so the posterior keeps the
/// channel's colour as in every other chart.
public let priorColor = RGBA(hex: 0x8C8C8C)

/// Prior against posterior for every adstock and saturation parameter of the calibrated
/// channels: one row of small panels per channel, one panel per parameter. Each panel is a
/// "half-eye" plot with two rows — the prior (grey) above the posterior (channel colour) — each
/// a density shape over the parameter axis with its central interval and mean on the baseline.
/// The shapes are scaled to their own peaks: what to compare is where and how wide they are,
/// and the panel states how many times narrower the posterior interval is.
public func calibrationChart(_ rows: [[PriorPosteriorPanel]], massLabel: String = "94 %", size: ChartSize = ChartSize(),
                             title: String = "Calibration: prior against posterior",
                             subtitle: String? = nil) throws -> RenderedChart {
    let panels = rows.flatMap { $0 }
    guard !panels.isEmpty else { throw ChartError.invalidInput(chart: "calibration", reason: "no calibrated parameters") }
    for p in panels {
        try requireAligned("calibration", [("grid", p.grid.count), ("priorDensity", p.priorDensity.count), ("posteriorDensity", p.posteriorDensity.count)])
    }
    let legend = [Canvas.LegendItem("Prior", priorColor.withAlpha(0.45).overWhite(), .band),
                  Canvas.LegendItem("Posterior (channel colour)", RGBA(hex: 0x999999).withAlpha(0.6).overWhite(), .band),
                  Canvas.LegendItem("Mean and \(massLabel) interval", Palette.ink, .line)]
    let text = subtitle ?? "Each parameter's prior (top) and posterior (bottom); the narrower the posterior, the more the data and experiments pinned it down"
    let (canvas, region) = try startChart(size, title: title, subtitle: text, legend: legend)
    let columns = rows.map(\.count).max() ?? 1
    let rects = panelGrid(region: region, count: rows.count * columns, columns: columns, gap: 16)
    var axes: [Axes] = []
    for (r, row) in rows.enumerated() {
        for (k, p) in row.enumerated() {
            let rect = rects[r * columns + k]
            let replaced = p.priorReplacedBy != nil
            let lo = min(replaced ? p.posteriorLower : p.priorLower, p.posteriorLower, p.grid.first ?? 0)
            let hi = max(replaced ? p.posteriorUpper : p.priorUpper, p.posteriorUpper, p.grid.last ?? 1)
            let (xlo, xhi) = niceDomain(lo: lo, hi: hi)
            let ax = Axes(canvas: canvas, region: rect, x: AxisSpec(.linear(lo: xlo, hi: xhi, format: .compact)),
                          y: AxisSpec(.categories(["Prior", "Posterior"]), gridlines: false),
                          title: "\(p.channel) · \(p.parameter)" + (p.priorFromConfig ? " · prior from config" : ""))
            let posterior = Palette.channel(p.channelIndex)
            if let by = p.priorReplacedBy {
                // In the prior row, above its baseline: two lines, each fitted to the panel.
                var top = ax.py(0.3) - 6
                for line in ["set through \(by)", "not used:"] {
                    let fit = canvas.fitting(line, width: ax.frame.w - 8, size: 10, minimumSize: 8)
                    top -= canvas.measure(fit.text, size: fit.size).height
                    canvas.text(fit.text, x: ax.frame.x + ax.frame.w / 2, top: top, size: fit.size, color: priorColor, anchor: .middle)
                    top -= 2
                }
            } else {
                halfEye(ax, row: 0, xs: p.grid, density: p.priorDensity, mean: p.priorMean, lower: p.priorLower, upper: p.priorUpper,
                        fill: priorColor.withAlpha(0.45).overWhite(), ink: priorColor)
            }
            halfEye(ax, row: 1, xs: p.grid, density: p.posteriorDensity, mean: p.posteriorMean, lower: p.posteriorLower, upper: p.posteriorUpper,
                    fill: posterior.withAlpha(0.45).overWhite(), ink: posterior)
            let ratio = p.narrowing
            if ratio.isFinite, ratio > 0 {
                let note = ratio <= 1 ? "interval \(NumberFormat.fixed(1).format(1 / ratio))× narrower" : "interval \(NumberFormat.fixed(1).format(ratio))× wider"
                let m = canvas.measure(note, size: 10)
                canvas.text(note, x: ax.frame.maxX - m.width - 3, top: ax.frame.y + 2, size: 10, color: Palette.subtle)
            }
            axes.append(ax)
        }
    }
    return RenderedChart(canvas: canvas, panels: axes)
}

/// A density shape rising from the baseline of category row `row` (scaled so its peak fills
/// 80 % of the row), with the interval as a bar on the baseline and the mean as a dot.
func halfEye(_ ax: Axes, row: Int, xs: [Double], density: [Double], mean: Double, lower: Double, upper: Double, fill: RGBA, ink: RGBA) {
    let base = Double(row) + 0.3
    let peak = density.filter(\.isFinite).max() ?? 0
    if peak > 0 {
        let tops = density.map { base - 0.75 * min($0.isFinite ? $0 : peak, peak) / peak }
        ax.band(xs: xs, lower: Array(repeating: base, count: xs.count), upper: tops, color: fill)
        ax.line(xs: xs, ys: tops, color: ink, width: 1.2)
    }
    ax.interval(at: base, lo: lower, hi: upper, color: ink, width: 3, horizontal: true)
    if mean.isFinite { ax.marker(x: mean, y: base, color: ink, r: 4) }
}

/// A lift test as the response-curve chart draws it: the measured change, anchored at the
/// posterior-mean curve at the spend before the test.
public struct LiftTestMark: Sendable {
    /// Spend per period before the test (x) and its change (Δx).
    public var spend: Double, spendChange: Double
    /// The posterior-mean response at x, f̂(x), where the measurement starts.
    public var anchor: Double
    /// Measured change in the target per period (Δy) and its standard error (σ).
    public var targetChange: Double, standardError: Double

    public init(spend: Double, spendChange: Double, anchor: Double, targetChange: Double, standardError: Double) {
        self.spend = spend; self.spendChange = spendChange; self.anchor = anchor
        self.targetChange = targetChange; self.standardError = standardError
    }

    /// The measured end point (x + Δx, f̂(x) + Δy).
    public var end: (x: Double, y: Double) { (spend + spendChange, anchor + targetChange) }
}

/// Draws lift tests on a response-curve panel.
///
/// Why on the response curve and not on a derivative (marginal response) chart: planners read
/// the response curve already, and a test reads on it as what it was — "moving spend from x to
/// x + Δx changed the target by Δy" — so agreement is visible at a glance: the test's end point
/// (with its ±1 σ bar) sits on the curve's band when model and experiment agree. It is also the
/// quantity the lift-test likelihood uses, f(x + Δx) − f(x). A derivative chart would plot the
/// average slope Δy/Δx at the midpoint, which for a large spend change (a 90 % cut) is the
/// chord's slope, not the curve's derivative there, and asks the reader to think in marginal ROAS.
func drawLiftTests(_ ax: Axes, _ tests: [LiftTestMark]) {
    for t in tests {
        let end = t.end
        ax.line(xs: [t.spend, end.x], ys: [t.anchor, end.y], color: Palette.ink, width: 1.4, dash: [4, 3])
        ax.interval(at: end.x, lo: end.y - t.standardError, hi: end.y + t.standardError, color: Palette.ink, width: 1.8, horizontal: false)
        // Short caps at ±σ, 8 user units wide.
        let halfCap = 4 / ((ax.frame.w) / (ax.xDomain.1 - ax.xDomain.0))
        for y in [end.y - t.standardError, end.y + t.standardError] {
            ax.line(xs: [end.x - halfCap, end.x + halfCap], ys: [y, y], color: Palette.ink, width: 1.8)
        }
        ax.marker(x: t.spend, y: t.anchor, color: Palette.ink, r: 3, hollow: true)
        ax.marker(x: end.x, y: end.y, color: Palette.ink, r: 4.5)
    }
}
