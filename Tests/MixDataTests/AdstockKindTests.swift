import Foundation
import XCTest
import MixData

/// An adstock kind's parameter list, symbols and weights are written once (`AdstockKind`); the
/// counts the model and the rows-needed rule use, and the steady-state factor the response
/// curves rely on, must agree with them. (Weights against their definitions and their
/// derivatives against finite differences: TransformTests in MixModelTests.)
final class AdstockKindTests: XCTestCase {
    func testParameterCountSymbolsAndNamesAgree() {
        for kind in MixPlanConfig.AdstockKind.allCases {
            XCTAssertEqual(kind.parameterCount, kind.parameterNames.count, kind.rawValue)
            XCTAssertEqual(kind.parameterSymbols.count, kind.parameterCount, kind.rawValue)
            XCTAssertEqual(kind.defaultPriors.count, kind.parameterCount, kind.rawValue)
            XCTAssertFalse(kind.displayName.isEmpty)
        }
        XCTAssertEqual(Set(MixPlanConfig.AdstockKind.allCases.map(\.displayName)).count, MixPlanConfig.AdstockKind.allCases.count)
        for kind in MixPlanConfig.SaturationKind.allCases {
            XCTAssertEqual(kind.parameterSymbols.count, kind.parameterCount, kind.rawValue)
            XCTAssertEqual(kind.parameterSymbols.last, "β", kind.rawValue)
        }
    }

    /// Σ w = `steadyStateFactor` (1) for every kind, lag window and a spread of parameters: the
    /// steady response curve (saturation of the spend itself) depends on it. A sum of at most 12
    /// terms each ≤ 1 is exact to a few ulps, hence 1e-14.
    func testWeightsSumToTheSteadyStateFactor() {
        let parameters: [MixPlanConfig.AdstockKind: [[Double]]] = [
            .geometric: [[0.05], [0.5], [0.97]],
            .delayed: [[0.3, 0], [0.6, 2.5], [0.9, 7]],
            .weibullCDF: [[0.5, 0.8], [2, 1.5], [6, 3]],
            .weibullPDF: [[0.5, 0.8], [2, 1.5], [6, 3]],
        ]
        for kind in MixPlanConfig.AdstockKind.allCases {
            for p in parameters[kind]! {
                for lags in [1, 4, 12] {
                    let w = kind.weights(p, lags: lags)
                    XCTAssertEqual(w.count, lags)
                    XCTAssertTrue(w.allSatisfy { $0 >= 0 && $0.isFinite }, "\(kind) \(p)")
                    XCTAssertEqual(w.reduce(0, +), MixPlanConfig.AdstockKind.steadyStateFactor, accuracy: 1e-14, "\(kind) \(p) L=\(lags)")
                }
            }
        }
    }

    /// The rows-needed rule counts each channel's adstock parameters from the same list and names
    /// every kind's count in its message.
    func testMinimumRowsCountsAdstockParameters() {
        var config = MixPlanConfig()
        config.data.channels = ["tv", "search"]
        config.model.adstock = .geometric
        let geometric = DataValidation.minimumRows(for: config).parameters
        for kind in MixPlanConfig.AdstockKind.allCases {
            config.model.adstock = kind
            XCTAssertEqual(DataValidation.minimumRows(for: config).parameters - geometric, 2 * (kind.parameterCount - 1), kind.rawValue)
            XCTAssertTrue(DataValidation.minimumRowsRule.contains("\(kind.displayName) \(kind.parameterCount)"), kind.rawValue)
        }
        config.model.adstock = .geometric
        config.model.channels["tv"] = .init(adstock: .weibullPDF)
        XCTAssertEqual(DataValidation.minimumRows(for: config).parameters - geometric, 1)
    }
}
