import Foundation
import MixData

/// The Hilbert-space approximation of a one-dimensional Gaussian process (Solin & Särkkä 2020;
/// Riutort-Mayol et al. 2022, "Practical Hilbert space approximate Bayesian Gaussian processes
/// for probabilistic programming").
///
/// On the interval [−L, L] the Laplacian's Dirichlet eigenfunctions and eigenvalues are
///
///     φ_j(x) = L^(−1/2) · sin(√λ_j · (x + L)),   √λ_j = jπ / (2L),   j = 1…m,
///
/// and a stationary GP with spectral density S(ω) is approximated by
///
///     f(x) ≈ Σ_j φ_j(x) · √S(√λ_j) · z_j,   z_j ~ Normal(0, 1)   (non-centred).
///
/// Time is measured in periods and centred on the training span: x = t − (T − 1)/2 for period
/// index t = 0…T−1, so the data fill [−S, S] with S = (T − 1)/2, and L = c·S with the boundary
/// factor c > 1. Length-scales are therefore in periods (weeks for weekly data).
public struct HSGPBasis: Sendable, Equatable {
    public typealias Kernel = MixPlanConfig.HSGPKernel

    public let kernel: Kernel
    /// Number of basis functions m.
    public let count: Int
    /// The boundary L (periods).
    public let boundary: Double
    /// The centre of the training span, (T − 1)/2 (periods from the first training period).
    public let centre: Double

    /// The basis for T training periods with m functions and boundary factor c.
    public init(kernel: Kernel, count m: Int, boundaryFactor c: Double, periods T: Int) {
        precondition(m >= 1 && c > 1 && T >= 2, "HSGP needs m ≥ 1, c > 1 and at least 2 periods")
        self.kernel = kernel
        count = m
        centre = Double(T - 1) / 2
        boundary = c * centre
    }

    /// Half the span of centred time, S = (T − 1)/2.
    public var halfSpan: Double { centre }

    /// √λ_j = jπ/(2L) for j = 1…m (index 0…m−1 here).
    public func frequency(_ j: Int) -> Double { Double(j + 1) * Double.pi / (2 * boundary) }

    /// φ_j at period index t (fractional periods allowed; 0 is the first training period).
    public func value(_ j: Int, period t: Double) -> Double {
        let x = t - centre
        return sin(frequency(j) * (x + boundary)) / boundary.squareRoot()
    }

    /// The basis matrix for periods 0…T−1, column-major: `matrix[j·T + t]` = φ_j(t). With
    /// `centred`, each column has its mean over those periods subtracted, so every function of
    /// the basis has mean 0 there (used for the intercept drift, which must not absorb the
    /// intercept itself).
    public func matrix(periods T: Int, centred: Bool = false) -> [Double] {
        var out = [Double](repeating: 0, count: count * T)
        for j in 0..<count {
            var mean = 0.0
            for t in 0..<T {
                let v = value(j, period: Double(t))
                out[j * T + t] = v
                mean += v
            }
            if centred {
                mean /= Double(T)
                for t in 0..<T { out[j * T + t] -= mean }
            }
        }
        return out
    }

    // MARK: - Spectral densities

    /// S(ω; ℓ, η) = η²·S₁(ω; ℓ), the kernel's spectral density in one dimension, where S₁ has unit
    /// marginal variance ((1/2π)∫S₁ dω = 1):
    ///
    ///     exponentiated quadratic: S₁(ω) = √(2π)·ℓ·exp(−ℓ²ω²/2)
    ///     Matérn 5/2:              S₁(ω) = (16/3)·5^(5/2)·ℓ⁻⁵·(5/ℓ² + ω²)⁻³
    ///
    /// (Rasmussen & Williams 2006, eq. 4.15 with ν = 5/2: 2√π·Γ(3)/Γ(5/2)·(2ν)^ν = (16/3)·5^(5/2).)
    public static func spectralDensity(_ kernel: Kernel, omega: Double, lengthScale l: Double, amplitude eta: Double) -> Double {
        eta * eta * exp(logUnitSpectralDensity(kernel, omega: omega, lengthScale: l))
    }

    /// log S₁(ω; ℓ).
    public static func logUnitSpectralDensity(_ kernel: Kernel, omega w: Double, lengthScale l: Double) -> Double {
        switch kernel {
        case .exponentiatedQuadratic:
            return 0.5 * log(2 * Double.pi) + log(l) - 0.5 * l * l * w * w
        case .matern52:
            return log(16.0 / 3.0) + 2.5 * log(5.0) - 5 * log(l) - 3 * log(5 / (l * l) + w * w)
        }
    }

    /// ∂ log S₁(ω; ℓ)/∂ℓ:  EQ 1/ℓ − ℓω²;  Matérn 5/2 −5/ℓ + 30/(ℓ·(5 + ℓ²ω²)).
    public static func dLogUnitSpectralDensity(_ kernel: Kernel, omega w: Double, lengthScale l: Double) -> Double {
        switch kernel {
        case .exponentiatedQuadratic:
            return 1 / l - l * w * w
        case .matern52:
            return -5 / l + 30 / (l * (5 + l * l * w * w))
        }
    }

    // MARK: - Choosing m and c

    /// Basis size and boundary factor from the rules of thumb of Riutort-Mayol et al. (2022,
    /// §4.3, fitted to their numerical experiments), for data spanning `span` periods (so
    /// S = span/2) and length-scales no shorter than `smallestLengthScale` (periods):
    ///
    ///     exponentiated quadratic: c ≥ max(1.2, 3.2·ℓ/S),  m ≥ 1.75·c/(ℓ/S)
    ///     Matérn 5/2:              c ≥ max(1.2, 4.1·ℓ/S),  m ≥ 2.65·c/(ℓ/S)
    ///
    /// c grows with the longest length-scale of interest (`largestLengthScale`, default the
    /// smallest), and m with c and the shortest one. `minimumBoundaryFactor` lets a caller keep a
    /// larger c (MixPlan's default 1.5) when the rule allows less.
    public static func suggest(kernel: Kernel, span: Double, smallestLengthScale: Double,
                               largestLengthScale: Double? = nil, minimumBoundaryFactor: Double = 1.2) -> (basisFunctions: Int, boundaryFactor: Double) {
        let S = max(span / 2, 0.5)
        let (cRate, mRate): (Double, Double) = kernel == .exponentiatedQuadratic ? (3.2, 1.75) : (4.1, 2.65)
        let longest = max(largestLengthScale ?? smallestLengthScale, smallestLengthScale)
        let c = max(minimumBoundaryFactor, 1.2, cRate * longest / S)
        let m = Int((mRate * c / (smallestLengthScale / S)).rounded(.up))
        return (max(m, 1), c)
    }
}
