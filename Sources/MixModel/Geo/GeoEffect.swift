import Foundation
import MixData

/// Which coordinate a geo × channel effect is sampled in: the cell's ROAS or its saturation β.
///
/// `.roas` (`model.default_priors: roas`, the default) pools log R[g,c], the cell's return over
/// the training rows, so the spend-aware ROAS prior applies directly and β = R·X/H follows from
/// the sampled shape (`GeoStructure`). `.beta` (`model.default_priors: pymc-marketing`) pools
/// log β[g,c], the ceiling of the cell's saturation curve on the scaled target — the coordinate
/// PyMC-Marketing's multidimensional MMM puts its prior on — and R = β·H/X follows instead:
///
///     log β[g,c] ~ Normal(μ_c, τ_c),  μ_c ~ Normal(m_c, s_c),  τ_c ~ HalfNormal(0.5)
///
/// (τ_c's prior: `model.priors.log_beta_scale`, also per channel). m_c and s_c are the mean and
/// sd of log β under the channel's β prior (`saturation_beta`, by default PyMC-Marketing's:
/// HalfNormal(2) for the logistic curve), so with one geo log β ~ Normal(m_c, s_c) is the
/// LogNormal nearest that prior on the log scale, and a LogNormal(m, s) β prior is used exactly.
/// Why a separate coordinate at all: a prior on log R is a prior on log β shifted by
/// log(X/H), which depends on the sampled adstock and saturation shape, so pooled priors on the
/// two are different models (README, *Geo panels*); matching PyMC-Marketing needs its coordinate.
public enum GeoEffect: String, Sendable, Equatable {
    case roas
    case beta

    /// The coordinate `model` samples: β under the PyMC-Marketing preset, ROAS otherwise.
    public init(_ model: MixPlanConfig.ModelSection) {
        self = model.priorDefaults == .pymcMarketing ? .beta : .roas
    }

    /// The pooled block's name after the channel's: "tv.log_roas" or "tv.log_beta".
    public var blockName: String { self == .roas ? "log_roas" : "log_beta" }
    /// The `model.priors` key of τ_c's prior.
    public var scaleKey: String { blockName + "_scale" }

    /// The Normal(m_c, s_c) prior of a channel's pooled mean log β: the log-scale mean and sd of
    /// its β prior. LogNormal(m, s) gives (m, s); HalfNormal(σ) gives log σ − (γ + log 2)/2 and
    /// π/√8 (log |Z| for a standard normal Z); Gamma(α, rate b) gives ψ(α) − log b and √ψ′(α).
    /// Other families have no closed form here and are refused, naming the key.
    public static func logBetaMeanPrior(_ beta: TransformPrior, configPath: String) throws -> PriorSpec {
        let spec = beta.spec
        switch spec.family {
        case .logNormal:
            return PriorSpec(.normal, ["mu": spec["mu"], "sigma": spec["sigma"]])
        case .halfNormal:
            return PriorSpec(.normal, ["mu": log(spec["sigma"]) - (eulerGamma + log(2)) / 2, "sigma": Double.pi / 8.squareRoot()])
        case .gamma:
            return PriorSpec(.normal, ["mu": digamma(spec["alpha"]) - log(spec["beta"]), "sigma": trigamma(spec["alpha"]).squareRoot()])
        default:
            throw InputError(InputLocation(file: configPath, key: beta.key),
                             "a geo panel with default_priors: pymc-marketing pools log β across geos, so β's prior must be LogNormal, Gamma or HalfNormal (its log-scale mean and sd become the pooled mean's prior), got \(spec).")
        }
    }

    /// Euler–Mascheroni constant γ.
    static let eulerGamma = 0.5772156649015329

    /// ψ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the asymptotic
    /// series ln x − 1/(2x) − Σ B_2k/(2k x^2k) to x⁻¹⁰ (the first term left out is below 3e-14
    /// there; Abramowitz & Stegun 6.3.18).
    public static func digamma(_ x: Double) -> Double {
        var x = x, shift = 0.0
        while x < 10 { shift -= 1 / x; x += 1 }
        let r = 1 / (x * x)
        return shift + log(x) - 0.5 / x - r * (1.0 / 12 - r * (1.0 / 120 - r * (1.0 / 252 - r * (1.0 / 240 - r / 132))))
    }

    /// ψ′(x) for x > 0: ψ′(x) = ψ′(x + 1) + 1/x² up to x ≥ 10, then 1/x + 1/(2x²) + Σ B_2k/x^(2k+1)
    /// to x⁻¹¹ (the first term left out is below 3e-14 there; A & S 6.4.12).
    public static func trigamma(_ x: Double) -> Double {
        var x = x, shift = 0.0
        while x < 10 { shift += 1 / (x * x); x += 1 }
        let r = 1 / (x * x)
        return shift + 1 / x + 0.5 * r + (r / x) * (1.0 / 6 - r * (1.0 / 30 - r * (1.0 / 42 - r * (1.0 / 30 - r * 5 / 66))))
    }
}

extension GeoStructure {
    /// h_c(a[g,t,c]) per period for cell (g, c) at natural parameters `x` (saturation with β = 1),
    /// and their sum H[g,c]: the one place outside the density that runs a cell's transforms.
    public func saturated(_ x: [Double], geo g: Int, channel c: Int) -> (h: [Double], H: Double) {
        let T = periodCount, cell = g * channels.count + c
        let ch = channels[c]
        let w = ch.adstock.weights(Array(x[ch.adstockOffset..<(ch.adstockOffset + ch.adstockCount)]))
        let shape = Array(x[ch.shapeOffset..<(ch.shapeOffset + ch.shapeCount)]) + [1]
        let h = Adstock.apply(weights: w, to: Array(scaledSpend[(cell * T)..<((cell + 1) * T)]))
            .map { ch.saturation.value($0, parameters: shape) }
        return (h, h.reduce(0, +))
    }

    /// log(R/β) = log(H/X) for cell (g, c): what turns a sampled log β into the cell's log ROAS.
    func logROASOverBeta(_ x: [Double], geo g: Int, channel c: Int) -> Double {
        log(saturated(x, geo: g, channel: c).H) - log(spendInTargetUnits[g * channels.count + c])
    }
}
