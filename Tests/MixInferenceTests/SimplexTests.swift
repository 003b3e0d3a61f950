import Foundation
import MixInference
import XCTest

/// The stick-breaking simplex: the map, its inverse and log-Jacobian against finite differences,
/// the gradient through `ConstrainedDensity`, and sampling a Dirichlet with known moments.
final class SimplexTests: XCTestCase {
    private func constrain(_ y: [Double]) -> (theta: [Double], logJacobian: Double) {
        var theta = [Double](repeating: 0, count: y.count + 1)
        var stick = [Double](repeating: 0, count: 2 * theta.count)
        let logJ = y.withUnsafeBufferPointer { ys in
            theta.withUnsafeMutableBufferPointer { t in
                stick.withUnsafeMutableBufferPointer { SimplexTransform.constrain(ys, into: t, stick: $0) }
            }
        }
        return (theta, logJ)
    }

    /// y = 0 is the centre; every image is positive and sums to 1; unconstrain inverts constrain
    /// (|y| ≤ 3 keeps each z away from 0 and 1, so 1e-10 holds).
    func testMapIsCentredInvertibleAndOnTheSimplex() {
        assertClose(constrain([0, 0, 0]).theta, [0.25, 0.25, 0.25, 0.25], accuracy: 1e-15)
        for y in [[0.3, -1.2, 2.5], [-3.0, 3, 0.1], [1.0]] {
            let theta = constrain(y).theta
            XCTAssertTrue(theta.allSatisfy { $0 > 0 })
            XCTAssertEqual(theta.reduce(0, +), 1, accuracy: 1e-14)
            assertClose(SimplexTransform.unconstrain(theta), y, accuracy: 1e-10)
        }
        XCTAssertTrue(SimplexTransform.unconstrain([0.5, 0.6]).allSatisfy(\.isNaN))
        XCTAssertTrue(SimplexTransform.unconstrain([1.2, -0.2]).allSatisfy(\.isNaN))
    }

    /// log |J| is the log-determinant of ∂(θ₀…θ_(K−2))/∂y, here formed from central differences
    /// (h = 1e-6: truncation ~1e-12, rounding ~1e-10 per entry) and a 3 × 3 determinant.
    func testLogJacobianIsTheLogDeterminant() {
        let y = [0.4, -0.9, 1.3], h = 1e-6
        var jacobian = [[Double]](repeating: [0, 0, 0], count: 3)
        for j in 0..<3 {
            var up = y, down = y
            up[j] += h; down[j] -= h
            let (tu, td) = (constrain(up).theta, constrain(down).theta)
            for i in 0..<3 { jacobian[i][j] = (tu[i] - td[i]) / (2 * h) }
        }
        let m = jacobian
        let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        XCTAssertEqual(constrain(y).logJacobian, log(abs(det)), accuracy: 1e-7)
    }

    /// A Dirichlet(2, 3, 5) block next to a positive scalar: the gradient through the blocks
    /// against finite differences at a few points.
    func testGradientThroughASimplexBlock() {
        let model = dirichletAndGamma()
        XCTAssertEqual(model.parameterNames, ["w_stick[1]", "w_stick[2]", "sigma_log"])
        for point in [[0.2, -0.5, 0.3], [2.5, -3.0, -1.0], [0, 0, 0]] {
            let check = GradientCheck(model, at: point)
            XCTAssertTrue(check.passes(), "worst \(String(describing: check.worst)) at \(point)")
        }
    }

    /// Sampling Dirichlet(2, 3, 5) through the simplex block must give its exact moments: mean
    /// αᵢ/α₀, sd √(αᵢ(α₀ − αᵢ)/(α₀²(α₀ + 1))); σ ~ Gamma(3, 2) alongside. Means within 4 MCSE; sds
    /// within 8 % (ESS ≳ 1,500 gives a relative sd error ≲ 1.8 %; a missing log r_k Jacobian
    /// term shifts these sds by well over 8 %).
    func testDirichletHasItsExactMoments() throws {
        let model = dirichletAndGamma()
        let result = model.constrained(try sample(model, settings: SamplerSettings(chains: 4, warmup: 1000, draws: 1000, seed: 7)))
        XCTAssertEqual(result.parameterNames, ["w[1]", "w[2]", "w[3]", "sigma"])
        for d in 0..<(result.chains * result.draws) {
            let w = (0..<3).map { result.values[d * 4 + $0] }
            XCTAssertEqual(w.reduce(0, +), 1, accuracy: 1e-12)
        }
        let alpha = [2.0, 3, 5], total = 10.0
        let rows = result.summary()
        for i in 0..<3 {
            let mean = alpha[i] / total, sd = sqrt(alpha[i] * (total - alpha[i]) / (total * total * (total + 1)))
            XCTAssertLessThanOrEqual(abs(rows[i].mean - mean), 4 * rows[i].mcseMean, "w[\(i + 1)] mean \(rows[i].mean)")
            XCTAssertEqual(rows[i].sd / sd, 1, accuracy: 0.08, "w[\(i + 1)] sd \(rows[i].sd)")
        }
        XCTAssertEqual(rows[3].sd / (sqrt(3.0) / 2), 1, accuracy: 0.08)
    }

    /// log p(w, σ) = Σ (αᵢ − 1) log wᵢ + 2 log σ − 2σ on the natural scale.
    private func dirichletAndGamma() -> ConstrainedDensity<ArrayLogDensity> {
        ConstrainedDensity(blocks: [(["w[1]", "w[2]", "w[3]"], .simplex(size: 3)), (["sigma"], .scalar(.positive))]) { θ in
            let alpha = [2.0, 3, 5]
            let value = (0..<3).reduce(0) { $0 + (alpha[$1] - 1) * log(θ[$1]) } + 2 * log(θ[3]) - 2 * θ[3]
            return (value, (0..<3).map { (alpha[$0] - 1) / θ[$0] } + [2 / θ[3] - 2])
        }
    }
}

private func assertClose(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, "\(a) vs \(b)", file: file, line: line) }
}
