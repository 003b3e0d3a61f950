import Foundation
import MixData
import MixExport
import MixModel
import MixTestSupport
import XCTest

/// The ArviZ export: the file read back with libnetcdf holds exactly the saved draws, under the
/// names, dimensions and shapes ArviZ saw when `Tests/Fixtures/arviz/make_fixture.py` opened an
/// export of the same model with `az.from_netcdf`; ArviZ's own summary of it (in the fixture)
/// agrees with the model's summary.csv.
final class InferenceDataExportTests: XCTestCase {
    struct Fixture: Decodable {
        struct Shape: Decodable { var dims: [String]; var shape: [Int] }
        struct Sum: Decodable { var dims: [String]; var sum: Double }
        struct Stats: Decodable {
            var vars: [String]
            var diverging_sum: Int
            var tree_depth_sum: Int
            var energy_mean: Double
            var lp_mean: Double
        }
        var groups: [String]
        var posterior: [String: Shape]
        var coords: [String: [String]]
        var summary: [String: [String: Double]]
        var sample_stats: Stats
        var observed_data: Sum
        var constant_data: [String: Sum]
    }

    let modelURL = Fixtures.url("arviz/model")

    func fixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Fixtures.url("arviz/arviz_fixture.json")))
    }

    func exported(_ model: FittedModel) throws -> (NetCDFFile, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.nc")
        try InferenceDataExport.write(model, to: url)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.nc"], "no temporary file left")
        return (try NetCDFFile.open(url.path), url)
    }

    /// draws.csv parsed on its own (not through ModelStore): chain, draw, then one column per parameter.
    func drawsCSV() throws -> (names: [String], rows: [[Double]]) {
        let lines = try String(contentsOf: modelURL.appendingPathComponent("draws.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        return (Array(lines[0].dropFirst(2)), lines.dropFirst().map { $0.dropFirst(2).map { Double($0)! } })
    }

    func testTheExportHoldsTheDrawsUnderTheNamesArviZSaw() throws {
        let model = try ModelStore.load(from: modelURL)
        let fixture = try fixture()
        let (file, _) = try exported(model)
        defer { try? file.close() }
        XCTAssertEqual(try file.root.groupNames(), fixture.groups)

        let posterior = try file.root.group("posterior")
        let variables = try posterior.variableNames().filter { !["chain", "draw"].contains($0) && fixture.coords[$0] == nil }
        XCTAssertEqual(Set(variables), Set(fixture.posterior.keys))
        for (name, expected) in fixture.posterior {
            let dims = try posterior.dimensions(of: name)
            XCTAssertEqual(dims.map(\.name), expected.dims, name)
            XCTAssertEqual(dims.map(\.length), expected.shape, name)
        }
        XCTAssertEqual(try posterior.strings("channel"), fixture.coords["channel"])
        XCTAssertEqual(try posterior.strings("control"), fixture.coords["control"])

        // Every value is the draws.csv text read back exactly, in (chain, draw, coordinate) order.
        let (names, rows) = try drawsCSV()
        XCTAssertEqual(rows.count, model.chains * model.drawsPerChain)
        var checked = 0
        for (name, shape) in fixture.posterior {
            let values = try posterior.doubles(name)
            let labels = try shape.dims.count == 3 ? coordinateLabels(posterior, shape.dims[2]) : [""]
            for (k, label) in labels.enumerated() {
                let column = names.firstIndex(of: flatName(name, label: label, dim: shape.dims.last!, channels: model.dataset.channelNames))!
                for i in rows.indices {
                    XCTAssertEqual(values[i * labels.count + k], rows[i][column], "\(name)[\(label)] draw \(i)")
                }
                checked += 1
            }
        }
        XCTAssertEqual(checked, names.count, "every parameter is in exactly one variable")
    }

    func testArviZSummaryOfTheExportAgreesWithSummaryCSV() throws {
        let model = try ModelStore.load(from: modelURL)
        let fixture = try fixture()
        let channels = model.dataset.channelNames
        XCTAssertEqual(fixture.summary.count, model.sampler.parameters.count)
        for row in model.sampler.parameters {
            let key = channels.sorted { $0.count > $1.count }.first { row.name.hasPrefix($0 + ".") }
                .map { "\(row.name.dropFirst($0.count + 1))[\($0)]" } ?? row.name
            let theirs = try XCTUnwrap(fixture.summary[key], key)
            // Tolerances as in make_fixture.py: sums over the same draws agree to rounding, ESS
            // and R-hat (FFT autocovariance in ArviZ, MixPlan's own code) to 1e-6 relative.
            for (column, mine, rtol) in [("mean", row.mean, 1e-10), ("sd", row.sd, 1e-10), ("hdi_3%", row.hdi3, 1e-12),
                                         ("hdi_97%", row.hdi97, 1e-12), ("ess_bulk", row.essBulk, 1e-6),
                                         ("ess_tail", row.essTail, 1e-6), ("r_hat", row.rhat, 1e-6)] {
                let value = try XCTUnwrap(theirs[column])
                XCTAssertLessThanOrEqual(abs(mine - value), rtol * abs(value) + 1e-14, "\(key) \(column): \(mine) vs ArviZ \(value)")
            }
        }
    }

    func testSampleStatsObservedAndConstantData() throws {
        let model = try ModelStore.load(from: modelURL)
        let stats = try XCTUnwrap(model.sampleStats, "the fixture model keeps sample_stats.csv")
        let fixture = try fixture()
        let (file, _) = try exported(model)
        defer { try? file.close() }
        let group = try file.root.group("sample_stats")
        XCTAssertEqual(Set(try group.variableNames()).subtracting(["chain", "draw"]), Set(fixture.sample_stats.vars))
        XCTAssertEqual(try group.attribute("dtype", variable: "diverging"), "bool")
        let diverging = try group.int64s("diverging")
        XCTAssertEqual(Int(diverging.reduce(0, +)), fixture.sample_stats.diverging_sum)
        XCTAssertEqual(diverging, stats.diverging.map { $0 ? 1 : 0 })
        XCTAssertEqual(Int(try group.int64s("tree_depth").reduce(0, +)), fixture.sample_stats.tree_depth_sum)
        let energy = try group.doubles("energy"), lp = try group.doubles("lp")
        XCTAssertEqual(energy, stats.energy)
        XCTAssertEqual(energy.reduce(0, +) / Double(energy.count), fixture.sample_stats.energy_mean, accuracy: 1e-9 * abs(fixture.sample_stats.energy_mean))
        XCTAssertEqual(lp.reduce(0, +) / Double(lp.count), fixture.sample_stats.lp_mean, accuracy: 1e-9 * abs(fixture.sample_stats.lp_mean))

        // observed and constant data cover the training rows only, in date order.
        let training = model.trainingData
        let observed = try file.root.group("observed_data")
        XCTAssertEqual(try observed.doubles("y"), training.target)
        XCTAssertEqual(try observed.strings("date"), training.dates.map(\.description))
        XCTAssertEqual(try observed.attribute("column", variable: "y"), training.targetName)
        XCTAssertEqual(try observed.dimensions(of: "y").map(\.name), fixture.observed_data.dims)
        XCTAssertEqual(training.target.reduce(0, +), fixture.observed_data.sum, accuracy: 1e-9 * abs(fixture.observed_data.sum))
        let constant = try file.root.group("constant_data")
        let spend = try constant.doubles("spend")
        XCTAssertEqual(try constant.dimensions(of: "spend").map(\.name), fixture.constant_data["spend"]?.dims)
        for t in 0..<training.periodCount {
            for c in 0..<training.channelCount { XCTAssertEqual(spend[t * training.channelCount + c], training.spend[c][t]) }
        }
        XCTAssertEqual(try constant.dimensions(of: "controls").map(\.name), fixture.constant_data["controls"]?.dims)
        XCTAssertEqual(try constant.doubles("controls").reduce(0, +), try XCTUnwrap(fixture.constant_data["controls"]).sum, accuracy: 1e-9)
    }

    func testAModelWithoutSampleStatsExportsTheOtherGroups() throws {
        let model = try ModelStore.load(from: Fixtures.url("charts/weekly-2ch-model"))
        XCTAssertNil(model.sampleStats)
        let (file, _) = try exported(model)
        defer { try? file.close() }
        XCTAssertEqual(try file.root.groupNames(), ["posterior", "observed_data", "constant_data"])
    }

    func testAMissingFolderIsBadInputAndWritesNothing() throws {
        let model = try ModelStore.load(from: Fixtures.url("charts/weekly-2ch-model"))
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/model.nc")
        XCTAssertThrowsError(try InferenceDataExport.write(model, to: url)) { error in
            let message = (error as? InputError)?.description ?? "\(error)"
            XCTAssertTrue(message.contains(url.path) && message.contains("does not exist"), message)
        }
    }

    func testLayoutNamesDimensions() {
        let layout = PosteriorLayout(
            parameterNames: ["intercept", "tv.adstock_alpha", "tv.saturation_lam", "tv.brand.adstock_alpha",
                             "tv.brand.adstock_theta", "tv.brand.saturation_lam", "gamma_control[price]",
                             "fourier_sin[1]", "fourier_sin[2]", "sigma"],
            channelNames: ["tv", "tv.brand"], controlNames: ["price"])
        XCTAssertEqual(layout.variables.map(\.name), ["intercept", "adstock_alpha", "saturation_lam", "adstock_theta",
                                                      "gamma_control", "fourier_sin", "sigma"])
        let byName = Dictionary(uniqueKeysWithValues: layout.variables.map { ($0.name, $0) })
        XCTAssertEqual(byName["adstock_alpha"]?.dimension?.name, "channel")
        XCTAssertEqual(byName["adstock_alpha"]?.parameterIndices, [1, 3])
        // Only one channel has a theta (mixed adstock kinds): its own axis, not "channel".
        XCTAssertEqual(byName["adstock_theta"]?.dimension, PosteriorLayout.Dimension(name: "channel_adstock_theta", labels: ["tv.brand"]))
        XCTAssertEqual(byName["gamma_control"]?.dimension?.name, "control")
        XCTAssertEqual(byName["fourier_sin"]?.dimension, PosteriorLayout.Dimension(name: "fourier_sin_dim", labels: ["1", "2"]))
        XCTAssertEqual(byName["fourier_sin"]?.dimension?.integerLabels, true)
        XCTAssertNil(byName["sigma"]?.dimension)
        XCTAssertEqual(layout.dimensions.map(\.name), ["channel", "channel_adstock_theta", "control", "fourier_sin_dim"])
    }

    // MARK: helpers

    func coordinateLabels(_ group: NetCDFGroup, _ dim: String) throws -> [String] {
        if let labels = try? group.strings(dim) { return labels }
        return try group.int64s(dim).map(String.init)
    }

    func flatName(_ variable: String, label: String, dim: String, channels: [String]) -> String {
        if label.isEmpty { return variable }
        return dim.hasPrefix("channel") ? "\(label).\(variable)" : "\(variable)[\(label)]"
    }
}
