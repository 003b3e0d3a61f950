import Foundation

/// The families of issue 20's recovery benchmark (`mixplan-bench recovery`): realistic
/// simulated data that default fits must recover and converge on. Each is a preset, so
/// `mixplan simulate --preset NAME --seed N` writes the exact data and config a benchmark row
/// used. Weekly, three years; the target is ≈ 100,000 per week and media return ≈ 0.5–3 per
/// currency unit — the range the default ROAS prior expects, not one tuned to it.
extension SimulationPreset {
    /// Every recovery family, in the benchmark's order.
    public static let recovery: [SimulationPreset] = [
        recoveryTVTrend, recoveryLongCarryover, recoveryCorrelated, recoveryDelayedHill, recoveryRawControl, recoveryAlwaysOn,
        recoveryWeakRetail,
    ]

    private static let recoveryStart = CalendarDate(year: 2021, month: 1, day: 4)!

    /// A family with the shared calendar, scale and seasonality.
    private static func family(_ name: String, _ summary: String, adstock: AdstockKind = .geometric, saturation: SaturationKind = .logistic,
                               maxLag: Int = 8, channels: [SimulatedChannel], controls: [SimulatedControl] = [],
                               intercept: Double = 0.6, trend: Double? = nil, sigma: Double = 0.015) -> SimulationPreset {
        SimulationPreset(name: name, summary: summary, start: recoveryStart, stepDays: 7, periods: 156,
                         adstock: adstock, saturation: saturation, maxLag: maxLag, channels: channels, controls: controls,
                         intercept: intercept, fourierSin: [0.04, 0.01], fourierCos: [-0.02, 0.01], trend: trend,
                         sigma: sigma, targetScale: 100_000)
    }

    /// Flighted TV with a trend (TV on and off for weeks at a time, so its effect and the trend
    /// overlap), plus search.
    public static let recoveryTVTrend = family(
        "recovery-tv-trend", "flighted TV + search, upward trend",
        channels: [
            SimulatedChannel(name: "tv", pattern: .flighted, spendLevel: 8_000, adstock: [0.5], saturation: [2.5, 0.2]),
            SimulatedChannel(name: "search", pattern: .demandFollowing, spendLevel: 3_000, adstock: [0.1], saturation: [3.0, 0.04]),
        ],
        trend: 0.15)

    /// Long carry-over (TV α = 0.8 over 13 weeks) and a near-saturated always-on channel
    /// (logistic λ = 8: its curve is flat over most of its spend range).
    public static let recoveryLongCarryover = family(
        "recovery-long-carryover", "TV with long carry-over (α 0.8) + a near-saturated channel", maxLag: 13,
        channels: [
            SimulatedChannel(name: "tv", pattern: .flighted, spendLevel: 8_000, adstock: [0.8], saturation: [2.0, 0.2]),
            SimulatedChannel(name: "social", pattern: .alwaysOn, spendLevel: 2_500, adstock: [0.2], saturation: [8.0, 0.05]),
        ])

    /// Two channels whose spend is correlated at r ≈ 0.8 (social follows search).
    public static let recoveryCorrelated = family(
        "recovery-correlated", "search and social spend correlated (r ≈ 0.8)",
        channels: [
            SimulatedChannel(name: "search", pattern: .demandFollowing, spendLevel: 5_000, adstock: [0.1], saturation: [3.0, 0.08]),
            SimulatedChannel(name: "social", pattern: .correlated(with: "search", r: 0.8), spendLevel: 3_000, adstock: [0.3], saturation: [3.0, 0.05]),
        ])

    /// Delayed adstock, Hill curves, a trend and two controls.
    public static let recoveryDelayedHill = family(
        "recovery-delayed-hill", "delayed adstock + Hill + trend + price and holiday controls",
        adstock: .delayed, saturation: .hill,
        channels: [
            SimulatedChannel(name: "tv", pattern: .flighted, spendLevel: 8_000, adstock: [0.5, 2.0], saturation: [1.5, 0.4, 0.15]),
            SimulatedChannel(name: "search", pattern: .demandFollowing, spendLevel: 3_000, adstock: [0.2, 0.5], saturation: [1.2, 0.3, 0.05]),
        ],
        controls: [
            SimulatedControl(name: "price", pattern: .continuous, gamma: -0.03),
            SimulatedControl(name: "holiday", pattern: .holidays, gamma: 0.1),
        ],
        trend: 0.1)

    /// Controls in their own units — a competitor's spend in currency (~5·10⁵), a store count
    /// (~660) and a consumer index (~94) — which unscaled used to wreck a fit. The intercept
    /// is set so the baseline stays ≈ 0.6 with the controls at their means.
    public static let recoveryRawControl = family(
        "recovery-raw-control", "competitor spend (~5e5), store count (~660) and index (~94) as controls",
        channels: [
            SimulatedChannel(name: "tv", pattern: .flighted, spendLevel: 8_000, adstock: [0.5], saturation: [2.5, 0.2]),
            SimulatedChannel(name: "search", pattern: .demandFollowing, spendLevel: 3_000, adstock: [0.1], saturation: [3.0, 0.04]),
        ],
        controls: [
            SimulatedControl(name: "competitor_spend", pattern: .level(mean: 500_000, sd: 50_000), gamma: -0.03 / 50_000),
            SimulatedControl(name: "stores", pattern: .level(mean: 660, sd: 10), gamma: 0.02 / 10),
            SimulatedControl(name: "consumer_index", pattern: .level(mean: 94, sd: 3), gamma: 0.015 / 3),
        ],
        intercept: 0.6 + 0.03 * 10 - 0.02 * 66 - 0.015 * 94 / 3)

    /// An always-on channel whose spend barely moves (log-sd 0.15) next to two that vary.
    public static let recoveryAlwaysOn = family(
        "recovery-always-on", "an always-on channel with little variation + display + search",
        channels: [
            SimulatedChannel(name: "social", pattern: .steady(variation: 0.15), spendLevel: 3_000, adstock: [0.3], saturation: [2.0, 0.05]),
            SimulatedChannel(name: "display", pattern: .alwaysOn, spendLevel: 2_000, adstock: [0.2], saturation: [3.0, 0.03]),
            SimulatedChannel(name: "search", pattern: .demandFollowing, spendLevel: 3_000, adstock: [0.1], saturation: [3.0, 0.04]),
        ])

    /// The real-data pattern of issue 20: eight always-on channels whose spend is ≈ 2 % of the
    /// target, with weak signal (noise larger than any channel's weekly variation). True ROAS
    /// ≈ 0.5–2 (mean ≈ 1.1), media ≈ 2.3 % of the target. Data this weak hardly move the ROAS
    /// prior, so the fitted media share is about the prior's (mean ROAS 1.8 × spend share).
    public static let recoveryWeakRetail = family(
        "recovery-weak-retail", "8 always-on channels, spend ≈ 2 % of the target, weak signal",
        channels: [("tv", 0.5, 0.0064), ("radio", 0.3, 0.0032), ("print", 0.2, 0.0016), ("social", 0.2, 0.0048),
                   ("display", 0.2, 0.0016), ("search", 0.1, 0.0048), ("video", 0.4, 0.0032), ("email", 0.1, 0.0016)]
            .map { name, alpha, beta in
                SimulatedChannel(name: name, pattern: .steady(variation: 0.2), spendLevel: 160, adstock: [alpha], saturation: [2.0, beta])
            },
        controls: [SimulatedControl(name: "holiday", pattern: .holidays, gamma: 0.1)],
        intercept: 0.6, sigma: 0.03)
}
