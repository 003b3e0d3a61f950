import Foundation
import MixData

// Plain inputs of the MMM charts. They hold numbers already summarised from the posterior or
// the optimiser (means and interval bounds), so charts never depend on how those were fitted.
// `channelIndex` is the channel's position in the dataset: it picks the channel's colour,
// identical in every chart.

/// Pixel size and scale of a chart (scale 2 renders a HiDPI image of twice the pixels).
public struct ChartSize: Equatable, Sendable {
    public var width: Double, height: Double, scale: Double
    public init(width: Double = 960, height: Double = 600, scale: Double = 1) {
        self.width = width; self.height = height; self.scale = scale
    }
}

/// One channel's response curve: expected incremental response over a spend grid with its
/// 50 % and 94 % credible bands; `currentSpend` and `optimalSpend` are marked on the curve, and
/// lift tests on the channel drawn from it.
public struct ResponseCurvePanel: Sendable {
    public var channel: String, channelIndex: Int
    public var spendGrid: [Double], mean: [Double]
    public var lower50: [Double], upper50: [Double], lower94: [Double], upper94: [Double]
    public var currentSpend: Double, optimalSpend: Double?
    /// Lift tests on this channel, drawn as measured changes from the curve (empty: none).
    public var liftTests: [LiftTestMark]
    /// The largest spend per period the channel had in the training data: the curve is drawn
    /// dashed beyond it, where it is extrapolated (nil: solid throughout).
    public var observedMaxSpend: Double?
    /// The bound that holds the plan's spend ("upper" or "lower"), so a bound-held channel is not
    /// read as an optimum (nil: between its bounds, or no plan).
    public var heldAtBound: String?
    public init(channel: String, channelIndex: Int, spendGrid: [Double], mean: [Double],
                lower50: [Double], upper50: [Double], lower94: [Double], upper94: [Double],
                currentSpend: Double, optimalSpend: Double?, liftTests: [LiftTestMark] = [],
                observedMaxSpend: Double? = nil, heldAtBound: String? = nil) {
        self.channel = channel; self.channelIndex = channelIndex; self.spendGrid = spendGrid; self.mean = mean
        self.lower50 = lower50; self.upper50 = upper50; self.lower94 = lower94; self.upper94 = upper94
        self.currentSpend = currentSpend; self.optimalSpend = optimalSpend; self.liftTests = liftTests
        self.observedMaxSpend = observedMaxSpend; self.heldAtBound = heldAtBound
    }

    /// The panel's title: the channel, and the bound holding its plan if any.
    public var title: String { heldAtBound.map { "\(channel) · held at its \($0) bound" } ?? channel }
}

/// Units for axis labels: the config's currency (empty: none shown), the target's name and the
/// data's period ("week", "day").
public struct AxisUnits: Sendable, Equatable {
    public var currency: String, target: String, period: String
    public init(currency: String = "", target: String = "", period: String = "period") {
        self.currency = currency; self.target = target; self.period = period
    }
    /// "Spend per week ($)", or "Spend per week" without a currency.
    public var spendLabel: String { "Spend per \(period)" + (currency.isEmpty ? "" : " (\(currency))") }
    /// "Response per week (sales)".
    public var responseLabel: String { "Response per \(period)" + (target.isEmpty ? "" : " (\(target))") }
}

/// A named per-period series belonging to a channel.
public struct ChannelSeries: Sendable {
    public var channel: String, channelIndex: Int, values: [Double]
    public init(channel: String, channelIndex: Int, values: [Double]) {
        self.channel = channel; self.channelIndex = channelIndex; self.values = values
    }
}

/// Posterior-mean contributions per period, stacked in this order: baseline, trend, controls,
/// seasonality, then each channel. `trend` may be empty (a model without trend); periods from
/// `holdoutStart` on were held out of the fit and are shaded.
public struct ContributionSeries: Sendable {
    public var dates: [CalendarDate]
    public var baseline: [Double], trend: [Double], controls: [Double], seasonality: [Double]
    public var channels: [ChannelSeries]
    public var holdoutStart: CalendarDate?
    public init(dates: [CalendarDate], baseline: [Double], trend: [Double] = [], controls: [Double], seasonality: [Double],
                channels: [ChannelSeries], holdoutStart: CalendarDate? = nil) {
        self.dates = dates; self.baseline = baseline; self.trend = trend; self.controls = controls; self.seasonality = seasonality
        self.channels = channels; self.holdoutStart = holdoutStart
    }
}

/// Observed target and the fitted posterior mean with its 94 % band; periods from
/// `holdoutStart` on were held out of the fit and are shaded.
public struct FitSeries: Sendable {
    public var dates: [CalendarDate], actual: [Double]
    public var fitted: [Double], lower94: [Double], upper94: [Double]
    public var holdoutStart: CalendarDate?
    public init(dates: [CalendarDate], actual: [Double], fitted: [Double], lower94: [Double], upper94: [Double], holdoutStart: CalendarDate?) {
        self.dates = dates; self.actual = actual; self.fitted = fitted
        self.lower94 = lower94; self.upper94 = upper94; self.holdoutStart = holdoutStart
    }
}

/// One row of a forest plot: a point estimate with its outer interval (`lower94`…`upper94`,
/// whatever mass the subtitle names) and, when known, a 50 % interval drawn thick.
public struct ForestRow: Sendable {
    public var label: String, channelIndex: Int
    public var mean: Double, lower50: Double?, upper50: Double?, lower94: Double, upper94: Double
    public init(label: String, channelIndex: Int, mean: Double, lower50: Double?, upper50: Double?, lower94: Double, upper94: Double) {
        self.label = label; self.channelIndex = channelIndex; self.mean = mean
        self.lower50 = lower50; self.upper50 = upper50; self.lower94 = lower94; self.upper94 = upper94
    }
}

/// Current and optimal spend of one channel.
public struct AllocationBar: Sendable {
    public var channel: String, channelIndex: Int, current: Double, optimal: Double
    public init(channel: String, channelIndex: Int, current: Double, optimal: Double) {
        self.channel = channel; self.channelIndex = channelIndex; self.current = current; self.optimal = optimal
    }
}

/// Best expected response at a total budget, with its 94 % band.
public struct FrontierChartPoint: Sendable {
    public var budget: Double, mean: Double, lower94: Double, upper94: Double
    public init(budget: Double, mean: Double, lower94: Double, upper94: Double) {
        self.budget = budget; self.mean = mean; self.lower94 = lower94; self.upper94 = upper94
    }
}

/// One step of the contribution waterfall; `channelIndex` nil for the baseline and other
/// components, which take `color` (default: baseline grey first, controls grey after).
public struct WaterfallStep: Sendable {
    public var label: String, value: Double, channelIndex: Int?, color: RGBA?
    public init(label: String, value: Double, channelIndex: Int?, color: RGBA? = nil) {
        self.label = label; self.value = value; self.channelIndex = channelIndex; self.color = color
    }
}

/// Posterior-mean adstock weights of a channel at lags 0, 1, … (they sum to 1), with each
/// lag's credible interval (`lower`/`upper`, empty when not summarised).
public struct AdstockWeights: Sendable {
    public var channel: String, channelIndex: Int, weights: [Double]
    public var lower: [Double], upper: [Double]
    public init(channel: String, channelIndex: Int, weights: [Double], lower: [Double] = [], upper: [Double] = []) {
        self.channel = channel; self.channelIndex = channelIndex; self.weights = weights
        self.lower = lower; self.upper = upper
    }
}

/// A saturation curve in scaled units (spend / channel scale → response share 0…1).
public struct SaturationCurve: Sendable {
    public var channel: String, channelIndex: Int, x: [Double], y: [Double]
    public init(channel: String, channelIndex: Int, x: [Double], y: [Double]) {
        self.channel = channel; self.channelIndex = channelIndex; self.x = x; self.y = y
    }
}

/// MCMC draws of one scalar parameter, `draws[chain][draw]`, with its R-hat.
public struct TraceData: Sendable {
    public var parameter: String, draws: [[Double]], rhat: Double
    public init(parameter: String, draws: [[Double]], rhat: Double) {
        self.parameter = parameter; self.draws = draws; self.rhat = rhat
    }
}

/// Checks that parallel arrays have equal, non-zero length.
func requireAligned(_ chart: String, _ arrays: [(String, Int)]) throws {
    guard let first = arrays.first else { return }
    if first.1 == 0 { throw ChartError.invalidInput(chart: chart, reason: "\(first.0) is empty") }
    for (name, n) in arrays where n != first.1 {
        throw ChartError.invalidInput(chart: chart, reason: "\(name) has \(n) values but \(first.0) has \(first.1)")
    }
}

/// Creates the canvas, draws title, subtitle and legend, and returns the region left for plots.
func startChart(_ size: ChartSize, title: String, subtitle: String?, legend: [Canvas.LegendItem]) throws -> (Canvas, Rect) {
    let canvas = try Canvas(width: size.width, height: size.height, scale: size.scale)
    var top = canvas.header(title: title, subtitle: subtitle)
    top = canvas.legend(legend, top: top)
    return (canvas, Rect(x: 12, y: top, w: size.width - 24, h: size.height - top - 10))
}

/// Smallest and largest of several arrays.
func extent(_ arrays: [[Double]]) -> (Double, Double) {
    var lo = Double.infinity, hi = -Double.infinity
    for a in arrays { for v in a where v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
    return lo <= hi ? (lo, hi) : (0, 1)
}

/// Linear interpolation of `ys` over increasing `xs` at `x`.
func interpolate(_ xs: [Double], _ ys: [Double], at x: Double) -> Double {
    guard let i = xs.firstIndex(where: { $0 >= x }) else { return ys.last ?? 0 }
    if i == 0 { return ys[0] }
    let t = (x - xs[i - 1]) / (xs[i] - xs[i - 1])
    return ys[i - 1] + t * (ys[i] - ys[i - 1])
}
