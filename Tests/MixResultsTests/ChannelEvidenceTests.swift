import MixTestSupport
import Foundation
import XCTest
import MixResults

/// The per-channel verdict on a dataset built so that one channel is informed and one is not:
/// weekly-2ch's x1 keeps its flighted spend (the simulated truth gives it a strong effect) and
/// x2's spend is replaced by a nearly constant level (±1 %), which the data cannot tell apart
/// from the intercept.
final class ChannelEvidenceTests: XCTestCase {
    static let fitted: FittedModel = {
        var config = try! ConfigLoader.load(path: Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path)
        config.sampler.chains = 2
        config.sampler.warmup = 300
        config.sampler.draws = 250
        var data = try! DatasetLoader().load(config).dataset
        let level = data.spend[1].reduce(0, +) / Double(data.periodCount)
        data.spend[1] = (0..<data.periodCount).map { level * (1 + 0.01 * sin(Double($0))) }
        return try! ModelFitter.fit(dataset: data, config: config)
    }()

    static let evidence = ChannelEvidenceSummary(model: fitted)

    func testFlatSpendChannelIsPriorDominatedAndTheFlightedOneIsNot() throws {
        let e = Self.evidence
        XCTAssertEqual(e.channels.map(\.channel), ["x1", "x2"])
        let (informed, flat) = (e.channels[0], e.channels[1])
        let kInformed = try XCTUnwrap(informed.contraction), kFlat = try XCTUnwrap(flat.contraction)
        let info = "x1: contraction \(kInformed), cv \(informed.posteriorSD / informed.posteriorROAS.mean); x2: contraction \(kFlat), cv \(flat.posteriorSD / flat.posteriorROAS.mean)"
        XCTAssertGreaterThan(kInformed, 0.9, "flighted spend with a strong effect pins ROAS down; " + info)
        XCTAssertLessThan(informed.posteriorSD / informed.posteriorROAS.mean, ChannelEvidence.Threshold.maxPosteriorCV, info)
        // Constant spend: ROAS is bounded by the target's level but not located within it.
        XCTAssertTrue(kFlat < ChannelEvidence.Threshold.minContraction
                      || flat.posteriorSD / flat.posteriorROAS.mean > ChannelEvidence.Threshold.maxPosteriorCV, info)
        XCTAssertFalse(informed.priorDominated, info)
        XCTAssertTrue(flat.priorDominated, info)
        XCTAssertEqual(e.priorDominated, ["x2"])
        let finding = try XCTUnwrap(flat.findings.first { $0.flag == .priorDominated })
        XCTAssertTrue(finding.nextStep.contains("experiment") && finding.nextStep.contains("roi_prior"), finding.nextStep)
    }

    /// Contraction is recomputed from its definition: posterior ROAS draws (every draw) against
    /// prior ROAS draws; the prior's spread is a Monte Carlo estimate from 400 draws, so the check
    /// is on the posterior side and on the prior interval holding the posterior mean. The
    /// written figure is floored at 0 and rounded down, so it never shows a channel under the
    /// 50 % threshold as "50 %".
    func testContractionMatchesItsDefinition() {
        let m = Self.fitted
        let c = 0
        let trainT = m.dataset.periodCount
        let spend = m.dataset.spend[c][0..<trainT].reduce(0, +)
        let evaluator = ModelEvaluator(structure: m.structure, dataset: m.trainingData)
        let roas = (0..<m.drawCount).map { evaluator.channelContribution(c, m.draw($0)).reduce(0, +) / spend }
        let e = Self.evidence.channels[c]
        XCTAssertEqual(e.posteriorROAS, Interval(draws: roas))
        let prior = e.priorROAS!
        XCTAssertLessThan(prior.lower, e.posteriorROAS.mean)
        XCTAssertGreaterThan(prior.upper, e.posteriorROAS.mean)
        XCTAssertGreaterThan(prior.upper - prior.lower, 3 * (e.posteriorROAS.upper - e.posteriorROAS.lower))
        var edge = e
        for (k, text) in [(0.497, "49 %"), (0.5, "50 %"), (0.999, "99 %"), (-0.3, "0 %")] {
            edge.contraction = k
            XCTAssertEqual(edge.narrowedText, text, "\(k)")
            XCTAssertEqual(edge.narrowed, max(0, k))
        }
    }

    /// Shares: spend shares add to 1, effect shares add to 1, and the media share's posterior
    /// is Σ contributions ÷ Σ target.
    func testSharesAddUp() {
        let e = Self.evidence
        XCTAssertEqual(e.channels.map(\.spendShare).reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(e.channels.map(\.effectShare).reduce(0, +), 1, accuracy: 1e-12)
        let q = PosteriorQuantities(model: Self.fitted, maxDraws: 500)
        let media = q.channels.map(\.contribution.mean).reduce(0, +) / Self.fitted.dataset.target.reduce(0, +)
        XCTAssertEqual(e.posteriorMediaShare.mean, media, accuracy: 0.02 * media, "thinned differently: within 2 %")
        XCTAssertGreaterThan(e.priorMediaShare.upper, e.priorMediaShare.lower)
    }

    /// A plan that moves the prior-dominated channel carries the caveat; one that moves only the
    /// informed channel does not.
    func testCaveatOnlyWhenThePlanMovesAPriorDominatedChannel() throws {
        let m = Self.fitted
        let draws = ParametricResponseDraws(model: m, maxDraws: 200)
        let current = m.currentSpend()
        let problem = BudgetProblem(channelNames: m.dataset.channelNames, budget: current.reduce(0, +),
                                    horizon: HorizonSettings(periods: 1, countCarryoverTail: true), currentSpend: current)
        let optimizer = try BudgetOptimizer(draws: draws, problem: problem)
        let movesFlat = try optimizer.whatIf([current[0] * 0.9, current[1] + current[0] * 0.1])
        let movesInformed = try optimizer.whatIf([current[0] * 1.2, current[1]])
        let caveat = try XCTUnwrap(Self.evidence.caveat(for: movesFlat))
        XCTAssertTrue(caveat.contains("x2") && !caveat.contains("x1"), caveat)
        XCTAssertNil(Self.evidence.caveat(for: movesInformed))
        // Combined with the verdict: a failed fit adds its own clause.
        var failed = m
        failed.sampler.divergences = 5
        let both = try XCTUnwrap(PlanningResults.caveat(for: movesFlat, verdict: failed.verdict, evidence: Self.evidence))
        XCTAssertTrue(both.contains("did not converge") && both.contains("x2"), both)
    }

    /// Prior draws follow their distribution: sample means within 4 Monte Carlo standard errors
    /// of the exact mean, for a family sampled directly and two sampled by inverting the CDF.
    func testPriorSamplingMatchesExactMeans() throws {
        var rng = RandomStream(seed: 11)
        for spec in [PriorSpec(.halfNormal, ["sigma": 2]), PriorSpec(.beta, ["alpha": 1, "beta": 3]), PriorSpec(.gamma, ["alpha": 3, "beta": 1])] {
            let n = 4000
            let x = (0..<n).map { _ in ChannelEvidenceSummary.sample(spec, &rng) }
            let mean = x.reduce(0, +) / Double(n)
            let sd = (ChannelEvidenceSummary.variance(x) / Double(n)).squareRoot()
            XCTAssertEqual(mean, PriorSummary.mean(spec), accuracy: 4 * sd, "\(spec)")
        }
    }
}
