import Foundation
import MixCharts
import XCTest

/// The adapters from `PlanningResults` to chart inputs, checked against values recomputed
/// independently from the bundle and from the model's draws.
final class ChartAdapterTests: XCTestCase {
    let results = PackFixture.results
    var model: FittedModel { results.model }

    /// Column of parameter `name` over all draws.
    func column(_ name: String) -> [Double] {
        let p = model.parameterNames.firstIndex(of: name)!, n = model.parameterNames.count
        return (0..<model.drawCount).map { model.draws[$0 * n + p] }
    }

    func testWaterfallAddsUpToTheFittedTotalOverTheTrainingRows() {
        let steps = ChartPack.waterfallSteps(results)
        XCTAssertEqual(steps.map(\.label), ["Baseline", "Controls", "Seasonality"] + model.dataset.channelNames)
        let trainT = model.dataset.periodCount - model.holdout
        let fittedTotal = results.quantities.fitted[0..<trainT].reduce(0, +)
        // Both are sums of the same posterior means taken in a different order: only rounding differs.
        XCTAssertEqual(steps.reduce(0) { $0 + $1.value }, fittedTotal, accuracy: 1e-9 * abs(fittedTotal))
        for (c, ch) in results.quantities.channels.enumerated() {
            let step = steps.first { $0.channelIndex == c }!
            XCTAssertEqual(step.value, ch.contribution.mean, accuracy: 1e-9 * abs(ch.contribution.mean), ch.name)
        }
    }

    func testAdstockWeightsAreThePosteriorMeanOfGeometricWeights() {
        for (c, a) in ChartPack.adstockWeights(results).enumerated() {
            let name = model.dataset.channelNames[c]
            XCTAssertEqual(a.channel, name)
            let alphas = column("\(name).adstock_alpha")
            let lags = a.weights.count
            XCTAssertEqual(lags, 8)
            // Geometric adstock: w[l] = αˡ / Σⱼ αʲ, averaged over every draw (fewer than the 500 cap).
            for l in 0..<lags {
                let mean = alphas.map { alpha in pow(alpha, Double(l)) / (0..<lags).map { pow(alpha, Double($0)) }.reduce(0, +) }.reduce(0, +) / Double(alphas.count)
                // Same arithmetic up to the order of operations: 1e-12 absolute on weights ≤ 1.
                XCTAssertEqual(a.weights[l], mean, accuracy: 1e-12, "\(name) lag \(l)")
            }
            XCTAssertEqual(a.weights.reduce(0, +), 1, accuracy: 1e-12)
        }
    }

    func testSaturationCurvesAreThePosteriorMeanOfTheLogisticShare() {
        for (c, curve) in ChartPack.saturationCurves(results).enumerated() {
            let name = model.dataset.channelNames[c]
            let lambdas = column("\(name).saturation_lambda")
            XCTAssertEqual(curve.x.first, 0); XCTAssertEqual(curve.x.last, 2)
            for (x, y) in zip(curve.x, curve.y) {
                // Logistic saturation ÷ β = (1 − e^(−λx)) / (1 + e^(−λx)) = tanh(λx/2).
                let expected = lambdas.map { tanh($0 * x / 2) }.reduce(0, +) / Double(lambdas.count)
                XCTAssertEqual(y, expected, accuracy: 1e-12, "\(name) at x = \(x)")
            }
        }
    }

    func testSeriesBarsAndPointsCarryTheBundlesNumbers() throws {
        let q = results.quantities
        let fit = ChartPack.fitSeries(results)
        XCTAssertEqual(fit.actual, model.dataset.target)
        XCTAssertEqual(fit.fitted, q.fitted)
        XCTAssertEqual(fit.lower94, q.predictive.map(\.lower))
        XCTAssertEqual(fit.upper94, q.predictive.map(\.upper))
        XCTAssertEqual(fit.holdoutStart, model.dataset.dates[model.dataset.periodCount - 8])

        let contributions = ChartPack.contributionSeries(results)
        XCTAssertEqual(contributions.trend, [], "the fixture model has no trend")
        XCTAssertEqual(contributions.channels.map(\.values), q.meanDecomposition.channels)

        let plan = try XCTUnwrap(results.optimization).plan
        let bars = ChartPack.allocationBars(plan, channelNames: results.channelNames)
        XCTAssertEqual(bars.map(\.optimal).reduce(0, +), plan.totalSpend, accuracy: 1e-9 * plan.totalSpend)
        for (b, ch) in zip(bars, plan.channels) { XCTAssertEqual(b.current, ch.currentSpendPerPeriod * 12, accuracy: 1e-9 * b.current) }

        let panels = ChartPack.responsePanels(results)
        for (p, ch) in zip(panels, plan.channels) {
            XCTAssertEqual(p.currentSpend, ch.currentSpendPerPeriod)
            XCTAssertEqual(p.optimalSpend, ch.spendPerPeriod)
        }
        // Without a plan the current spend is the mean spend per period over the training rows.
        let trainT = model.dataset.periodCount - model.holdout
        for (c, p) in ChartPack.responsePanels(PackFixture.modelOnly).enumerated() {
            let mean = model.dataset.spend[c][0..<trainT].reduce(0, +) / Double(trainT)
            XCTAssertEqual(p.currentSpend, mean, accuracy: 1e-9 * mean)
            XCTAssertNil(p.optimalSpend)
        }

        let frontier = try XCTUnwrap(results.frontier)
        let points = ChartPack.frontierPoints(frontier)
        XCTAssertEqual(points.map(\.budget), frontier.points.map(\.budget))
        XCTAssertEqual(points.map(\.mean), frontier.points.map(\.response.mean))

        let (roas, marginal) = ChartPack.roasRows(results)
        XCTAssertEqual(roas.map(\.mean), q.channels.map(\.roas.mean))
        XCTAssertEqual(marginal.map(\.upper94), q.channels.map(\.marginalRoas.upper))
    }
}
