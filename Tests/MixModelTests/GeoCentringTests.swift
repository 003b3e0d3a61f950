import Foundation
import MixInference
import MixModel
import XCTest

/// `GeoCentring`: its least squares against closed forms, and its per-geo choice on panels where
/// the answer is known (a geo whose data are exact vs one drowned in noise; geos that are copies).
final class GeoCentringTests: XCTestCase {
    /// A standard normal draw (Box–Muller).
    func gaussian(_ rng: inout TestRandom) -> Double {
        (-2 * log(rng.uniform(1e-300, 1))).squareRoot() * cos(2 * .pi * rng.uniform(0, 1))
    }

    /// Simple regression y = a + b·x: b̂ = Sxy/Sxx and se(b̂) = σ̂/√Sxx, σ̂² = RSS/(T − 2).
    func testLeastSquaresMatchesTheSimpleRegressionFormulas() throws {
        var rng = TestRandom(seed: 3)
        let T = 40
        let x = (0..<T).map { _ in rng.uniform(0, 10) }
        let y = x.map { 2 + 0.7 * $0 + gaussian(&rng) }
        let fit = try XCTUnwrap(GeoCentring.leastSquares(columns: [[Double](repeating: 1, count: T), x], target: y))
        let mx = x.reduce(0, +) / Double(T), my = y.reduce(0, +) / Double(T)
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let b = sxy / sxx, a = my - b * mx
        let rss = zip(x, y).reduce(0) { $0 + pow($1.1 - a - b * $1.0, 2) }
        let sigma = (rss / Double(T - 2)).squareRoot()
        // Tolerance: the normal equations lose a few digits to the 1e-10 ridge and rounding.
        XCTAssertEqual(fit.estimate[1], b, accuracy: 1e-8)
        XCTAssertEqual(fit.estimate[0], a, accuracy: 1e-7)
        XCTAssertEqual(fit.standardError[1], sigma / sxx.squareRoot(), accuracy: 1e-8)
        XCTAssertEqual(fit.standardError[0], sigma * (1 / Double(T) + mx * mx / sxx).squareRoot(), accuracy: 1e-8)
        XCTAssertNil(GeoCentring.leastSquares(columns: [[1, 1], [1, 2]], target: [1, 2]), "no residual degrees of freedom")
    }

    /// Three geos whose seasonality differs in phase: one measured almost exactly, one so noisy its
    /// seasonality is unknown. The exact geo's Fourier coefficients are centred, the noisy one's not.
    func testTheWellMeasuredGeoIsCentredAndTheNoisyOneIsNot() throws {
        let T = 156, noise = [0.001, 0.01, 2.0]
        var rng = TestRandom(seed: 5)
        let start = CalendarDate(year: 2022, month: 1, day: 2)!
        let dates = (0..<T).map { start.adding(days: 7 * $0) }
        let sets = (0..<3).map { g -> Dataset in
            let phase = [-0.4, 0.0, 0.4][g]
            let target = (0..<T).map { t -> Double in
                let d = 2 * Double.pi * Double(dates[t].dayOfYear) / 365.25
                return 100 * (1 + 0.2 * sin(d + phase) + noise[g] * gaussian(&rng))
            }
            return Dataset(dates: dates, frequency: .weekly, channelNames: ["tv"], spend: [(0..<T).map { _ in rng.uniform(1, 2) }],
                           controlNames: [], controls: [], targetName: "sales", target: target, source: "panel.csv")
        }
        var model = MixPlanConfig.ModelSection()
        model.yearlySeasonality = 1
        let panel = GeoPanel(geoNames: ["a", "b", "c"], geos: sets, population: [1, 1, 1])
        let s = try GeoStructure(panel: panel, model: model, centring: .allByData)
        XCTAssertEqual(s.centring.fourier, [true, true, true, true, false, false])
        // `byDataStrength` and the default leave seasonality non-centred.
        XCTAssertFalse(try GeoStructure(panel: panel, model: model, centring: .byDataStrength).centring.fourier.contains(true))
        XCTAssertFalse(try GeoStructure(panel: panel, model: model).centring.fourier.contains(true))
        XCTAssertTrue(s.parameterNames.contains("fourier_sin[1][a]"))
        XCTAssertTrue(s.parameterNames.contains("fourier_sin[1]_z[c]"))
        // The geo's sampled coordinate is its value: the pooled accessor returns it unchanged.
        let x = (0..<s.dimension).map { Double($0) * 0.01 }
        let i = s.parameterNames.firstIndex(of: "fourier_sin[1][a]")!
        XCTAssertEqual(x.withUnsafeBufferPointer { s.fourier.value($0.baseAddress!, 0, 0) }, x[i])
    }

    /// Geos that are exact copies (per head) have no spread between them: every coordinate stays
    /// non-centred, the form that suits a scale near zero. One geo alone has nothing to pool.
    func testCopiesStayNonCentred() throws {
        let one = GeoModelTests.panel(geos: 1, periods: 60, channels: 2).geos[0]
        let copies = GeoPanel(geoNames: (0..<5).map { "g\($0)" }, geos: Array(repeating: one, count: 5), population: nil)
        let s = try GeoStructure(panel: copies, model: MixPlanConfig.ModelSection(), centring: .byDataStrength)
        XCTAssertEqual(s.centring.intercept, Array(repeating: false, count: 5))
        XCTAssertFalse(s.centring.fourier.contains(true))
        XCTAssertFalse(s.centring.roas.joined().contains(true))
        let single = try GeoStructure(panel: GeoPanel(geoNames: ["all"], geos: [one], population: nil), model: MixPlanConfig.ModelSection(),
                                      centring: .byDataStrength)
        XCTAssertTrue(single.centring.intercept.allSatisfy { !$0 })
    }
}
