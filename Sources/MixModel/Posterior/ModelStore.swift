import Foundation
import MixData
import MixInference

/// Saves and loads a fitted model as a folder (DESIGN.md §4):
/// - `model.json`: config, scaling constants, column names, sampler report, versions, seed;
/// - `draws.csv`: chain, draw, then one column per named parameter (natural scale) — readable by
///   pandas, and by ArviZ through `az.from_dict`;
/// - `summary.csv`: ArviZ-style summary per parameter;
/// - `sample_stats.csv`: the sampler's statistics per kept draw (`SampleStats`);
/// - `data.csv`: the rows the model saw (training, then holdout), so the folder alone reproduces
///   every curve and contribution; a channel measured in exposures is written in money
///   (`ExposureCost`), its cost per unit kept in model.json;
/// - `time_varying.csv` (time-varying models only): the media multiplier and the intercept drift
///   per training period with their intervals (`TimeVaryingTable`), so nobody has to rebuild them
///   from `draws.csv`.
/// Numbers are written as the shortest text that reads back to the same Double, so a loaded model
/// gives bit-identical results.
public enum ModelStore {
    /// The folder format version; bumped when the layout changes incompatibly.
    public static let formatVersion = 1
    /// The time-varying parts per period, in a time-varying model's folder.
    public static let timeVaryingFileName = "time_varying.csv"

    struct Manifest: Codable {
        var format: Int
        var mixplanVersion: String
        var config: MixPlanConfig
        var targetName: String
        var channelNames: [String]
        var controlNames: [String]
        var frequency: Frequency
        var holdout: Int
        var chains: Int
        var drawsPerChain: Int
        var parameterNames: [String]
        var scaling: ModelStructure.Scaling
        var sampler: SamplerReport
        var source: String
        /// Absent in models saved before backtests existed.
        var backtest: Backtest?
        /// Channels measured in exposures and their cost per unit (data.csv holds their money);
        /// absent in models saved before exposure channels existed.
        var exposureCosts: [String: ExposureCost]?
    }

    /// Writes `model` to the folder `url` atomically, replacing a previous model there; a folder
    /// that is not a model folder (no model.json) is refused rather than overwritten.
    public static func save(_ model: FittedModel, to url: URL) throws {
        let manifest = Manifest(format: formatVersion, mixplanVersion: MixPlanInfo.version, config: model.config,
                                targetName: model.dataset.targetName, channelNames: model.dataset.channelNames,
                                controlNames: model.dataset.controlNames, frequency: model.dataset.frequency,
                                holdout: model.holdout, chains: model.chains, drawsPerChain: model.drawsPerChain,
                                parameterNames: model.parameterNames, scaling: model.structure.scaling,
                                sampler: model.sampler, source: model.dataset.source, backtest: model.backtest,
                                exposureCosts: model.dataset.exposureCosts.isEmpty ? nil : model.dataset.exposureCosts)
        let encoder = MixJSON.encoder()
        let json = try encoder.encode(manifest)
        try AtomicOutput.writeDirectory(at: url, marker: "model.json", kind: "model") { dir in
            try json.write(to: dir.appendingPathComponent("model.json"))
            try Data(drawsCSV(model).utf8).write(to: dir.appendingPathComponent("draws.csv"))
            try Data(summaryCSV(model.sampler.parameters).utf8).write(to: dir.appendingPathComponent("summary.csv"))
            try Data(dataCSV(model.dataset).utf8).write(to: dir.appendingPathComponent("data.csv"))
            if let stats = model.sampleStats {
                try Data(stats.csv.utf8).write(to: dir.appendingPathComponent(SampleStats.fileName))
            }
            if let table = TimeVaryingTable(model: model) {
                try Data(table.csv.utf8).write(to: dir.appendingPathComponent(timeVaryingFileName))
            }
        }
    }

    /// Reads a model folder written by `save`.
    public static func load(from url: URL) throws -> FittedModel {
        let manifestURL = url.appendingPathComponent("model.json")
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw InputError(InputLocation(file: manifestURL.path), "not found: is \(url.path) a model folder written by `mixplan fit`?")
        }
        let decoder = MixJSON.decoder()
        let manifest: Manifest
        do {
            manifest = try decoder.decode(Manifest.self, from: data)
        } catch {
            throw InputError(InputLocation(file: manifestURL.path), "is not a readable MixPlan model manifest (\(error)).")
        }
        guard manifest.format == formatVersion else {
            throw InputError(InputLocation(file: manifestURL.path, key: "format"),
                             "model folder format \(manifest.format) is not supported by MixPlan \(MixPlanInfo.version) (format \(formatVersion)).",
                             hint: "Refit the model with this version.")
        }
        // The rows, through the same validated loader as any user CSV.
        var config = manifest.config
        config.data.readSavedRows(file: url.appendingPathComponent("data.csv").path, target: manifest.targetName,
                                  channels: manifest.channelNames, controls: manifest.controlNames)
        config.data.dateColumn = "date"
        config.data.exposures = [:] // data.csv holds every channel in money, under its name
        var dataset = try DatasetLoader().load(config).dataset
        dataset.source = manifest.source
        dataset.exposureCosts = manifest.exposureCosts ?? [:]
        let draws = try readDraws(url.appendingPathComponent("draws.csv"), names: manifest.parameterNames,
                                  count: manifest.chains * manifest.drawsPerChain)
        var modelConfig = manifest.config
        modelConfig.data = config.data
        modelConfig.data.file = manifest.config.data.file
        modelConfig.data.exposures = manifest.config.data.exposures
        var model = try FittedModel(config: modelConfig, dataset: dataset, holdout: manifest.holdout, chains: manifest.chains,
                                    drawsPerChain: manifest.drawsPerChain, draws: draws, sampler: manifest.sampler)
        model.backtest = manifest.backtest
        let statsURL = url.appendingPathComponent(SampleStats.fileName)
        if FileManager.default.fileExists(atPath: statsURL.path) {
            model.sampleStats = try SampleStats.read(statsURL, chains: manifest.chains, drawsPerChain: manifest.drawsPerChain)
        }
        guard model.parameterNames == manifest.parameterNames else {
            throw InputError(InputLocation(file: manifestURL.path, key: "parameterNames"),
                             "the saved parameters do not match the model its config describes.")
        }
        return model
    }

    static func drawsCSV(_ model: FittedModel) -> String {
        var out = CSVFormat.record(["chain", "draw"] + model.parameterNames) + "\n"
        let n = model.structure.dimension
        for c in 0..<model.chains {
            for d in 0..<model.drawsPerChain {
                let base = (c * model.drawsPerChain + d) * n
                out += "\(c),\(d)"
                for p in 0..<n { out += "," + CSVFormat.number(model.draws[base + p]) }
                out += "\n"
            }
        }
        return out
    }

    static func summaryCSV(_ rows: [ParameterSummary]) -> String {
        var out = "parameter,mean,sd,hdi_3%,hdi_97%,mcse_mean,mcse_sd,ess_bulk,ess_tail,r_hat\n"
        for r in rows {
            out += CSVFormat.record([r.name] + [r.mean, r.sd, r.hdi3, r.hdi97, r.mcseMean, r.mcseSD, r.essBulk, r.essTail, r.rhat].map(CSVFormat.number)) + "\n"
        }
        return out
    }

    static func dataCSV(_ d: Dataset) -> String {
        var out = CSVFormat.record(["date"] + d.channelNames + d.controlNames + [d.targetName]) + "\n"
        for t in 0..<d.periodCount {
            var fields = [d.dates[t].description]
            fields += d.spend.map { CSVFormat.number($0[t]) }
            fields += d.controls.map { CSVFormat.number($0[t]) }
            fields.append(CSVFormat.number(d.target[t]))
            out += CSVFormat.record(fields) + "\n"
        }
        return out
    }

    static func readDraws(_ url: URL, names: [String], count: Int) throws -> [Double] {
        var reader = try CSVReader(path: url.path)
        guard try reader.next() else {
            throw InputError(InputLocation(file: url.path), "is empty; expected a header and draws.")
        }
        guard reader.fields == ["chain", "draw"] + names else {
            throw InputError(InputLocation(file: url.path, row: 1), "header does not match the model's parameters.")
        }
        var values: [Double] = []
        values.reserveCapacity(count * names.count)
        var rows = 0
        while try reader.next() {
            let fields = reader.fields
            rows += 1
            guard fields.count == names.count + 2 else {
                throw InputError(InputLocation(file: url.path, row: reader.row), "has \(fields.count) fields, expected \(names.count + 2).")
            }
            for (i, text) in fields.dropFirst(2).enumerated() {
                guard let v = Double(text) else {
                    throw InputError(InputLocation(file: url.path, row: reader.row, column: names[i]), "\"\(text)\" is not a number.")
                }
                values.append(v)
            }
        }
        guard rows == count else {
            throw InputError(InputLocation(file: url.path), "has \(rows) draws, expected \(count).")
        }
        return values
    }
}
