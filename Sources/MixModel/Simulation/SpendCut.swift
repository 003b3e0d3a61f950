import Foundation
import MixData

/// A spend-cut experiment across two twin markets (the synthetic-control design of a geo lift
/// test): for `periods` rows from row `start` (0-based) the channel runs a campaign at `campaign`
/// times its usual spend; one market cuts the campaign's spend by `fraction`, the other — the
/// market whose data the simulator writes — keeps it and so shows what the cut market would have
/// sold without the cut. The simulator reports the experiment's result as a lift test.
///
/// The markets share their demand shocks (weather, economy, competitors), which the comparison
/// cancels; only each market's own noise, of raw sd `marketSigma` (less than the preset's σ, which
/// includes the shared shocks), blurs the measured difference.
public struct SpendCut: Sendable, Equatable {
    /// First cut row (0-based).
    public var start: Int
    /// Number of cut rows.
    public var periods: Int
    /// Share of spend removed, in (0, 1]; 0.9 is a 90 % cut.
    public var fraction: Double
    /// Spend in the window as a multiple of the channel's usual level (1: no campaign).
    public var campaign: Double
    /// Raw sd of the noise one market does not share with its twin.
    public var marketSigma: Double
    /// When set, the test's standard error is this share of its true |Δy| instead of the one
    /// `marketSigma` implies (0.1: an experiment that measures the lift to ±10 %).
    public var relativeError: Double?

    public init(start: Int, periods: Int, fraction: Double, campaign: Double = 1, marketSigma: Double, relativeError: Double? = nil) {
        self.start = start
        self.periods = periods
        self.fraction = fraction
        self.campaign = campaign
        self.marketSigma = marketSigma
        self.relativeError = relativeError
    }

    /// The cut rows.
    public var rows: Range<Int> { start..<(start + periods) }
}

/// The lift test a simulated spend cut yields, as written to `lift_tests.csv`, with its true value.
///
/// The experiment compares the cut market with its untouched twin over the cut window. Its
/// expected result per period is the average over the window of the true steady-state response
/// difference f(cut spend) − f(spend), f(s) = targetMax · sat(s / spendMax; θ) in target units
/// (the definition the lift-test likelihood uses; the few weeks of carryover at either edge of the
/// window are left out, as a synthetic-control analyst would trim them). Its standard error is that
/// of a difference of two markets' window means with independent market noise σ_m (the shared
/// shocks cancel): σ_Δy = √2 · σ_m · (target units per raw unit) / √n. The measured `deltaY` is the
/// true value plus one draw of that
/// error, so the test is as noisy as the experiment it stands for.
public struct SimulatedLiftTest: Codable, Sendable, Equatable {
    public var channel: String
    /// Mean spend per period the twin market had over the window (currency).
    public var x: Double
    /// Mean change of spend per period in the cut market (negative).
    public var deltaX: Double
    /// The measured change in target per period (true value + measurement error).
    public var deltaY: Double
    /// The expected change in target per period (no measurement error).
    public var trueDeltaY: Double
    public var sigma: Double
    public var start: CalendarDate
    public var end: CalendarDate

    enum CodingKeys: String, CodingKey {
        case channel, x, sigma, start, end
        case deltaX = "delta_x"
        case deltaY = "delta_y"
        case trueDeltaY = "true_delta_y"
    }

    /// The test as the loader reads it (a `LiftTest` in original units).
    public var liftTest: LiftTest {
        LiftTest(channel: channel, spend: x, spendChange: deltaX, targetChange: deltaY, standardError: sigma,
                 start: start, end: end, source: "simulated")
    }

    /// `lift_tests.csv` for a list of tests (the columns `LiftTestLoader` reads).
    static func csv(_ tests: [SimulatedLiftTest]) -> String {
        var lines = ["channel,x,delta_x,delta_y,sigma,start,end,name"]
        for t in tests {
            lines.append([t.channel, String(format: "%.2f", t.x), String(format: "%.2f", t.deltaX),
                          String(format: "%.2f", t.deltaY), String(format: "%.2f", t.sigma),
                          t.start.description, t.end.description, "\(t.channel) spend cut"].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Simulator {
    /// The raw target scale M at which every channel's saturation β, given on the model's scale,
    /// holds exactly: the model sees ỹ = y / max y, so raw β_c = B_c · M with M = max_t y_raw[t].
    /// Writing y_raw[t] = base[t] + M · Σ_c B_c h_c[t] (h the saturation with β = 1), M solves
    /// M = max_t (base[t] + M · u[t]), u[t] = Σ_c B_c h_c[t] < 1, whose unique root is
    /// M = max_t base[t] / (1 − u[t]) (at that M every row satisfies base[t] + M·u[t] ≤ M, with
    /// equality at the arg-max).
    static func modelScaleTarget(base: [Double], unitMedia: [[Double]], betas: [Double]) -> Double {
        var m = -Double.infinity
        for t in base.indices {
            var u = 0.0
            for c in betas.indices { u += betas[c] * unitMedia[c][t] }
            precondition(u < 1, "the preset's model-scale media effects exceed the whole target")
            m = max(m, base[t] / (1 - u))
        }
        return m
    }
}
