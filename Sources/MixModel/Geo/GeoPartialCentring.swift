import Foundation

/// Partially centred per-geo coordinates (Papaspiliopoulos, Roberts & Sköld 2007, "A general
/// framework for the parametrization of hierarchical models"), here for a cell's log ROAS.
///
/// For a value v ~ Normal(μ, τ) and a weight w in [0, 1) the sampler moves
///
///     ζ̃ ~ Normal(w·μ, τ^w),   v = μ + τ^(1−w)·(ζ̃ − w·μ)
///
/// w = 0 is the non-centred form (ζ̃ = ζ), w → 1 the centred one (ζ̃ = v). The map is right:
/// v − μ = τ^(1−w)·(ζ̃ − w·μ) and ζ̃ − w·μ ~ Normal(0, τ^w), so v − μ ~ Normal(0, τ). With
/// r = (ζ̃ − w·μ)/τ^w (so v = μ + τ·r) the prior's log density and the chain rule are
///
///     log p(ζ̃) = −r²/2 − w·log τ − ½·log 2π
///     ∂/∂ζ̃ = −r/τ^w,   ∂/∂μ = w·r/τ^w,   ∂/∂τ = w·(r² − 1)/τ
///     ∂v/∂ζ̃ = τ^(1−w), ∂v/∂μ = 1 − w·τ^(1−w), ∂v/∂τ = (1 − w)·r
///
/// The weight: in the normal–normal model with data standard error d and spread τ the
/// posterior of ζ̃ is least correlated with (μ, τ) at w = τ²/(τ² + d²), the share of the
/// value's posterior precision the data supply. `GeoCentring` takes τ̂ and d from the per-geo
/// least-squares fits it already makes (relative ROAS error, spread across geos by moments).
public enum GeoPartialCentring {
    /// The largest weight used: at w = 1 the coordinate is centred, whose funnel this avoids.
    public static let maximumWeight = 0.95

    /// w = τ̂²/(τ̂² + d²), capped at `maximumWeight`; 0 when the spread is 0.
    static func weight(spread: Double, standardError d: Double) -> Double {
        guard spread > 0, d.isFinite else { return 0 }
        return min(maximumWeight, spread * spread / (spread * spread + d * d))
    }

    @inline(__always)
    static func value(mean: Double, scale: Double, coordinate: Double, weight w: Double) -> Double {
        mean + pow(scale, 1 - w) * (coordinate - w * mean)
    }

    /// Adds ∂ℓ/∂v = `d` through v's map to the natural-scale gradient of μ, τ and ζ̃.
    @inline(__always)
    static func addGradient(_ d: Double, mean: Int, scale: Int, coordinate: Int, weight w: Double,
                            x: UnsafeMutablePointer<Double>, gradNatural gn: UnsafeMutablePointer<Double>) {
        let tau = x[scale], shrink = pow(tau, 1 - w), r = (x[coordinate] - w * x[mean]) / pow(tau, w)
        gn[mean] += d * (1 - w * shrink)
        gn[scale] += d * (1 - w) * r
        gn[coordinate] += d * shrink
    }

    /// For every weighted entry of `block`: takes out the listed Normal(0, 1) the density added for
    /// the coordinate and adds Normal(w·μ, τ^w) with its gradients (natural scale). Returns the change in log density.
    static func addPriors(_ block: GeoStructure.Pooled, x: UnsafeMutablePointer<Double>,
                          gradNatural gn: UnsafeMutablePointer<Double>, geos G: Int) -> Double {
        guard let si = block.scale, let z = block.z else { return 0 }
        let tau = x[si], logTau = log(tau)
        var lp = 0.0
        for geo in 0..<G {
            for j in 0..<block.count {
                let w = block.weight[geo * block.count + j]
                guard w > 0 else { continue }
                let i = z + geo * block.count + j, zeta = x[i]
                let tw = pow(tau, w), r = (zeta - w * x[block.mean + j]) / tw
                // The listed Normal(0, 1): −ζ̃²/2 − ½·log 2π with gradient −ζ̃, taken back.
                lp += 0.5 * zeta * zeta - 0.5 * r * r - w * logTau
                gn[i] += zeta - r / tw
                gn[block.mean + j] += w * r / tw
                gn[si] += w * (r * r - 1) / tau
            }
        }
        return lp
    }
}
