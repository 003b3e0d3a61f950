import XCTest
import MixOptimize
import mixplan

/// The CLI's spec strings and CSV files (`PlanSpecs`, in the CLI target).
final class PlanSpecsTests: XCTestCase {
    let channels = ["tv", "search", "social"]

    func testObjectiveSpellings() throws {
        XCTAssertEqual(try Objective.parse("mean"), .mean)
        XCTAssertEqual(try Objective.parse("mean-sd:1.5"), .meanMinusSD(k: 1.5))
        XCTAssertEqual(try Objective.parse("var:0.05"), .valueAtRisk(q: 0.05))
        XCTAssertEqual(try Objective.parse("CVaR:0.1"), .conditionalValueAtRisk(q: 0.1))
        for bad in ["median", "var:1.2", "mean-sd:-1", "cvar", "mean:3"] {
            XCTAssertThrowsError(try Objective.parse(bad), bad) { XCTAssertTrue("\($0)".contains("--objective")) }
        }
    }

    func testSpendAndBoundsSpecs() throws {
        XCTAssertEqual(try PlanSpecs.parseSpend("tv=1000, search=500,social=0", channels: channels), [1000, 500, 0])
        XCTAssertEqual(try PlanSpecs.parseSpend("tv=1000", channels: channels, fill: [1, 2, 3]), [1000, 2, 3])
        XCTAssertThrowsError(try PlanSpecs.parseSpend("tv=1000", channels: channels)) { XCTAssertTrue("\($0)".contains("search, social")) }
        XCTAssertThrowsError(try PlanSpecs.parseSpend("radio=1", channels: channels)) { XCTAssertTrue("\($0)".contains("unknown channel \"radio\"")) }
        XCTAssertThrowsError(try PlanSpecs.parseSpend("tv=-3,search=1,social=1", channels: channels))
        let b = try PlanSpecs.parseBounds("tv=500:2000,search=±30%,social=+-10%", channels: channels)
        XCTAssertEqual(b["tv"], .absolute(min: 500, max: 2000))
        XCTAssertEqual(b["search"], .relative(fraction: 0.3))
        XCTAssertEqual(b["social"], .relative(fraction: 0.1))
        XCTAssertThrowsError(try PlanSpecs.parseBounds("tv=2000:500", channels: channels))
        XCTAssertThrowsError(try PlanSpecs.parseBounds("tv=abc", channels: channels))
        XCTAssertEqual(try PlanSpecs.parseChannelList("tv, social", channels: channels), ["tv", "social"])
        XCTAssertThrowsError(try PlanSpecs.parseChannelList("tv,radio", channels: channels))
    }

    /// `+10%` reads as "up to 10 % more" but relative bounds are symmetric: refused with the two
    /// spellings that say what the planner may mean; the symmetric spellings all give ±F %.
    func testOneSidedLookingRelativeBoundsAreRefused() throws {
        for spec in ["tv=+10%", "tv=-10%"] {
            XCTAssertThrowsError(try PlanSpecs.parseBounds(spec, channels: channels), spec) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("one-sided"), text)
                XCTAssertTrue(text.contains("tv=±10%") && text.contains("tv=MIN:MAX"), text)
            }
        }
        XCTAssertThrowsError(try PlanSpecs.parseBoundsCSV("channel,min,max\ntv,+20%,\n", channels: channels, file: "b.csv")) {
            XCTAssertTrue("\($0)".hasPrefix("b.csv, row 2, column \"min\"") && "\($0)".contains("one-sided"), "\($0)")
        }
        let b = try PlanSpecs.parseBounds("tv=30%,search=+/-20%,social=±5%", channels: channels)
        XCTAssertEqual(b, ["tv": .relative(fraction: 0.3), "search": .relative(fraction: 0.2), "social": .relative(fraction: 0.05)])
    }

    func testCSVFilesWithRowAndColumnInErrors() throws {
        let bounds = try PlanSpecs.parseBoundsCSV("channel,min,max\ntv,500,2000\nsearch,±20%,\n", channels: channels, file: "b.csv")
        XCTAssertEqual(bounds["tv"], .absolute(min: 500, max: 2000))
        XCTAssertEqual(bounds["search"], .relative(fraction: 0.2))
        XCTAssertThrowsError(try PlanSpecs.parseBoundsCSV("channel,min,max\ntv,5,1\n", channels: channels, file: "b.csv")) {
            XCTAssertTrue("\($0)".hasPrefix("b.csv, row 2, column \"max\""), "\($0)")
        }
        XCTAssertEqual(try PlanSpecs.parsePlanCSV("channel,spend\ntv,10\nsearch,20\nsocial,0\n", channels: channels, file: "p.csv"), [10, 20, 0])
        XCTAssertThrowsError(try PlanSpecs.parsePlanCSV("channel,spend\ntv,10\nradio,2\n", channels: channels, file: "p.csv")) {
            XCTAssertTrue("\($0)".hasPrefix("p.csv, row 3, column \"channel\""), "\($0)")
        }
        XCTAssertThrowsError(try PlanSpecs.parsePlanCSV("name,spend\n", channels: channels, file: "p.csv"))
    }
}
