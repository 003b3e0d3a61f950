import Foundation
import XCTest
import MixModel

/// The HSGP basis against independent truth: spectral densities integrate to the variance,
/// their ℓ-derivatives match finite differences, the approximate covariance Σ_j S(√λ_j)φ_j(x)φ_j(x′)
/// matches the exact kernels inside the data, and the rule-of-thumb helper gives the published numbers.
final class HSGPBasisTests: XCTestCase {
    /// (1/2π)∫S(ω)dω = η² (trapezoid on [−200/ℓ, 200/ℓ] with 200 000 steps: the tails beyond are
    /// < 1e-9 of the mass for both kernels, and the rule's error is far smaller than 1e-6).
    func testSpectralDensitiesIntegrateToTheVariance() {
        for kernel in HSGPBasis.Kernel.allCases {
            for (l, eta) in [(0.7, 1.0), (12.0, 0.4)] {
                let top = 200 / l, n = 200_000
                let h = 2 * top / Double(n)
                var sum = 0.0
                for i in 0...n {
                    let w = -top + Double(i) * h
                    sum += (i == 0 || i == n ? 0.5 : 1) * HSGPBasis.spectralDensity(kernel, omega: w, lengthScale: l, amplitude: eta)
                }
                XCTAssertEqual(sum * h / (2 * .pi), eta * eta, accuracy: 1e-6 * eta * eta, "\(kernel) ℓ=\(l)")
            }
        }
    }

    func testLogSpectralDerivativeMatchesFiniteDifferences() {
        for kernel in HSGPBasis.Kernel.allCases {
            for (w, l) in [(0.1, 3.0), (0.5, 20.0), (2.0, 0.4)] {
                let numeric = FiniteDifference.derivative(at: l) { HSGPBasis.logUnitSpectralDensity(kernel, omega: w, lengthScale: $0) }
                let analytic = HSGPBasis.dLogUnitSpectralDensity(kernel, omega: w, lengthScale: l)
                XCTAssertEqual(analytic, numeric, accuracy: 1e-6 * max(1, abs(numeric)), "\(kernel)")
            }
        }
    }

    /// With m and c from the rule of thumb for ℓ, the approximate covariance is within 2 % of η²
    /// of the exact kernel for points in the middle 80 % of the data (the paper reports this order
    /// of accuracy at the rule's m; near ±L the Dirichlet boundary pulls the variance to 0).
    func testApproximateCovarianceMatchesTheExactKernel() {
        let T = 101, span = 100.0
        for kernel in HSGPBasis.Kernel.allCases {
            let l = 15.0
            let (m, c) = HSGPBasis.suggest(kernel: kernel, span: span, smallestLengthScale: l, minimumBoundaryFactor: 1.5)
            let basis = HSGPBasis(kernel: kernel, count: m, boundaryFactor: c, periods: T)
            func exact(_ r: Double) -> Double {
                switch kernel {
                case .exponentiatedQuadratic: return exp(-r * r / (2 * l * l))
                case .matern52:
                    let a = 5.0.squareRoot() * abs(r) / l
                    return (1 + a + a * a / 3) * exp(-a)
                }
            }
            var worst = 0.0
            for t in stride(from: 10, through: 90, by: 8) {
                for u in stride(from: 10, through: 90, by: 8) {
                    var k = 0.0
                    for j in 0..<m {
                        k += HSGPBasis.spectralDensity(kernel, omega: basis.frequency(j), lengthScale: l, amplitude: 1)
                            * basis.value(j, period: Double(t)) * basis.value(j, period: Double(u))
                    }
                    worst = max(worst, abs(k - exact(Double(t - u))))
                }
            }
            XCTAssertLessThan(worst, 0.02, "\(kernel): m = \(m), c = \(c)")
        }
    }

    /// Riutort-Mayol et al. (2022): EQ c = max(1.2, 3.2ℓ/S), m = ⌈1.75c/(ℓ/S)⌉; Matérn 5/2
    /// c = max(1.2, 4.1ℓ/S), m = ⌈2.65c/(ℓ/S)⌉.
    func testRuleOfThumb() {
        // S = 50, ℓ = 10: c = 1.2, m = ⌈1.75·1.2·5⌉ = 11 (EQ), ⌈2.65·1.2·5⌉ = 16 (Matérn).
        XCTAssertEqual(HSGPBasis.suggest(kernel: .exponentiatedQuadratic, span: 100, smallestLengthScale: 10).basisFunctions, 11)
        XCTAssertEqual(HSGPBasis.suggest(kernel: .matern52, span: 100, smallestLengthScale: 10).basisFunctions, 16)
        // A long length-scale of interest (ℓ = 40) pushes c to 3.2·0.8 = 2.56 and m with it.
        let long = HSGPBasis.suggest(kernel: .exponentiatedQuadratic, span: 100, smallestLengthScale: 10, largestLengthScale: 40)
        XCTAssertEqual(long.boundaryFactor, 2.56, accuracy: 1e-12)
        XCTAssertEqual(long.basisFunctions, 23)
    }

    /// φ_j are orthonormal on [−L, L] (midpoint rule with 20 000 cells: error ~1e-9).
    func testEigenfunctionsAreOrthonormal() {
        let basis = HSGPBasis(kernel: .exponentiatedQuadratic, count: 6, boundaryFactor: 1.5, periods: 41)
        let L = basis.boundary, n = 20_000, h = 2 * L / Double(n)
        for i in 0..<6 {
            for j in 0..<6 {
                var s = 0.0
                for k in 0..<n {
                    let x = -L + (Double(k) + 0.5) * h
                    s += basis.value(i, period: x + basis.centre) * basis.value(j, period: x + basis.centre) * h
                }
                XCTAssertEqual(s, i == j ? 1 : 0, accuracy: 1e-6)
            }
        }
    }
}
