import MixData
import XCTest

final class PriorParserTests: XCTestCase {
    private let here = InputLocation(file: "mixplan.yaml", key: "model.priors.x")

    private func parse(_ text: String) throws -> PriorSpec { try PriorParser.parse(text, location: here) }

    func testPositionalAndNamedArguments() throws {
        XCTAssertEqual(try parse("Beta(1, 3)"), PriorSpec(.beta, ["alpha": 1, "beta": 3]))
        XCTAssertEqual(try parse("HalfNormal(2)"), PriorSpec(.halfNormal, ["sigma": 2]))
        XCTAssertEqual(try parse("Normal(mu=0, sigma=2)"), PriorSpec(.normal, ["mu": 0, "sigma": 2]))
        XCTAssertEqual(try parse("  normal( sigma = 2 , mu = -1 ) "), PriorSpec(.normal, ["mu": -1, "sigma": 2]))
        XCTAssertEqual(try parse("Laplace(0, 1)"), PriorSpec(.laplace, ["mu": 0, "b": 1]))
        XCTAssertEqual(try parse("TruncatedNormal(0, 1, lower=-1, upper=2)"),
                       PriorSpec(.truncatedNormal, ["mu": 0, "sigma": 1, "lower": -1, "upper": 2]))
        XCTAssertEqual(try parse("Exponential(1.5)"), PriorSpec(.exponential, ["lam": 1.5]))
        XCTAssertEqual(try parse("Gamma(3, 1)"), PriorSpec(.gamma, ["alpha": 3, "beta": 1]))
        XCTAssertEqual(try parse("Gamma(shape=3, rate=1)"), PriorSpec(.gamma, ["alpha": 3, "beta": 1]))
    }

    func testGammaMeanSdConvertsToShapeRate() throws {
        // Gamma(mean 2, sd 1): α = μ²/σ² = 4, β = μ/σ² = 2 (mean α/β = 2, var α/β² = 1).
        XCTAssertEqual(try parse("Gamma(mu=2, sigma=1)"), PriorSpec(.gamma, ["alpha": 4, "beta": 2]))
        // DESIGN.md's Weibull CDF prior: mean 2, sd 2.5 ⇒ α = 0.64, β = 0.32. Exactly representable
        // inputs, but the divisions round, so compare within a few ulps.
        let p = try parse("Gamma(mu=2, sigma=2.5)")
        XCTAssertEqual(p["alpha"], 0.64, accuracy: 1e-15)
        XCTAssertEqual(p["beta"], 0.32, accuracy: 1e-15)
        XCTAssertEqual(p["alpha"] / p["beta"], 2, accuracy: 1e-14)
        XCTAssertEqual((p["alpha"] / (p["beta"] * p["beta"])).squareRoot(), 2.5, accuracy: 1e-14)
    }

    func testErrors() {
        let cases: [(String, String)] = [
            ("Beta 1 3", "is not of the form"),
            ("Bta(1, 3)", "unknown distribution"),
            ("Beta(1)", "is missing beta"),
            ("Beta(1, 3, 4)", "has 3 arguments"),
            ("Beta(0, 3)", "needs alpha > 0"),
            ("HalfNormal(-1)", "needs sigma > 0"),
            ("Normal(mu=0, scale=1)", "unknown argument \"scale\""),
            ("Normal(0, abc)", "\"abc\" for sigma"),
            ("Uniform(2, 1)", "lower < upper"),
            ("Gamma(mu=2, beta=1)", "mixes parametrisations"),
            ("Gamma(mu=-2, sigma=1)", "mu > 0"),
            ("HalfNormal()", "has no arguments"),
            ("Normal(0, sigma=1, sigma=2)", "gives sigma twice"),
        ]
        for (text, expected) in cases {
            let e = TestSupport.inputError { _ = try parse(text) }
            XCTAssertEqual(e?.location.key, "model.priors.x")
            XCTAssertTrue(e?.message.contains(expected) ?? false, "\(e?.message ?? "nil") should contain \(expected)")
        }
        XCTAssertTrue(TestSupport.inputError { _ = try parse("Bta(1, 3)") }?.hint?.hasPrefix("Did you mean \"Beta\"?") ?? false)
    }

    func testDescriptionRoundTrips() throws {
        for text in ["Beta(1, 3)", "Gamma(mu=2, sigma=1)", "TruncatedNormal(0, 1, -1, 2)", "Laplace(0, 1)"] {
            let spec = try parse(text)
            XCTAssertEqual(try parse(spec.description), spec, text)
        }
    }
}
