import MixTestSupport
import Foundation
import XCTest

/// Every command's --help shows a command line to copy, and elicit's stays short.
final class HelpTextTests: XCTestCase {
    func testEveryHelpHasAnExample() throws {
        for command in [[], ["init"], ["check"], ["fit"], ["optimize"], ["whatif"], ["simulate"], ["config"], ["report"],
                        ["weekly"], ["elicit"]] {
            let help = try MixPlanProcess.run(command + ["--help"])
            XCTAssertEqual(help.status, 0)
            XCTAssertTrue(help.stdout.contains("Example"), "\(command): \(help.stdout)")
            XCTAssertTrue(help.stdout.contains("  mixplan "), "\(command): an example command line")
        }
    }

    /// The method's theory lives in the README; the help says what it does in a screenful.
    func testElicitHelpIsShort() throws {
        let help = try MixPlanProcess.run(["elicit", "--help"]).stdout
        let overview = help.components(separatedBy: "USAGE:")[0]
        XCTAssertLessThanOrEqual(overview.split(separator: "\n").count, 28, overview)
    }
}
