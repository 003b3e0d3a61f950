import MixData

extension SimulationPreset {
    /// The case a lift test is usually run for (issue 26): "social" is always on and its spend
    /// barely moves (coefficient of variation ≈ 6 %), so the data alone cannot tell its effect
    /// from the baseline — the effect of a near-constant spend is itself near-constant and trades
    /// off against the intercept. One experiment cut social's spend by 50 % for 10 weeks in a
    /// twin market, measured to ±10 % (σ = 0.1·|true Δy|), and is written as `lift_tests.csv`.
    ///
    /// Truth on the model's scale (logistic saturation, the default): social λ = 2, β = 0.3
    /// (at its usual spend, about 0.85 of its largest, the curve is well into its bend: a 50 %
    /// cut loses about 60 % of the effect); search λ = 3, β = 0.15.
    public static let alwaysOnLift2ch = SimulationPreset(
        name: "always-on-lift-2ch",
        summary: "2 channels, 156 weeks, logistic; social always on (spend CV ≈ 6 %) with one 50 %-cut lift test (σ = 10 % of |Δy|)",
        start: CalendarDate(year: 2021, month: 1, day: 4)!, stepDays: 7, periods: 156,
        adstock: .geometric, saturation: .logistic, maxLag: 8,
        channels: [
            SimulatedChannel(name: "social", pattern: .barelyMoving(cv: 0.06), spendLevel: 12_000, adstock: [0.5], saturation: [2.0, 0.3],
                             cut: SpendCut(start: 110, periods: 10, fraction: 0.5, marketSigma: 0.01, relativeError: 0.1)),
            SimulatedChannel(name: "search", pattern: .demandFollowing, spendLevel: 8_000, adstock: [0.1], saturation: [3.0, 0.15]),
        ],
        controls: [SimulatedControl(name: "holiday", pattern: .holidays, gamma: 0.1)],
        intercept: 0.6, fourierSin: [0.05, 0.01], fourierCos: [0.03, -0.01], trend: nil,
        sigma: 0.03, targetScale: 50_000, betaOnModelScale: true)
}
