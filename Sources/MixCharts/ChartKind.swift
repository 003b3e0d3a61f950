import Foundation

/// Every chart MixPlan draws: the one list of chart identities. The pack renders them in this
/// order (those the results support), the report places each by its `section` in this order,
/// and the workbook and tests refer to them by case, never by a file-name string.
public enum ChartKind: String, CaseIterable, Sendable {
    case allocation
    case frontier
    case contributions
    case waterfall
    case roas
    case responseCurves = "response-curves"
    case responseOverlay = "response-overlay"
    case spendEffectShare = "spend-effect-share"
    case roasPriorPosterior = "roas-prior-posterior"
    case actualVsFitted = "actual-vs-fitted"
    case residuals
    case adstock
    case saturation
    case mediaMultiplier = "media-multiplier"
    case calibration
    case diagnostics
    // Geo panels only (GeoChartPack): the plan by geo (with a plan), ROAS per geo × channel,
    // per-geo fit, largest geos' curves.
    case geoAllocation = "geo-allocation"
    case geoROAS = "geo-roas"
    case geoFit = "geo-fit"
    case geoResponseCurves = "geo-response-curves"

    /// Where the report shows a chart.
    public enum Section: Sendable {
        case recommendation, channels, confidence, model, calibration, appendix
        /// Per-geo charts of a geo panel's report.
        case geos
    }

    /// True for the charts only a geo panel's pack draws.
    public var isGeo: Bool { section == .geos }

    /// The PNG's file name, stable so reports and workbooks can link to it: "roas.png".
    public var fileName: String { rawValue + ".png" }

    /// The kind whose file is `fileName` (nil for any other name).
    public init?(fileName: String) {
        guard fileName.hasSuffix(".png") else { return nil }
        self.init(rawValue: String(fileName.dropLast(4)))
    }

    /// Every file name, in pack order.
    public static var fileNames: [String] { allCases.map(\.fileName) }

    /// The title drawn in the image.
    public var title: String {
        switch self {
        case .allocation: "Budget allocation: current vs optimal"
        case .frontier: "Budget frontier"
        case .contributions: "Contributions over time"
        case .waterfall: "Contribution waterfall"
        case .roas: "Return on ad spend"
        case .responseCurves: "Response curves"
        case .responseOverlay: "Response curves, all channels"
        case .spendEffectShare: "Share of spend against share of effect"
        case .roasPriorPosterior: "ROAS: prior against posterior"
        case .actualVsFitted: "Actual vs fitted"
        case .residuals: "Residuals"
        case .adstock: "Adstock: carry-over weights"
        case .saturation: "Saturation curves"
        case .mediaMultiplier: "Media effectiveness over time"
        case .calibration: "Calibration: prior against posterior"
        case .diagnostics: "Sampler diagnostics"
        case .geoAllocation: "Budget allocation by geo: current vs recommended"
        case .geoROAS: "Return on ad spend by geo"
        case .geoFit: "Actual vs fitted by geo"
        case .geoResponseCurves: "Response curves of the largest geos"
        }
    }

    public var section: Section {
        switch self {
        case .allocation, .frontier: .recommendation
        case .contributions, .waterfall, .roas, .responseCurves, .responseOverlay, .spendEffectShare, .roasPriorPosterior: .channels
        case .actualVsFitted, .residuals: .confidence
        case .adstock, .saturation, .mediaMultiplier: .model
        case .calibration: .calibration
        case .diagnostics: .appendix
        case .geoAllocation, .geoROAS, .geoFit, .geoResponseCurves: .geos
        }
    }

    /// The report's heading and caption for the chart, in the words of `target` (e.g. "sales")
    /// and `unit` (e.g. "week").
    public func reportText(target: String, unit: String) -> (title: String, caption: String) {
        switch self {
        case .allocation: ("Allocation", "Spend per \(unit) by channel: current against recommended.")
        case .frontier: ("Budget frontier", "The best expected \(target) at each total budget, with its band; current spend is 100 %.")
        case .contributions: ("Contributions over time", "What each channel and the baseline added to \(target), \(unit) by \(unit).")
        case .waterfall: ("Contribution waterfall", "Total \(target) split into baseline, controls, seasonality and each channel.")
        case .roas: ("Return on ad spend", "ROAS per channel with its credible interval.")
        case .responseCurves: ("Response curves", "Expected \(target) per \(unit) at each steady spend level, with bands; current and recommended spend marked. Dashed where the spend is beyond the largest the channel had in the data; a channel held at a bound is marked.")
        case .responseOverlay: ("Response curves together", "Every channel's mean response curve on one axis.")
        case .spendEffectShare: ("Spend share against effect share", "Each channel's share of media spend beside its share of the media effect on \(target); a channel whose effect share exceeds its spend share returns more than the average channel.")
        case .roasPriorPosterior: ("ROAS: prior against posterior", "Each channel's ROAS under the priors alone (grey) and after the data (colour); where they coincide the data said little.")
        case .actualVsFitted: ("Actual against fitted", "Observed \(target) and the model's fit with its band; held-out \(unit)s, if any, are marked.")
        case .residuals: ("Residuals", "Observed minus fitted \(target) per \(unit), with the ±2 σ noise band; runs or a trend mean the model misses something.")
        case .adstock: ("Carry-over (adstock)", "How long each channel's effect lasts: the weight of each lag, with its credible interval.")
        case .saturation: ("Saturation", "Diminishing returns of each channel on the adstocked spend.")
        case .mediaMultiplier: ("Media effectiveness over time", "The shared multiplier on every channel's effect (median and 94 % interval; 1 is the average over the data). Plans use its mean over the last \(unit)s, marked at the right.")
        case .calibration: ("Prior against posterior", "Each calibrated channel's parameters: the prior (grey) above the posterior, with means and intervals; the narrower the posterior, the more the data and experiments pinned it down.")
        case .diagnostics: ("Sampler diagnostics", "R-hat, effective sample size and divergences of the fit.")
        case .geoAllocation: ("Allocation by geo", "Spend over the horizon in each of the largest geos, channel by channel: current (pale) against recommended (solid), each geo on its own scale; the panel title gives the geo's total change.")
        case .geoROAS: ("ROAS by geo", "Each geo × channel cell's ROAS: posterior mean and its interval, coloured against break-even; grey cells never had spend. The last row is national (sums over geos, draw by draw).")
        case .geoFit: ("Fit by geo", "Observed \(target) per \(unit) against the model's fitted mean and its band, for the largest geos.")
        case .geoResponseCurves: ("Response curves by geo", "Expected \(target) per \(unit) at each steady spend in the largest geos, one curve per channel; current spend marked.")
        }
    }
}
