import MixTestSupport
import Foundation
import XCTest
import MixModel

/// `sampler.retry`: when to refit, at which target acceptance, and that the record survives a
/// saved model.
final class FitRetryTests: XCTestCase {
    func reason(_ check: ConvergenceVerdict.Check) -> ConvergenceVerdict.Reason {
        ConvergenceVerdict.Reason(check: check, message: check.rawValue, nextStep: "")
    }

    func testNextTargetAcceptanceStepsUpTo0_99AndStops() {
        XCTAssertEqual(FitRetry.nextTargetAccept(after: 0.8), 0.95)
        XCTAssertEqual(FitRetry.nextTargetAccept(after: 0.9), 0.95)
        XCTAssertEqual(FitRetry.nextTargetAccept(after: 0.95), 0.99)
        XCTAssertEqual(FitRetry.nextTargetAccept(after: 0.98), 0.99)
        XCTAssertNil(FitRetry.nextTargetAccept(after: 0.99))
        XCTAssertNil(FitRetry.nextTargetAccept(after: 0.995))
    }

    func testOnlyAFailureOnDivergencesAloneWarrantsARefit() {
        XCTAssertTrue(FitRetry.warranted(by: ConvergenceVerdict(reasons: [reason(.divergences)])))
        XCTAssertFalse(FitRetry.warranted(by: ConvergenceVerdict(reasons: [])), "a passed fit stands")
        for other in ConvergenceVerdict.Check.allCases where other != .divergences {
            XCTAssertFalse(FitRetry.warranted(by: ConvergenceVerdict(reasons: [reason(other)])), other.rawValue)
            XCTAssertFalse(FitRetry.warranted(by: ConvergenceVerdict(reasons: [reason(.divergences), reason(other)])),
                           "divergences with \(other.rawValue): a smaller step would hide, not cure, the other failure")
        }
    }

    func testConfigKeyDefaultsToOnAndReadsFalse() throws {
        XCTAssertTrue(MixPlanConfig().sampler.retry)
        let off = try ConfigLoader.parse(yaml: "data:\n  channels: [tv]\nsampler:\n  retry: false\n", path: "/plans/mixplan.yaml")
        XCTAssertFalse(off.sampler.retry)
        XCTAssertThrowsError(try ConfigLoader.parse(yaml: "data:\n  channels: [tv]\nsampler:\n  retry: sometimes\n", path: "m.yaml")) { e in
            XCTAssertTrue("\(e)".contains("sampler.retry"), "\(e)")
        }
    }

    func testRecordSurvivesEncodingAndOldReportsDecodeWithoutIt() throws {
        let retry = FitRetry(reason: "1 divergent transition after warm-up", firstTargetAccept: 0.8, targetAccept: 0.95,
                             firstSeconds: 2, firstGradientEvaluations: 1000)
        var config = MixPlanConfig()
        config.sampler.retry = false
        let saved = try JSONEncoder().encode(config.sampler)
        XCTAssertEqual(try JSONDecoder().decode(MixPlanConfig.SamplerSection.self, from: saved), config.sampler)
        // A sampler section saved before the key existed means retry: true.
        var old = try XCTUnwrap(JSONSerialization.jsonObject(with: saved) as? [String: Any])
        old.removeValue(forKey: "retry")
        let section = try JSONDecoder().decode(MixPlanConfig.SamplerSection.self, from: JSONSerialization.data(withJSONObject: old))
        XCTAssertTrue(section.retry)
        XCTAssertEqual(try JSONDecoder().decode(FitRetry.self, from: JSONEncoder().encode(retry)), retry)
    }
}
