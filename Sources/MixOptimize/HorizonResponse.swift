import Foundation

/// What "the response to a plan over H periods" means, in one place.
///
/// Channel c holds a steady history at its current spend x₀ per period (infinitely long), then
/// spends s per period in periods t = 0…H−1, then nothing. With the draw's normalised adstock
/// weights w[0…L−1] and W(t) = Σ_{l ≤ min(t, L−1)} w[l] (so W(t) = 1 for t ≥ L−1), the adstocked
/// level of DESIGN.md §2 is
///
///     a(t) = s·W(t) + x₀·(1 − W(t))                    for 0 ≤ t < H
///     a(t) = s·(W(t) − W(t−H)) + x₀·(1 − W(t))          for H ≤ t < H + L − 1  (the tail)
///
/// and the **horizon response** is Σ_{t<H} f(a(t)), plus Σ_{tail} f(a(t)) when the carryover tail
/// is counted (default): the effect the horizon's spend still has after the horizon ends. The
/// history's carryover into the first L−1 periods is part of what the model predicts for them and
/// is counted too. With x₀ = s and no tail this is exactly H·f(s), the steady-state response.
public struct HorizonSettings: Codable, Sendable, Equatable {
    /// Number of periods H the budget covers (≥ 1).
    public var periods: Int
    /// Count the carryover tail after the horizon (default on; see the type's comment).
    public var countCarryoverTail: Bool

    public init(periods: Int, countCarryoverTail: Bool = true) {
        self.periods = periods
        self.countCarryoverTail = countCarryoverTail
    }
}

/// Per-draw horizon response of every channel, precomputed as terms m·f(α·s + β) so one
/// evaluation of a channel over all draws is a tight loop with no allocation.
public final class HorizonResponse {
    public let draws: any ResponseDraws
    public let settings: HorizonSettings
    public let channelCount: Int
    public let drawCount: Int
    /// Terms per draw for each channel (padded with zero multiplicity).
    private var stride: [Int]
    private var alpha: [[Double]]
    private var offset: [[Double]]
    private var mult: [[Double]]
    /// The parameters themselves when the posterior is parametric: the hot loop then evaluates
    /// the curve inline instead of through the protocol.
    private let parametric: [ChannelDraws]?
    /// The vectorised loop of each logistic / Michaelis–Menten channel (nil for Hill and for
    /// non-parametric posteriors, which take the term-by-term path).
    private var kernels: [HorizonKernel?]

    /// - Parameter history: current spend per period of each channel (x₀ above).
    public init(draws: any ResponseDraws, settings: HorizonSettings, history: [Double]) {
        precondition(settings.periods >= 1, "horizon must be at least one period")
        precondition(history.count == draws.channelNames.count, "one history spend per channel")
        self.draws = draws
        self.settings = settings
        channelCount = draws.channelNames.count
        drawCount = draws.drawCount
        stride = []
        alpha = []
        offset = []
        mult = []
        parametric = (draws as? ParametricResponseDraws)?.channels
        kernels = (0..<channelCount).map { c in
            (draws as? ParametricResponseDraws).flatMap { HorizonKernel(channel: $0.channels[c], settings: settings, history: history[c]) }
        }
        let h = settings.periods
        for c in 0..<channelCount {
            let lags = draws.carryoverWeights(channel: c, draw: 0).count
            let k = 2 * max(lags - 1, 0) + 1
            var al = [Double](repeating: 0, count: k * drawCount)
            var of = al, mu = al
            for d in 0..<drawCount {
                let w = draws.carryoverWeights(channel: c, draw: d)
                let cum = w.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1) }
                func big(_ t: Int) -> Double { t < 0 ? 0 : (t >= cum.count - 1 ? 1 : cum[t]) }
                var j = d * k
                func add(_ a: Double, _ b: Double, _ m: Double) {
                    guard m > 0, a > 0 || b > 0 else { return }
                    al[j] = a; of[j] = b; mu[j] = m; j += 1
                }
                for t in 0..<min(h, lags - 1) { add(big(t), history[c] * (1 - big(t)), 1) }
                if h > lags - 1 { add(1, 0, Double(h - (lags - 1))) }
                if settings.countCarryoverTail {
                    for t in h..<(h + lags - 1) { add(big(t) - big(t - h), history[c] * (1 - big(t)), 1) }
                }
            }
            stride.append(k)
            alpha.append(al)
            offset.append(of)
            mult.append(mu)
        }
    }

    /// Horizon response of channel `c` in draw `d` at spend `s` per period, and its derivative in s.
    @inline(__always)
    public func evaluate(channel c: Int, draw d: Int, spend s: Double) -> (value: Double, slope: Double) {
        let k = stride[c]
        var v = 0.0, g = 0.0
        alpha[c].withUnsafeBufferPointer { al in
            offset[c].withUnsafeBufferPointer { of in
                mult[c].withUnsafeBufferPointer { mu in
                    for j in (d * k)..<(d * k + k) where mu[j] > 0 {
                        let r = draws.responseAndSlope(channel: c, draw: d, spend: al[j] * s + of[j])
                        v += mu[j] * r.value
                        g += mu[j] * al[j] * r.slope
                    }
                }
            }
        }
        return (v, g)
    }

    /// Channel `c` over all draws at spend `s`: writes per-draw values (and slopes when given) and
    /// returns the means. Allocation-free; the optimiser's hot path.
    @discardableResult
    public func evaluate(channel c: Int, spend s: Double, values: UnsafeMutableBufferPointer<Double>?,
                         slopes: UnsafeMutableBufferPointer<Double>?) -> (value: Double, slope: Double) {
        let r = evaluate(channel: c, spend: s, values: values, slopes: slopes, curvatures: nil)
        return (r.value, r.slope)
    }

    /// Whether `evaluate` reports second derivatives (parametric posteriors); the Newton mean
    /// solver needs them.
    public var hasCurvature: Bool { parametric != nil }

    /// As `evaluate(channel:spend:values:slopes:)`, plus the second derivative in s per draw and
    /// its mean (NaN when the posterior is not parametric; see `hasCurvature`).
    @discardableResult
    public func evaluate(channel c: Int, spend s: Double, values: UnsafeMutableBufferPointer<Double>?,
                         slopes: UnsafeMutableBufferPointer<Double>?,
                         curvatures: UnsafeMutableBufferPointer<Double>?) -> (value: Double, slope: Double, curvature: Double) {
        evaluate(channel: c, spend: s, values: values, slopes: slopes, curvatures: curvatures, wantCurvature: curvatures != nil)
    }

    func evaluate(channel c: Int, spend s: Double, values: UnsafeMutableBufferPointer<Double>?, slopes: UnsafeMutableBufferPointer<Double>?,
                  curvatures: UnsafeMutableBufferPointer<Double>?, wantCurvature: Bool) -> (value: Double, slope: Double, curvature: Double) {
        if let kernel = kernels[c] { return kernel.run(spend: s, values: values, slopes: slopes, curvatures: curvatures) }
        if let parametric { return evaluateParametric(parametric[c], channel: c, spend: s, values: values, slopes: slopes, curvatures: curvatures, wantCurvature: wantCurvature) }
        let k = stride[c]
        var sumV = 0.0, sumG = 0.0
        alpha[c].withUnsafeBufferPointer { al in
            offset[c].withUnsafeBufferPointer { of in
                mult[c].withUnsafeBufferPointer { mu in
                    for d in 0..<drawCount {
                        var v = 0.0, g = 0.0
                        for j in (d * k)..<(d * k + k) where mu[j] > 0 {
                            let r = draws.responseAndSlope(channel: c, draw: d, spend: al[j] * s + of[j])
                            v += mu[j] * r.value
                            g += mu[j] * al[j] * r.slope
                        }
                        values?[d] = v
                        slopes?[d] = g
                        curvatures?[d] = .nan
                        sumV += v
                        sumG += g
                    }
                }
            }
        }
        let n = Double(drawCount)
        return (sumV / n, sumG / n, .nan)
    }

    /// The term-by-term loop for parametric channels without a kernel (Hill, and any family
    /// `HorizonKernel` has no vectorised loop for).
    private func evaluateParametric(_ p: ChannelDraws, channel c: Int, spend s: Double, values: UnsafeMutableBufferPointer<Double>?,
                                    slopes: UnsafeMutableBufferPointer<Double>?,
                                    curvatures: UnsafeMutableBufferPointer<Double>?, wantCurvature: Bool) -> (value: Double, slope: Double, curvature: Double) {
        let k = stride[c]
        let inverse = 1 / p.spendScale
        var sumV = 0.0, sumG = 0.0, sumH = 0.0
        alpha[c].withUnsafeBufferPointer { al in
            offset[c].withUnsafeBufferPointer { of in
                mult[c].withUnsafeBufferPointer { mu in
                    for d in 0..<drawCount {
                        var v = 0.0, g = 0.0, h = 0.0
                        for j in (d * k)..<(d * k + k) where mu[j] > 0 {
                            let a = max(al[j] * s + of[j], 0) * inverse
                            let r = p.evaluate(draw: d, level: a)
                            v += mu[j] * r.value
                            g += mu[j] * al[j] * r.slope
                            if wantCurvature { h += mu[j] * al[j] * al[j] * p.curvature(draw: d, level: a) }
                        }
                        values?[d] = v
                        slopes?[d] = g
                        curvatures?[d] = h
                        sumV += v
                        sumG += g
                        sumH += h
                    }
                }
            }
        }
        let n = Double(drawCount)
        return (sumV / n, sumG / n, wantCurvature ? sumH / n : .nan)
    }

    /// Mean over draws of channel `c`'s horizon response and slope at spend `s`.
    public func mean(channel c: Int, spend s: Double) -> (value: Double, slope: Double) {
        evaluate(channel: c, spend: s, values: nil, slopes: nil)
    }

    /// Mean over draws of channel `c`'s horizon response, slope and curvature at spend `s`.
    public func meanWithCurvature(channel c: Int, spend s: Double) -> (value: Double, slope: Double, curvature: Double) {
        evaluate(channel: c, spend: s, values: nil, slopes: nil, curvatures: nil, wantCurvature: true)
    }

    /// Per-draw totals over all channels for an allocation (spend per period per channel).
    public func totals(_ allocation: [Double]) -> [Double] {
        var total = [Double](repeating: 0, count: drawCount)
        var buffer = [Double](repeating: 0, count: drawCount)
        for c in 0..<channelCount {
            _ = buffer.withUnsafeMutableBufferPointer { evaluate(channel: c, spend: allocation[c], values: $0, slopes: nil) }
            for d in 0..<drawCount { total[d] += buffer[d] }
        }
        return total
    }

    /// Per-draw horizon response of one channel.
    public func channelDraws(_ c: Int, spend: Double) -> [Double] {
        var buffer = [Double](repeating: 0, count: drawCount)
        _ = buffer.withUnsafeMutableBufferPointer { evaluate(channel: c, spend: spend, values: $0, slopes: nil) }
        return buffer
    }
}
