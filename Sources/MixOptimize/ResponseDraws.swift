import Foundation
import MixData

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

/// Per-draw parameters of one channel's saturation curve and carryover, stored in flat arrays
/// so evaluating a channel over all draws touches contiguous memory and allocates nothing. The
/// curve is the model's own (`SaturationKind`, MixData) on a = spend / spendScale, with the
/// parameters in the model's order.
public struct ChannelDraws: Sendable, Codable {
    public var name: String
    public var family: SaturationKind
    /// Every draw's saturation parameters in `family.parameterNames` order, draw-major
    /// (`family.parameterCount` per draw), β last and in scaled target units (multiplied by
    /// `targetScale` when evaluated).
    public var parameters: [Double]
    /// Normalised adstock weights, `lagCount` per draw, draw-major.
    public var carryover: [Double]
    public var lagCount: Int
    /// Spend that maps to a = 1 (DESIGN.md §2: the channel's training maximum).
    public var spendScale: Double
    /// Target units per scaled unit (the training maximum of the target).
    public var targetScale: Double

    /// - Parameters:
    ///   - beta: β per draw (scaled target units).
    ///   - shapes: the family's other parameters in model order (`family.parameterNames` without
    ///     β), each one value per draw: `[λ]` for logistic and Michaelis–Menten, `[S, K]` for Hill.
    ///   - carryover: one weight vector per draw (each normalised here to sum 1); pass `[[1]]`-style
    ///     single weights for a channel without carryover. All draws must have the same length.
    public init(name: String, family: SaturationKind, beta: [Double], shapes: [[Double]],
                carryover: [[Double]], spendScale: Double, targetScale: Double) {
        let n = family.parameterCount
        precondition(shapes.count == n - 1, "one array per shape parameter of \(family.displayName)")
        precondition(shapes.allSatisfy { $0.count == beta.count }, "every shape parameter needs one value per draw")
        precondition(carryover.count == beta.count || carryover.count == 1, "carryover per draw or shared")
        precondition(spendScale > 0 && targetScale > 0, "scales must be positive")
        self.name = name
        self.family = family
        var flat = [Double](repeating: 0, count: n * beta.count)
        for d in 0..<beta.count {
            for k in 0..<(n - 1) { flat[d * n + k] = shapes[k][d] }
            flat[d * n + n - 1] = beta[d]
        }
        parameters = flat
        self.spendScale = spendScale
        self.targetScale = targetScale
        let lags = carryover.map(\.count).max() ?? 1
        lagCount = max(lags, 1)
        var weights = [Double](repeating: 0, count: lagCount * beta.count)
        for d in 0..<beta.count {
            let w = carryover.count == 1 ? carryover[0] : carryover[d]
            let total = w.reduce(0, +)
            precondition(total > 0, "carryover weights must not all be zero")
            for l in 0..<w.count { weights[d * lagCount + l] = w[l] / total }
        }
        self.carryover = weights
    }

    public var drawCount: Int { parameters.count / family.parameterCount }

    /// Parameter k (in `family.parameterNames` order) of every draw.
    public func parameter(_ k: Int) -> [Double] {
        let n = family.parameterCount
        return (0..<drawCount).map { parameters[$0 * n + k] }
    }

    /// β per draw (scaled target units).
    public var beta: [Double] { parameter(family.parameterCount - 1) }

    /// The same curves with β replaced, one value per draw (a geo cell shares its channel's
    /// shapes and carryover but has its own β).
    public func replacingBeta(_ beta: [Double]) -> ChannelDraws {
        let n = family.parameterCount
        precondition(beta.count == drawCount, "one β per draw")
        var copy = self
        for d in 0..<beta.count { copy.parameters[d * n + n - 1] = beta[d] }
        return copy
    }

    /// Whether every draw's curve is concave for a ≥ 0.
    public var isConcave: Bool {
        let n = family.parameterCount
        return parameters.withUnsafeBufferPointer { p in
            (0..<drawCount).allSatisfy { family.isConcave(UnsafeBufferPointer(rebasing: p[($0 * n)..<($0 * n + n)])) }
        }
    }

    /// Response and its derivative with respect to spend (currency) in draw `d`.
    @inline(__always)
    public func evaluate(draw d: Int, spend: Double) -> (value: Double, slope: Double) {
        evaluate(draw: d, level: max(spend, 0) / spendScale)
    }

    /// Response (target units) and d/dspend at the scaled level a ≥ 0 in draw `d`. An unbounded
    /// slope (Hill with S < 1 at a = 0) comes back as `greatestFiniteMagnitude`, so the
    /// optimiser's arithmetic stays finite (see `unboundedSlope`).
    @inline(__always)
    func evaluate(draw d: Int, level a: Double) -> (value: Double, slope: Double) {
        let n = family.parameterCount
        let r = parameters.withUnsafeBufferPointer { family.evaluate(a, UnsafeBufferPointer(rebasing: $0[(d * n)..<(d * n + n)]), dp: nil) }
        let slope = r.slope * targetScale / spendScale
        return (r.value * targetScale, slope.isFinite ? slope : .greatestFiniteMagnitude)
    }

    /// d²response/dspend² at the scaled level a ≥ 0 in draw `d`, infinities clamped to
    /// ±`greatestFiniteMagnitude`. The Newton mean solver's curvature.
    func curvature(draw d: Int, level a: Double) -> Double {
        let n = family.parameterCount
        let h = parameters.withUnsafeBufferPointer { family.curvature(a, UnsafeBufferPointer(rebasing: $0[(d * n)..<(d * n + n)])) }
        let scaled = h * targetScale / (spendScale * spendScale)
        return scaled.isFinite ? scaled : (scaled > 0 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude)
    }

    /// Slopes at or above this stand for +∞. At zero spend a Hill curve with S < 1 rises
    /// vertically; `evaluate` returns `greatestFiniteMagnitude` there so the optimiser's
    /// arithmetic stays finite, and averages over draws and carryover weights shrink it by at
    /// most the number of draws times the lags — while no real curve's slope (target units per
    /// unit of currency) comes within 100 orders of magnitude of this.
    public static let unboundedSlope = 1e200
}

/// A posterior given directly by per-draw parameters of the §2 saturation families (`SaturationKind`). The fitted
/// model builds one from its draws; tests build them by hand.
public struct ParametricResponseDraws: ResponseDraws, Sendable, Codable {
    public var channels: [ChannelDraws]

    public init(channels: [ChannelDraws]) {
        precondition(!channels.isEmpty, "at least one channel")
        let draws = channels[0].drawCount
        precondition(channels.allSatisfy { $0.drawCount == draws }, "every channel needs the same number of draws")
        self.channels = channels
    }

    public var channelNames: [String] { channels.map(\.name) }
    public var drawCount: Int { channels[0].drawCount }

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
            let n = c.family.parameterCount
            out.parameters = indices.flatMap { c.parameters[($0 * n)..<(($0 + 1) * n)] }
            out.carryover = indices.flatMap { c.carryover[($0 * c.lagCount)..<(($0 + 1) * c.lagCount)] }
            return out
        })
    }

    public func responseAndSlope(channel: Int, draw: Int, spend: Double) -> (value: Double, slope: Double) {
        channels[channel].evaluate(draw: draw, spend: spend)
    }
}
