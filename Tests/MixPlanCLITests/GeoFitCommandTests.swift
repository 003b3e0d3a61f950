import MixTestSupport
import Foundation
import XCTest

/// The geo path through the executable: simulate a panel, fit it briefly, read summary.json back;
/// and bad panel input exits 2 naming geo, period and column, with nothing written.
final class GeoFitCommandTests: XCTestCase {
    func testSimulateThenFitWritesNationalAndGeoSummaries() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let sim = dir.appendingPathComponent("sim")
        let made = try MixPlanProcess.run(["simulate", "--preset", "geo-4x104", "--seed", "2", "--out", sim.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        let model = dir.appendingPathComponent("model").path
        let fit = try MixPlanProcess.run(["fit", "--config", sim.appendingPathComponent("mixplan.yaml").path, "--out", model,
                                          "--chains", "2", "--warmup", "150", "--draws", "100", "--allow-unconverged"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        XCTAssertTrue(fit.stdout.contains("geo model (4 geos)"), fit.stdout)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model + "/summary.json"))) as? [String: Any])
        let national = try XCTUnwrap(summary["channels"] as? [[String: Any]])
        let geos = try XCTUnwrap(summary["geos"] as? [[String: Any]])
        XCTAssertEqual(national.count, 4)
        XCTAssertEqual(geos.count, 4)
        let keys = Set(national[0].keys)
        XCTAssertTrue(keys.isSuperset(of: ["name", "spend", "contribution", "roas", "marginalRoas"]), "\(keys)")
        // The national contribution is the per-draw sum over geos, so its mean is the sum of the
        // geos' means (to rounding), and its spend the sum of the geos' spend.
        for channel in national {
            let name = channel["name"] as! String
            let cells = geos.compactMap { ($0["channels"] as! [[String: Any]]).first { $0["name"] as! String == name } }
            let mean = { (x: [String: Any]) in (x["contribution"] as! [String: Any])["mean"] as! Double }
            XCTAssertEqual(mean(channel), cells.map(mean).reduce(0, +), accuracy: 1e-9 * abs(mean(channel)))
            XCTAssertEqual(channel["spend"] as! Double, cells.map { $0["spend"] as! Double }.reduce(0, +), accuracy: 1e-6)
        }
        // Every geo lists the channels it never spends on, and they have no entry.
        for geo in geos {
            let inactive = geo["inactiveChannels"] as! [String]
            XCTAssertEqual((geo["channels"] as! [[String: Any]]).count + inactive.count, 4)
        }
    }

    func testBadPanelExitsTwoNamingGeoPeriodAndColumnAndWritesNothing() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let csv = "date,region,tv,sales\n2024-01-07,north,1,10\n2024-01-07,south,1,5\n2024-01-14,north,2,11\n2024-01-21,north,1,12\n2024-01-21,south,2,6\n"
        try Data(csv.utf8).write(to: dir.appendingPathComponent("data.csv"))
        let yaml = "data:\n  file: data.csv\n  geo_column: region\n  channels: [tv]\n"
        try Data(yaml.utf8).write(to: dir.appendingPathComponent("mixplan.yaml"))
        let model = dir.appendingPathComponent("model").path
        let fit = try MixPlanProcess.run(["fit", "--config", dir.appendingPathComponent("mixplan.yaml").path, "--out", model])
        XCTAssertEqual(fit.status, 2, fit.stderr)
        XCTAssertTrue(fit.stderr.contains("geo \"south\" is missing 1 period") && fit.stderr.contains("2024-01-14"), fit.stderr)
        XCTAssertTrue(fit.stderr.contains("column \"date\""), fit.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: model))
    }
}
