import MixTestSupport
import Foundation
import XCTest
import MixModel

final class PriorTests: XCTestCase {
    struct Case: Decodable {
        var family: String
        var parameters: [String: Double]
        var x: [Double]
        var logpdf: [Double]
    }

    private func referenceCases() throws -> [Case] {
        try JSONDecoder().decode([Case].self, from: Data(contentsOf: Fixtures.url("model/prior_logpdf.json")))
    }

    /// SciPy's logpdf (Tests/Fixtures/model/make_prior_fixture.py) agrees to 1e-12 absolute:
    /// both are closed forms in double precision, so only rounding separates them.
    func testLogDensitiesMatchSciPy() throws {
        let cases = try referenceCases()
        XCTAssertEqual(Set(cases.map(\.family)), Set(PriorSpec.Family.allCases.map(\.rawValue)), "every family is covered")
        for c in cases {
            let prior = try Prior(PriorSpec(PriorSpec.Family(rawValue: c.family)!, c.parameters))
            for (x, expected) in zip(c.x, c.logpdf) {
                XCTAssertEqual(prior.logDensity(x).value, expected, accuracy: 1e-12, "\(prior) at \(x)")
            }
        }
    }

    func testDerivativesAndJacobiansMatchFiniteDifferences() throws {
        for c in try referenceCases() {
            let prior = try Prior(PriorSpec(PriorSpec.Family(rawValue: c.family)!, c.parameters))
            for x in c.x {
                if c.family == "Laplace" && x == c.parameters["mu"] { continue } // kink
                let numeric = FiniteDifference.derivative(at: x) { prior.logDensity($0).value }
                FiniteDifference.assertClose([prior.logDensity(x).derivative], [numeric], context: "\(prior) d/dx at \(x)")
                // The unconstrained density's derivative includes the Jacobian.
                let u = prior.unconstrain(x)
                XCTAssertEqual(prior.constrain(u).x, x, accuracy: 1e-12 * max(1, abs(x)), "\(prior) round trip")
                let numericU = FiniteDifference.derivative(at: u) { prior.logDensityUnconstrained($0).value }
                FiniteDifference.assertClose([prior.logDensityUnconstrained(u).derivative], [numericU], context: "\(prior) d/du at u=\(u)")
                let numericJ = FiniteDifference.derivative(at: u) { prior.constrain($0).x }
                FiniteDifference.assertClose([prior.constrain(u).dxdu], [numericJ], context: "\(prior) dx/du")
                XCTAssertEqual(prior.constrain(u).logJacobian, log(prior.constrain(u).dxdu), accuracy: 1e-10)
            }
        }
    }

    func testInvalidParametersAreRejectedWithTheReason() {
        XCTAssertThrowsError(try Prior(PriorSpec(.halfNormal, ["sigma": -1]))) { error in
            XCTAssertTrue(String(describing: error).contains("sigma must be > 0"), String(describing: error))
        }
        XCTAssertThrowsError(try Prior(PriorSpec(.uniform, ["lower": 2, "upper": 1])))
        XCTAssertThrowsError(try Prior(PriorSpec(.beta, ["alpha": 1])))
    }

    func testSupportsFollowTheFamily() throws {
        XCTAssertEqual(try Prior(PriorSpec(.beta, ["alpha": 1, "beta": 3])).support, .interval(0, 1))
        XCTAssertEqual(try Prior(PriorSpec(.gamma, ["alpha": 1, "beta": 3])).support, .lowerBounded(0))
        XCTAssertEqual(try Prior(PriorSpec(.laplace, ["mu": 0, "b": 1])).support, .real)
        XCTAssertEqual(try Prior(PriorSpec(.truncatedNormal, ["mu": 0, "sigma": 1, "lower": 0])).support, .lowerBounded(0))
    }
}
