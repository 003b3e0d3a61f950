import Foundation
import MixData
import XCTest

/// Long geo × period CSVs (`data.geo_column`): what loads, and the errors that name file, row,
/// geo, period and column.
final class GeoPanelLoaderTests: XCTestCase {
    static func config(_ path: String, population: Bool = true) -> MixPlanConfig {
        var config = MixPlanConfig()
        config.data.file = path
        config.data.geoColumn = "region"
        config.data.populationColumn = population ? "pop" : nil
        config.data.channels = ["tv", "search"]
        return config
    }

    /// Four weeks × two geos, rows deliberately not grouped by geo; search never runs in "south".
    static let valid = """
    date,region,pop,tv,search,sales
    2024-01-07,north,1000,10,5,100
    2024-01-07,south,400,4,0,40
    2024-01-14,south,400,4,0,41
    2024-01-14,north,1000,11,6,102
    2024-01-21,north,1000,12,5,101
    2024-01-21,south,400,5,0,43
    2024-01-28,north,1000,0,7,99
    2024-01-28,south,400,3,0,42
    """

    func testLoadsEachGeoOnTheSharedGrid() throws {
        let path = TestSupport.temporaryFile(Self.valid)
        let panel = try DatasetLoader().loadPanel(Self.config(path))
        XCTAssertEqual(panel.geoNames, ["north", "south"])
        XCTAssertEqual(panel.periodCount, 4)
        XCTAssertEqual(panel.geos[1].target, [40, 41, 43, 42])
        XCTAssertEqual(panel.geos[0].spend[0], [10, 11, 12, 0])
        XCTAssertEqual(panel.population, [1000, 400])
        XCTAssertEqual(panel.dates.first?.description, "2024-01-07")
        XCTAssertEqual(panel.national.target, [140, 143, 144, 141])
        // The dark cell is allowed and reported, not an error.
        XCTAssertEqual(panel.inactiveCells.map { "\($0.geo),\($0.channel)" }, ["1,1"])
        XCTAssertTrue(panel.inactiveDescriptions[0].contains("\"search\"") && panel.inactiveDescriptions[0].contains("\"south\""))
    }

    func testDuplicateGeoPeriodNamesGeoPeriodAndBothRows() {
        let text = Self.valid + "\n2024-01-14,north,1000,1,1,1"
        let error = TestSupport.inputError { _ = try DatasetLoader().loadPanel(Self.config(TestSupport.temporaryFile(text))) }
        XCTAssertEqual(error?.location.row, 10)
        XCTAssertEqual(error?.location.column, "date")
        XCTAssertTrue(error?.message.contains("geo \"north\" has period 2024-01-14 twice (rows 5 and 10)") ?? false, error?.description ?? "")
    }

    func testMissingPeriodNamesGeoAndPeriod() {
        let text = Self.valid.split(separator: "\n").filter { !$0.hasPrefix("2024-01-21,south") }.joined(separator: "\n")
        let error = TestSupport.inputError { _ = try DatasetLoader().loadPanel(Self.config(TestSupport.temporaryFile(text))) }
        XCTAssertEqual(error?.location.column, "date")
        XCTAssertTrue(error?.message.contains("geo \"south\" is missing 1 period that other geos have (2024-01-21)") ?? false, error?.description ?? "")
    }

    func testAllZeroTargetInAGeoIsAnError() {
        let text = Self.valid.split(separator: "\n").map { $0.contains(",south,") ? $0.split(separator: ",").dropLast().joined(separator: ",") + ",0" : String($0) }
            .joined(separator: "\n")
        let error = TestSupport.inputError { _ = try DatasetLoader().loadPanel(Self.config(TestSupport.temporaryFile(text))) }
        XCTAssertEqual(error?.location.column, "sales")
        XCTAssertTrue(error?.message.contains("geo \"south\" has a target of 0 in every period") ?? false, error?.description ?? "")
    }

    func testBadPopulationAndMissingGeoColumnAreNamed() {
        let zero = Self.valid.replacingOccurrences(of: "2024-01-21,south,400", with: "2024-01-21,south,0")
        let error = TestSupport.inputError { _ = try DatasetLoader().loadPanel(Self.config(TestSupport.temporaryFile(zero))) }
        XCTAssertEqual(error?.location.row, 7)
        XCTAssertEqual(error?.location.column, "pop")
        XCTAssertTrue(error?.message.contains("geo \"south\" in period 2024-01-21 is 0") ?? false, error?.description ?? "")

        var config = Self.config(TestSupport.temporaryFile(Self.valid))
        config.data.geoColumn = "regoin"
        let missing = TestSupport.inputError { _ = try DatasetLoader().loadPanel(config) }
        XCTAssertEqual(missing?.location.key, "data.geo_column")
        XCTAssertTrue(missing?.hint?.contains("region") ?? false, missing?.description ?? "")
    }

    func testEmptyGeoCellNamesRowAndColumn() {
        let text = Self.valid.replacingOccurrences(of: "2024-01-28,south", with: "2024-01-28,")
        let error = TestSupport.inputError { _ = try DatasetLoader().loadPanel(Self.config(TestSupport.temporaryFile(text))) }
        XCTAssertEqual(error?.location.row, 9)
        XCTAssertEqual(error?.location.column, "region")
    }

    func testConfigKeysParseAndInitRecognisesTheGeoColumn() throws {
        let yaml = "data:\n  file: d.csv\n  geo_column: region\n  population_column: pop\n  channels: [tv]\n"
        let config = try ConfigLoader.parse(yaml: yaml, path: "c.yaml")
        XCTAssertEqual(config.data.geoColumn, "region")
        XCTAssertEqual(config.data.populationColumn, "pop")

        let guess = try ColumnGuess.guess(path: TestSupport.temporaryFile(Self.valid))
        XCTAssertEqual(guess.data.geoColumn, "region")
        XCTAssertEqual(guess.data.populationColumn, "pop")
        XCTAssertEqual(guess.data.target, "sales")
        XCTAssertEqual(Set(guess.data.channels), ["tv", "search"])
        // The filled template carries the panel keys and reads back.
        let filled = ConfigTemplate.fill(ConfigTemplate.Values(guess.data))
        let reread = try ConfigLoader.parse(yaml: filled, path: "c.yaml")
        XCTAssertEqual(reread.data.geoColumn, "region")
        XCTAssertEqual(reread.data.populationColumn, "pop")
    }
}
