import Foundation

/// A known latent media multiplier for simulated data: how every channel's effectiveness drifts
/// over time (the truth `model.time_varying_media` should recover).
public enum MediaDrift: Sendable, Equatable {
    /// Creative wear-out then recovery: log m dips by `depth` around the middle of the data
    /// (a Gaussian bump `width` wide as a fraction of the span) on a gentle upward `slope`.
    case wearOutAndRecovery(depth: Double, width: Double, slope: Double)
    /// A step: effectiveness jumps by the factor `ratio` at the fraction `at` of the span (a new
    /// creative, a platform change), through a logistic ramp `width` wide (as a fraction of the
    /// span; 0.005 on 179 weeks is a change within a week or two).
    case step(ratio: Double, at: Double, width: Double)

    /// m[t] for T periods, normalised to mean 1 over them — the model's own centring
    /// (`TimeVaryingLayout`), so the truth and the posterior are on the same scale.
    public func multiplier(periods T: Int) -> [Double] {
        let raw: [Double] = (0..<T).map { t in
            let u = Double(t) / Double(max(T - 1, 1))
            switch self {
            case let .wearOutAndRecovery(depth, width, slope):
                let z = (u - 0.5) / width
                return exp(-depth * exp(-z * z) + slope * u)
            case let .step(ratio, at, width):
                return exp(log(ratio) / (1 + exp(-(u - at) / width)))
            }
        }
        let mean = raw.reduce(0, +) / Double(T)
        return raw.map { $0 / mean }
    }
}

extension SimulationPreset {
    /// weekly-2ch with effectiveness that wears out to about half its starting level in the
    /// second year and recovers (a new creative): the data `time_varying_media` is for.
    public static let weekly2chTVP: SimulationPreset = {
        var p = weekly2ch
        p.name = "weekly-2ch-tvp"
        p.summary = "weekly-2ch with a known media multiplier (creative wear-out, then recovery)"
        p.mediaDrift = .wearOutAndRecovery(depth: 0.8, width: 0.18, slope: 0.2)
        // The GP's basis coefficients mix more slowly than the static parameters: with 1000
        // kept draws per chain one seed in four left R̂ at 1.016; 1500 keep every seed tried ≤ 1.01.
        p.keptDraws = 1500
        return p
    }()

    /// weekly-2ch-tvp with a step instead of a smooth dip: effectiveness rises by 80 % within
    /// about two weeks a little after the middle of the data. A GP with a smooth kernel can only
    /// approximate a step, so this is the harder case for `time_varying_media`.
    public static let weekly2chTVPStep: SimulationPreset = {
        var p = weekly2chTVP
        p.name = "weekly-2ch-tvp-step"
        p.summary = "weekly-2ch with a step-like media multiplier (effectiveness up 80 % at once)"
        p.mediaDrift = .step(ratio: 1.8, at: 0.55, width: 0.005)
        return p
    }()
}
