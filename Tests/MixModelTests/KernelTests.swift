import Foundation
import XCTest
import MixModel

/// The model's fast kernels against their plain definitions: the geometric adstock recursion
/// against the explicit convolution (and its α-derivative against finite differences), and the
/// vectorised exp against libm.
final class KernelTests: XCTestCase {
    /// A spend series with a run of zeros longer than the window (the recursion's reset), zeros at
    /// the start, isolated zeros and large jumps.
    /// With `gaps: false`, only the leading and isolated zeros: the recursion's path without resets.
    static func spend(_ T: Int, seed: UInt64, gaps: Bool = true) -> [Double] {
        var rng = TestRandom(seed: seed)
        return (0..<T).map { t in
            if t < 3 || (gaps && (40..<55).contains(t)) || t % 7 == 0 { return 0 }
            return rng.uniform(0, 1) * (t % 11 == 0 ? 1 : 0.2)
        }
    }

    /// Recursion = convolution to 1e-12 absolute on data scaled to max 1 (rounding in the recursion
    /// is damped by α each step, so its error stays a few ulps of the window sum; 1e-12 allows
    /// α up to 0.99, whose damping is slowest), exactly 0 wherever the window is all zero, for
    /// lag windows shorter and longer than the series.
    func testGeometricRecursionEqualsConvolution() {
        for L in [1, 2, 8, 13, 200] {
            let adstock = Adstock(kind: .geometric, maxLag: L)
            for alpha in [0.01, 0.3, 0.5, 0.9, 0.99] {
                for gaps in [true, false] {
                    let x = Self.spend(gaps ? 150 : 151, seed: UInt64(L), gaps: gaps)
                    let fast = adstock.adstockWithDerivatives(x, parameters: [alpha]).values
                    let slow = Adstock.apply(weights: adstock.weights([alpha]), to: x)
                    for t in x.indices {
                        XCTAssertEqual(fast[t], slow[t], accuracy: 1e-12, "L=\(L) α=\(alpha) t=\(t)")
                        let windowIsZero = (max(0, t - L + 1)...t).allSatisfy { x[$0] == 0 }
                        if windowIsZero { XCTAssertEqual(fast[t], 0, "L=\(L) α=\(alpha) t=\(t): all-zero window") }
                    }
                }
            }
        }
    }

    /// ∂a[t]/∂α from the recursion against central differences of the convolution (tolerance as in
    /// `FiniteDifference`).
    func testGeometricRecursionDerivativeMatchesFiniteDifferences() {
        for (L, x) in [1, 3, 8].flatMap({ L in [(L, Self.spend(120, seed: 4)), (L, Self.spend(121, seed: 4, gaps: false))] }) {
            let adstock = Adstock(kind: .geometric, maxLag: L)
            for alpha in [0.05, 0.4, 0.85] {
                let analytic = adstock.adstockWithDerivatives(x, parameters: [alpha]).derivatives[0]
                let numeric = x.indices.map { t in
                    FiniteDifference.derivative(at: alpha) { a in Adstock.apply(weights: adstock.weights([a]), to: x)[t] }
                }
                FiniteDifference.assertClose(analytic, numeric, context: "L=\(L) α=\(alpha)")
            }
        }
    }

    /// The other kinds keep the convolution: the kernel's values equal `apply` bit for bit.
    func testOtherKindsUseTheConvolution() {
        let x = Self.spend(60, seed: 5)
        for (kind, p) in [(Adstock.Kind.delayed, [0.6, 2.0]), (.weibullCDF, [2.0, 1.5]), (.weibullPDF, [3.0, 2.0])] {
            let adstock = Adstock(kind: kind, maxLag: 8)
            XCTAssertEqual(adstock.adstockWithDerivatives(x, parameters: p).values, Adstock.apply(weights: adstock.weights(p), to: x))
        }
    }

    /// Relative error ≤ 4e-16 (two ulps; libm itself is within one) over the whole range the model
    /// uses, plus the edges: e^0 = 1 exactly, 0 below −708, finite up to 709.
    func testVectorExpMatchesLibm() {
        var rng = TestRandom(seed: 11)
        var xs = (0..<20_000).map { _ in rng.uniform(-745, 709) }
        xs += (0..<20_000).map { _ in rng.uniform(-2, 2) }
        xs += [0, -1e-300, 1e-300, -708, -707.9, 709, 1, -1, 0.5 * log(2), -0.5 * log(2)]
        let fast = vectorExp(xs)
        for (x, y) in zip(xs, fast) {
            if x < -708 {
                XCTAssertEqual(y, 0, "e^\(x)")
            } else {
                XCTAssertEqual(y, exp(x), accuracy: 4e-16 * exp(x), "e^\(x)")
            }
        }
        XCTAssertEqual(vectorExp([0])[0], 1)
        XCTAssertTrue(vectorExp([800])[0].isFinite)
    }
}
