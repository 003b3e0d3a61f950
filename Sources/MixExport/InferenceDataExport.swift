import Foundation
import MixData
import MixModel

/// Writes a fitted model as an ArviZ InferenceData netCDF file (`az.from_netcdf` opens it):
/// - `posterior`: one variable per parameter family over (chain, draw[, dimension]), natural
///   scale, laid out by `PosteriorLayout`;
/// - `sample_stats`: diverging, tree_depth, n_steps, energy, step_size, acceptance_rate, lp per
///   draw (absent for models saved before `sample_stats.csv` was kept);
/// - `observed_data`: the target over the training dates (`y`, the column name as attribute);
/// - `constant_data`: spend (date, channel) and controls (date, control) over the same dates;
///   when a channel is measured in exposures, `media`, `money`, `cost_per_unit`, `media_unit`
///   and `cost_basis` instead of `spend` (`addChannelSeries`).
public enum InferenceDataExport {
    /// The groups written, in order (sample_stats only when the model has it).
    public static let groups = ["posterior", "sample_stats", "observed_data", "constant_data"]

    /// Writes `model` to `url` through a temporary sibling and a rename: a failure leaves
    /// nothing at `url` (and an existing file there untouched). Overwriting is the caller's call.
    public static func write(_ model: FittedModel, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw InputError(InputLocation(file: url.path), "cannot be written: the folder \(folder.path) does not exist.")
        }
        try AtomicOutput.writeFile(at: url) { temporary in
            do {
                let file = try NetCDFFile.create(temporary.path)
                try build(model, in: file.root)
                try file.close()
            } catch let error as NetCDFError {
                throw InputError(InputLocation(file: url.path), "cannot be written (\(error.description)); check that the folder is writable and has space.")
            }
        }
    }

    static func build(_ model: FittedModel, in root: NetCDFGroup) throws {
        let stamp = ISO8601DateFormatter().string(from: Date())
        func tag(_ group: NetCDFGroup) throws {
            try group.setAttribute("created_at", stamp)
            try group.setAttribute("inference_library", "MixPlan")
            try group.setAttribute("inference_library_version", MixPlanInfo.version)
        }
        try tag(root)
        let chains = model.chains, perChain = model.drawsPerChain
        func chainDraw(_ group: NetCDFGroup) throws {
            try group.addDimension("chain", length: chains)
            try group.addDimension("draw", length: perChain)
            try group.addVariable("chain", .int64, dimensions: ["chain"])
            try group.addVariable("draw", .int64, dimensions: ["draw"])
            try group.write("chain", int64s: (0..<chains).map(Int64.init))
            try group.write("draw", int64s: (0..<perChain).map(Int64.init))
        }

        // posterior
        let posterior = try root.addGroup("posterior")
        try tag(posterior)
        try chainDraw(posterior)
        let layout = PosteriorLayout(parameterNames: model.parameterNames, channelNames: model.dataset.channelNames,
                                     controlNames: model.dataset.controlNames)
        try addCoordinates(layout.dimensions, to: posterior)
        let n = model.structure.dimension
        for v in layout.variables {
            try posterior.addVariable(v.name, .double, dimensions: ["chain", "draw"] + (v.dimension.map { [$0.name] } ?? []))
            var values: [Double] = []
            values.reserveCapacity(model.drawCount * v.parameterIndices.count)
            for i in 0..<model.drawCount { for p in v.parameterIndices { values.append(model.draws[i * n + p]) } }
            try posterior.write(v.name, doubles: values)
        }

        // sample_stats
        if let stats = model.sampleStats {
            let group = try root.addGroup("sample_stats")
            try tag(group)
            try chainDraw(group)
            let dims = ["chain", "draw"]
            try group.addVariable("diverging", .int8, dimensions: dims)
            try group.write("diverging", int8s: stats.diverging.map { $0 ? 1 : 0 })
            // xarray's marker for a boolean stored as int8.
            try group.setAttribute("dtype", "bool", variable: "diverging")
            for (name, values) in [("tree_depth", stats.treeDepth), ("n_steps", stats.steps)] {
                try group.addVariable(name, .int64, dimensions: dims)
                try group.write(name, int64s: values.map(Int64.init))
            }
            for (name, values) in [("energy", stats.energy), ("step_size", stats.stepSize),
                                   ("acceptance_rate", stats.acceptanceRate), ("lp", stats.logDensity)] {
                try group.addVariable(name, .double, dimensions: dims)
                try group.write(name, doubles: values)
            }
        }

        // observed_data and constant_data, over the training rows the likelihood saw.
        let data = model.trainingData
        let dates = data.dates.map(\.description)
        let observed = try root.addGroup("observed_data")
        try tag(observed)
        try addDates(dates, to: observed)
        try observed.addVariable("y", .double, dimensions: ["date"])
        try observed.write("y", doubles: data.target)
        try observed.setAttribute("column", data.targetName, variable: "y")

        let constant = try root.addGroup("constant_data")
        try tag(constant)
        try addDates(dates, to: constant)
        var dims = [PosteriorLayout.Dimension(name: "channel", labels: data.channelNames)]
        if !data.controlNames.isEmpty { dims.append(PosteriorLayout.Dimension(name: "control", labels: data.controlNames)) }
        try addCoordinates(dims, to: constant)
        try addChannelSeries(data, to: constant)
        if !data.controlNames.isEmpty {
            try constant.addVariable("controls", .double, dimensions: ["date", "control"])
            try constant.write("controls", doubles: byDate(data.controls, periods: data.periodCount))
        }
        try constant.setAttribute("holdout_periods_not_included", "\(model.holdout)")
    }

    /// The channels' series in `constant_data`. With every channel in money, `spend[date,
    /// channel]` as read. When some channel is measured in exposures (`ExposureCost`) its money
    /// per period is exposures × the average cost per unit, not its bill, so nothing is written
    /// as `spend`: `media[date, channel]` is what the response is modelled on (exposures for
    /// those channels, money for the others), `money[date, channel]` the money every ROAS and
    /// budget uses, `cost_per_unit[channel]` money per unit of `media` (1 for money channels),
    /// `media_unit[channel]` the unit of `media` ("GRP"; "money" for money channels) and
    /// `cost_basis[channel]` how the cost per unit was set.
    static func addChannelSeries(_ data: Dataset, to group: NetCDFGroup) throws {
        let periods = data.periodCount
        let costs = data.channelNames.map { data.exposureCosts[$0] }
        guard costs.contains(where: { $0 != nil }) else {
            try group.addVariable("spend", .double, dimensions: ["date", "channel"])
            try group.write("spend", doubles: byDate(data.spend, periods: periods))
            return
        }
        let media = data.channelNames.indices.map { data.exposures(channel: $0) ?? data.spend[$0] }
        try group.addVariable("media", .double, dimensions: ["date", "channel"])
        try group.write("media", doubles: byDate(media, periods: periods))
        try group.setAttribute("description", "what each channel's response is modelled on: exposures (media_unit) for channels measured in exposures, money for the others", variable: "media")
        try group.addVariable("money", .double, dimensions: ["date", "channel"])
        try group.write("money", doubles: byDate(data.spend, periods: periods))
        try group.setAttribute("description", "money per period, as every ROAS and budget uses it: media × cost_per_unit (for channels measured in exposures the average price over the data's rows, not the period's bill)", variable: "money")
        try group.addVariable("cost_per_unit", .double, dimensions: ["channel"])
        try group.write("cost_per_unit", doubles: costs.map { $0?.costPerUnit ?? 1 })
        try group.setAttribute("description", "money per unit of media: total spend / total exposures over the data's rows (spend_column) or the configured cost_per_unit; 1 for channels measured in money", variable: "cost_per_unit")
        try group.addVariable("media_unit", .string, dimensions: ["channel"])
        try group.write("media_unit", strings: costs.map { $0?.unit ?? "money" })
        try group.addVariable("cost_basis", .string, dimensions: ["channel"])
        try group.write("cost_basis", strings: costs.map { $0?.basis ?? "measured in money" })
    }

    /// Dimensions with coordinate variables of the same name.
    static func addCoordinates(_ dims: [PosteriorLayout.Dimension], to group: NetCDFGroup) throws {
        for d in dims {
            try group.addDimension(d.name, length: d.labels.count)
            if d.integerLabels {
                try group.addVariable(d.name, .int64, dimensions: [d.name])
                try group.write(d.name, int64s: d.labels.map { Int64($0)! })
            } else {
                try group.addVariable(d.name, .string, dimensions: [d.name])
                try group.write(d.name, strings: d.labels)
            }
        }
    }

    static func addDates(_ dates: [String], to group: NetCDFGroup) throws {
        try addCoordinates([PosteriorLayout.Dimension(name: "date", labels: dates)], to: group)
    }

    /// Column-per-series values laid out row-major by (date, series).
    static func byDate(_ series: [[Double]], periods: Int) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(periods * series.count)
        for t in 0..<periods { for s in series { out.append(s[t]) } }
        return out
    }
}
