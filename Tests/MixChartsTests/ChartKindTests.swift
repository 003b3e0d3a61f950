import MixTestSupport
import Foundation
import MixCharts
import XCTest

/// The chart identities (`ChartKind`) and the charts added for the planner: observed spend range
/// and bound-held channels on the response curves, adstock intervals, spend share against effect
/// share, residuals, ROAS prior against posterior. Values are recomputed from the model folder's
/// own files (data.csv, draws through the model) rather than read back from the adapters.
final class ChartKindTests: XCTestCase {
    let results = PackFixture.results

    /// data.csv of the fixture model: one column per header name, numbers only (the date column is skipped).
    func dataColumns() throws -> [String: [Double]] {
        let text = try String(contentsOf: Fixtures.url("charts/weekly-2ch-model/data.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        var out: [String: [Double]] = [:]
        for (k, name) in rows[0].enumerated().dropFirst() { out[name] = rows.dropFirst().map { Double($0[k])! } }
        return out
    }

    func testEveryKindHasOneFileNameAndThePackFollowsKindOrder() {
        XCTAssertEqual(Set(ChartKind.fileNames).count, ChartKind.allCases.count)
        for kind in ChartKind.allCases {
            XCTAssertEqual(ChartKind(fileName: kind.fileName), kind)
            XCTAssertFalse(kind.title.isEmpty)
            XCTAssertFalse(kind.reportText(target: "sales", unit: "week").caption.isEmpty, "\(kind)")
        }
        XCTAssertNil(ChartKind(fileName: "roas"))
        XCTAssertNil(ChartKind(fileName: "my-chart.png"))
        let kinds = PackFixture.pack1x.map(\.kind)
        XCTAssertEqual(kinds, ChartKind.allCases.filter(kinds.contains), "pack in ChartKind order")
        for kind in [ChartKind.spendEffectShare, .residuals, .roasPriorPosterior] { XCTAssertTrue(kinds.contains(kind), "\(kind)") }
        XCTAssertEqual(PackFixture.pack1x.map(\.title), kinds.map(\.title))
    }

    func testResponsePanelsMarkTheObservedSpendRangeAndBoundHeldChannels() throws {
        let columns = try dataColumns()
        let training = results.model.dataset.periodCount - results.model.holdout
        let held = Set((results.optimization?.certificate.channelsAtUpperBound ?? []) + (results.optimization?.certificate.channelsAtLowerBound ?? []))
        for p in ChartPack.responsePanels(results) {
            let spend = try XCTUnwrap(columns[p.channel])
            XCTAssertEqual(p.observedMaxSpend, spend.prefix(training).max(), p.channel)
            XCTAssertLessThan(p.observedMaxSpend!, p.spendGrid.last!, "\(p.channel): the grid runs past the data, so part is dashed")
            XCTAssertEqual(p.heldAtBound != nil, held.contains(p.channel), p.channel)
            if let side = p.heldAtBound { XCTAssertEqual(p.title, "\(p.channel) · held at its \(side) bound") }
        }
        XCTAssertFalse(held.isEmpty, "the fixture's ±30 % bounds hold a channel, so the marking is exercised")
        let chart = PackFixture.chart("response-curves.png")
        XCTAssertTrue(chart.texts.contains { $0.text.contains("held at its") }, "the held channel's panel says so")
        XCTAssertTrue(chart.texts.contains { $0.text == "Beyond the largest observed spend" }, "legend explains the dashes")
        XCTAssertTrue(chart.texts.contains { $0.text.hasPrefix("Spend per week") }, "spend axis has its unit")
    }

    func testSplitCurveJoinsAtTheLimit() {
        let xs = [0.0, 1, 2, 3], ys = [0.0, 10, 20, 30]
        let parts = splitCurve(xs, ys, at: 1.5)
        XCTAssertEqual(parts.observed.xs, [0, 1, 1.5]); XCTAssertEqual(parts.observed.ys, [0, 10, 15])
        XCTAssertEqual(parts.beyond.xs, [1.5, 2, 3]); XCTAssertEqual(parts.beyond.ys, [15, 20, 30])
        XCTAssertTrue(splitCurve(xs, ys, at: nil).beyond.xs.isEmpty)
        XCTAssertTrue(splitCurve(xs, ys, at: 5).beyond.xs.isEmpty)
    }

    func testAdstockIntervalsAreQuantilesOfTheDrawsWeights() {
        let m = results.model
        for (c, a) in ChartPack.adstockWeights(results).enumerated() {
            let ch = m.structure.channels[c], np = ch.adstock.parameterNames.count
            // Brute force over every draw (the fixture has 200, under the adapter's 500 limit).
            let lag0 = (0..<m.drawCount).map { i -> Double in
                let base = i * m.structure.dimension + ch.adstockOffset
                return ch.adstock.weights(Array(m.draws[base..<(base + np)]))[0]
            }.sorted()
            let tail = (1 - m.config.report.intervalMass) / 2
            // Equal-tailed: about `tail` of the draws lie below the lower end (± one draw).
            let below = Double(lag0.filter { $0 < a.lower[0] }.count) / Double(lag0.count)
            XCTAssertEqual(below, tail, accuracy: 1.0 / Double(lag0.count) + 1e-12, a.channel)
            XCTAssertEqual(a.weights[0], lag0.reduce(0, +) / Double(lag0.count), accuracy: 1e-12)
            for l in a.weights.indices { XCTAssertTrue(a.lower[l] <= a.weights[l] && a.weights[l] <= a.upper[l], "\(a.channel) lag \(l)") }
        }
    }

    func testSharesAndResidualsRecomputedFromTheData() throws {
        let columns = try dataColumns()
        let training = results.model.dataset.periodCount - results.model.holdout
        let totals = results.channelNames.map { columns[$0]!.prefix(training).reduce(0, +) }
        let rows = ChartPack.shareRows(results)
        for (c, row) in rows.enumerated() {
            XCTAssertEqual(row.spendShare, totals[c] / totals.reduce(0, +), accuracy: 1e-12, row.channel)
            XCTAssertEqual(row.effectShare, results.quantities.channels[c].share.mean)
            XCTAssertTrue(row.effectLower <= row.effectShare && row.effectShare <= row.effectUpper)
        }
        XCTAssertEqual(rows.map(\.spendShare).reduce(0, +), 1, accuracy: 1e-12)

        let target = try XCTUnwrap(columns[results.model.dataset.targetName])
        let r = ChartPack.residualSeries(results)
        XCTAssertEqual(r.residual.count, target.count)
        for t in target.indices {
            XCTAssertEqual(r.residual[t], target[t] - results.quantities.fitted[t], accuracy: 1e-9 * max(1, abs(target[t])))
            XCTAssertLessThanOrEqual(r.lower[t], r.upper[t])
        }
        // Most observations fall inside a 94 % predictive band of a fit that is not absurd.
        let inside = r.residual.indices.filter { r.lower[$0] <= r.residual[$0] && r.residual[$0] <= r.upper[$0] }.count
        XCTAssertGreaterThan(Double(inside) / Double(target.count), 0.8)
    }

    func testROASPriorAgainstPosteriorUsesTheEvidence() throws {
        let rows = ChartPack.roasPriorRows(results)
        XCTAssertEqual(rows.posterior.map(\.label), results.channelNames)
        for (c, e) in results.evidence.channels.enumerated() {
            XCTAssertEqual(rows.posterior[c].mean, e.posteriorROAS.mean)
            XCTAssertEqual(rows.prior[c]?.mean, e.priorROAS?.mean)
        }
        XCTAssertThrowsError(try roasPriorPosteriorChart(prior: [], posterior: rows.posterior))
    }

    func testChartsAtScaleTwoHaveTwiceThePixels() throws {
        for (a, b) in zip(PackFixture.pack1x, PackFixture.pack2x) {
            XCTAssertEqual(a.kind, b.kind)
            let one = try a.chart.pngData(), two = try b.chart.pngData()
            func size(_ d: Data) -> (Int, Int) {
                let bytes = [UInt8](d.prefix(24))
                func be(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
                return (be(16), be(20))
            }
            XCTAssertEqual(size(two).0, 2 * size(one).0, a.fileName)
            XCTAssertEqual(size(two).1, 2 * size(one).1, a.fileName)
        }
    }
}
