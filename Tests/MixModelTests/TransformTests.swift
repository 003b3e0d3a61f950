import XCTest
import MixModel

final class TransformTests: XCTestCase {
    func testAdstockWeightsAreNormalisedAndMatchTheirDefinitions() {
        let L = 8
        let geo = Adstock(kind: .geometric, maxLag: L).weights([0.5])
        let raw = (0..<L).map { pow(0.5, Double($0)) }
        let total = raw.reduce(0, +)
        for l in 0..<L { XCTAssertEqual(geo[l], raw[l] / total, accuracy: 1e-15) }

        let delayed = Adstock(kind: .delayed, maxLag: L).weights([0.6, 2.0])
        XCTAssertEqual(delayed.reduce(0, +), 1, accuracy: 1e-14)
        XCTAssertEqual(delayed.firstIndex(of: delayed.max()!), 2, "the delayed peak sits at θ")

        for kind in [Adstock.Kind.weibullCDF, .weibullPDF] {
            let w = Adstock(kind: kind, maxLag: L).weights([2.0, 1.5])
            XCTAssertEqual(w.reduce(0, +), 1, accuracy: 1e-14)
            XCTAssertTrue(w.allSatisfy { $0 >= 0 })
        }
        // Weibull CDF: survival products exp(−Σ_{i≤l+1} (i/λ)^k), normalised.
        let lambda = 3.0, k = 0.8
        let cdf = Adstock(kind: .weibullCDF, maxLag: 4).weights([lambda, k])
        let v = (0..<4).map { l in exp(-(1...(l + 1)).reduce(0.0) { $0 + pow(Double($1) / lambda, k) }) }
        let sv = v.reduce(0, +)
        for l in 0..<4 { XCTAssertEqual(cdf[l], v[l] / sv, accuracy: 1e-14) }
    }

    func testAdstockWeightDerivativesMatchFiniteDifferences() {
        var rng = TestRandom(seed: 7)
        let L = 10
        let cases: [(Adstock.Kind, () -> [Double])] = [
            (.geometric, { [rng.uniform(0.05, 0.95)] }),
            (.delayed, { [rng.uniform(0.05, 0.95), rng.uniform(0, 6)] }),
            (.weibullCDF, { [rng.uniform(0.5, 6), rng.uniform(0.3, 3)] }),
            (.weibullPDF, { [rng.uniform(0.5, 6), rng.uniform(0.5, 4)] }),
        ]
        for (kind, draw) in cases {
            let adstock = Adstock(kind: kind, maxLag: L)
            for _ in 0..<20 {
                let p = draw()
                var w = [Double](repeating: 0, count: L)
                var dw = [Double](repeating: 0, count: 2 * L)
                p.withUnsafeBufferPointer { pp in
                    w.withUnsafeMutableBufferPointer { wp in dw.withUnsafeMutableBufferPointer { adstock.weights(pp, into: wp, derivatives: $0) } }
                }
                for k in 0..<p.count {
                    let numeric = (0..<L).map { l in
                        FiniteDifference.derivative(at: p[k]) { v in
                            var q = p
                            q[k] = v
                            return adstock.weights(q)[l]
                        }
                    }
                    FiniteDifference.assertClose(Array(dw[(k * L)..<(k * L + L)]), numeric, context: "\(kind) ∂w/∂\(adstock.parameterNames[k]) at \(p)")
                }
            }
        }
    }

    func testSaturationValuesMatchTheirFormulas() {
        XCTAssertEqual(Saturation(kind: .logistic).value(0.7, parameters: [2, 3]), 3 * (1 - exp(-1.4)) / (1 + exp(-1.4)), accuracy: 1e-14)
        XCTAssertEqual(Saturation(kind: .hill).value(0.7, parameters: [2, 0.5, 3]), 3 * 0.49 / (0.49 + 0.25), accuracy: 1e-14)
        XCTAssertEqual(Saturation(kind: .michaelisMenten).value(0.7, parameters: [0.5, 3]), 3 * 0.7 / 1.2, accuracy: 1e-14)
        XCTAssertEqual(Saturation(kind: .tanh).value(0.7, parameters: [0.5, 3]), 3 * tanh(1.4), accuracy: 1e-14)
        for kind in Saturation.Kind.allCases {
            XCTAssertEqual(Saturation(kind: kind).value(0, parameters: [1.5, 0.5, 2].prefix(Saturation(kind: kind).parameterCount).map { $0 }), 0)
        }
    }

    func testSaturationDerivativesMatchFiniteDifferences() {
        var rng = TestRandom(seed: 11)
        for kind in Saturation.Kind.allCases {
            let sat = Saturation(kind: kind)
            for _ in 0..<50 {
                let a = rng.uniform(0.01, 2)
                let p = (0..<sat.parameterCount).map { _ in rng.uniform(0.2, 4) }
                var dp = [Double](repeating: 0, count: 3)
                let result = p.withUnsafeBufferPointer { pp in dp.withUnsafeMutableBufferPointer { sat.evaluate(a, pp, dp: $0.baseAddress!) } }
                XCTAssertEqual(result.value, sat.value(a, parameters: p), accuracy: 1e-14)
                let numericSlope = FiniteDifference.derivative(at: a) { sat.value($0, parameters: p) }
                FiniteDifference.assertClose([result.slope], [numericSlope], context: "\(kind) ∂/∂a")
                let numeric = FiniteDifference.gradient(at: p) { sat.value(a, parameters: $0) }
                FiniteDifference.assertClose(Array(dp.prefix(sat.parameterCount)), numeric, names: sat.parameterNames, context: "\(kind) at a=\(a)")
            }
        }
    }
    /// The optimiser's Newton curvature is the family's second derivative: central differences of
    /// the analytic slope (step 1e-5·max(1, a), error O(h²·f‴) ≈ 1e-10, far inside the 1e-6
    /// relative bound), and a family that says it is concave never curves upward.
    func testSaturationCurvatureMatchesFiniteDifferencesOfTheSlope() {
        var rng = TestRandom(seed: 12)
        for kind in Saturation.Kind.allCases {
            for _ in 0..<50 {
                let a = rng.uniform(0.01, 2)
                let p = (0..<kind.parameterCount).map { _ in rng.uniform(0.2, 4) }
                let analytic = p.withUnsafeBufferPointer { kind.curvature(a, $0) }
                let numeric = FiniteDifference.derivative(at: a) { kind.slope($0, parameters: p) }
                FiniteDifference.assertClose([analytic], [numeric], context: "\(kind) ∂²/∂a² at a=\(a), p=\(p)")
                if p.withUnsafeBufferPointer({ kind.isConcave($0) }) {
                    XCTAssertLessThanOrEqual(analytic, 0, "\(kind) says it is concave at p=\(p)")
                }
            }
        }
    }

    /// The model's whole-series loop (written out per family for speed, or the generic one)
    /// gives what `evaluate` gives period by period: the same sum, slope (0 where a = 0) and
    /// parameter derivatives at their stride. Both run the same formulas, except logistic's
    /// vectorised exp (a few ulp), so 1e-13 relative.
    func testSaturationSeriesLoopMatchesPointwiseEvaluation() {
        var rng = TestRandom(seed: 13)
        let T = 37
        for kind in Saturation.Kind.allCases {
            let n = kind.parameterCount
            let p = (0..<n).map { _ in rng.uniform(0.3, 3) }
            let a = (0..<T).map { t in t % 9 == 0 ? 0 : rng.uniform(0, 2.5) }
            var sum = [Double](repeating: 0.5, count: T), slope = [Double](repeating: .nan, count: T)
            var dp = [Double](repeating: .nan, count: n * T)
            a.withUnsafeBufferPointer { ap in
                p.withUnsafeBufferPointer { pp in
                    kind.accumulate(ap.baseAddress!, count: T, pp, into: &sum, slope: &slope, dp: &dp, stride: T)
                }
            }
            for t in 0..<T {
                var d = [Double](repeating: 0, count: n)
                let r = p.withUnsafeBufferPointer { pp in d.withUnsafeMutableBufferPointer { kind.evaluate(a[t], pp, dp: $0.baseAddress!) } }
                func close(_ x: Double, _ y: Double, _ what: String) {
                    XCTAssertEqual(x, y, accuracy: 1e-13 * max(1, abs(y)), "\(kind) \(what) at t=\(t), a=\(a[t])")
                }
                close(sum[t], 0.5 + r.value, "value")
                close(slope[t], a[t] > 0 ? r.slope : 0, "slope")
                for k in 0..<n { close(dp[k * T + t], d[k], "∂/∂\(kind.parameterNames[k])") }
            }
        }
    }

    /// tanh is PyMC-Marketing's b·tanh(x/(b·c′)) with β = b and c = b·c′: its initial slope is
    /// 1/c′ = β/c, it reaches tanh(1) of β at a = c, and it is the logistic curve with λ = 2/c
    /// (β tanh(λa/2)); all three are identities, so equal to rounding (1e-14).
    func testTanhIsPyMCMarketingsCurveInALinearBeta() {
        let b = 2.5, cPyMC = 0.3
        let tanhCurve = Saturation(kind: .tanh), parameters = [b * cPyMC, b]
        for x in [0.0, 0.05, 0.4, 1.7, 6] {
            XCTAssertEqual(tanhCurve.value(x, parameters: parameters), b * tanh(x / (b * cPyMC)), accuracy: 1e-14 * b)
            XCTAssertEqual(tanhCurve.value(x, parameters: parameters),
                           Saturation(kind: .logistic).value(x, parameters: [2 / (b * cPyMC), b]), accuracy: 1e-14 * b)
        }
        XCTAssertEqual(tanhCurve.slope(0, parameters: parameters), 1 / cPyMC, accuracy: 1e-12)
        XCTAssertEqual(tanhCurve.value(b * cPyMC, parameters: parameters), b * tanh(1), accuracy: 1e-14 * b)
    }
}
