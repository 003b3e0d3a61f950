import Foundation

/// What an axis shows.
public struct AxisSpec {
    public enum Kind {
        /// Numbers from `lo` to `hi`, nice ticks in `format`.
        case linear(lo: Double, hi: Double, format: NumberFormat)
        /// Day numbers (`CalendarDate.dayNumber`) from `lo` to `hi`, month/quarter/year labels.
        case time(lo: Double, hi: Double)
        /// Categories at positions 0, 1, … (labels in order).
        case categories([String])
    }
    public var kind: Kind
    public var label: String?
    public var gridlines: Bool
    public init(_ kind: Kind, label: String? = nil, gridlines: Bool = true) {
        self.kind = kind; self.label = label; self.gridlines = gridlines
    }
    var domain: (Double, Double) {
        switch kind {
        case .linear(let lo, let hi, _), .time(let lo, let hi): return (lo, hi)
        case .categories(let c): return (-0.5, Double(c.count) - 0.5)
        }
    }
}

/// A plot area inside a canvas with its x and y scales: draws axes, ticks, gridlines and marks,
/// and maps data to pixels (tests use `devicePixel` to check colours at data points).
public final class Axes {
    public let canvas: Canvas
    /// The plot area, in user units.
    public let frame: Rect
    public let xDomain: (Double, Double), yDomain: (Double, Double)
    /// Tick positions drawn on each axis (data units; category index for categorical axes).
    public let xTickValues: [Double], yTickValues: [Double]
    /// The axes as laid out (linear ranges widened to whole ticks).
    public let x: AxisSpec, y: AxisSpec
    /// Y categories read top-to-bottom (forest plots) when true.
    let yCategoriesTopDown: Bool
    static let tickSize = 10.5

    /// Lays out a plot area inside `region`, reserving room for tick labels measured from the
    /// actual label text, axis labels and an optional panel title. Linear axes are widened to
    /// the nearest ticks outside the requested range, so each axis ends exactly on a labelled tick.
    /// `yLabelWidth` reserves at least that much room for y tick labels, so panels stacked in
    /// a column can share their left edge.
    public init(canvas: Canvas, region: Rect, x: AxisSpec, y: AxisSpec, title: String? = nil, yLabelWidth: Double = 0) {
        self.canvas = canvas
        var ySpec = y
        if case .linear(let lo, let hi, let f) = y.kind, hi <= lo { ySpec.kind = .linear(lo: lo - 1, hi: lo + 1, format: f) }
        yCategoriesTopDown = { if case .categories = y.kind { return true }; return false }()
        let ts = Axes.tickSize
        let lineH = canvas.measure("Ag", size: ts).height
        var top = region.y + 4
        if let title {
            // A title wider than the panel is set smaller, then cut, so it never runs into the
            // next panel; the plot starts at the same height either way.
            let lineTop = region.y + 2, full = canvas.measure(title, size: 12, bold: true)
            let fit = canvas.fitting(title, width: region.w - 8, size: 12, minimumSize: 8.5, bold: true)
            let drawn = canvas.measure(fit.text, size: fit.size, bold: true)
            canvas.text(fit.text, x: region.x + 4, top: lineTop + (full.ascent - drawn.ascent), size: fit.size, bold: true)
            top = lineTop + full.height + 6
        }
        let bottomReserve = lineH + 11 + (x.label != nil ? lineH + 6 : 0)
        let frameH = region.maxY - top - bottomReserve
        // Y tick labels depend only on the vertical extent, so measure them first.
        let yTicks = Axes.ticks(&ySpec, pixels: frameH, vertical: true, canvas: canvas)
        let widest = max(yLabelWidth, yTicks.map { canvas.measure($0.1, size: ts).width }.max() ?? 0)
        let left = region.x + widest + 10 + (y.label != nil ? lineH + 8 : 0)
        frame = Rect(x: left, y: top + lineH / 2, w: max(10, region.maxX - left - 10), h: max(10, frameH - lineH / 2))
        var xSpec = x
        let xTicks = Axes.ticks(&xSpec, pixels: frame.w, vertical: false, canvas: canvas)
        self.x = xSpec; self.y = ySpec
        xDomain = xSpec.domain; yDomain = ySpec.domain
        xTickValues = xTicks.map(\.0); yTickValues = yTicks.map(\.0)
        drawAxes(xTicks: xTicks, yTicks: yTicks)
    }

    /// Tick positions and labels for an axis of `pixels` length, spaced so labels fit. A linear
    /// axis's range (in `a`) is widened to whole 1-2-5 steps, so it ends on ticks.
    static func ticks(_ a: inout AxisSpec, pixels: Double, vertical: Bool, canvas: Canvas) -> [(Double, String)] {
        let ts = tickSize
        switch a.kind {
        case .categories(let c):
            // Horizontally, label every k-th category (k as small as lets the widest label fit),
            // so the labels that are shown are evenly spaced.
            var k = 1
            if !vertical, !c.isEmpty {
                let widest = c.map { canvas.measure($0, size: ts).width }.max() ?? 0
                k = max(1, Int(ceil((widest + 6) / (pixels / Double(c.count)))))
            }
            return c.enumerated().filter { $0.offset % k == 0 }.map { (Double($0.offset), $0.element) }
        case .time(let lo, let hi):
            let t = TimeTicks.make(lo: lo, hi: hi, pixels: pixels) { canvas.measure($0, size: ts).width }
            return Array(zip(t.positions, t.labels))
        case .linear(let lo, let hi, let f):
            // Candidate 1-2-5 steps from coarse to fine; a step is usable when its ticks are at
            // least `minGap` apart and (horizontally) its widest label fits between neighbours.
            // Of the usable steps, the one whose whole-step range wastes least room wins; among
            // equal ranges, the one nearest `target` intervals. The axis range becomes that
            // whole-step range, so it starts and ends on a labelled tick.
            let minGap = vertical ? max(24, pixels / 12) : max(46, pixels / 14)
            let target = pixels / (vertical ? 60 : 100)
            typealias Candidate = (lo: Double, hi: Double, ticks: [(Double, String)])
            var best: Candidate?, coarsest: Candidate?
            var lastStep = Double.nan
            for n in 2...12 {
                let (_, step) = niceTicks(lo: lo, hi: hi, maxCount: n)
                if step == lastStep { continue }
                lastStep = step
                let first = floor(lo / step + 1e-9), last = ceil(hi / step - 1e-9)
                // A range Double cannot divide into steps (see niceTicks) is not drawn tick by tick.
                guard (last - first).isFinite, last - first <= 64, abs(first) < 0x1p52 else { continue }
                let t = stride(from: first, through: last, by: 1).map { $0 * step == 0 ? 0 : $0 * step }
                let labels = t.map { f.format($0, step: step) }
                let candidate = (first * step, last * step, Array(zip(t, labels)))
                if coarsest == nil { coarsest = candidate }
                let gap = step / ((last - first) * step) * pixels
                let needed = vertical ? 0 : (labels.map { canvas.measure($0, size: ts).width }.max() ?? 0) + 12
                guard gap >= max(minGap, needed) else { continue }
                if let b = best {
                    let span = candidate.1 - candidate.0, bestSpan = b.hi - b.lo
                    let tie = abs(span - bestSpan) <= 1e-9 * bestSpan
                    let closer = abs(Double(t.count - 1) - target) < abs(Double(b.ticks.count - 1) - target)
                    if span < bestSpan && !tie || tie && closer { best = candidate }
                } else {
                    best = candidate
                }
            }
            let ends: Candidate = (lo, hi, [(lo, f.format(lo)), (hi, f.format(hi))])
            let chosen = best ?? coarsest ?? ends
            a.kind = .linear(lo: chosen.lo, hi: chosen.hi, format: f)
            return chosen.ticks
        }
    }

    /// Data x → user-space x.
    public func px(_ v: Double) -> Double { frame.x + (v - xDomain.0) / (xDomain.1 - xDomain.0) * frame.w }
    /// Data y → user-space y (categories run top-down).
    public func py(_ v: Double) -> Double {
        let t = (v - yDomain.0) / (yDomain.1 - yDomain.0)
        return yCategoriesTopDown ? frame.y + t * frame.h : frame.maxY - t * frame.h
    }
    /// Data (x, y) → the device pixel (column, row) of the rendered image.
    public func devicePixel(x: Double, y: Double) -> (Int, Int) {
        (Int((px(x) * canvas.scale).rounded(.down)), Int((py(y) * canvas.scale).rounded(.down)))
    }

    private func drawAxes(xTicks: [(Double, String)], yTicks: [(Double, String)]) {
        let c = canvas.context, ts = Axes.tickSize
        let lineH = canvas.measure("Ag", size: ts).height
        c.setDash([]); c.setLineCapButt()
        c.setLineWidth(1); c.setColor(Palette.grid)
        if y.gridlines, case .linear = y.kind {
            for (v, _) in yTicks { let yy = py(v).rounded() + 0.5; c.moveTo(frame.x, yy); c.lineTo(frame.maxX, yy) }
        }
        if x.gridlines, !{ if case .categories = x.kind { return true }; return false }() {
            for (v, _) in xTicks { let xx = px(v).rounded() + 0.5; c.moveTo(xx, frame.y); c.lineTo(xx, frame.maxY) }
        }
        c.stroke()
        c.setColor(RGBA(hex: 0x999999))
        c.moveTo(frame.x, frame.maxY + 0.5); c.lineTo(frame.maxX, frame.maxY + 0.5)
        c.moveTo(frame.x - 0.5, frame.y); c.lineTo(frame.x - 0.5, frame.maxY)
        c.stroke()
        for (v, s) in yTicks {
            let m = canvas.measure(s, size: ts)
            canvas.text(s, x: frame.x - 6, top: py(v) - m.height / 2, size: ts, color: Palette.subtle, anchor: .end)
        }
        var lastEnd = -Double.infinity
        for (v, s) in xTicks {
            let w = canvas.measure(s, size: ts).width
            var cx = px(v)
            cx = min(max(cx, w / 2 + 2), canvas.width - w / 2 - 2)
            if cx - w / 2 < lastEnd + 6 { continue } // never overlap (categorical labels)
            canvas.text(s, x: cx, top: frame.maxY + 8, size: ts, color: Palette.subtle, anchor: .middle)
            lastEnd = cx + w / 2
        }
        if let l = x.label {
            canvas.text(l, x: frame.x + frame.w / 2, top: frame.maxY + 8 + lineH + 4, size: ts, color: Palette.subtle, anchor: .middle)
        }
        if let l = y.label {
            let widest = yTicks.map { canvas.measure($0.1, size: ts).width }.max() ?? 0
            canvas.verticalText(l, cx: frame.x - widest - 12 - lineH / 2, cy: frame.y + frame.h / 2, size: ts)
        }
    }

    // MARK: marks

    /// Runs `body` clipped to the plot area.
    func clipped(_ body: (CairoContext) -> Void) {
        let c = canvas.context
        // A clip on whole device pixels keeps Cairo on its fast rectangular-clip path.
        let s = canvas.scale
        let x0 = (frame.x * s).rounded(.down) / s, y0 = ((frame.y - 1) * s).rounded(.down) / s
        let x1 = (frame.maxX * s).rounded(.up) / s, y1 = ((frame.maxY + 1) * s).rounded(.up) / s
        c.save(); c.clip(x0, y0, x1 - x0, y1 - y0); c.setDash([]); body(c); c.restore()
    }

    /// A polyline through (xs[i], ys[i]).
    /// Long jagged solid lines (MCMC traces) are stroked in short pieces: Cairo's stroker
    /// slows down sharply on one long self-intersecting path, and a seam every `piece` points
    /// is invisible.
    public func line(xs: [Double], ys: [Double], color: RGBA, width: Double = 2, dash: [Double] = []) {
        let piece = dash.isEmpty ? 48 : Int.max
        clipped { c in
            c.setLineJoinRound(); c.setColor(color); c.setLineWidth(width); c.setDash(dash)
            for i in xs.indices {
                if i == 0 { c.moveTo(px(xs[i]), py(ys[i])); continue }
                c.lineTo(px(xs[i]), py(ys[i]))
                if i % piece == 0 { c.stroke(); c.moveTo(px(xs[i]), py(ys[i])) }
            }
            c.stroke()
        }
    }

    /// A filled interval between `lower` and `upper` over `xs`.
    public func band(xs: [Double], lower: [Double], upper: [Double], color: RGBA) {
        guard !xs.isEmpty else { return }
        clipped { c in
            c.setColor(color)
            c.moveTo(px(xs[0]), py(upper[0]))
            for i in xs.indices.dropFirst() { c.lineTo(px(xs[i]), py(upper[i])) }
            for i in xs.indices.reversed() { c.lineTo(px(xs[i]), py(lower[i])) }
            c.closePath(); c.fill()
        }
    }

    /// Points of radius `r`.
    public func scatter(xs: [Double], ys: [Double], color: RGBA, r: Double = 2.5) {
        clipped { c in
            c.setColor(color)
            for i in xs.indices { c.circle(px(xs[i]), py(ys[i]), r) }
            c.fill()
        }
    }

    /// Stacked areas: `layers[k][i]` over `xs`, in order. Each layer is split into its positive
    /// and negative parts; positive parts stack upward from 0 and negative parts downward from 0,
    /// so a negative component (e.g. seasonality in a trough) shows as area below zero instead of
    /// eating into the layers above it, and no two areas ever overlap. The net of all layers at
    /// x is the top of the positive stack plus the bottom of the negative one.
    public func stackedArea(xs: [Double], layers: [[Double]], colors: [RGBA]) {
        for (k, e) in Axes.stackEdges(layers).enumerated() {
            band(xs: xs, lower: e.positive.lower, upper: e.positive.upper, color: colors[k])
            band(xs: xs, lower: e.negative.lower, upper: e.negative.upper, color: colors[k])
        }
    }

    /// Edges of a layer's positive and negative parts in a sign-separated stack.
    public struct StackEdges {
        public var positive: (lower: [Double], upper: [Double])
        public var negative: (lower: [Double], upper: [Double])
    }

    /// Where each layer's positive part (stacked up from 0) and negative part (stacked down from 0) lie.
    public static func stackEdges(_ layers: [[Double]]) -> [StackEdges] {
        let n = layers.first?.count ?? 0
        var up = [Double](repeating: 0, count: n), down = up
        return layers.map { layer in
            let up0 = up, down0 = down
            for i in 0..<n {
                up[i] += max(layer[i], 0)
                down[i] += min(layer[i], 0)
            }
            return StackEdges(positive: (up0, up), negative: (down, down0))
        }
    }

    /// A bar from `from` to `to` along the value axis at category position `at` (± width/2).
    /// Vertical bars when `horizontal` is false.
    public func bar(at: Double, width: Double, from: Double, to: Double, color: RGBA, horizontal: Bool = false) {
        clipped { c in
            c.setColor(color)
            if horizontal {
                let x0 = px(min(from, to)), x1 = px(max(from, to))
                c.rectangle(x0, py(at - width / 2), x1 - x0, py(at + width / 2) - py(at - width / 2))
            } else {
                let y0 = py(max(from, to)), y1 = py(min(from, to))
                c.rectangle(px(at - width / 2), y0, px(at + width / 2) - px(at - width / 2), y1 - y0)
            }
            c.fill()
        }
    }

    /// Grouped bars: `values[g][s]` for group g (category) and series s, side by side.
    public func groupedBars(values: [[Double]], colors: [RGBA], groupWidth: Double = 0.75, horizontal: Bool = false) {
        for (g, row) in values.enumerated() {
            let w = groupWidth / Double(max(row.count, 1))
            for (s, v) in row.enumerated() {
                let at = Double(g) - groupWidth / 2 + w * (Double(s) + 0.5)
                bar(at: at, width: w * 0.92, from: 0, to: v, color: colors[s], horizontal: horizontal)
            }
        }
    }

    /// Stacked bars: `values[g][s]` stacked for each category g.
    public func stackedBars(values: [[Double]], colors: [RGBA], width: Double = 0.7, horizontal: Bool = false) {
        for (g, row) in values.enumerated() {
            var base = 0.0
            for (s, v) in row.enumerated() {
                bar(at: Double(g), width: width, from: base, to: base + v, color: colors[s], horizontal: horizontal); base += v
            }
        }
    }

    /// An interval (error bar) from `lo` to `hi` at `at`, horizontal when `horizontal`.
    public func interval(at: Double, lo: Double, hi: Double, color: RGBA, width: Double, horizontal: Bool) {
        clipped { c in
            c.setColor(color); c.setLineWidth(width); c.setLineCapButt()
            if horizontal { c.moveTo(px(lo), py(at)); c.lineTo(px(hi), py(at)) }
            else { c.moveTo(px(at), py(lo)); c.lineTo(px(at), py(hi)) }
            c.stroke()
        }
    }

    /// A reference line across the plot at x = v (`vertical`) or y = v.
    public func referenceLine(_ v: Double, vertical: Bool, color: RGBA = Palette.subtle, dash: [Double] = [4, 3], width: Double = 1.2) {
        clipped { c in
            c.setColor(color); c.setLineWidth(width); c.setDash(dash)
            if vertical { c.moveTo(px(v), frame.y); c.lineTo(px(v), frame.maxY) }
            else { c.moveTo(frame.x, py(v)); c.lineTo(frame.maxX, py(v)) }
            c.stroke()
        }
    }

    /// Shades x ∈ [lo, hi] across the full plot height (e.g. a holdout period).
    public func shadeX(lo: Double, hi: Double, color: RGBA) {
        clipped { c in c.setColor(color); c.rectangle(px(lo), frame.y, px(hi) - px(lo), frame.h); c.fill() }
    }

    /// A point marker with a white ring, and an optional label placed beside it inside the plot.
    public func marker(x: Double, y: Double, color: RGBA, label: String? = nil, r: Double = 4.5, hollow: Bool = false) {
        let cx = px(x), cy = py(y)
        clipped { c in
            c.setColor(RGBA(1, 1, 1)); c.circle(cx, cy, r + 1.5); c.fill()
            c.setColor(color)
            if hollow { c.setLineWidth(2); c.circle(cx, cy, r - 0.5); c.stroke() } else { c.circle(cx, cy, r); c.fill() }
        }
        guard let label else { return }
        pointLabel(label, cx: cx, cy: cy, color: color)
    }

    /// A label near a user-space point, flipped to stay inside the plot area.
    public func pointLabel(_ label: String, cx: Double, cy: Double, color: RGBA = Palette.ink, size: Double = 10) {
        let m = canvas.measure(label, size: size)
        var lx = cx + 7, top = cy - m.height - 3
        if lx + m.width > frame.maxX { lx = cx - 7 - m.width }
        if top < frame.y { top = cy + 4 }
        lx = max(lx, frame.x + 1)
        canvas.text(label, x: lx, top: top, size: size, color: color)
    }
}

/// Splits `region` into a grid of `count` panels with `columns` columns (small multiples).
public func panelGrid(region: Rect, count: Int, columns: Int, gap: Double = 14) -> [Rect] {
    let cols = max(1, min(columns, count)), rows = (count + cols - 1) / cols
    let w = (region.w - gap * Double(cols - 1)) / Double(cols)
    let h = (region.h - gap * Double(max(rows - 1, 0))) / Double(max(rows, 1))
    return (0..<count).map { i in
        Rect(x: region.x + Double(i % cols) * (w + gap), y: region.y + Double(i / cols) * (h + gap), w: w, h: h)
    }
}
