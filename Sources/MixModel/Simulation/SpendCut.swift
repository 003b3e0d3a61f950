import Foundation
import MixData

/// A spend-cut experiment in a simulated market: for `periods` rows from row `start` (0-based) the
/// channel spends only `1 − fraction` of what it would have spent. A twin market, identical but
/// untouched, shows what the cut market would have sold without the cut — the synthetic-control
/// design of a geo lift test — so the simulator can report the experiment's result as a lift test.
public struct SpendCut: Sendable, Equatable {
    /// First cut row (0-based).
    public var start: Int
    /// Number of cut rows.
    public var periods: Int
    /// Share of spend removed, in (0, 1]; 0.9 is a 90 % cut.
    public var fraction: Double

    public init(start: Int, periods: Int, fraction: Double) {
        self.start = start
        self.periods = periods
        self.fraction = fraction
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
/// window are left out, as a synthetic-control analyst would trim them). Its standard error is
/// that of a difference of two markets' window means with independent noise of the model's σ:
/// σ_Δy = √2 · σ · targetMax / √n. The measured `deltaY` is the true value plus one draw of that
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
