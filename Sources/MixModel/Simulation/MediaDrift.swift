import Foundation

/// A known latent media multiplier for simulated data: how every channel's effectiveness drifts
/// over time (the truth `model.time_varying_media` should recover).
public enum MediaDrift: Sendable, Equatable {
    /// Creative wear-out then recovery: log m dips by `depth` around the middle of the data
    /// (a Gaussian bump `width` wide as a fraction of the span) on a gentle upward `slope`.
    case wearOutAndRecovery(depth: Double, width: Double, slope: Double)

    /// m[t] for T periods, normalised to mean 1 over them — the model's own centring
    /// (`TimeVaryingLayout`), so the truth and the posterior are on the same scale.
    public func multiplier(periods T: Int) -> [Double] {
        let raw: [Double] = (0..<T).map { t in
            let u = Double(t) / Double(max(T - 1, 1))
            switch self {
            case let .wearOutAndRecovery(depth, width, slope):
                let z = (u - 0.5) / width
                return exp(-depth * exp(-z * z) + slope * u)
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
}
