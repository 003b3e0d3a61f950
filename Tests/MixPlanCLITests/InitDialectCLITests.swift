import MixTestSupport
import Foundation
import XCTest

/// `mixplan init` on a European export of the bundled weekly-5ch sample: the written config
/// records the dialect, `check` reads the file with it, and every column's decision is printed.
final class InitDialectCLITests: XCTestCase {
    func testInitThenCheckOnAEuropeanExport() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let lines = try String(contentsOf: Fixtures.sample("weekly-5ch").appendingPathComponent("data.csv"), encoding: .utf8)
            .split(separator: "\n")
        var text = lines[0].replacingOccurrences(of: ",", with: ";") + "\r\n"
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let ymd = cells[0].split(separator: "-")
            let numbers = cells.dropFirst().map { $0.replacingOccurrences(of: ".", with: ",") }
            text += (["\(ymd[2]).\(ymd[1]).\(ymd[0])"] + numbers).joined(separator: ";") + "\r\n"
        }
        let csv = dir.appendingPathComponent("export.csv")
        try text.write(to: csv, atomically: true, encoding: .utf8)

        let initRun = try MixPlanProcess.run(["init", csv.path])
        XCTAssertEqual(initRun.status, 0, initRun.stderr)
        for phrase in ["\";\" delimiter, decimal comma", "date column: \"date\" (every cell is a D/M/YYYY date)",
                       "target: \"sales\"", "control: \"holiday\" (a 0/1 indicator)", "control: \"price_index\"",
                       "channels: tv, search, social, display, radio — CHECK"] {
            XCTAssertTrue(initRun.stdout.contains(phrase), "init output lacks \(phrase):\n\(initRun.stdout)")
        }
        let yaml = try String(contentsOf: dir.appendingPathComponent("mixplan.yaml"), encoding: .utf8)
        XCTAssertTrue(yaml.contains("delimiter: \"semicolon\""), yaml)
        XCTAssertTrue(yaml.contains("decimal: \"comma\""), yaml)
        XCTAssertTrue(yaml.contains("date_format: \"d/m/yyyy\""), yaml)
        XCTAssertFalse(yaml.contains("DESIGN.md"), "the template must not point at a file the user does not have")

        let check = try MixPlanProcess.run(["check", "--config", dir.appendingPathComponent("mixplan.yaml").path])
        XCTAssertEqual(check.status, 0, check.stderr + check.stdout)
        XCTAssertTrue(check.stdout.contains("read as: \";\" delimiter, decimal comma"), check.stdout)
    }
}
