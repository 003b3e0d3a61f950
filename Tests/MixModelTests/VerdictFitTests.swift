import MixTestSupport
import Foundation
import XCTest
import MixModel

/// The baseline part of the convergence verdict, on real fits, and saved models from before it.
final class VerdictFitTests: XCTestCase {
    static func config() -> MixPlanConfig {
        var config = try! ConfigLoader.load(path: Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path)
        config.sampler.chains = 2
        config.sampler.warmup = 200
        config.sampler.draws = 150
        return config
    }

    /// Least squares on an intercept and Fourier columns reproduces a target built exactly from
    /// them (to rounding: the normal equations of ≤ 5 columns lose a few digits at most).
    func testLeastSquaresRecoversAnExactCombination() {
        let dates = (0..<104).map { CalendarDate(year: 2022, month: 1, day: 3)!.adding(days: 7 * $0) }
        let T = dates.count, order = 2
        let basis = ModelStructure.fourierBasis(dates: dates, order: order)
        let columns = [[Double](repeating: 1, count: T)] + (0..<(2 * order)).map { Array(basis[($0 * T)..<(($0 + 1) * T)]) }
        let beta = [100.0, 12, -3, 7, 0.5]
        let y = (0..<T).map { t in (0..<columns.count).reduce(0) { $0 + beta[$1] * columns[$1][t] } }
        let fitted = SeasonalBaseline.leastSquaresFit(columns: columns, target: y)
        for t in 0..<T { XCTAssertEqual(fitted[t], y[t], accuracy: 1e-9 * 100) }
        // A duplicated column is dropped, not a singular solve.
        let doubled = SeasonalBaseline.leastSquaresFit(columns: columns + [columns[1]], target: y)
        for t in 0..<T { XCTAssertEqual(doubled[t], y[t], accuracy: 1e-9 * 100) }
    }

    /// `intercept: Normal(5, 0.01)` pins the baseline at 5× the target's maximum: the sampler
    /// may be happy, but the fit is far worse than an intercept and seasonality, and the verdict
    /// says so with what to try next.
    func testAnImpossibleInterceptPriorFailsOnTheBaseline() throws {
        var config = Self.config()
        config.model.priors["intercept"] = PriorSpec(.normal, ["mu": 5, "sigma": 0.01])
        let data = try DatasetLoader().load(config).dataset
        let model = try ModelFitter.fit(dataset: data, config: config)
        let verdict = model.verdict
        XCTAssertFalse(verdict.passed)
        let reason = try XCTUnwrap(verdict.reasons.first { $0.check == .baseline }, verdict.summary)
        XCTAssertTrue(reason.nextStep.contains("model.priors"), reason.nextStep)
        let b = try XCTUnwrap(verdict.baseline)
        XCTAssertLessThan(b.modelR2, -10, "the level is off by several times the target's range")
        XCTAssertGreaterThan(b.baselineR2, 0)
        // The baseline's R² is recomputed here from its own definition: R² of the least-squares fit.
        let T = model.structure.periodCount
        XCTAssertEqual(b.baselineR2, SeasonalBaseline.r2(Array(data.target[0..<T]),
                       SeasonalBaseline.leastSquaresFit(columns: [[Double](repeating: 1, count: T)] + (0..<(2 * model.structure.fourierOrder)).map {
                           Array(model.structure.fourier[($0 * T)..<(($0 + 1) * T)]) }, target: Array(data.target[0..<T]))), accuracy: 1e-12)
        // `fit`, the report and the workbook quote one in-sample R²: the check's, whatever draws
        // their quantities are thinned to. Recomputed from PosteriorQuantities' own mean of μ over
        // every draw (300 here, all of them inside the check's thinning).
        let all = PosteriorQuantities(model: model)
        XCTAssertEqual(SeasonalBaseline.r2(Array(data.target[0..<T]), Array(all.fitted[0..<T])), b.modelR2, accuracy: 1e-9)
        for maxDraws in [0, 100, 1000] {
            XCTAssertEqual(PosteriorQuantities(model: model, maxDraws: maxDraws).inSample.r2, b.modelR2, "maxDraws \(maxDraws)")
        }
    }

    /// The same data with the default priors beat the baseline: media explains what seasonality cannot.
    func testDefaultFitBeatsTheBaseline() throws {
        let config = Self.config()
        let data = try DatasetLoader().load(config).dataset
        let model = try ModelFitter.fit(dataset: data, config: config)
        let b = try XCTUnwrap(model.verdict.baseline)
        XCTAssertLessThan(b.modelRMSE, b.baselineRMSE)
        XCTAssertFalse(model.verdict.reasons.contains { $0.check == .baseline })
    }

    /// A model folder saved before the verdict and backtest existed (no `backtest` key, no tail
    /// checks recorded separately) still loads, and is judged by today's verdict.
    func testModelSavedBeforeTheVerdictLoads() throws {
        let folder = Fixtures.url("charts/weekly-2ch-model")
        let manifest = try String(contentsOf: folder.appendingPathComponent("model.json"), encoding: .utf8)
        XCTAssertFalse(manifest.contains("backtest"), "the fixture is an old-format model")
        let model = try ModelStore.load(from: folder)
        XCTAssertNil(model.backtest)
        XCTAssertNotNil(model.verdict.baseline)
        XCTAssertEqual(model.verdict.passed, model.verdict.reasons.isEmpty)
    }

    /// A backtest refits without the last periods and scores them; saving keeps it.
    func testBacktestHoldsOutTheLastPeriodsAndIsSaved() throws {
        var config = Self.config()
        config.sampler.warmup = 150
        config.sampler.draws = 100
        let data = try DatasetLoader().load(config).dataset
        XCTAssertEqual(Backtest.defaultPeriods(data, config: config), min(13, data.periodCount / 10))
        var model = try ModelFitter.fit(dataset: data, config: config)
        let b = try Backtest.run(dataset: data, config: config, periods: 13)
        XCTAssertEqual(b.heldOut, 13)
        XCTAssertEqual(b.outOfSample.periods, 13)
        XCTAssertEqual(b.inSample.periods, data.periodCount - 13)
        XCTAssertEqual(b.draws, 100)
        XCTAssertLessThan(b.outOfSample.mape, 0.5, "a simulated target is predictable 13 weeks ahead")
        model.backtest = b
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ModelStore.save(model, to: folder)
        XCTAssertEqual(try ModelStore.load(from: folder).backtest, b)
    }

    /// Short data get no default backtest; weekly data hold out 13 weeks at most, daily 28 days.
    func testDefaultBacktestPeriods() throws {
        let config = Self.config()
        let data = try DatasetLoader().load(config).dataset
        XCTAssertEqual(Backtest.defaultPeriods(data.prefix(39), config: config), 0, "10 % of 39 weeks is 3 < 4")
        XCTAssertEqual(Backtest.defaultPeriods(data.prefix(100), config: config), 10)
        XCTAssertEqual(Backtest.defaultPeriods(data, config: config), 13)
    }
}
