import Foundation

/// Posterior response curves, one per channel per draw, in original units (currency in, target
/// units out). The optimiser only sees this protocol, so the fitted model's posterior and the
/// hand-made posteriors of the tests are interchangeable.
public protocol ResponseDraws {
    var channelNames: [String] { get }
    var drawCount: Int { get }
    /// Expected target per period from the channel when its adstocked spend level is `spend`
    /// currency per period, in draw `draw`. Adstock weights are normalised, so this is also the
    /// steady-state response to spending `spend` every period.
    func response(channel: Int, draw: Int, spend: Double) -> Double
    /// d response / d spend at `spend`.
    func marginalResponse(channel: Int, draw: Int, spend: Double) -> Double
    /// Normalised carryover weights w[0..L-1] of the channel in this draw (sum 1), used for the
    /// horizon and carryover-tail computation.
    func carryoverWeights(channel: Int, draw: Int) -> [Double]
    /// True when every draw's curve of the channel is concave on spend ≥ 0. The optimiser then
    /// solves the mean objective exactly by its KKT conditions; otherwise it searches globally.
    func isConcave(channel: Int) -> Bool
    /// Response and slope together (one evaluation of the curve); the optimiser's hot path.
    func responseAndSlope(channel: Int, draw: Int, spend: Double) -> (value: Double, slope: Double)
}

extension ResponseDraws {
    public func responseAndSlope(channel: Int, draw: Int, spend: Double) -> (value: Double, slope: Double) {
        (response(channel: channel, draw: draw, spend: spend), marginalResponse(channel: channel, draw: draw, spend: spend))
    }
}

/// The saturation families of DESIGN.md §2, applied to a = spend / spendScale.
public enum SaturationFamily: String, Codable, Sendable, CaseIterable {
    /// β (1 − e^(−λa)) / (1 + e^(−λa)); parameters (β, λ).
    case logistic
    /// β a^S / (a^S + K^S); parameters (β, K, S).
    case hill
    /// β a / (λ + a); parameters (β, λ).
    case michaelisMenten
}

/// Per-draw parameters of one channel's saturation curve and carryover, stored in flat arrays
/// so evaluating a channel over all draws touches contiguous memory and allocates nothing.
public struct ChannelDraws: Sendable, Codable {
    public var name: String
    public var family: SaturationFamily
    /// β per draw (scaled target units; multiplied by `targetScale`).
    public var beta: [Double]
    /// λ for logistic and Michaelis–Menten, K for Hill, per draw.
    public var shape1: [Double]
    /// S for Hill per draw; unused (empty) for the other families.
    public var shape2: [Double]
    /// Normalised adstock weights, `lagCount` per draw, draw-major.
    public var carryover: [Double]
    public var lagCount: Int
    /// Spend that maps to a = 1 (DESIGN.md §2: the channel's training maximum).
    public var spendScale: Double
    /// Target units per scaled unit (the training maximum of the target).
    public var targetScale: Double

    /// - Parameters:
    ///   - carryover: one weight vector per draw (each normalised here to sum 1); pass `[[1]]`-style
    ///     single weights for a channel without carryover. All draws must have the same length.
    public init(name: String, family: SaturationFamily, beta: [Double], shape1: [Double], shape2: [Double] = [],
                carryover: [[Double]], spendScale: Double, targetScale: Double) {
        precondition(beta.count == shape1.count, "one λ/K per draw")
        precondition(family != .hill || shape2.count == beta.count, "Hill needs S per draw")
        precondition(carryover.count == beta.count || carryover.count == 1, "carryover per draw or shared")
        precondition(spendScale > 0 && targetScale > 0, "scales must be positive")
        self.name = name
        self.family = family
        self.beta = beta
        self.shape1 = shape1
        self.shape2 = shape2
        self.spendScale = spendScale
        self.targetScale = targetScale
        let lags = carryover.map(\.count).max() ?? 1
        lagCount = max(lags, 1)
        var flat = [Double](repeating: 0, count: lagCount * beta.count)
        for d in 0..<beta.count {
            let w = carryover.count == 1 ? carryover[0] : carryover[d]
            let total = w.reduce(0, +)
            precondition(total > 0, "carryover weights must not all be zero")
            for l in 0..<w.count { flat[d * lagCount + l] = w[l] / total }
        }
        self.carryover = flat
    }

    /// Whether every draw's curve is concave for a ≥ 0 (Hill only when S ≤ 1).
    public var isConcave: Bool {
        family != .hill || shape2.allSatisfy { $0 <= 1 }
    }

    /// Response and its derivative with respect to spend (currency) in draw `d`.
    @inline(__always)
    public func evaluate(draw d: Int, spend: Double) -> (value: Double, slope: Double) {
        family.evaluate(a: max(spend, 0) / spendScale, beta: beta[d] * targetScale, shape1: shape1[d],
                        shape2: family == .hill ? shape2[d] : 0, inverseScale: 1 / spendScale)
    }
}

extension SaturationFamily {
    /// f(a) and df/dspend for scaled level a ≥ 0, with β already in target units and
    /// `inverseScale` = 1 / spendScale (da/dspend).
    @inline(__always)
    func evaluate(a: Double, beta b: Double, shape1: Double, shape2: Double, inverseScale: Double) -> (value: Double, slope: Double) {
        switch self {
        case .logistic:
            // e = e^(−λa) ∈ (0, 1] for a ≥ 0, so (1 − e)/(1 + e) is stable; f' = β·2λe/(1 + e)².
            let e = exp(-shape1 * a)
            let inv = 1 / (1 + e)
            return (b * (1 - e) * inv, b * 2 * shape1 * e * inv * inv * inverseScale)
        case .michaelisMenten:
            let inv = 1 / (shape1 + a)
            return (b * a * inv, b * shape1 * inv * inv * inverseScale)
        case .hill:
            let k = shape1, s = shape2
            guard a > 0 else {
                // Slope at 0: β/K for S = 1, 0 for S > 1, unbounded for S < 1 (a large finite slope).
                let slope: Double = s == 1 ? b / k : (s > 1 ? 0 : .greatestFiniteMagnitude)
                return (0, slope * inverseScale)
            }
            let r = pow(k / a, s)          // (K/a)^S, so f = β / (1 + r)
            let inv = 1 / (1 + r)
            return (b * inv, b * s * r * inv * inv / a * inverseScale)
        }
    }
}

extension SaturationFamily {
    /// Slopes at or above this stand for +∞. At zero spend a Hill curve with S < 1 rises
    /// vertically; the kernels return `greatestFiniteMagnitude` there so the optimiser's
    /// arithmetic stays finite, and averages over draws and carryover weights shrink it by at
    /// most the number of draws times the lags — while no real curve's slope (target units per
    /// unit of currency) comes within 100 orders of magnitude of this.
    public static let unboundedSlope = 1e200

    /// d²f/dspend² at scaled level a ≥ 0 (β in target units, `inverseScale` = 1/spendScale):
    /// logistic 2βλ²e(e − 1)/(1 + e)³ with e = e^(−λa); Michaelis–Menten −2βλ/(λ + a)³; Hill, with
    /// r = (K/a)^S, βS·r·[S(r − 1) − (1 + r)]/(a²(1 + r)³). The Newton mean solver's curvature.
    func curvature(a: Double, beta b: Double, shape1: Double, shape2: Double, inverseScale: Double) -> Double {
        let scale2 = inverseScale * inverseScale
        switch self {
        case .logistic:
            let e = exp(-shape1 * a)
            let inv = 1 / (1 + e)
            return b * 2 * shape1 * shape1 * e * (e - 1) * inv * inv * inv * scale2
        case .michaelisMenten:
            let inv = 1 / (shape1 + a)
            return -2 * b * shape1 * inv * inv * inv * scale2
        case .hill:
            let k = shape1, s = shape2
            guard a > 0 else { return s == 1 ? -2 * b / (k * k) * scale2 : (s > 2 ? 0 : (s == 2 ? 2 * b / (k * k) * scale2 : (s > 1 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude))) }
            let r = pow(k / a, s)
            let inv = 1 / (1 + r)
            return b * s * r * (s * (r - 1) - (1 + r)) * inv * inv * inv / (a * a) * scale2
        }
    }
}

/// A posterior given directly by per-draw parameters of the §2 saturation families. The fitted
/// model builds one from its draws; tests build them by hand.
public struct ParametricResponseDraws: ResponseDraws, Sendable, Codable {
    public var channels: [ChannelDraws]

    public init(channels: [ChannelDraws]) {
        precondition(!channels.isEmpty, "at least one channel")
        let draws = channels[0].beta.count
        precondition(channels.allSatisfy { $0.beta.count == draws }, "every channel needs the same number of draws")
        self.channels = channels
    }

    public var channelNames: [String] { channels.map(\.name) }
    public var drawCount: Int { channels[0].beta.count }

    public func response(channel: Int, draw: Int, spend: Double) -> Double {
        channels[channel].evaluate(draw: draw, spend: spend).value
    }

    public func marginalResponse(channel: Int, draw: Int, spend: Double) -> Double {
        channels[channel].evaluate(draw: draw, spend: spend).slope
    }

    public func carryoverWeights(channel: Int, draw: Int) -> [Double] {
        let c = channels[channel]
        return Array(c.carryover[(draw * c.lagCount)..<((draw + 1) * c.lagCount)])
    }

    public func isConcave(channel: Int) -> Bool { channels[channel].isConcave }

    /// The same posterior restricted to the draws at `indices` (e.g. a subsample for a fast
    /// global search stage).
    public func subset(_ indices: [Int]) -> ParametricResponseDraws {
        ParametricResponseDraws(channels: channels.map { c in
            var out = c
            out.beta = indices.map { c.beta[$0] }
            out.shape1 = indices.map { c.shape1[$0] }
            out.shape2 = c.shape2.isEmpty ? [] : indices.map { c.shape2[$0] }
            out.carryover = indices.flatMap { c.carryover[($0 * c.lagCount)..<(($0 + 1) * c.lagCount)] }
            return out
        })
    }

    public func responseAndSlope(channel: Int, draw: Int, spend: Double) -> (value: Double, slope: Double) {
        channels[channel].evaluate(draw: draw, spend: spend)
    }
}
