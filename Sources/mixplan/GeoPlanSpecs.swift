import Foundation
import MixData
import MixOptimize

/// Parsers for geo plans and geo bounds as the CLI receives them. Every error names the file (row,
/// column) or flag, the geo or channel at fault and the model's names.
public enum GeoPlanSpecs {
    /// A plan CSV whose header starts `geo,channel,spend` (spend per period; later columns, such as
    /// those of `GeoPlan.csv()`, are ignored) → spend per cell in `model.cells` order; cells not
    /// listed take `fill`.
    public static func parsePlanCSV(_ text: String, model: GeoResponseDraws, file: String, fill: [Double]) throws -> [Double] {
        let ids = model.cellIDs
        var values: [GeoCell: Double] = [:]
        for (row, cells) in try PlanSpecs.table(text, file: file, header: ["geo", "channel", "spend"], extraColumns: true) {
            let cell = try self.cell(geo: unguard(cells[0]), channel: unguard(cells[1]), model: model, file: file, row: row)
            guard values[cell] == nil else {
                throw InputError(InputLocation(file: file, row: row, column: "channel"), "geo \"\(cell.geo)\", channel \"\(cell.channel)\" is listed twice.")
            }
            guard let x = Double(cells[2]), x >= 0, x.isFinite else {
                throw InputError(InputLocation(file: file, row: row, column: "spend"), "geo \"\(cell.geo)\", channel \"\(cell.channel)\": found \"\(cells[2])\"; expected a non-negative amount per period.")
            }
            values[cell] = x
        }
        return ids.enumerated().map { values[$1] ?? fill[$0] }
    }

    /// `--spend north/tv=1000,south/search=-20%` → spend per cell; cells not named keep `fill`.
    public static func parseSpend(_ text: String, model: GeoResponseDraws, fill: [Double]) throws -> [Double] {
        try PlanSpecs.parseSpend(text, channels: model.cellIDs.map(\.name), fill: fill)
    }

    /// A bounds CSV with header `geo,channel,min,max` (per period; `±30%` in min with max empty for
    /// a relative bound): both names bound the cell, a geo with channel empty bounds the geo's total,
    /// a channel with geo empty bounds the channel's total over geos.
    public static func parseBoundsCSV(_ text: String, model: GeoResponseDraws, file: String, into problem: inout GeoBudgetProblem) throws {
        var seen = Set<String>()
        for (row, cells) in try PlanSpecs.table(text, file: file, header: ["geo", "channel", "min", "max"]) {
            let geo = unguard(cells[0]), channel = unguard(cells[1])
            let key = geo + "\u{0}" + channel
            guard seen.insert(key).inserted else {
                throw InputError(InputLocation(file: file, row: row, column: "geo"), "geo \"\(geo)\", channel \"\(channel)\" is listed twice.")
            }
            let location = InputLocation(file: file, row: row, column: cells[3].isEmpty ? "min" : "max")
            let what = geo.isEmpty ? "channel \(channel) (total over geos)" : (channel.isEmpty ? "geo \(geo) (total over channels)" : "\(geo)/\(channel)")
            let bound = try PlanSpecs.bound(cells[3].isEmpty ? cells[2] : "\(cells[2]):\(cells[3])", name: what, location: location,
                                            expected: "min and max amounts per period with 0 ≤ min ≤ max, or ±30% in min with max empty")
            switch (geo.isEmpty, channel.isEmpty) {
            case (true, true):
                throw InputError(InputLocation(file: file, row: row, column: "geo"), "both geo and channel are empty; give a geo, a channel or both.")
            case (true, false):
                guard model.channelNames.contains(channel) else { throw unknown("channel", channel, model.channelNames, file, row) }
                problem.channelBounds[channel] = bound
            case (false, true):
                guard model.geoNames.contains(geo) else { throw unknown("geo", geo, model.geoNames, file, row) }
                problem.geoBounds[geo] = bound
            case (false, false):
                problem.cellBounds[try cell(geo: geo, channel: channel, model: model, file: file, row: row)] = bound
            }
        }
    }

    /// `--bounds north/tv=100:200,tv=±20%,north=500:900`: a `geo/channel` name bounds the cell, a
    /// channel name the channel's total over geos, a geo name the geo's total over channels.
    public static func parseBounds(_ text: String, model: GeoResponseDraws, into problem: inout GeoBudgetProblem, source: String = "--bounds") throws {
        let cellNames = Dictionary(uniqueKeysWithValues: model.cellIDs.map { ($0.name, $0) })
        let names = model.cellIDs.map(\.name) + model.channelNames + model.geoNames
        for (name, bound) in try PlanSpecs.parseBounds(text, channels: names, source: source) {
            if let cell = cellNames[name] {
                problem.cellBounds[cell] = bound
            } else if model.channelNames.contains(name) {
                guard !model.geoNames.contains(name) else {
                    throw InputError(InputLocation(file: source), "\"\(name)\" is both a geo and a channel; use a bounds CSV with geo and channel columns.")
                }
                problem.channelBounds[name] = bound
            } else {
                problem.geoBounds[name] = bound
            }
        }
    }

    /// `--fix north/tv,search,south`: cells, every cell of a channel, or every cell of a geo.
    public static func parseFixed(_ text: String, model: GeoResponseDraws, source: String = "--fix") throws -> Set<GeoCell> {
        let names = model.cellIDs.map(\.name) + model.channelNames + model.geoNames
        var out = Set<GeoCell>()
        for name in try PlanSpecs.parseChannelList(text, channels: names, source: source) {
            out.formUnion(model.cellIDs.filter { $0.name == name || $0.channel == name || $0.geo == name })
        }
        return out
    }

    /// The live cell (geo, channel), or an error naming the row and the column at fault.
    static func cell(geo: String, channel: String, model: GeoResponseDraws, file: String, row: Int) throws -> GeoCell {
        guard model.geoNames.contains(geo) else { throw unknown("geo", geo, model.geoNames, file, row) }
        guard model.channelNames.contains(channel) else { throw unknown("channel", channel, model.channelNames, file, row) }
        let cell = GeoCell(geo: geo, channel: channel)
        guard model.cellIDs.contains(cell) else {
            throw InputError(InputLocation(file: file, row: row, column: "channel"),
                             "channel \"\(channel)\" never spent in geo \"\(geo)\", so the model has no effect for it there; leave the row out.")
        }
        return cell
    }

    private static func unknown(_ what: String, _ name: String, _ names: [String], _ file: String, _ row: Int) -> InputError {
        InputError(InputLocation(file: file, row: row, column: what), "unknown \(what) \"\(name)\"; the model's \(what)s are \(names.joined(separator: ", ")).")
    }

    /// A name written `'=x` (as the CSV writers guard formula-like names) reads as `=x`.
    private static func unguard(_ text: String) -> String {
        guard text.hasPrefix("'"), let next = text.dropFirst().first, "=+-@".contains(next) else { return text }
        return String(text.dropFirst())
    }
}
