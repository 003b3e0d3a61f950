import Foundation

/// The intercept in the sampler's coordinates for a model with a channel calibrated by an
/// experiment: the sampler moves the *centred baseline* b = intercept + Σ_c C̄_c instead of the
/// intercept, where C̄_c = (1/T) Σ_t sat_c(a_c[t]) is channel c's mean effect over the training
/// periods and the sum runs over every channel whose β the sampler derives from an effect
/// (`ModelStructure.centredChannels`: all channels under the default priors).
///
/// Why: a channel whose spend barely moves (an always-on budget, the usual reason to run a lift
/// test) has a near-constant effect, which the data cannot tell from the baseline — only the sum
/// intercept + C̄ is pinned. The experiment pins the curve's slope over the tested interval, and
/// for a fixed slope the effect's level C̄ still grows steeply with the curve's bend (logistic:
/// about 0.9× the slope times the spend as λ → 0, 17× at λ = 10 over a 50 % cut). In (log λ,
/// intercept) the posterior is then a banana — intercept ≈ const − C̄(λ) — which no step size
/// follows (15–789 divergences on issue 26's case). In (log λ, b) the banana is straight: b is
/// what the data measure, and λ only moves what the small spend variations show. This is the
/// regression habit of centring a regressor, applied to the channel's non-linear effect. The
/// uncalibrated channels are centred too: a demand-following channel whose curve saturates also
/// has a near-constant effect (on always-on-lift-2ch every divergence left after centring on the
/// calibrated channel alone sat at search's λ ≈ 5–7, beyond its posterior's 95 % quantile).
///
/// The map (b, φ) → (intercept = b − Σ_c C̄_c(φ), φ) (φ every other parameter) is triangular with
/// a unit diagonal, so its log-Jacobian is 0 and the posterior of the natural parameters is
/// unchanged. With ℓ the log density in natural parameters and D = ∂ℓ/∂intercept (likelihood and
/// the intercept's prior),
///
///     ∂ℓ/∂b = D,   ∂ℓ/∂φ_k gains −D · ∂C̄_c/∂φ_k = −D · (1/T) Σ_t ∂sat_c(a_c[t])/∂φ_k,
///
/// and Σ_t ∂sat/∂φ_k is the column sum the model already holds for every channel parameter
/// (∂μ[t]/∂φ_k without a media multiplier). C̄ is the static mean even with a media multiplier:
/// any function of φ gives a valid change of variables; this one centres the static part.
/// Used only when the intercept's prior is on ℝ (its default Normal), so b − Σ C̄ is always in
/// its support.
final class InterceptCentring {
    /// The calibrated channels' first parameter (adstock) and parameter count, and β's index.
    private let channels: [(first: Int, count: Int, beta: Int)]
    let interceptIndex: Int
    private let interceptPrior: PriorKernel
    /// The shift Σ_c C̄_c of the last evaluation.
    private(set) var shift = 0.0

    /// Nil when no channel centres the intercept or its prior is not on ℝ.
    init?(_ s: ModelStructure) {
        guard s.centresIntercept else { return nil }
        channels = s.centredChannels.map { s.channels[$0] }.map { ch in
            (ch.adstockOffset, ch.saturationOffset + ch.saturation.parameterCount - ch.adstockOffset,
             ch.saturationOffset + ch.saturation.parameterCount - 1)
        }
        interceptIndex = s.interceptIndex
        interceptPrior = s.parameters[s.interceptIndex].prior.kernel
    }

    /// After the prior loop (which skips the intercept): b is taken as the intercept for now —
    /// the baseline columns need a coefficient before the channels are evaluated — with no
    /// prior, no Jacobian and dx/du = 1.
    @inline(__always)
    func begin(_ u: UnsafeBufferPointer<Double>, natural x: UnsafeMutablePointer<Double>, dxdu: UnsafeMutablePointer<Double>,
               gradient g: UnsafeMutableBufferPointer<Double>) {
        x[interceptIndex] = u[interceptIndex]
        dxdu[interceptIndex] = 1
        g[interceptIndex] = 0
    }

    /// After the channel loop: `totals` holds Σ_t ∂μ[t]/∂p for every channel parameter p (from
    /// `firstChannelParameter`) — β's is Σ_t sat with β = 1. Sets the intercept to b − Σ C̄ and
    /// takes the shift off μ.
    @inline(__always)
    func apply(natural x: UnsafeMutablePointer<Double>, totals: UnsafePointer<Double>, firstChannelParameter first: Int,
               mu: UnsafeMutablePointer<Double>, periods T: Int) {
        var total = 0.0
        for ch in channels { total += x[ch.beta] * totals[ch.beta - first] }
        shift = total / Double(T)
        x[interceptIndex] -= shift
        for t in 0..<T { mu[t] -= shift }
    }

    /// After the likelihood and calibration terms: adds the intercept's prior at its natural
    /// value, then the chain-rule term −D·∂C̄/∂φ_k·dφ_k/du_k to every calibrated channel's
    /// parameters (for β, dx/du = β in the effect coordinates, as the caller's later step through
    /// β expects). Returns the prior's log density.
    @inline(__always)
    func finish(natural x: UnsafePointer<Double>, dxdu: UnsafePointer<Double>, totals: UnsafePointer<Double>,
                firstChannelParameter first: Int, periods T: Int, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
        let prior = interceptPrior.logDensity(x[interceptIndex])
        g[interceptIndex] += prior.derivative
        let scale = -g[interceptIndex] / Double(T)
        for ch in channels {
            for p in ch.first..<(ch.first + ch.count) { g[p] += scale * totals[p - first] * dxdu[p] }
        }
        return prior.value
    }
}

extension ModelStructure {
    /// Whether the sampler moves the centred baseline instead of the intercept (`InterceptCentring`):
    /// when the intercept's prior is on ℝ and a channel is calibrated by an experiment (a lift test
    /// or a `lift_roi_prior`: its effect is measured over the tested interval) or a channel has the
    /// `default_priors: roas` default ROAS prior. With a ROAS prior an always-on channel's
    /// effect is pinned in size, so a flat curve's constant effect
    /// trades off against the intercept; moving their sum removes that ridge (issue 20's recovery
    /// families: 9 → 24 of 28 fits pass the gate).
    public var centresIntercept: Bool {
        guard case .real = parameters[interceptIndex].prior.support else { return false }
        return channels.contains { $0.effectReferenceStart != nil } || calibration.roiPriors.contains(where: \.isDefault)
    }

    /// The channels whose mean effect the centred baseline adds (empty when the model does not
    /// centre): every channel whose β the sampler derives from an effect (β's prior on (0, ∞)).
    public var centredChannels: [Int] {
        guard centresIntercept else { return [] }
        return channels.indices.filter { channels[$0].effectReference != nil }
    }

    /// Σ_c C̄_c: the calibrated channels' mean effect over the training periods at natural
    /// parameters `x` (0 when `centresIntercept` is false) — the shift between the intercept and
    /// the sampler's centred baseline.
    public func centredEffect(_ x: [Double]) -> Double {
        guard centresIntercept else { return 0 }
        let T = periodCount
        var total = 0.0
        for c in centredChannels {
            let ch = channels[c]
            let np = ch.adstock.parameterCount
            let w = ch.adstock.weights(Array(x[ch.adstockOffset..<(ch.adstockOffset + np)]))
            let a = Adstock.apply(weights: w, to: Array(scaledSpend[(c * T)..<((c + 1) * T)]))
            let p = Array(x[ch.saturationOffset..<(ch.saturationOffset + ch.saturation.parameterCount)])
            total += a.reduce(0) { $0 + ch.saturation.value($1, parameters: p) }
        }
        return total / Double(T)
    }
}
