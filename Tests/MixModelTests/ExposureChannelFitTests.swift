import Foundation
import XCTest
import MixData
import MixModel

/// Issue 20 item 8: a channel bought in exposures (GRPs here) whose price per GRP moves over
/// time. The simulated truth is driven by the exposures; the spend column is CPU_t × GRP_t.
/// The model must respond to the exposures and report ROAS in money.
final class ExposureChannelFitTests: XCTestCase {
    /// The weekly-2ch simulation with its second channel (x2) recast as TV in GRPs: GRP_t = x2_t / 50,
    /// bought at CPU_t = 50 · (1 + 0.4 sin(2πt/52)) · (1 + 0.1 u_t), u_t uniform in [−1, 1], so
    /// spend_t = CPU_t · GRP_t (cents). The target is the simulation's, which depends on x2 only
    /// through x2 / max x2 = GRP / max GRP: the truth is a function of the exposures.
    struct ExposureData {
        var csv: String
        var truth: SimulationTruth
        var model: MixPlanConfig.ModelSection
        var controlNames: [String]
        var grp: [Double]
        var spend: [Double]
        /// tv's true ROAS in money over all rows: its true contribution / its actual spend.
        var trueROAS: Double { truth.contributions["x2"]! / spend.reduce(0, +) }
    }

    static func exposureData(seed: UInt64) -> ExposureData {
        let output = Simulator(preset: .weekly2ch, seed: seed).run()
        let data = output.dataset
        var rng = SeededRandom(seed: 1000 + seed)
        let grp = data.spend[1].map { $0 / 50 }
        let spend = grp.indices.map { t in
            let cpu = 50 * (1 + 0.4 * sin(2 * Double.pi * Double(t) / 52)) * (1 + 0.1 * rng.uniform(-1, 1))
            return (cpu * grp[t] * 100).rounded() / 100
        }
        var csv = "date,x1,tv_grp,tv_spend," + data.controlNames.joined(separator: ",") + ",sales\n"
        for t in 0..<data.periodCount {
            let fields = ["\(data.dates[t])", "\(data.spend[0][t])", "\(grp[t])", "\(spend[t])"]
                + data.controls.map { "\($0[t])" } + ["\(data.target[t])"]
            csv += fields.joined(separator: ",") + "\n"
        }
        let truth = try! JSONDecoder().decode(SimulationTruth.self, from: Data(output.truthJSON.utf8))
        return ExposureData(csv: csv, truth: truth, model: output.model, controlNames: data.controlNames, grp: grp, spend: spend)
    }

    /// The config of `exposureData`: x1 in money, tv from tv_grp with tv_spend (or, with
    /// `plainGRP`, tv_grp read as if it were money).
    static func config(_ d: ExposureData, plainGRP: Bool = false) -> MixPlanConfig {
        var config = MixPlanConfig()
        config.model = d.model
        config.data.file = "exposures.csv"
        config.data.target = "sales"
        config.data.controls = d.controlNames
        if plainGRP {
            config.data.channels = ["x1", "tv_grp"]
        } else {
            config.data.channels = ["x1", "tv"]
            config.data.exposures = ["tv": .init(exposureColumn: "tv_grp", cost: .spendColumn("tv_spend"), unit: "GRP")]
        }
        return config
    }

    static func load(_ d: ExposureData, _ config: MixPlanConfig) throws -> Dataset {
        try DatasetLoader().load(data: Data(d.csv.utf8), name: "exposures.csv", config: config).dataset
    }

    /// No sampling: the model built from the exposure channel sees exactly the scaled GRPs, and
    /// at any parameter point its contributions equal those of a model fed the GRP column as if
    /// it were money — the response is a function of the exposures; only the money differs.
    /// Tolerance: the two scaled inputs differ by the rounding of one multiplication and one
    /// division (a few ulp), which the smooth transforms carry through at the same relative size.
    func testTheResponseIsAFunctionOfTheExposures() throws {
        let d = Self.exposureData(seed: 1)
        let measured = try Self.load(d, Self.config(d))
        let plain = try Self.load(d, Self.config(d, plainGRP: true))
        let a = try ModelStructure(dataset: measured, model: d.model)
        let b = try ModelStructure(dataset: plain, model: d.model)
        let T = measured.periodCount
        let maxGRP = d.grp.max()!
        for t in 0..<T { XCTAssertEqual(a.scaledSpend[T + t], d.grp[t] / maxGRP, accuracy: 1e-15) }
        XCTAssertEqual(a.scaling.spendScale[1], measured.exposureCosts["tv"]!.costPerUnit * maxGRP, accuracy: 1e-9 * a.scaling.spendScale[1])
        var rng = SeededRandom(seed: 5)
        for _ in 0..<5 {
            let x = a.constrain((0..<a.dimension).map { _ in rng.uniform(-1, 1) })
            let ca = ModelEvaluator(structure: a, dataset: measured).decompose(x).channels[1]
            let cb = ModelEvaluator(structure: b, dataset: plain).decompose(x).channels[1]
            let scale = ca.map(abs).max()!
            for t in 0..<T { XCTAssertEqual(ca[t], cb[t], accuracy: 1e-12 * scale) }
        }
    }

    /// Three seeds: each fit's 94 % interval of tv's ROAS in money covers the true ROAS (true
    /// contribution / actual spend), and reading the GRPs as money would have been off by the
    /// price (≈ 50×), so the interval could not cover by accident. Shortened sampler (4 × 500
    /// warm-up + 1000 draws, dense metric, as `RecoveryTests`); seeded, so the same build gives
    /// the same answer. The fitted model's file round trip keeps the cost per unit.
    func testROASInMoneyIsRecoveredAcrossSeeds() throws {
        for seed: UInt64 in [1, 2, 3] {
            let d = Self.exposureData(seed: seed)
            var config = Self.config(d)
            config.sampler.warmup = 500
            config.sampler.draws = 1000
            config.sampler.metric = .dense
            config.sampler.seed = seed
            let data = try Self.load(d, config)
            let model = try ModelFitter.fit(dataset: data, config: config)
            XCTAssertLessThanOrEqual(model.sampler.maxRhat, 1.05, "seed \(seed): \(model.verdict.summary)")
            let tv = PosteriorQuantities(model: model).channels[1]
            XCTAssertEqual(tv.spend, d.spend.reduce(0, +), accuracy: 1e-9 * tv.spend, "seed \(seed)")
            XCTAssertTrue(tv.roas.contains(d.trueROAS), "seed \(seed): true ROAS \(d.trueROAS) outside \(tv.roas)")
            let perGRP = d.truth.contributions["x2"]! / d.grp.reduce(0, +)
            XCTAssertFalse(tv.roas.contains(perGRP), "seed \(seed): the interval \(tv.roas) cannot tell money from GRPs")
            if seed == 1 {
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exposure-model-\(UUID().uuidString)")
                try ModelStore.save(model, to: folder)
                let loaded = try ModelStore.load(from: folder)
                XCTAssertEqual(loaded.dataset.exposureCosts, data.exposureCosts)
                XCTAssertEqual(loaded.config.data.exposures, config.data.exposures)
                XCTAssertEqual(loaded.dataset.spend, data.spend)
                XCTAssertEqual(PosteriorQuantities(model: loaded).channels[1].roas, tv.roas)
                try? FileManager.default.removeItem(at: folder)
            }
        }
    }
}
