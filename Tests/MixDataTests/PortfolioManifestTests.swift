import XCTest
import MixData

/// Portfolio manifests: what a valid one gives, the shard split, and every rejection naming
/// the file, row and column.
final class PortfolioManifestTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("m"), withIntermediateDirectories: true)
        for name in ["a.yaml", "b.yaml", "m/c.yaml"] {
            try "data: {}\n".write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ text: String) throws -> String {
        let url = dir.appendingPathComponent("manifest.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func error(_ text: String) throws -> InputError {
        let path = try write(text)
        do {
            _ = try PortfolioManifest.load(path: path)
        } catch let e as InputError {
            return e
        }
        XCTFail("accepted: \(text)")
        return InputError(InputLocation(file: ""), "")
    }

    func testValidManifestResolvesPathsAgainstItsFolderAndKeepsGroups() throws {
        let path = try write("name,config,budget_group,budget\nbrand-a,a.yaml,eu,1000\nbrand-b,b.yaml,eu,\nbrand.c_1,m/c.yaml,,\n")
        let m = try PortfolioManifest.load(path: path)
        XCTAssertEqual(m.entries.map(\.name), ["brand-a", "brand-b", "brand.c_1"])
        XCTAssertEqual(m.entries[2].resolvedConfig, dir.appendingPathComponent("m/c.yaml").standardizedFileURL.path)
        XCTAssertEqual(m.entries.map(\.row), [2, 3, 4])
        XCTAssertEqual(m.groups, ["eu"])
        XCTAssertEqual(try m.budget(ofGroup: "eu"), 1000)
        XCTAssertNil(m.entries[2].budgetGroup)
        // Column order is free and the optional columns may be left out.
        let short = try PortfolioManifest.load(path: try write("config,name\na.yaml,x\n"))
        XCTAssertEqual(short.entries.first?.name, "x")
    }

    /// Shards are disjoint, cover every model, and depend only on the manifest's order.
    func testShardsPartitionTheManifest() throws {
        let rows = (0..<23).map { "m\($0),a.yaml" }.joined(separator: "\n")
        let m = try PortfolioManifest.load(path: try write("name,config\n" + rows + "\n"))
        for count in [1, 4, 7, 30] {
            let shards = (0..<count).map { m.shard($0, of: count).map(\.name) }
            XCTAssertEqual(shards.flatMap { $0 }.sorted(), m.entries.map(\.name).sorted(), "\(count) shards")
            XCTAssertEqual(Set(shards.flatMap { $0 }).count, 23)
            XCTAssertLessThanOrEqual((shards.map(\.count).max() ?? 0) - (shards.map(\.count).min() ?? 0), 1)
        }
        XCTAssertEqual(m.shard(1, of: 4).map(\.name), ["m1", "m5", "m9", "m13", "m17", "m21"])
    }

    func testRejectionsNameFileRowAndColumn() throws {
        var e = try error("name,confg\nx,a.yaml\n")
        XCTAssertEqual(e.location.row, 1); XCTAssertEqual(e.location.column, "confg")
        XCTAssertTrue(e.message.contains("Did you mean \"config\""), e.message)

        e = try error("name,budget\nx,1\n")
        XCTAssertTrue(e.message.contains("no \"config\" column"), e.message)

        e = try error("name,config\nx,a.yaml\ny,b.yaml\nx,b.yaml\n")
        XCTAssertEqual(e.location.row, 4); XCTAssertEqual(e.location.column, "name")
        XCTAssertTrue(e.message.contains("row 2"), e.message)

        for bad in ["", "a/b", "_status", ".hidden", "a b", "ü"] {
            e = try error("name,config\n\"\(bad)\",a.yaml\n")
            XCTAssertEqual(e.location.column, "name", bad)
            XCTAssertEqual(e.location.row, 2, bad)
        }

        e = try error("name,config\nx,a.yaml\ny,missing.yaml\n")
        XCTAssertEqual(e.location.row, 3); XCTAssertEqual(e.location.column, "config")
        XCTAssertTrue(e.message.contains("does not exist"), e.message)

        e = try error("name,config\nx,m\n")
        XCTAssertTrue(e.message.contains("is a folder"), e.message)

        for budget in ["-5", "0", "abc", "inf"] {
            e = try error("name,config,budget\nx,a.yaml,\(budget)\n")
            XCTAssertEqual(e.location.column, "budget", budget)
        }

        e = try error("name,config,budget_group,budget\nx,a.yaml,eu,100\ny,b.yaml,eu,200\n")
        XCTAssertEqual(e.location.row, 3); XCTAssertEqual(e.location.column, "budget")
        XCTAssertTrue(e.message.contains("row 2"), e.message)

        e = try error("name,config\n")
        XCTAssertTrue(e.message.contains("lists no models"), e.message)
        e = try error("")
        XCTAssertTrue(e.message.contains("is empty"), e.message)
        e = try error("name,config\nx,a.yaml,extra\n")
        XCTAssertEqual(e.location.row, 2)
    }
}
