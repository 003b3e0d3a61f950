import Foundation
import MixInference

/// Colour of MCMC chain `c` (Okabe–Ito, distinct from nothing else on a diagnostics chart).
public func chainColor(_ c: Int) -> RGBA { Palette.channel(c) }

/// Rank histogram of each chain: draws of all chains are ranked together (ties broken by chain
/// then draw order, so results are deterministic) and each chain's ranks are binned into
/// `bins` equal bins. Well-mixed chains give flat histograms (Vehtari et al. 2021, §4).
public func rankHistograms(_ draws: [[Double]], bins: Int) -> [[Int]] {
    var all: [(v: Double, chain: Int, i: Int)] = []
    for (c, d) in draws.enumerated() { for (i, v) in d.enumerated() { all.append((v, c, i)) } }
    all.sort { $0.v != $1.v ? $0.v < $1.v : ($0.chain != $1.chain ? $0.chain < $1.chain : $0.i < $1.i) }
    var h = [[Int]](repeating: [Int](repeating: 0, count: bins), count: draws.count)
    let n = all.count
    for (rank, e) in all.enumerated() { h[e.chain][min(bins - 1, rank * bins / max(n, 1))] += 1 }
    return h
}

/// Trace plots (left) and rank plots (right) for each parameter, one row per parameter, with
/// R-hat in each panel title (flagged when above 1.01).
public func diagnosticsChart(_ traces: [TraceData], size: ChartSize = ChartSize(width: 960, height: 900), title: String = "Sampler diagnostics",
                             subtitle: String? = "Trace (left) and rank histograms (right) per chain · flat ranks and overlapping traces mean good mixing",
                             bins: Int = 20) throws -> RenderedChart {
    guard !traces.isEmpty else { throw ChartError.invalidInput(chart: "diagnostics", reason: "no parameters") }
    let chains = traces.map(\.draws.count).max()!
    let legend = (0..<chains).map { Canvas.LegendItem("Chain \($0 + 1)", chainColor($0), .line) }
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let rowRects = panelGrid(region: region, count: traces.count, columns: 1, gap: 10)
    var axes: [Axes] = []
    for (t, row) in zip(traces, rowRects) {
        guard t.draws.allSatisfy({ !$0.isEmpty }) else { throw ChartError.invalidInput(chart: "diagnostics", reason: "\(t.parameter) has an empty chain") }
        let leftW = row.w * 0.62
        let traceR = Rect(x: row.x, y: row.y, w: leftW, h: row.h), rankR = Rect(x: row.x + leftW + 12, y: row.y, w: row.w - leftW - 12, h: row.h)
        let n = t.draws.map(\.count).max()!
        let (lo, hi) = niceDomain(lo: extent(t.draws).0, hi: extent(t.draws).1, maxCount: 4)
        let flag = t.rhat > ConvergenceVerdict.Threshold.maxRhat ? "  ⚠" : ""
        let ax = Axes(canvas: canvas, region: traceR, x: AxisSpec(.linear(lo: 0, hi: Double(n), format: .fixed(0)), gridlines: false),
                      y: AxisSpec(.linear(lo: lo, hi: hi, format: .compact)),
                      title: "\(t.parameter) — R̂ = \(NumberFormat.fixed(3).format(t.rhat))\(flag)",
                      yLabelWidth: canvas.measure("−0.000", size: Axes.tickSize).width)
        for (c, d) in t.draws.enumerated() {
            ax.line(xs: d.indices.map(Double.init), ys: d, color: chainColor(c).withAlpha(0.7), width: 0.8)
        }
        let hist = rankHistograms(t.draws, bins: bins)
        let rk = Axes(canvas: canvas, region: rankR, x: AxisSpec(.linear(lo: 0, hi: Double(bins), format: .compact), gridlines: false),
                      y: AxisSpec(.categories((0..<t.draws.count).map { "Chain \($0 + 1)" }), gridlines: false), title: "Rank plot")
        let peak = Double(hist.flatMap { $0 }.max() ?? 1)
        for (c, h) in hist.enumerated() {
            let base = Double(c) + 0.45
            for (b, count) in h.enumerated() {
                rk.bar(at: Double(b) + 0.5, width: 0.9, from: base, to: base - Double(count) / peak * 0.85, color: chainColor(c))
            }
            let expected = Double(t.draws[c].count) / Double(bins) / peak * 0.85
            rk.referenceLine(base - expected, vertical: false, color: Palette.ink, dash: [3, 2], width: 1)
        }
        axes.append(ax); axes.append(rk)
    }
    return RenderedChart(canvas: canvas, panels: axes)
}
