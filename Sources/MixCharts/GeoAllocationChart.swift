import Foundation
import MixOptimize

/// One geo's bars for `geoAllocationChart`: current and recommended spend per channel.
public struct GeoAllocationPanel: Sendable {
    public var geo: String
    public var bars: [AllocationBar]

    public init(geo: String, bars: [AllocationBar]) {
        self.geo = geo
        self.bars = bars
    }

    /// Change of the geo's total spend, as a fraction of current (0 when nothing is spent now).
    public var totalChange: Double {
        let now = bars.reduce(0) { $0 + $1.current }, then = bars.reduce(0) { $0 + $1.optimal }
        return now > 0 ? (then - now) / now : 0
    }
}

/// Current vs recommended spend by geo (issue 22): one panel per geo with the allocation chart's
/// pale/solid bar pairs per channel and the change above each pair. Every panel has its own spend
/// axis — geos can differ in size fifty-fold, and a shared axis would flatten the small ones — and
/// its title gives the geo's total change. At most `maxPanels` geos are drawn, the largest by
/// current spend, in the order given; the subtitle says when some are left out.
public func geoAllocationChart(_ panels: [GeoAllocationPanel], currency: String = "$", size: ChartSize? = nil, maxPanels: Int = 12,
                               title: String = "Budget allocation by geo: current vs recommended") throws -> RenderedChart {
    guard !panels.isEmpty, panels.allSatisfy({ !$0.bars.isEmpty }) else {
        throw ChartError.invalidInput(chart: "geo allocation", reason: "needs at least one geo with at least one channel")
    }
    let largest = Set(panels.indices.sorted { panels[$0].bars.reduce(0) { $0 + $1.current } > panels[$1].bars.reduce(0) { $0 + $1.current } }
        .prefix(maxPanels))
    let shown = panels.indices.filter { largest.contains($0) }.map { panels[$0] }
    let columns = geoAllocationColumns(shown.count)
    let size = size ?? geoAllocationChartSize(geos: panels.count, maxPanels: maxPanels)
    let left = panels.count - shown.count
    let subtitle = "Spend per channel over the planning period · pale: current · solid: recommended · each geo on its own scale"
        + (left > 0 ? " · the \(shown.count) largest of \(panels.count) geos" : "")
    let legend = [Canvas.LegendItem("Current", RGBA(hex: 0x999999).withAlpha(0.35).overWhite()), Canvas.LegendItem("Recommended", RGBA(hex: 0x777777))]
    let (canvas, region) = try startChart(size, title: title, subtitle: subtitle, legend: legend)
    let cells = panelGrid(region: region, count: shown.count, columns: columns, gap: 18)
    var axes: [Axes] = []
    for (panel, rect) in zip(shown, cells) {
        let change = panel.totalChange
        let heading = "\(panel.geo) · total " + (change >= 0 ? "+" : "") + NumberFormat.percent.format(change, step: 0.001)
        let hi = niceDomain(lo: 0, hi: max(panel.bars.map { max($0.current, $0.optimal) }.max()!, 1e-9) * 1.15).1
        let ax = Axes(canvas: canvas, region: rect, x: AxisSpec(.categories(panel.bars.map(\.channel)), gridlines: false),
                      y: AxisSpec(.linear(lo: 0, hi: hi, format: .currency(currency))), title: heading)
        drawCurrentAndOptimal(panel.bars, on: ax, labelSize: 10, labelGap: 3)
        axes.append(ax)
    }
    return RenderedChart(canvas: canvas, panels: axes)
}

/// Panels per row of `geoAllocationChart` for `count` panels: one row up to 3, 2 × 2 for 4, else 3 a row.
func geoAllocationColumns(_ count: Int) -> Int { count <= 3 ? count : (count == 4 ? 2 : 3) }

/// The size `geoAllocationChart` draws at for `geos` geos (at most `maxPanels` shown): 960 wide,
/// 260 units per row of panels plus room for the title and legend.
public func geoAllocationChartSize(geos: Int, maxPanels: Int = 12, scale: Double = 1) -> ChartSize {
    let shown = max(1, min(geos, maxPanels))
    let columns = geoAllocationColumns(shown)
    return ChartSize(width: 960, height: Double(140 + 260 * ((shown + columns - 1) / columns)), scale: scale)
}

extension GeoPlan {
    /// The chart's panels: per geo, its live channels' current and planned spend over the horizon,
    /// coloured by the channel's place in `channels` (the model's order), geos in the plan's order.
    public func allocationPanels() -> [GeoAllocationPanel] {
        let order = channels.map(\.name)
        let periods = Double(plan.periods)
        var geoOrder: [String] = []
        for c in cells where !geoOrder.contains(c.geo) { geoOrder.append(c.geo) }
        return geoOrder.map { geo in
            GeoAllocationPanel(geo: geo, bars: cells.filter { $0.geo == geo }.map { c in
                AllocationBar(channel: c.channel, channelIndex: order.firstIndex(of: c.channel) ?? 0,
                              current: c.currentSpendPerPeriod * periods, optimal: c.spendOverHorizon)
            })
        }
    }
}
