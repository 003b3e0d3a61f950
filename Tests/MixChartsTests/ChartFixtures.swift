import Foundation
import MixCharts
import MixData

/// Fixed, realistic chart inputs: 5 channels, 156 weekly dates, logistic-style response curves,
/// 4 chains of draws from a seeded generator. Everything is a pure function of the arguments.
enum ChartFixtures {
    static let channels = ["TV", "Search", "Social", "Display", "Radio"]
    static let currentSpend: [Double] = [42_000, 28_000, 18_000, 9_000, 12_000]
    static let optimalSpend: [Double] = [36_000, 37_000, 22_000, 5_000, 9_000]
    static let ceiling: [Double] = [180_000, 140_000, 70_000, 20_000, 30_000]
    static let halfSat: [Double] = [40_000, 20_000, 18_000, 15_000, 14_000]

    /// Deterministic uniform(0,1) stream (SplitMix64).
    struct Rng {
        var state: UInt64
        mutating func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        mutating func normal() -> Double { sqrt(-2 * log(max(next(), 1e-300))) * cos(2 * .pi * next()) }
    }

    static func hill(_ x: Double, _ k: Double) -> Double { x * x / (x * x + k * k) }

    static func weeklyDates(_ n: Int = 156) -> [CalendarDate] {
        let start = CalendarDate(year: 2022, month: 1, day: 3)!
        return (0..<n).map { start.adding(days: 7 * $0) }
    }

    static func responsePanels(channelCount: Int = 5) -> [ResponseCurvePanel] {
        (0..<channelCount).map { c in
            let grid = (0...60).map { Double($0) / 60 * 2.2 * currentSpend[c] }
            let mean = grid.map { ceiling[c] * hill($0, halfSat[c]) }
            // Relative interval half-widths grow with spend, as extrapolation makes them do.
            func band(_ z: Double) -> ([Double], [Double]) {
                (zip(grid, mean).map { $1 * (1 - z * (0.08 + 0.10 * $0 / grid.last!)) },
                 zip(grid, mean).map { $1 * (1 + z * (0.08 + 0.10 * $0 / grid.last!)) })
            }
            let (l50, u50) = band(0.674), (l94, u94) = band(1.881)
            return ResponseCurvePanel(channel: channels[c], channelIndex: c, spendGrid: grid, mean: mean, lower50: l50, upper50: u50,
                                      lower94: l94, upper94: u94, currentSpend: currentSpend[c], optimalSpend: optimalSpend[c])
        }
    }

    static func contributions(weeks: Int = 156) -> ContributionSeries {
        var rng = Rng(state: 7)
        let dates = weeklyDates(weeks)
        let t = dates.indices.map(Double.init)
        let season = t.map { 9_000 * sin(2 * .pi * $0 / 52.18) }
        let channelsSeries = (0..<5).map { c in
            ChannelSeries(channel: channels[c], channelIndex: c,
                          values: t.map { _ in ceiling[c] / 8 * (0.7 + 0.6 * rng.next()) })
        }
        return ContributionSeries(dates: dates, baseline: t.map { 60_000 + 80 * $0 }, controls: t.map { 6_000 + 2_000 * cos($0 / 9) },
                                  seasonality: season, channels: channelsSeries)
    }

    static func fit(weeks: Int = 156) -> FitSeries {
        var rng = Rng(state: 11)
        let c = contributions(weeks: weeks)
        let fitted = c.dates.indices.map { i in c.baseline[i] + c.controls[i] + c.seasonality[i] + c.channels.reduce(0) { $0 + $1.values[i] } }
        let actual = fitted.map { $0 + 6_000 * rng.normal() }
        return FitSeries(dates: c.dates, actual: actual, fitted: fitted, lower94: fitted.map { $0 - 12_000 },
                         upper94: fitted.map { $0 + 12_000 }, holdoutStart: c.dates[weeks - 13])
    }

    static func roas() -> ([ForestRow], [ForestRow]) {
        let means: [Double] = [2.4, 3.1, 1.8, 0.7, 1.3]
        let roas = (0..<5).map { c in ForestRow(label: channels[c], channelIndex: c, mean: means[c], lower50: means[c] * 0.85,
                                                upper50: means[c] * 1.15, lower94: means[c] * 0.6, upper94: means[c] * 1.45) }
        let marg = (0..<5).map { c in ForestRow(label: channels[c], channelIndex: c, mean: means[c] * 0.5, lower50: means[c] * 0.4,
                                                upper50: means[c] * 0.6, lower94: means[c] * 0.25, upper94: means[c] * 0.8) }
        return (roas, marg)
    }

    static func allocation() -> [AllocationBar] {
        (0..<5).map { AllocationBar(channel: channels[$0], channelIndex: $0, current: currentSpend[$0] * 52, optimal: optimalSpend[$0] * 52) }
    }

    static func frontier() -> [FrontierChartPoint] {
        (0...40).map { i in
            let b = 2_000_000.0 + Double(i) * 150_000
            let m = 9_000_000 * (1 - exp(-b / 3_500_000))
            return FrontierChartPoint(budget: b, mean: m, lower94: m * 0.86, upper94: m * 1.12)
        }
    }

    static let currentBudget = 5_746_000.0
    static let currentResponse = 7_200_000.0

    static func waterfall() -> [WaterfallStep] {
        [WaterfallStep(label: "Baseline", value: 10_300_000, channelIndex: nil),
         WaterfallStep(label: "Controls", value: -450_000, channelIndex: nil)]
            + (0..<5).map { WaterfallStep(label: channels[$0], value: ceiling[$0] * 19.5, channelIndex: $0) }
    }

    static func adstock() -> [AdstockWeights] {
        let alphas = [0.7, 0.2, 0.45, 0.3, 0.55]
        return (0..<5).map { c in
            let raw = (0..<8).map { pow(alphas[c], Double($0)) }
            let s = raw.reduce(0, +)
            return AdstockWeights(channel: channels[c], channelIndex: c, weights: raw.map { $0 / s })
        }
    }

    static func saturation() -> [SaturationCurve] {
        (0..<5).map { c in
            let x = (0...80).map { Double($0) / 80 * 3 }
            let k = [0.6, 0.9, 1.2, 1.6, 0.8][c]
            return SaturationCurve(channel: channels[c], channelIndex: c, x: x, y: x.map { hill($0, k) })
        }
    }

    /// AR(1) chains around a per-parameter centre; chain 4 of the last parameter is offset to
    /// show what a poorly mixed parameter looks like.
    static func traces(parameters: Int = 4, chains: Int = 4, draws: Int = 1000) -> [TraceData] {
        var rng = Rng(state: 2024)
        let names = ["intercept", "beta[TV]", "alpha[Search]", "sigma", "lam[Social]", "beta[Display]"]
        return (0..<parameters).map { p in
            let draws: [[Double]] = (0..<chains).map { c in
                var x = 0.0
                let shift = (p == parameters - 1 && c == chains - 1) ? 0.8 : 0
                return (0..<draws).map { _ in x = 0.6 * x + 0.8 * rng.normal(); return Double(p + 1) + shift + 0.3 * x }
            }
            return TraceData(parameter: names[p % names.count], draws: draws, rhat: p == parameters - 1 ? 1.087 : 1.001 + 0.002 * Double(p))
        }
    }

    /// Every chart at `size`, by name.
    static func allCharts(size: ChartSize) throws -> [(String, RenderedChart)] {
        let (r, m) = roas()
        return [
            ("response_curves", try responseCurvesChart(responsePanels(), size: size)),
            ("response_overlay", try responseOverlayChart(responsePanels(), size: size)),
            ("contributions", try contributionsChart(contributions(), size: size)),
            ("actual_vs_fitted", try actualVsFittedChart(fit(), size: size)),
            ("roas_forest", try roasForestChart(roas: r, marginal: m, size: size)),
            ("allocation", try allocationChart(allocation(), size: size)),
            ("frontier", try frontierChart(frontier(), currentBudget: currentBudget, currentResponse: currentResponse, size: size)),
            ("waterfall", try waterfallChart(waterfall(), size: size)),
            ("adstock", try adstockChart(adstock(), size: size)),
            ("saturation", try saturationChart(saturation(), size: size)),
            ("diagnostics", try diagnosticsChart(traces(), size: ChartSize(width: size.width, height: size.height * 1.5, scale: size.scale))),
        ]
    }
}
