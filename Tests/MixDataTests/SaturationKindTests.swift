import XCTest
import MixData

/// A saturation family's parameter list is written once (`SaturationKind`); the count the model
/// and the rows-needed rule use is a fast copy of it, so they must agree.
final class SaturationKindTests: XCTestCase {
    func testParameterCountIsTheNamesCountWithBetaLast() {
        for kind in MixPlanConfig.SaturationKind.allCases {
            XCTAssertEqual(kind.parameterCount, kind.parameterNames.count, kind.rawValue)
            XCTAssertEqual(kind.parameterNames.last, "beta", kind.rawValue)
            XCTAssertFalse(kind.displayName.isEmpty)
        }
    }

    /// The rows-needed rule counts each channel's saturation parameters from the same list.
    func testMinimumRowsCountsSaturationParameters() throws {
        var config = MixPlanConfig()
        config.data.channels = ["tv"]
        config.model.saturation = .logistic
        let logistic = DataValidation.minimumRows(for: config).parameters
        config.model.saturation = .hill
        XCTAssertEqual(DataValidation.minimumRows(for: config).parameters - logistic, 1)
    }
}
