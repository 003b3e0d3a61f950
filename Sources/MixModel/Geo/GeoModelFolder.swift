import Foundation
import MixData
import MixInference

/// A saved geo fit (the folder `mixplan fit` writes for a config with `data.geo_column`), read
/// back so `report`, `weekly` (and the geo optimiser) can work from the folder alone:
///
///     geo-model.json  the marker and manifest: the config as fitted, names, chains × draws
///     panel.csv       the rows the model saw (date, geo, population, target, channels, controls)
///     draws.csv       one column per parameter, natural scale, chains one after another
///     summary.json    `GeoSummary`: national channels, then every geo's
///     summary.csv     one row per parameter with R-hat and ESS
///     sample_stats.csv  the sampler's statistics per kept draw (`SampleStats`, as a national folder has)
///
/// Numbers are written as the shortest text that reads back to the same Double, so a loaded
/// model rebuilds exactly the structure and per-draw results of the fit that saved it.
public struct GeoModelFolder: Sendable {
    /// The marker file whose presence makes a folder a geo model folder.
    public static let marker = "geo-model.json"
    /// The panel's rows, as the model saw them.
    public static let panelFileName = "panel.csv"

    /// What `geo-model.json` holds.
    public struct Manifest: Codable, Sendable {
        public var kind = "geo"
        public var mixplanVersion: String
        /// The config file the fit was run from (for people; the folder does not read it).
        public var config: String
        /// The config as fitted; its data section is rewritten on load to read `panel.csv`.
        public var settings: MixPlanConfig
        public var geos: [String]
        public var target: String
        public var channels: [String]
        public var controls: [String]
        public var parameters: [String]
        public var chains: Int
        public var drawsPerChain: Int
    }

    public let manifest: Manifest
    /// The fitted config, with `data` pointing at the folder's `panel.csv`.
    public let config: MixPlanConfig
    public let panel: GeoPanel
    public let posterior: GeoPosterior
    /// The saved `summary.json` (national and per-geo figures, the convergence verdict).
    public let summary: GeoSummary

    /// True when `url` is a folder holding the geo marker.
    public static func isGeoModel(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(marker).path)
    }

    /// The manifest of `fit`, fitted from `config`.
    public static func manifest(_ fit: GeoFit, config: MixPlanConfig) -> Manifest {
        let chains = max(1, config.sampler.chains)
        return Manifest(mixplanVersion: MixPlanInfo.version, config: config.path, settings: config, geos: fit.panel.geoNames,
                        target: fit.panel.geos[0].targetName, channels: fit.panel.channelNames,
                        controls: fit.panel.geos[0].controlNames, parameters: fit.posterior.structure.parameterNames,
                        chains: chains, drawsPerChain: fit.posterior.draws.count / chains)
    }

    /// The manifest as pretty-printed JSON with sorted keys.
    public static func manifestData(_ fit: GeoFit, config: MixPlanConfig) throws -> Data {
        let encoder = MixJSON.encoder()
        return try encoder.encode(manifest(fit, config: config))
    }

    /// The folder's contents for a fit in memory (what reading the folder `write` makes gives).
    public init(fit: GeoFit, config: MixPlanConfig) {
        manifest = Self.manifest(fit, config: config)
        self.config = config
        panel = fit.panel
        posterior = fit.posterior
        summary = fit.summary
    }

    /// Writes every file of the folder into `dir` (an empty folder the caller publishes).
    public static func write(_ fit: GeoFit, config: MixPlanConfig, into dir: URL) throws {
        try manifestData(fit, config: config).write(to: dir.appendingPathComponent(marker))
        try fit.summary.json().write(to: dir.appendingPathComponent("summary.json"))
        try Data(summaryCSV(fit.parameterRows).utf8).write(to: dir.appendingPathComponent("summary.csv"))
        try Data(drawsCSV(fit.posterior).utf8).write(to: dir.appendingPathComponent("draws.csv"))
        let stats = SampleStats(fit.result.stats, chains: fit.result.chains, drawsPerChain: fit.result.draws)
        try Data(stats.csv.utf8).write(to: dir.appendingPathComponent(SampleStats.fileName))
        try Data(panelCSV(fit.panel, data: config.data).utf8).write(to: dir.appendingPathComponent(panelFileName))
    }

    /// `summary.csv`: one row per parameter (ArviZ's columns).
    public static func summaryCSV(_ rows: [QuantitySummary]) -> String {
        var out = "parameter,mean,sd,hdi_3%,hdi_97%,ess_bulk,ess_tail,r_hat\n"
        for r in rows {
            out += CSVFormat.record([r.name] + [r.mean, r.sd, r.hdiLower, r.hdiUpper, r.essBulk, r.essTail, r.rhat].map(CSVFormat.number)) + "\n"
        }
        return out
    }

    /// `draws.csv`: the parameter names, then one row per draw (natural scale).
    public static func drawsCSV(_ posterior: GeoPosterior) -> String {
        var out = CSVFormat.record(posterior.structure.parameterNames) + "\n"
        for x in posterior.draws { out += CSVFormat.record(x.map(CSVFormat.number)) + "\n" }
        return out
    }

    /// `panel.csv`: one row per geo × period, geos in order, under the config's column names.
    public static func panelCSV(_ panel: GeoPanel, data: MixPlanConfig.DataSection) -> String {
        let geoColumn = data.geoColumn ?? "geo"
        let first = panel.geos[0]
        var header = [data.dateColumn, geoColumn]
        if panel.population != nil { header.append(data.populationColumn ?? "population") }
        header += [first.targetName] + first.channelNames + first.controlNames
        var out = CSVFormat.record(header) + "\n"
        for (g, d) in panel.geos.enumerated() {
            for t in 0..<d.periodCount {
                var fields = [d.dates[t].description, panel.geoNames[g]]
                if let p = panel.population { fields.append(CSVFormat.number(p[g])) }
                fields.append(CSVFormat.number(d.target[t]))
                fields += d.spend.map { CSVFormat.number($0[t]) } + d.controls.map { CSVFormat.number($0[t]) }
                out += CSVFormat.record(fields) + "\n"
            }
        }
        return out
    }

    /// Reads a folder written by `mixplan fit` on a geo config. Errors name the file and what
    /// is wrong (missing marker, unreadable manifest, draws that do not fit the model).
    public init(_ url: URL) throws {
        let manifestURL = url.appendingPathComponent(Self.marker)
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw InputError(InputLocation(file: manifestURL.path), "not found: is \(url.path) a geo model folder written by `mixplan fit`?")
        }
        let decoder = MixJSON.decoder()
        do {
            manifest = try decoder.decode(Manifest.self, from: data)
        } catch {
            throw InputError(InputLocation(file: manifestURL.path), "is not a readable geo model manifest (\(error)).",
                             hint: "Refit with `mixplan fit`; folders written before MixPlan saved the panel cannot be reported on.")
        }
        var cfg = manifest.settings
        cfg.data.readSavedRows(file: url.appendingPathComponent(Self.panelFileName).path, target: manifest.target,
                               channels: manifest.channels, controls: manifest.controls)
        config = cfg
        panel = try DatasetLoader().loadPanel(cfg)
        let structure = try GeoStructure(panel: panel, model: cfg.model, configPath: manifestURL.path)
        guard structure.parameterNames == manifest.parameters, panel.geoNames == manifest.geos else {
            throw InputError(InputLocation(file: manifestURL.path, key: "parameters"), "the saved parameters do not match the model its config describes.")
        }
        let draws = try Self.readDraws(url.appendingPathComponent("draws.csv"), names: manifest.parameters)
        guard draws.count == manifest.chains * manifest.drawsPerChain, !draws.isEmpty else {
            throw InputError(InputLocation(file: url.appendingPathComponent("draws.csv").path),
                             "has \(draws.count) draws; the manifest promises \(manifest.chains) × \(manifest.drawsPerChain).")
        }
        posterior = GeoPosterior(structure: structure, naturalDraws: draws)
        let summaryURL = url.appendingPathComponent("summary.json")
        guard let summaryData = FileManager.default.contents(atPath: summaryURL.path) else {
            throw InputError(InputLocation(file: summaryURL.path), "not found; a geo model folder holds summary.json.")
        }
        do {
            summary = try decoder.decode(GeoSummary.self, from: summaryData)
        } catch {
            throw InputError(InputLocation(file: summaryURL.path), "is not a readable geo summary (\(error)).")
        }
    }

    /// The draws of `draws.csv` (header: the parameter names), one array per draw.
    static func readDraws(_ url: URL, names: [String]) throws -> [[Double]] {
        var reader = try CSVReader(path: url.path)
        guard try reader.next() else { throw InputError(InputLocation(file: url.path), "is empty; expected a header and draws.") }
        guard reader.fields == names else {
            throw InputError(InputLocation(file: url.path, row: 1), "header does not match the model's parameters.")
        }
        var out: [[Double]] = []
        while try reader.next() {
            let fields = reader.fields
            guard fields.count == names.count else {
                throw InputError(InputLocation(file: url.path, row: reader.row), "has \(fields.count) fields, expected \(names.count).")
            }
            out.append(try fields.enumerated().map { i, text in
                guard let v = Double(text) else {
                    throw InputError(InputLocation(file: url.path, row: reader.row, column: names[i]), "\"\(text)\" is not a number.")
                }
                return v
            })
        }
        return out
    }
}
