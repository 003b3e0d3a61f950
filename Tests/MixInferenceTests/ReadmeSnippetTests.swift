import MixTestSupport
import Foundation
import MixInference
import XCTest

/// The README's "Sampling your own model" snippet, compiled and run here as written: the lines
/// between the markers below must equal the README's code block (imports aside), and its
/// posterior must match the exact one.
final class ReadmeSnippetTests: XCTestCase {
    func testSnippetSamplesTheExactPosterior() throws {
        // README snippet begin
        let y = [2.1, 1.4, 3.3, 2.8, 1.9], hits = 7.0, trials = 20.0
        let model = ConstrainedDensity(parameters: [("mu", .real), ("sigma", .positive), ("rate", .unitInterval)]) { θ in
            let (mu, sigma, rate) = (θ[0], θ[1], θ[2])          // flat, Exponential(1), Uniform(0, 1) priors
            let z = y.map { ($0 - mu) / sigma }, n = Double(y.count)
            let sz = z.reduce(0, +), szz = z.reduce(0) { $0 + $1 * $1 }
            let logp = -szz / 2 - n * log(sigma) - sigma + hits * log(rate) + (trials - hits) * log(1 - rate)
            return (logp, [sz / sigma, (szz - n) / sigma - 1, hits / rate - (trials - hits) / (1 - rate)])
        }
        let result = model.constrained(try sample(model, settings: SamplerSettings(seed: 1)))
        print(result.summary().formattedTable())                 // mu, sigma, rate on their own scales
        print(result.health().warnings)                          // [] for a healthy run
        // README snippet end

        XCTAssertTrue(GradientCheck(model, at: [2, -0.3, 0.4]).passes())
        XCTAssertEqual(result.parameterNames, ["mu", "sigma", "rate"])
        let rows = result.summary()
        // rate: the Binomial likelihood and a uniform prior give exactly Beta(8, 14).
        // mu: symmetric about ȳ. sigma: mu integrates out to p(σ) ∝ σ^(1−n) exp(−SS/2σ² − σ),
        // SS = Σ(y − ȳ)², whose mean comes from a 1-D quadrature (trapezoid rule on 0 < σ ≤ 40
        // with 400,000 steps: its error is far below the sampler's MCSE).
        let ybar = y.reduce(0, +) / 5, ss = y.reduce(0) { $0 + ($1 - ybar) * ($1 - ybar) }
        var mass = 0.0, first = 0.0
        for k in 1...400_000 {
            let s = Double(k) * 1e-4
            let w = exp(-4 * log(s) - ss / (2 * s * s) - s)
            mass += w
            first += w * s
        }
        let exactMean = [ybar, first / mass, 8.0 / 22]
        for (row, mean) in zip(rows, exactMean) {
            XCTAssertLessThanOrEqual(abs(row.mean - mean), 4 * row.mcseMean, "\(row.name) mean \(row.mean) vs \(mean)")
        }
        // Beta(8, 14) sd = √(8·14 / (22²·23)); ESS ≳ 1,000 puts the sd's relative MC error ≲ 2.2 %.
        XCTAssertEqual(rows[2].sd / (112.0 / (484 * 23)).squareRoot(), 1, accuracy: 0.1)
        XCTAssertTrue(result.health().converged, "\(result.health())")
    }

    /// The README block and the lines above are the same code.
    func testReadmeShowsThisSnippet() throws {
        let readme = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: "```swift\nimport MixInference\n"), "README lacks the snippet")
        let block = readme[start.upperBound...]
        let end = try XCTUnwrap(block.range(of: "```"))
        let readmeLines = block[..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("import ") }

        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let begin = try XCTUnwrap(lines.firstIndex(of: "// README snippet begin"))
        let finish = try XCTUnwrap(lines.firstIndex(of: "// README snippet end"))
        XCTAssertEqual(readmeLines, Array(lines[(begin + 1)..<finish]))
        XCTAssertLessThan(readmeLines.count + 2, 20, "the snippet (with its imports) must stay under 20 lines")
    }
}
