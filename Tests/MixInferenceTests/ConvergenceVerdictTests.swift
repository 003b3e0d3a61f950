import XCTest
import MixInference

/// Each check of the verdict fails on its own, at its named threshold, and says what to try next.
/// Health figures are built directly: a real run that saturates the tree depth or has a low
/// E-BFMI would be slow and its figures seed-dependent.
final class ConvergenceVerdictTests: XCTestCase {
    typealias T = ConvergenceVerdict.Threshold

    /// Healthy figures: 4 chains × 1000 draws, nothing wrong.
    let healthy = SamplerHealth(divergences: 0, maxTreeDepthHits: 0, draws: 4000, ebfmi: [0.9, 1.0, 0.8, 1.1],
                                maxRhat: 1.003, minEssBulk: 1200, minEssTail: 900)

    func checks(_ h: SamplerHealth, baseline: ConvergenceVerdict.BaselineFit? = nil) -> [ConvergenceVerdict.Check] {
        ConvergenceVerdict(health: h, baseline: baseline).reasons.map(\.check)
    }

    func testHealthyRunPasses() {
        let v = healthy.verdict
        XCTAssertTrue(v.passed)
        XCTAssertEqual(v.label, "Converged")
        XCTAssertEqual(v.summary, "")
    }

    /// More than 1 % of draws at the maximum tree depth fails; exactly 1 % passes.
    func testTreeDepthShare() {
        var h = healthy
        h.maxTreeDepthHits = Int(T.maxTreeDepthShare * Double(h.draws))
        XCTAssertEqual(checks(h), [], "exactly at the threshold passes")
        h.maxTreeDepthHits += 1
        XCTAssertEqual(checks(h), [.treeDepth])
        XCTAssertTrue(h.verdict.reasons[0].message.contains("41 of 4000"), h.verdict.reasons[0].message)
    }

    /// One chain with E-BFMI below 0.3 fails the verdict and is named.
    func testLowEBFMIInOneChain() {
        var h = healthy
        h.ebfmi[2] = 0.25
        XCTAssertEqual(checks(h), [.ebfmi])
        XCTAssertTrue(h.verdict.reasons[0].message.contains("chain 3: 0.25"), h.verdict.reasons[0].message)
        h.ebfmi[2] = T.minEBFMI
        XCTAssertEqual(checks(h), [])
        h.ebfmi[0] = .nan
        XCTAssertEqual(checks(h), [.ebfmi], "an E-BFMI that cannot be computed is not a pass")
    }

    func testRhatEssAndDivergences() {
        var h = healthy
        h.maxRhat = 1.02; h.minEssBulk = 350; h.minEssTail = 120; h.divergences = 3
        XCTAssertEqual(checks(h), [.rhat, .essBulk, .essTail, .divergences])
        XCTAssertTrue(h.verdict.summary.contains("3 divergent transitions after warm-up"))
        h = healthy
        h.maxRhat = .nan
        XCTAssertEqual(checks(h), [.rhat], "NaN R-hat (a constant parameter) is not a pass")
    }

    /// Worse than the baseline by more than the allowed 5 % in RMSE fails; within it passes.
    func testBaseline() {
        func fit(_ model: Double) -> ConvergenceVerdict.BaselineFit {
            .init(description: "an intercept and 2 yearly Fourier pairs (least squares)", modelRMSE: model, baselineRMSE: 10, modelR2: 0.5, baselineR2: 0.6)
        }
        XCTAssertEqual(checks(healthy, baseline: fit(10.4)), [])
        XCTAssertEqual(checks(healthy, baseline: fit(T.baselineRMSERatio * 10)), [])
        XCTAssertEqual(checks(healthy, baseline: fit(10.6)), [.baseline])
        XCTAssertEqual(checks(healthy, baseline: fit(.nan)), [.baseline], "a fit that cannot be scored is not a pass")
    }

    /// Every failure carries a message and a next step that names something to change.
    func testEveryReasonSaysWhatToTryNext() {
        let h = SamplerHealth(divergences: 2, maxTreeDepthHits: 4000, draws: 4000, ebfmi: [0.1], maxRhat: 2, minEssBulk: 10, minEssTail: 10,
                              stepSizes: [1e-12], collapsedStepSizeChains: [0])
        let corner = ConvergenceVerdict.Reason(check: .degenerateCorner, message: "chain 1: social λ median 1e-11", nextStep: "give the channel an roi_prior (or a lift test) and refit")
        let v = ConvergenceVerdict(health: h, modelReasons: [corner], baseline: .init(description: "the target's mean", modelRMSE: 5, baselineRMSE: 1, modelR2: -3, baselineR2: 0))
        XCTAssertEqual(v.reasons.map(\.check), ConvergenceVerdict.Check.allCases)
        for r in v.reasons {
            XCTAssertFalse(r.message.isEmpty)
            XCTAssertGreaterThan(r.nextStep.count, 30, "\(r.check): \(r.nextStep)")
        }
        // The verdict survives a JSON round trip (it is saved in summary.json).
        let data = try! JSONEncoder().encode(v)
        XCTAssertEqual(try! JSONDecoder().decode(ConvergenceVerdict.self, from: data), v)
    }
}
