import MixTestSupport
import Foundation
import MixInference
import XCTest

/// Our diagnostics against ArviZ on fixed draw sets (Tests/Fixtures/inference/make_arviz_fixtures.py).
final class DiagnosticsTests: XCTestCase {
    struct Case {
        let name: String
        let draws: [[Double]]
        let reference: [String: Double]
        let bfmi: [Double]
    }

    func loadCases() throws -> [Case] {
        let data = try Data(contentsOf: Fixtures.url("inference/arviz_diagnostics.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        return try cases.map { c in
            var reference: [String: Double] = [:]
            for (key, value) in c { if let v = value as? Double { reference[key] = v } }
            return Case(name: try XCTUnwrap(c["name"] as? String),
                        draws: try XCTUnwrap(c["draws"] as? [[String]]).map { try $0.map { try XCTUnwrap(Double($0)) } },
                        reference: reference, bfmi: try XCTUnwrap(c["bfmi"] as? [Double]))
        }
    }

    /// The bar is 1 %. We implement ArviZ's formulas exactly on bit-identical draws, so the
    /// only differences are summation order (ArviZ's autocovariances come from an FFT) and the last
    /// ulp of Φ⁻¹: about 1e-13 relative. We assert 1e-9, which still fails on any formula slip
    /// (a wrong offset, ddof, split or tie rule moves the results by 1e-5 or more).
    func assertClose(_ ours: Double, _ theirs: Double, relative: Double = 1e-9, _ what: String) {
        XCTAssertLessThanOrEqual(abs(ours - theirs), relative * abs(theirs), "\(what): ours \(ours), ArviZ \(theirs)")
    }

    func testRhatAndEssMatchArviZ() throws {
        let cases = try loadCases()
        XCTAssertGreaterThanOrEqual(cases.count, 6)
        for c in cases {
            assertClose(Diagnostics.rhat(c.draws), c.reference["rhat"]!, "\(c.name) rhat")
            assertClose(Diagnostics.essBulk(c.draws), c.reference["ess_bulk"]!, "\(c.name) ess_bulk")
            assertClose(Diagnostics.essTail(c.draws), c.reference["ess_tail"]!, "\(c.name) ess_tail")
            assertClose(Diagnostics.essMean(c.draws), c.reference["ess_mean"]!, "\(c.name) ess_mean")
        }
    }

    func testMcseHdiAndSummaryMatchArviZ() throws {
        for c in try loadCases() {
            let row = QuantitySummary(name: c.name, chains: c.draws)
            assertClose(row.mcseMean, c.reference["mcse_mean"]!, "\(c.name) mcse_mean")
            assertClose(row.mcseSD, c.reference["mcse_sd"]!, "\(c.name) mcse_sd")
            // Mean, sd and the HDI end points are plain arithmetic / order statistics: 1e-9 relative.
            assertClose(row.mean, c.reference["mean"]!, relative: 1e-9, "\(c.name) mean")
            assertClose(row.sd, c.reference["sd"]!, relative: 1e-9, "\(c.name) sd")
            assertClose(row.hdiLower, c.reference["hdi_3"]!, relative: 1e-12, "\(c.name) hdi_3%")
            assertClose(row.hdiUpper, c.reference["hdi_97"]!, relative: 1e-12, "\(c.name) hdi_97%")
            XCTAssertEqual(row.rhat, Diagnostics.rhat(c.draws))
        }
    }

    func testEbfmiMatchesArviZ() throws {
        for c in try loadCases() {
            for (chain, expected) in zip(c.draws, c.bfmi) {
                assertClose(Diagnostics.ebfmi(energy: chain), expected, relative: 1e-9, "\(c.name) bfmi")
            }
        }
    }

    func testShiftedChainsAreFlagged() throws {
        let shifted = try XCTUnwrap(try loadCases().first { $0.name == "chain_shifted" })
        XCTAssertGreaterThan(Diagnostics.rhat(shifted.draws), 1.05)
    }

    func testFormattedTableHasOneRowPerQuantity() throws {
        let rows = try loadCases().map { QuantitySummary(name: $0.name, chains: $0.draws) }
        let table = rows.formattedTable()
        XCTAssertEqual(table.split(separator: "\n").count, rows.count + 1)
        XCTAssertTrue(table.contains("ess_bulk"))
    }
}

final class DiagnosticsEdgeCaseTests: XCTestCase {
    func testNonFiniteOrRaggedInputGivesNaN() {
        XCTAssertTrue(Diagnostics.rhat([[1, 2, 3, 4], [1, .nan, 3, 4]]).isNaN)
        XCTAssertTrue(Diagnostics.essBulk([[1, 2, 3, 4], [1, 2, 3]]).isNaN)
    }

    /// Constant draws: ArviZ returns ESS = number of draws (no variability to lose).
    func testConstantDrawsHaveFullEss() {
        XCTAssertEqual(Diagnostics.essMean([[2, 2, 2, 2], [2, 2, 2, 2]]), 8)
    }
}
