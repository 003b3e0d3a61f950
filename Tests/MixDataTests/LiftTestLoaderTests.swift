import Foundation
import MixData
import XCTest

final class LiftTestLoaderTests: XCTestCase {
    private func write(_ text: String, name: String = "lift.csv") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func error(_ body: () throws -> Void) -> InputError? {
        do { try body() } catch let e as InputError { return e } catch { XCTFail("\(error)") }
        return nil
    }

    func testReadsColumnsInAnyOrderWithOptionalDates() throws {
        let path = try write("""
        sigma,channel,x,delta_x,delta_y,start,end
        900,tv,12000,-10800,-5400,2023-03-06,2023-05-08
        120.5,search, 4000 ,2000,1500,,
        """)
        let tests = try LiftTestLoader.load(path: path)
        XCTAssertEqual(tests.count, 2)
        XCTAssertEqual(tests[0].channel, "tv")
        XCTAssertEqual(tests[0].spendDuring, 1200)
        XCTAssertEqual(tests[0].observedSlope, 0.5)
        XCTAssertEqual(tests[0].start, CalendarDate(year: 2023, month: 3, day: 6))
        XCTAssertEqual(tests[1].spend, 4000)
        XCTAssertEqual(tests[1].standardError, 120.5)
        XCTAssertNil(tests[1].end)
        XCTAssertEqual(tests[1].source, "\(path), row 3")
    }

    func testErrorsNameFileRowAndColumn() throws {
        let cases: [(String, Int?, String?, String)] = [
            ("channel,x,delta_x,delta_y\ntv,1,2,3", 1, nil, "has no \"sigma\" column"),
            ("channel,x,delta_x,delta_y,sigma,lift\ntv,1,2,3,1,0", 1, "lift", "is not a lift-test column"),
            ("channel,x,delta_x,delta_y,sigma\ntv,1,2,abc,1", 2, "delta_y", "expected a number, found \"abc\""),
            ("channel,x,delta_x,delta_y,sigma\ntv,1,2,3,1\ntv,1,2,-3,1", 3, nil, "opposite sign"),
            ("channel,x,delta_x,delta_y,sigma\ntv,1,0,3,1", 2, nil, "delta_x is 0"),
            ("channel,x,delta_x,delta_y,sigma\ntv,1,-2,-3,1", 2, nil, "spend during the test"),
            ("channel,x,delta_x,delta_y,sigma\ntv,1,2,3,0", 2, nil, "sigma"),
            ("channel,x,delta_x,delta_y,sigma\n,1,2,3,1", 2, "channel", "expected a channel name"),
            ("channel,x,delta_x,delta_y,sigma,start,end\ntv,1,2,3,1,2023-05-01,2023-04-01", 2, "end", "before it starts"),
        ]
        for (text, row, column, message) in cases {
            let path = try write(text)
            let e = try XCTUnwrap(error { _ = try LiftTestLoader.load(path: path) }, text)
            XCTAssertEqual(e.location.file, path)
            XCTAssertEqual(e.location.row, row, text)
            XCTAssertEqual(e.location.column, column, text)
            XCTAssertTrue(e.description.contains(message), "\(e.description) should say \(message)")
        }
    }

    func testConfigNamesAFileOrListsTestsInline() throws {
        let csv = try write("channel,x,delta_x,delta_y,sigma\ntv,100,50,20,4\n", name: "tests.csv")
        let folder = URL(fileURLWithPath: csv).deletingLastPathComponent()
        let configPath = folder.appendingPathComponent("mixplan.yaml").path
        var config = try ConfigLoader.parse(yaml: """
        data: {channels: [tv, search]}
        calibration: {lift_tests: tests.csv}
        """, path: configPath)
        XCTAssertEqual(config.calibration.liftTestsFile, "tests.csv")
        XCTAssertEqual(try LiftTestLoader.load(config: config).map(\.targetChange), [20])

        config = try ConfigLoader.parse(yaml: """
        data: {channels: [tv, search]}
        calibration:
          lift_tests:
            - {channel: search, x: 10, delta_x: -5, delta_y: -2, sigma: 0.5, start: 2024-01-01}
        """, path: configPath)
        let inline = try LiftTestLoader.load(config: config)
        XCTAssertEqual(inline, [LiftTest(channel: "search", spend: 10, spendChange: -5, targetChange: -2, standardError: 0.5,
                                         start: CalendarDate(year: 2024, month: 1, day: 1), source: "\(configPath), calibration.lift_tests[0]")])
    }

    func testConfigRejectsUnknownChannelsAndBadTests() {
        let unknown = error {
            _ = try ConfigLoader.parse(yaml: """
            data: {channels: [tv, search]}
            calibration: {lift_tests: [{channel: serch, x: 1, delta_x: 1, delta_y: 1, sigma: 1}]}
            """, path: "c.yaml")
        }
        XCTAssertEqual(unknown?.location.key, "calibration.lift_tests")
        XCTAssertTrue(unknown?.description.contains("search") ?? false, unknown?.description ?? "")
        let missing = error {
            _ = try ConfigLoader.parse(yaml: "calibration: {lift_tests: [{channel: tv, x: 1, delta_x: 1, delta_y: 1}]}", path: "c.yaml")
        }
        XCTAssertTrue(missing?.description.contains("has no \"sigma\"") ?? false, missing?.description ?? "")
        let sign = error {
            _ = try ConfigLoader.parse(yaml: "calibration: {lift_tests: [{channel: tv, x: 1, delta_x: 1, delta_y: -1, sigma: 1}]}", path: "c.yaml")
        }
        XCTAssertTrue(sign?.description.contains("opposite sign") ?? false, sign?.description ?? "")
    }

    func testFileTestForAnUnknownChannelIsAnError() throws {
        let csv = try write("channel,x,delta_x,delta_y,sigma\nradio,100,50,20,4\n", name: "tests.csv")
        var config = MixPlanConfig()
        config.data.channels = ["tv"]
        config.calibration.liftTestsFile = csv
        let e = error { _ = try LiftTestLoader.load(config: config) }
        XCTAssertTrue(e?.description.contains("\"radio\", which is not in data.channels") ?? false, e?.description ?? "")
        XCTAssertTrue(e?.description.contains("row 2") ?? false, e?.description ?? "")
    }
}
