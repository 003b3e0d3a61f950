import Foundation
import MixData

/// One latent function of time, f = Φ·w with w_j = √S₁(√λ_j; ℓ)·c_j (S₁ the unit-amplitude
/// spectral density), and where its parameters sit in the model's vector: ℓ, η, then c_1…c_m.
///
/// The coefficients are the non-centred HSGP's η·z_j, z_j ~ Normal(0, 1), in two forms:
/// - the first k (`amplitudeCarriers`, named `v[j]`): c_j = v_j ~ Normal(0, η), the amplitude
///   moved into the coefficient;
/// - the rest (named `z[j]`): c_j = η·z_j, z_j ~ Normal(0, 1), fully non-centred.
///
/// Why: the low-frequency functions are the ones the data inform. Fully non-centred, data that
/// pin f's shape pin η·z_j, and the posterior of (log η, z) is a curved ridge (z_j ∝ 1/η) on which
/// NUTS diverged and needed small steps (weekly-2ch-tvp, m = 50: 38 divergences at target
/// acceptance 0.8; at 0.9 still 4–8 and 1.5 M gradients). Carrying η in those coefficients
/// removes the ridge. The high-frequency functions, which the length-scale all but switches off,
/// see no data; as v they would form a funnel with η (η mixed poorly: bulk ESS ≈ 200 with all 50
/// as v, 330 with 16), so they stay non-centred. k is the basis size the rule of thumb gives for
/// a length-scale of a sixth of the span (8 for weekly-2ch-tvp), capped at m.
public struct HSGPComponent: Sendable, Equatable {
    public var name: String
    public var basis: HSGPBasis
    /// Basis columns centred over the training periods (mean-zero functions).
    public var centred: Bool
    public var lengthScaleIndex: Int
    public var amplitudeIndex: Int
    /// First coefficient c_1; `basis.count` follow.
    public var coefficientOffset: Int
    /// k: the first k coefficients are v_j ~ Normal(0, η), the others η·z_j (see above).
    public var amplitudeCarriers: Int
    /// Φ on the training periods, `phi[j·T + t]` (centred if `centred`).
    public let phi: [Double]

    init(name: String, basis: HSGPBasis, centred: Bool, lengthScaleIndex: Int, amplitudeIndex: Int, coefficientOffset: Int,
         amplitudeCarriers: Int, periods T: Int) {
        self.name = name
        self.amplitudeCarriers = amplitudeCarriers
        self.basis = basis
        self.centred = centred
        self.lengthScaleIndex = lengthScaleIndex
        self.amplitudeIndex = amplitudeIndex
        self.coefficientOffset = coefficientOffset
        phi = basis.matrix(periods: T, centred: centred)
    }

    /// f on the T training periods for natural parameters x.
    public func values(_ x: [Double], periods T: Int) -> [Double] {
        precondition(phi.count == basis.count * T, "HSGP basis laid out for another number of periods")
        let l = x[lengthScaleIndex], eta = x[amplitudeIndex]
        var f = [Double](repeating: 0, count: T)
        for j in 0..<basis.count {
            let amplitude = j < amplitudeCarriers ? 1 : eta
            let w = HSGPBasis.spectralDensity(basis.kernel, omega: basis.frequency(j), lengthScale: l, amplitude: amplitude).squareRoot()
                * x[coefficientOffset + j]
            for t in 0..<T { f[t] += w * phi[j * T + t] }
        }
        return f
    }
}

/// The time-varying parts of the model (DESIGN.md §2's m[t] and a drifting intercept) laid out
/// in the parameter vector after every static parameter, so a static model's layout is untouched.
///
/// Media multiplier. With f the media GP on the T training periods,
///
///     m[t] = T·exp(f[t]) / Σ_s exp(f[s])
///
/// — positive, and its arithmetic mean over the training periods is exactly 1. A multiplier
/// times β is identified only up to scale (m·β = (k·m)·(β/k)); fixing the mean at 1 makes β the
/// channel's *average* effectiveness over the training data and m the relative effectiveness in
/// each period. (exp(f) alone would leave the scale to the prior on f's constant component, a
/// ridge along which β and m trade off.)
///
/// Intercept drift. d[t] = f[t] with every basis column centred over the training periods, so
/// Σ_t d[t] = 0 and the intercept keeps its meaning (the average baseline).
///
/// Beyond the training periods (holdout rows, response curves, the optimiser) both are held at
/// their mean over the last `planningPeriods` training periods — the level of the end of the
/// data, smoothed over a few periods against the noise of any single one; the GP is not
/// extrapolated (outside the data it only relaxes to its prior mean).
public struct TimeVaryingLayout: Sendable, Equatable {
    public var media: HSGPComponent?
    public var intercept: HSGPComponent?
    public var planningPeriods: Int

    public static let none = TimeVaryingLayout(media: nil, intercept: nil, planningPeriods: 4)

    public var isOn: Bool { media != nil || intercept != nil }

    /// Default length-scale prior, in periods, from the training span (T − 1 periods):
    /// LogNormal with 94 % of its mass between a twelfth of the span and the whole span (for three
    /// years of weekly data: about 15 to 180 weeks). Shorter drifts are hard to tell apart from
    /// noise and from flighting; longer ones are nearly a straight line in log m. LogNormal rather
    /// than InverseGamma because its quantiles have a closed form.
    public static func defaultLengthScalePrior(periods T: Int) -> PriorSpec {
        let span = Double(max(T - 1, 1))
        let lo = span / 12, hi = span
        let z94 = 1.880_793_608_151_251  // Φ⁻¹(0.97)
        return PriorSpec(.logNormal, ["mu": 0.5 * (log(lo) + log(hi)), "sigma": (log(hi) - log(lo)) / (2 * z94)])
    }

    /// Media amplitude η (the prior sd of log m, before centring): Exponential(3), so P(η > 1) ≈ 5 %.
    public static let defaultMediaAmplitudePrior = PriorSpec(.exponential, ["lam": 3])
    /// Intercept drift amplitude η (scaled target, max ỹ = 1): Exponential(10), P(η > 0.3) ≈ 5 %.
    public static let defaultInterceptAmplitudePrior = PriorSpec(.exponential, ["lam": 10])

    /// The basis size when `hsgp.basis_functions` is not set: the rule of thumb for the default
    /// prior's shortest length-scale (span/12) with the configured boundary factor.
    public static func defaultBasisFunctions(_ s: MixPlanConfig.TimeVarying, periods T: Int) -> Int {
        let span = Double(max(T - 1, 1))
        return HSGPBasis.suggest(kernel: s.kernel, span: span, smallestLengthScale: span / 12,
                                 minimumBoundaryFactor: s.boundaryFactor).basisFunctions
    }

    /// k, the coefficients that carry the amplitude (see `HSGPComponent`): the basis size the rule
    /// of thumb gives for a length-scale of a sixth of the span — about the default length-scale
    /// prior's 20th percentile, so the functions a likely length-scale uses.
    static func amplitudeCarriers(_ s: MixPlanConfig.TimeVarying, periods T: Int) -> Int {
        let span = Double(max(T - 1, 1))
        return HSGPBasis.suggest(kernel: s.kernel, span: span, smallestLengthScale: span / 6,
                                 minimumBoundaryFactor: s.boundaryFactor).basisFunctions
    }

    /// How many parameters the time-varying terms add for T training periods: per latent function
    /// (media multiplier, intercept drift) a length-scale, an amplitude and m basis coefficients.
    /// 0 when both switches are off. (`mixplan check` prints it beside the static count; the GP
    /// prior ties the coefficients together, so they do not raise the periods a model needs.)
    public static func parameterCount(_ s: MixPlanConfig.TimeVarying?, periods T: Int) -> (media: Int, intercept: Int) {
        guard let s, s.isOn else { return (0, 0) }
        let perFunction = 2 + (s.basisFunctions ?? defaultBasisFunctions(s, periods: T))
        return (s.media ? perFunction : 0, s.intercept ? perFunction : 0)
    }

    /// Appends the GP parameters to `params` (names `tvp_media.lengthscale`, `…amplitude`,
    /// `…v[j]` then `…z[j]`, and `tvp_intercept.…`); errors name the config key of a bad prior. The
    /// v_j are declared Normal(0, 1); `TimeVaryingDensity` adds the difference to their Normal(0, η)
    /// prior.
    static func build(_ s: MixPlanConfig.TimeVarying?, periods T: Int, parameters params: inout [ModelStructure.Parameter],
                      configPath: String) throws -> TimeVaryingLayout {
        guard let s, s.isOn else { return .none }
        let m = s.basisFunctions ?? defaultBasisFunctions(s, periods: T)
        let basis = HSGPBasis(kernel: s.kernel, count: m, boundaryFactor: s.boundaryFactor, periods: T)
        func add(_ name: String, _ spec: PriorSpec, key: String, positive: Bool = true) throws {
            let prior: Prior
            do { prior = try Prior(spec) } catch let e as PriorError {
                throw InputError(InputLocation(file: configPath, key: key), e.description)
            }
            if positive, prior.support != .lowerBounded(0) {
                throw InputError(InputLocation(file: configPath, key: key),
                                 "the prior \(spec) must live on (0, ∞), e.g. LogNormal, InverseGamma, Exponential or HalfNormal.")
            }
            params.append(ModelStructure.Parameter(name: name, prior: prior))
        }
        func component(_ name: String, centred: Bool, amplitude: PriorSpec, amplitudeKey: String) throws -> HSGPComponent {
            let l = params.count
            try add("\(name).lengthscale", s.lengthScalePrior ?? defaultLengthScalePrior(periods: T), key: "model.hsgp.lengthscale")
            try add("\(name).amplitude", amplitude, key: amplitudeKey)
            let z = params.count
            let k = min(m, amplitudeCarriers(s, periods: T))
            for j in 1...m {
                try add("\(name).\(j <= k ? "v" : "z")[\(j)]", PriorSpec(.normal, ["mu": 0, "sigma": 1]), key: "model.hsgp", positive: false)
            }
            return HSGPComponent(name: name, basis: basis, centred: centred, lengthScaleIndex: l, amplitudeIndex: l + 1,
                                 coefficientOffset: z, amplitudeCarriers: k, periods: T)
        }
        var layout = TimeVaryingLayout(media: nil, intercept: nil, planningPeriods: s.planningPeriods)
        if s.media {
            layout.media = try component("tvp_media", centred: false, amplitude: s.mediaAmplitudePrior ?? defaultMediaAmplitudePrior,
                                         amplitudeKey: "model.hsgp.media_amplitude")
        }
        if s.intercept {
            layout.intercept = try component("tvp_intercept", centred: true, amplitude: s.interceptAmplitudePrior ?? defaultInterceptAmplitudePrior,
                                             amplitudeKey: "model.hsgp.intercept_amplitude")
        }
        return layout
    }
}

extension ModelStructure {
    /// m[t] on the training periods for natural parameters x (all ones for a static model).
    public func mediaMultiplier(_ x: [Double]) -> [Double] {
        guard let gp = timeVarying.media else { return [Double](repeating: 1, count: periodCount) }
        let f = gp.values(x, periods: periodCount)
        let top = f.max() ?? 0
        let q = f.map { exp($0 - top) }
        let scale = Double(periodCount) / q.reduce(0, +)
        return q.map { $0 * scale }
    }

    /// The intercept drift d[t] on the training periods (scaled target units; zeros when off).
    public func interceptDrift(_ x: [Double]) -> [Double] {
        guard let gp = timeVarying.intercept else { return [Double](repeating: 0, count: periodCount) }
        return gp.values(x, periods: periodCount)
    }

    /// The multiplier response curves and the optimiser use: m's mean over the last
    /// `planningPeriods` training periods (1 for a static model).
    public func planningMultiplier(_ x: [Double]) -> Double {
        guard timeVarying.media != nil else { return 1 }
        return Self.tailMean(mediaMultiplier(x), timeVarying.planningPeriods)
    }

    /// The intercept drift held beyond the training periods: its mean over the last
    /// `planningPeriods` training periods (0 when off).
    public func planningDrift(_ x: [Double]) -> Double {
        guard timeVarying.intercept != nil else { return 0 }
        return Self.tailMean(interceptDrift(x), timeVarying.planningPeriods)
    }

    static func tailMean(_ v: [Double], _ k: Int) -> Double {
        let n = min(max(k, 1), v.count)
        return v[(v.count - n)...].reduce(0, +) / Double(n)
    }
}

extension ModelStructure {
    /// m[t] for `rows` periods from the first training period: the GP's values on the training
    /// periods, then the planning multiplier for any later row (holdout, forecast).
    public func mediaMultiplier(_ x: [Double], rows: Int) -> [Double] {
        guard timeVarying.media != nil else { return [Double](repeating: 1, count: rows) }
        return Self.extend(mediaMultiplier(x), to: rows, k: timeVarying.planningPeriods)
    }

    /// The intercept drift for `rows` periods, held at its planning value after the training rows.
    public func interceptDrift(_ x: [Double], rows: Int) -> [Double] {
        guard timeVarying.intercept != nil else { return [Double](repeating: 0, count: rows) }
        return Self.extend(interceptDrift(x), to: rows, k: timeVarying.planningPeriods)
    }

    static func extend(_ v: [Double], to rows: Int, k: Int) -> [Double] {
        if rows <= v.count { return Array(v[0..<rows]) }
        return v + [Double](repeating: tailMean(v, k), count: rows - v.count)
    }
}
