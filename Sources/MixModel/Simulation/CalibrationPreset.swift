import MixData

extension SimulationPreset {
    /// The two-market synthetic-control story: during a 10-week campaign (2.5 × the usual spend) on
    /// the always-on "social" channel, one market cut the campaign's spend by 90 % while its twin —
    /// the market in data.csv — kept it; the comparison is written as a lift test
    /// (`lift_tests.csv`, see `SimulatedLiftTest`). The noise (σ = 0.045 raw) is mostly demand
    /// shocks the twin markets share; the experiment only sees each market's own part (0.01).
    ///
    /// Truth for the cut channel: Michaelis–Menten with α = 2.75, λ = 2.5 on the model's own
    /// scale — β·a/(λ + a) with a the adstocked x/max x and the effect in units of ỹ = y/max y
    /// (PyMC-Marketing's `alpha` is our β and its `lam` our λ, both on those scales). With λ far
    /// beyond the spend range (a ≤ 1) the curve is nearly straight over the data, so the data alone
    /// pin only the slope β/λ: the default priors (β ~ Gamma(mean 2, sd 1), λ ~ HalfNormal(1)) then
    /// settle on a much smaller λ and β, and only the experiment can move them to the truth.
    public static let liftCut2ch = SimulationPreset(
        name: "lift-cut-2ch",
        summary: "2 channels, 156 weeks, Michaelis–Menten; a lift test from a twin market that cut social by 90 % for 10 weeks",
        start: CalendarDate(year: 2021, month: 1, day: 4)!, stepDays: 7, periods: 156,
        adstock: .geometric, saturation: .michaelisMenten, maxLag: 8,
        channels: [
            SimulatedChannel(name: "social", pattern: .alwaysOn, spendLevel: 12_000, adstock: [0.5], saturation: [2.5, 2.75],
                             cut: SpendCut(start: 110, periods: 10, fraction: 0.9, campaign: 2.5, marketSigma: 0.01)),
            SimulatedChannel(name: "search", pattern: .demandFollowing, spendLevel: 8_000, adstock: [0.1], saturation: [1.0, 0.3]),
        ],
        controls: [SimulatedControl(name: "holiday", pattern: .holidays, gamma: 0.1)],
        intercept: 0.6, fourierSin: [0.05, 0.01], fourierCos: [0.03, -0.01], trend: nil,
        sigma: 0.045, targetScale: 50_000, betaOnModelScale: true,
        // search is demand-following and weakly identified: with λ's default HalfNormal (mode 0)
        // its curve can collapse to a constant that trades off against the intercept, a funnel
        // that leaves divergent transitions; a prior away from 0 (its truth is 1) removes it.
        channelConfigPriors: [(channel: "search", key: "saturation_lambda", prior: "Gamma(mu=1, sigma=0.5)")])
}
