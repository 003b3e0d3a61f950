import Foundation
import MixData
import MixInference

/// The small Bayesian model `mixplan elicit` fits for one channel, in derivative space.
///
/// A lift test moved spend from x to x + Δx and the target by Δy: its average rate of change
/// Δy/Δx is read as the response curve's slope at the midpoint m = x + Δx/2, with standard error
/// σ/|Δx|. In original units the curve is f(x) = T·h(x/S; θ) (S the channel's largest spend,
/// T the largest target, h the saturation), so f′(m) = (T/S)·h′(m/S; θ). In the model's scaled
/// units the likelihood of test i is therefore
///
///     (Δyᵢ/Δxᵢ)·S/T ~ Normal(h′(mᵢ/S; θ), (σᵢ/|Δxᵢ|)·S/T),
///
/// several tests multiply, and θ (the saturation parameters, β last) keeps the model's priors.
/// The sampler moves on each prior's unconstrained scale (log, logit…), Jacobian included.
public struct SlopeModel: LogDensity {
    public let saturation: Saturation
    public let priors: [Prior]
    /// Scaled midpoints mᵢ/S.
    public let points: [Double]
    /// Scaled observed slopes (Δyᵢ/Δxᵢ)·S/T.
    public let slopes: [Double]
    /// Scaled slope standard errors (σᵢ/|Δxᵢ|)·S/T.
    public let standardErrors: [Double]
    /// S: the channel's largest spend per period in the data.
    public let spendScale: Double
    /// T: the largest target per period in the data.
    public let targetScale: Double
    private let kernels: [PriorKernel]
    private var theta: [Double]
    private var dTheta: [Double]
    private var dSlope: [Double]

    /// The model for `tests` (all on one channel) with spend scale S and target scale T.
    public init(saturation: Saturation, priors: [Prior], tests: [LiftTest], spendScale: Double, targetScale: Double) {
        precondition(priors.count == saturation.parameterCount, "one prior per saturation parameter")
        self.saturation = saturation
        self.priors = priors
        kernels = priors.map(\.kernel)
        self.spendScale = spendScale
        self.targetScale = targetScale
        let toScaled = spendScale / targetScale
        points = tests.map { ($0.spend + $0.spendChange / 2) / spendScale }
        slopes = tests.map { $0.observedSlope * toScaled }
        standardErrors = tests.map { $0.standardError / abs($0.spendChange) * toScaled }
        theta = [Double](repeating: 0, count: priors.count)
        dTheta = theta
        dSlope = theta
    }

    public var dimension: Int { priors.count }
    public var parameterNames: [String] { saturation.parameterNames.map { "saturation_\($0)_unconstrained" } }

    /// Natural parameters θ for unconstrained coordinates u.
    public func constrain(_ u: ArraySlice<Double>) -> [Double] {
        zip(kernels, u).map { $0.constrain($1).x }
    }

    public mutating func logDensity(at u: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        let n = kernels.count
        var total = 0.0
        for k in 0..<n {
            let prior = kernels[k].logDensityUnconstrained(u[k])
            total += prior.value
            gradient[k] = prior.derivative
            theta[k] = prior.x
            dTheta[k] = kernels[k].constrain(u[k]).dxdu
        }
        guard total.isFinite else { return -.infinity }
        var dLike = (0.0, 0.0, 0.0)
        theta.withUnsafeBufferPointer { p in
            dSlope.withUnsafeMutableBufferPointer { ds in
                for i in points.indices {
                    let s = saturation.slopeGradient(points[i], p, dp: ds.baseAddress!)
                    let z = (slopes[i] - s) / standardErrors[i]
                    total -= 0.5 * z * z
                    let w = z / standardErrors[i] // ∂(−z²/2)/∂s
                    dLike.0 += w * ds[0]
                    dLike.1 += w * ds[1]
                    if n > 2 { dLike.2 += w * ds[2] }
                }
            }
        }
        gradient[0] += dLike.0 * dTheta[0]
        gradient[1] += dLike.1 * dTheta[1]
        if n > 2 { gradient[2] += dLike.2 * dTheta[2] }
        return total
    }
}
