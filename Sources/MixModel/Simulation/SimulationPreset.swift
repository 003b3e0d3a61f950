import Foundation

/// How a simulated channel spends over time.
public enum SpendPattern: Sendable {
    /// Steady spend with a mild yearly wave and multiplicative noise.
    case alwaysOn
    /// TV-like bursts: on for a few periods at a high level, then dark.
    case flighted
    /// Search-like: follows seasonal demand, noisy.
    case demandFollowing
    /// Always-on with little variation: a ±10 % yearly wave and multiplicative noise of
    /// log-sd `variation` (the hard case: the effect trades off against the intercept).
    case steady(variation: Double)
    /// Spend whose correlation with the earlier channel `channel`'s spend is about `r`: its
    /// standardised series times r plus independent noise times √(1 − r²), around the level.
    case correlated(with: String, r: Double)
    /// Always-on and barely moving: a yearly wave and noise whose combined coefficient of
    /// variation is about `cv` (0.06: the budget a planner sets once a year and leaves).
    case barelyMoving(cv: Double)
}

/// How a simulated control variable is generated.
public enum ControlPattern: Sendable {
    /// 1 in the listed periods (0-based row indices), else 0.
    case events([Int])
    /// 1 during yearly holiday windows (late November, Christmas week), else 0.
    case holidays
    /// A smooth standardised series (AR(1), φ = 0.8).
    case continuous
    /// A series in its own units around `mean` with standard deviation `sd` (the same AR(1)
    /// shape), e.g. a competitor's spend in currency (~5·10⁵), a store count (~660) or a price
    /// index (~94); its `gamma` is per unit. Written with two decimals.
    case level(mean: Double, sd: Double)
}

/// One channel of a preset: its spend pattern and true transform parameters (natural scale,
/// order of `AdstockKind.parameterNames` / `SaturationKind.parameterNames`). The saturation β is
/// given in "raw" target units before rescaling (see `Simulator`).
public struct SimulatedChannel: Sendable {
    public var name: String
    public var pattern: SpendPattern
    public var spendLevel: Double
    public var adstock: [Double]
    public var saturation: [Double]
    /// A spend-cut experiment on this channel (nil: none); see `SpendCut`.
    public var cut: SpendCut? = nil
}

/// A simulated control and its raw coefficient.
public struct SimulatedControl: Sendable {
    public var name: String
    public var pattern: ControlPattern
    public var gamma: Double
}

/// A named recipe for `mixplan simulate`: calendar, transform kinds and true parameters.
public struct SimulationPreset: Sendable {
    public var name: String
    public var summary: String
    public var start: CalendarDate
    public var stepDays: Int
    public var periods: Int
    public var adstock: AdstockKind
    public var saturation: SaturationKind
    public var maxLag: Int
    public var channels: [SimulatedChannel]
    public var controls: [SimulatedControl]
    /// Raw intercept (the baseline level before rescaling; other effects are relative to it).
    public var intercept: Double
    /// Raw Fourier coefficients: sin[j], cos[j] for j = 1…order.
    public var fourierSin: [Double]
    public var fourierCos: [Double]
    /// Raw trend coefficient δ (nil: no trend in the model).
    public var trend: Double?
    /// Raw noise standard deviation. The presets keep it at about a quarter of the target's
    /// variation, so that the true model explains ≈ 95 % of the variance (R² ≈ 0.95) — a fitted
    /// model can then be held to R² > 0.9 (issue 4's recovery criterion).
    public var sigma: Double
    /// Multiplies the raw target to give target units (≈ target per period).
    public var targetScale: Double
    /// A latent multiplier on every channel's effect (nil: effectiveness is constant).
    public var mediaDrift: MediaDrift? = nil
    /// When true, each channel's saturation β is its true value on the model's scale (ỹ = y/max y)
    /// and the simulator solves for the raw β that gives it (`Simulator.modelScaleTarget`).
    public var betaOnModelScale = false
    /// Prior overrides written into the preset's config under `model.priors` (key → prior text).
    public var configPriors: [(String, String)] = []
    /// Per-channel prior overrides, written under `model.channels.<channel>.priors`.
    public var channelConfigPriors: [(channel: String, key: String, prior: String)] = []
    /// Kept draws per chain written into the preset's config (`sampler.draws`).
    public var keptDraws = 1000

    public var fourierOrder: Int { fourierSin.count }

    /// All presets, in the order `--help` lists them.
    public static let all: [SimulationPreset] = [weekly2ch, weekly5ch, daily8ch, weekly3chLarge, weekly2chTVP, liftCut2ch, alwaysOnLift2ch, weekly2chTVPStep]

    /// A preset by name: a sample's (`all`) or a recovery family's (`recovery`).
    public static func named(_ name: String) -> SimulationPreset? { (all + recovery).first { $0.name == name } }

    /// Two channels, 179 weeks, two one-off events, yearly seasonality (like PyMC-Marketing's example).
    public static let weekly2ch = SimulationPreset(
        name: "weekly-2ch", summary: "2 channels, 179 weeks, 2 event controls, yearly seasonality",
        start: CalendarDate(year: 2018, month: 4, day: 2)!, stepDays: 7, periods: 179,
        adstock: .geometric, saturation: .logistic, maxLag: 8,
        channels: [
            SimulatedChannel(name: "x1", pattern: .alwaysOn, spendLevel: 3_000, adstock: [0.4], saturation: [4.0, 0.25]),
            SimulatedChannel(name: "x2", pattern: .flighted, spendLevel: 5_000, adstock: [0.2], saturation: [3.0, 0.2]),
        ],
        controls: [
            SimulatedControl(name: "event_1", pattern: .events([30]), gamma: -0.15),
            SimulatedControl(name: "event_2", pattern: .events([100]), gamma: 0.2),
        ],
        intercept: 0.6, fourierSin: [0.05, 0.01], fourierCos: [0.03, -0.01], trend: nil,
        sigma: 0.015, targetScale: 8_000)

    /// Five channels (always-on, flighted TV, search-like), 3 years weekly, trend, 2 controls.
    public static let weekly5ch = SimulationPreset(
        name: "weekly-5ch", summary: "5 channels (always-on, flighted TV, search), 156 weeks, trend, 2 controls",
        start: CalendarDate(year: 2021, month: 1, day: 4)!, stepDays: 7, periods: 156,
        adstock: .geometric, saturation: .logistic, maxLag: 8,
        channels: [
            SimulatedChannel(name: "tv", pattern: .flighted, spendLevel: 40_000, adstock: [0.6], saturation: [2.5, 0.18]),
            SimulatedChannel(name: "search", pattern: .demandFollowing, spendLevel: 15_000, adstock: [0.1], saturation: [3.5, 0.12]),
            SimulatedChannel(name: "social", pattern: .alwaysOn, spendLevel: 10_000, adstock: [0.3], saturation: [3.0, 0.08]),
            SimulatedChannel(name: "display", pattern: .alwaysOn, spendLevel: 6_000, adstock: [0.2], saturation: [4.0, 0.05]),
            SimulatedChannel(name: "radio", pattern: .flighted, spendLevel: 8_000, adstock: [0.45], saturation: [2.0, 0.07]),
        ],
        controls: [
            SimulatedControl(name: "price_index", pattern: .continuous, gamma: -0.04),
            SimulatedControl(name: "holiday", pattern: .holidays, gamma: 0.12),
        ],
        intercept: 0.5, fourierSin: [0.04, 0.015], fourierCos: [-0.03, 0.01], trend: 0.1,
        sigma: 0.0125, targetScale: 400_000)

    /// Eight channels, four years of daily data.
    public static let daily8ch = SimulationPreset(
        name: "daily-8ch", summary: "8 channels, 1461 days (4 years), 2 controls, yearly seasonality",
        start: CalendarDate(year: 2020, month: 1, day: 1)!, stepDays: 1, periods: 1461,
        adstock: .geometric, saturation: .michaelisMenten, maxLag: 14,
        channels: [
            SimulatedChannel(name: "tv", pattern: .flighted, spendLevel: 9_000, adstock: [0.75], saturation: [0.5, 0.22]),
            SimulatedChannel(name: "search", pattern: .demandFollowing, spendLevel: 3_000, adstock: [0.2], saturation: [0.4, 0.12]),
            SimulatedChannel(name: "social", pattern: .alwaysOn, spendLevel: 2_000, adstock: [0.5], saturation: [0.6, 0.09]),
            SimulatedChannel(name: "display", pattern: .alwaysOn, spendLevel: 1_500, adstock: [0.4], saturation: [0.5, 0.05]),
            SimulatedChannel(name: "video", pattern: .flighted, spendLevel: 4_000, adstock: [0.6], saturation: [0.7, 0.08]),
            SimulatedChannel(name: "radio", pattern: .flighted, spendLevel: 2_500, adstock: [0.5], saturation: [0.5, 0.05]),
            SimulatedChannel(name: "affiliate", pattern: .demandFollowing, spendLevel: 1_000, adstock: [0.1], saturation: [0.4, 0.05]),
            SimulatedChannel(name: "email", pattern: .alwaysOn, spendLevel: 500, adstock: [0.3], saturation: [0.5, 0.04]),
        ],
        controls: [
            SimulatedControl(name: "promo", pattern: .events([90, 91, 92, 400, 401, 402, 760, 761, 1120, 1121]), gamma: 0.15),
            SimulatedControl(name: "holiday", pattern: .holidays, gamma: 0.1),
        ],
        intercept: 0.5, fourierSin: [0.05, 0.01], fourierCos: [0.02, -0.015], trend: nil,
        sigma: 0.02, targetScale: 60_000,
        // An always-on channel's Michaelis–Menten curve with λ → 0 is a constant β that trades
        // off against the intercept; HalfNormal(1) on λ (mode 0) lets chains settle at different
        // points of that ridge. A prior away from 0 makes the fit converge.
        configPriors: [("saturation_lambda", "Gamma(mu=1, sigma=0.5)")])

    /// Three channels in large units (spend ~1e5, target ~1e7 per period): scaling must make the
    /// posterior as informative as on small units.
    public static let weekly3chLarge = SimulationPreset(
        name: "weekly-3ch-large", summary: "3 channels in large units (spend ~1e5, target ~1e7), 156 weeks",
        start: CalendarDate(year: 2021, month: 1, day: 4)!, stepDays: 7, periods: 156,
        adstock: .geometric, saturation: .logistic, maxLag: 8,
        channels: [
            SimulatedChannel(name: "tv", pattern: .flighted, spendLevel: 250_000, adstock: [0.5], saturation: [2.5, 0.2]),
            SimulatedChannel(name: "search", pattern: .demandFollowing, spendLevel: 120_000, adstock: [0.15], saturation: [3.5, 0.15]),
            SimulatedChannel(name: "social", pattern: .alwaysOn, spendLevel: 80_000, adstock: [0.3], saturation: [3.0, 0.1]),
        ],
        controls: [SimulatedControl(name: "holiday", pattern: .holidays, gamma: 0.1)],
        intercept: 0.55, fourierSin: [0.04, 0.01], fourierCos: [0.02, 0.0], trend: nil,
        sigma: 0.015, targetScale: 1.2e7)
}
