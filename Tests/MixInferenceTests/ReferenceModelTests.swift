import MixTestSupport
import Foundation
import MixInference
import XCTest

/// The four posteriordb densities: gradients against finite differences, then full NUTS runs
/// compared with the reference posteriors.
final class ReferenceModelTests: XCTestCase {
    /// `Tests/Fixtures/posteriordb` (each model appends its own folder name).
    let folder = Fixtures.posteriordb("README.md").deletingLastPathComponent()

    /// Central differences with h = 1e-5·max(1, |xᵢ|): truncation error O(h²·f‴) ≈ 1e-10·f‴ and
    /// rounding error ≈ ε·|f|/h ≈ 2e-16·|f|/1e-5. With |f| up to ~2000 (gauss_mix, N = 1000) that is
    /// ≲ 4e-8 absolute, so 1e-5·(1 + |g|) leaves a wide margin while still catching any wrong term.
    func checkGradient<D: LogDensity>(_ model: D, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        var density = model
        var rng = RandomStream(seed: seed)
        let n = density.dimension
        var gradient = [Double](repeating: 0, count: n)
        var scratch = [Double](repeating: 0, count: n)
        for _ in 0..<5 {
            var x = (0..<n).map { _ in rng.uniform(-1.5, 1.5) }
            _ = x.withUnsafeBufferPointer { xp in gradient.withUnsafeMutableBufferPointer { density.logDensity(at: xp, gradient: $0) } }
            for i in 0..<n {
                let h = 1e-5 * max(1, abs(x[i]))
                let saved = x[i]
                x[i] = saved + h
                let up = x.withUnsafeBufferPointer { xp in scratch.withUnsafeMutableBufferPointer { density.logDensity(at: xp, gradient: $0) } }
                x[i] = saved - h
                let down = x.withUnsafeBufferPointer { xp in scratch.withUnsafeMutableBufferPointer { density.logDensity(at: xp, gradient: $0) } }
                x[i] = saved
                let numeric = (up - down) / (2 * h)
                XCTAssertEqual(gradient[i], numeric, accuracy: 1e-5 * (1 + abs(numeric)),
                               "\(type(of: model)) ∂/∂\(density.parameterNames[i]) at \(x)", file: file, line: line)
            }
        }
    }

    func testGradientsMatchFiniteDifferences() throws {
        checkGradient(try EightSchoolsNoncentered(posteriordb: folder), seed: 1)
        checkGradient(try ArK(posteriordb: folder), seed: 2)
        checkGradient(try KidIQ(posteriordb: folder), seed: 3)
        checkGradient(try LowDimGaussMix(posteriordb: folder), seed: 4)
    }

    func testMissingDataFileNamesTheFile() {
        let nowhere = URL(fileURLWithPath: "/nonexistent-posteriordb")
        XCTAssertThrowsError(try KidIQ(posteriordb: nowhere)) { error in
            XCTAssertTrue("\(error)".contains("kidiq-kidscore_momiq/data.json"), "\(error)")
        }
    }

    /// Runs 4 × 1000 warm-up × 1000 draws and checks every reported quantity against the reference:
    /// - mean: |ours − ref| ≤ 4·√(MCSE_ours² + MCSE_ref²). The two estimates are independent, so the
    ///   standard error of their difference combines both; the reference's MCSE is sd/√10000 (its
    ///   ESS is about 10,000 per the README), which is small but not negligible next to ours.
    /// - sd within 10 % of the reference sd; max R̂ ≤ 1.01 over all quantities.
    func checkAgainstReference<D: ReferencePosterior>(_ model: D, targetAcceptance: Double = 0.8, seed: UInt64,
                                                     adaptation: MetricAdaptation = .drawVariance,
                                                     file: StaticString = #filePath, line: UInt = #line) throws -> SamplingResult {
        var settings = SamplerSettings(seed: seed)
        settings.targetAcceptance = targetAcceptance
        settings.metricAdaptation = adaptation
        let result = try sample(model, settings: settings)
        let reference = try ReferenceSummary(posteriordb: folder, name: D.posteriorName)
        var rows: [QuantitySummary] = []
        for (k, name) in model.reportedNames.enumerated() {
            let chains = result.derived { model.reported($0)[k] }
            let row = QuantitySummary(name: name, chains: chains)
            rows.append(row)
            let ref = try XCTUnwrap(reference.entries[name], "reference lacks \(name)", file: file, line: line)
            let referenceMCSE = ref.sd / Double(reference.draws).squareRoot()
            let tolerance = 4 * (row.mcseMean * row.mcseMean + referenceMCSE * referenceMCSE).squareRoot()
            XCTAssertLessThanOrEqual(abs(row.mean - ref.mean), tolerance,
                                     "\(D.posteriorName) \(name) mean \(row.mean) vs reference \(ref.mean)", file: file, line: line)
            XCTAssertLessThanOrEqual(abs(row.sd / ref.sd - 1), 0.10,
                                     "\(D.posteriorName) \(name) sd \(row.sd) vs reference \(ref.sd)", file: file, line: line)
            XCTAssertLessThanOrEqual(row.rhat, 1.01, "\(D.posteriorName) \(name) R-hat", file: file, line: line)
        }
        let unconstrained = result.summary()
        XCTAssertLessThanOrEqual(unconstrained.map(\.rhat).max() ?? .nan, 1.01, "\(D.posteriorName) unconstrained R-hat", file: file, line: line)
        print("\(D.posteriorName): \(result.divergences) divergences, \(result.totalLeapfrogSteps) leapfrog steps, \(String(format: "%.2f", result.seconds)) s\n" + rows.formattedTable())
        return result
    }

    func testEightSchoolsNoncenteredMatchesReferenceWithoutDivergences() throws {
        let result = try checkAgainstReference(try EightSchoolsNoncentered(posteriordb: folder), targetAcceptance: 0.9, seed: 8)
        XCTAssertEqual(result.divergences, 0)
    }

    /// The same two posteriors with warm-up learning from gradients (`GradientMetricAdaptation`):
    /// a funnel-shaped hierarchy and a regression with correlated, differently scaled coefficients.
    func testGradientInformedWarmupMatchesReferences() throws {
        let schools = try checkAgainstReference(try EightSchoolsNoncentered(posteriordb: folder), targetAcceptance: 0.9, seed: 8,
                                                adaptation: .drawAndGradientVariance)
        XCTAssertEqual(schools.divergences, 0)
        _ = try checkAgainstReference(try KidIQ(posteriordb: folder), seed: 434, adaptation: .drawAndGradientVariance)
    }

    func testArKMatchesReference() throws {
        _ = try checkAgainstReference(try ArK(posteriordb: folder), seed: 5)
    }

    func testKidIQMatchesReference() throws {
        _ = try checkAgainstReference(try KidIQ(posteriordb: folder), seed: 434)
    }

    func testGaussianMixtureMatchesReference() throws {
        _ = try checkAgainstReference(try LowDimGaussMix(posteriordb: folder), seed: 1000)
    }
}
