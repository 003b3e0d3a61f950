import Foundation
import MixData
import MixInference

/// The small Bayesian model `mixplan elicit` fits for one channel, in derivative space.
///
/// A lift test moved spend from x to x + Δx and the target by Δy: its average rate of change
/// Δy/Δx, with standard error σ/|Δx|, is the curve's *average slope* over [x, x + Δx] — the mean
/// of f′ there, (1/Δx)∫f′ = (f(x + Δx) − f(x))/Δx. In original units the curve is f(x) =
/// T·h(x/S; θ) (S the channel's largest spend, T the largest target, h the saturation), so in the
/// model's scaled units the likelihood of test i is
///
///     (Δyᵢ/Δxᵢ)·S/T ~ Normal((h(bᵢ; θ) − h(aᵢ; θ))/(bᵢ − aᵢ), (σᵢ/|Δxᵢ|)·S/T),
///     aᵢ = xᵢ/S, bᵢ = (xᵢ + Δxᵢ)/S,
///
/// several tests multiply, and θ (the saturation parameters, β last) keeps the model's priors.
/// The average slope, not the slope at the midpoint a + Δa/2: the two agree for small changes,
/// but a 90 % cut spans the curve's bend, where the midpoint slope misreads the test (on the
/// lift-cut-2ch sample it put the 95 % interval of λ at [0.06, 2.3] with the truth at 2.5).
/// The sampler moves on each prior's unconstrained scale (log, logit…), Jacobian included —
/// except β when its prior lives on (0, ∞): then, as in the MMM (`SamplerCoordinates.swift`), it
/// moves v = log(β·h̄(θ)), h̄ the average slope with β = 1 over the most precise test's interval
/// (the smallest σ/|Δy|), and β = e^v/h̄(θ). One test pins a curved ridge in (log λ, log β) —
/// β·h̄(λ) = the observed slope — that cost `elicit` 32 divergences on an always-on channel's
/// single test (issue 26); in (log λ, v) the ridge is a straight line along λ. The map is
/// triangular, so log|J| = Σ log|dθ_k/du_k| + log β and the shape coordinates' gradient gains
/// −(∂ℓ/∂β·β + 1)·∂log h̄/∂θ_k·dθ_k/du_k.
///
/// With β derived, a positive shape parameter moves on `SoftplusScale` instead of the log scale:
/// along the ridge β grows like e^(θ·a) as the curve saturates, and β's prior ends the posterior
/// with a wall that the log scale makes double-exponential (41 divergences on always-on-lift-2ch).
public struct SlopeModel: LogDensity {
    public let saturation: Saturation
    public let priors: [Prior]
    /// Scaled spend levels before each test, xᵢ/S.
    public let levels: [Double]
    /// Scaled spend levels during each test, (xᵢ + Δxᵢ)/S.
    public let levelsDuring: [Double]
    /// Scaled observed slopes (Δyᵢ/Δxᵢ)·S/T.
    public let slopes: [Double]
    /// Scaled slope standard errors (σᵢ/|Δxᵢ|)·S/T.
    public let standardErrors: [Double]
    /// S: the channel's largest spend per period in the data.
    public let spendScale: Double
    /// T: the largest target per period in the data.
    public let targetScale: Double
    private let kernels: [PriorKernel]
    /// The test whose interval β's coordinate measures, nil when β is sampled on its own scale.
    private let reference: Int?
    /// ∂θ/∂u through h̄ for the shape coordinates (scratch).
    private var chain: [Double]
    private var dLow: [Double]
    private var theta: [Double]
    private var dTheta: [Double]
    private var dBefore: [Double]
    private var dDuring: [Double]

    /// The model for `tests` (all on one channel) with spend scale S and target scale T.
    public init(saturation: Saturation, priors: [Prior], tests: [LiftTest], spendScale: Double, targetScale: Double) {
        precondition(priors.count == saturation.parameterCount, "one prior per saturation parameter")
        self.saturation = saturation
        self.priors = priors
        kernels = priors.map(\.kernel)
        self.spendScale = spendScale
        self.targetScale = targetScale
        let toScaled = spendScale / targetScale
        levels = tests.map { $0.spend / spendScale }
        levelsDuring = tests.map { $0.spendDuring / spendScale }
        slopes = tests.map { $0.observedSlope * toScaled }
        standardErrors = tests.map { $0.standardError / abs($0.spendChange) * toScaled }
        theta = [Double](repeating: 0, count: priors.count)
        dTheta = theta
        dBefore = theta
        dDuring = theta
        chain = theta
        dLow = theta
        if case .lowerBounded(0) = priors[priors.count - 1].support, !tests.isEmpty {
            reference = tests.indices.min { abs(tests[$0].standardError / tests[$0].targetChange) < abs(tests[$1].standardError / tests[$1].targetChange) }
        } else {
            reference = nil
        }
    }

    public var dimension: Int { priors.count }
    public var parameterNames: [String] { saturation.parameterNames.map { "saturation_\($0)_unconstrained" } }

    /// Whether shape parameter k moves on the softplus scale (see the type's comment).
    private func softplusShape(_ k: Int) -> Bool {
        guard reference != nil, k < priors.count - 1, case .lowerBounded(0) = priors[k].support else { return false }
        return true
    }

    /// Natural parameters θ for the sampler's coordinates u.
    public func constrain(_ u: ArraySlice<Double>) -> [Double] {
        var θ = zip(kernels, u).enumerated().map { k, pair in
            softplusShape(k) ? SoftplusScale.constrain(pair.1).x : pair.0.constrain(pair.1).x
        }
        if let i = reference {
            let b = θ.count - 1
            var unit = θ
            unit[b] = 1
            θ[b] = exp(u[u.startIndex + b]) / averageSlope(i, parameters: unit)
        }
        return θ
    }

    /// The curve's average slope over test i's spend change, (h(bᵢ) − h(aᵢ))/(bᵢ − aᵢ), at θ.
    public func averageSlope(_ i: Int, parameters θ: [Double]) -> Double {
        (saturation.value(levelsDuring[i], parameters: θ) - saturation.value(levels[i], parameters: θ)) / (levelsDuring[i] - levels[i])
    }

    public mutating func logDensity(at u: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        let n = kernels.count, b = n - 1
        var total = 0.0
        for k in 0..<n where k < b || reference == nil {
            if softplusShape(k) {
                let t = SoftplusScale.constrain(u[k])
                let p = kernels[k].logDensity(t.x)
                total += p.value + t.logJacobian
                gradient[k] = p.derivative * t.dxdu + t.dLogJacobian
                theta[k] = t.x
                dTheta[k] = t.dxdu
                continue
            }
            let prior = kernels[k].logDensityUnconstrained(u[k])
            total += prior.value
            gradient[k] = prior.derivative
            theta[k] = prior.x
            dTheta[k] = kernels[k].constrain(u[k]).dxdu
        }
        guard total.isFinite else { return -.infinity }
        if let i = reference {
            // β = e^v / h̄(θ), h̄ the average slope with β = 1 over test i's interval.
            theta[b] = 1
            let width = levelsDuring[i] - levels[i]
            let h = theta.withUnsafeBufferPointer { p in
                dLow.withUnsafeMutableBufferPointer { d0 in
                    chain.withUnsafeMutableBufferPointer { d1 in
                        (saturation.evaluate(levelsDuring[i], p, dp: d1.baseAddress!).value
                            - saturation.evaluate(levels[i], p, dp: d0.baseAddress!).value) / width
                    }
                }
            }
            guard h > 0, h.isFinite else { return -.infinity }
            for k in 0..<b { chain[k] = (chain[k] - dLow[k]) / width / h * dTheta[k] }
            let logBeta = u[b] - log(h)
            let beta = exp(logBeta)
            let prior = kernels[b].logDensity(beta)
            total += prior.value + logBeta
            gradient[b] = prior.derivative * beta + 1
            theta[b] = beta
            dTheta[b] = beta
            guard total.isFinite else { return -.infinity }
        }
        var dLike = (0.0, 0.0, 0.0)
        theta.withUnsafeBufferPointer { p in
            dBefore.withUnsafeMutableBufferPointer { d0 in
                dDuring.withUnsafeMutableBufferPointer { d1 in
                    for i in slopes.indices {
                        let width = levelsDuring[i] - levels[i]
                        let before = saturation.evaluate(levels[i], p, dp: d0.baseAddress!).value
                        let during = saturation.evaluate(levelsDuring[i], p, dp: d1.baseAddress!).value
                        let z = (slopes[i] - (during - before) / width) / standardErrors[i]
                        total -= 0.5 * z * z
                        let w = z / (standardErrors[i] * width) // ∂(−z²/2)/∂(h(b) − h(a))
                        dLike.0 += w * (d1[0] - d0[0])
                        dLike.1 += w * (d1[1] - d0[1])
                        if n > 2 { dLike.2 += w * (d1[2] - d0[2]) }
                    }
                }
            }
        }
        gradient[0] += dLike.0 * dTheta[0]
        gradient[1] += dLike.1 * dTheta[1]
        if n > 2 { gradient[2] += dLike.2 * dTheta[2] }
        // β depends on the shape through h̄: gradient[b] holds ∂ℓ/∂β·β + 1.
        if reference != nil { for k in 0..<b { gradient[k] -= gradient[b] * chain[k] } }
        return total
    }
}
