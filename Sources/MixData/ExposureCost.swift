import Foundation

extension MixPlanConfig {
    /// A channel measured in exposures (GRPs, impressions, clicks) instead of money, as written
    /// in `data.channels`:
    ///
    ///     channels:
    ///       - search                                   # a spend column, as always
    ///       - {name: tv, exposure_column: tv_grp, spend_column: tv_spend, unit: GRP}
    ///       - {name: radio, exposure_column: radio_spots, cost_per_unit: 850}
    ///
    /// The model's response is a function of the exposures; money (ROAS, budgets, curves) is
    /// exposures × the channel's cost per unit (`ExposureCost`).
    public struct ExposureChannel: Sendable, Equatable, Codable {
        /// The column holding the exposures per period (≥ 0).
        public var exposureColumn: String
        /// Where the money comes from.
        public var cost: Cost
        /// What one exposure is called in outputs ("GRP"); nil uses the exposure column's name.
        public var unit: String?

        /// `spend_column` (cost per unit = total spend / total exposures over the data's rows)
        /// or a fixed `cost_per_unit`.
        public enum Cost: Sendable, Equatable, Codable {
            case spendColumn(String)
            case perUnit(Double)
        }

        public init(exposureColumn: String, cost: Cost, unit: String? = nil) {
            self.exposureColumn = exposureColumn
            self.cost = cost
            self.unit = unit
        }

        /// The keys a `data.channels` item may have when it is a mapping.
        public static let keys = ["name", "exposure_column", "spend_column", "cost_per_unit", "unit"]
    }
}

/// The one conversion between money and a channel's exposures (issue 20, point 8).
///
/// MixPlan keeps every channel's series in money (`Dataset.spend`): for an exposure channel that
/// is exposures × `costPerUnit`, one constant per channel. The model scales each channel by its
/// maximum (DESIGN.md §2), so the constant cancels and the adstock and saturation act on the
/// exposures exactly; every quantity in money — ROAS, marginal ROAS, the spend-aware ROAS prior,
/// response curves, the optimiser's budget and bounds, what-if plans, workbook planner cells —
/// then needs no second conversion. With a spend column the cost per unit is total spend / total
/// exposures over the data's rows, PyMC-Marketing's cost-per-unit rule, so the channel's total
/// money over those rows is its actual total spend and ROAS is contribution per unit of money
/// actually spent. Period by period the money is at that average price: where the price moved,
/// the "current spend" of a recent window is its exposures at the average price, not its bill.
public struct ExposureCost: Sendable, Codable, Equatable {
    /// The column of exposures read.
    public var exposureColumn: String
    /// What one exposure is called in outputs ("GRP", or the exposure column's name).
    public var unit: String
    /// Money per exposure unit, > 0.
    public var costPerUnit: Double
    /// The spend column the cost per unit was averaged from; nil for a fixed `cost_per_unit`.
    public var spendColumn: String?

    public init(exposureColumn: String, unit: String, costPerUnit: Double, spendColumn: String?) {
        self.exposureColumn = exposureColumn
        self.unit = unit
        self.costPerUnit = costPerUnit
        self.spendColumn = spendColumn
    }

    /// Money for `exposures` units.
    public func money(exposures: Double) -> Double { exposures * costPerUnit }
    /// Exposure units that `money` buys.
    public func exposures(money: Double) -> Double { money / costPerUnit }

    /// "exposures (GRP)": the label of the channel's raw series in charts and workbooks.
    public var seriesLabel: String { "exposures (\(unit))" }

    /// The cost per unit to four significant digits ("85.17", "0.004512"): impressions cost
    /// fractions of a cent, GRPs thousands.
    public var costPerUnitText: String { String(format: "%.4g", costPerUnit) }

    /// "tv is measured in exposures (GRP): …" — one sentence for outputs that show the channel's
    /// money, saying what it stands for.
    public func note(channel: String) -> String {
        let what = unit == exposureColumn ? "exposures (column \(exposureColumn))" : "\(seriesLabel) (column \(exposureColumn))"
        return "\(channel) is measured in \(what): the response is modelled on exposures; its money is exposures × \(costPerUnitText) per \(unit == exposureColumn ? "unit" : unit) (\(basis))."
    }

    /// How the cost per unit was set, in words: "total tv_spend / total tv_grp over the data's rows"
    /// or "fixed cost_per_unit".
    public var basis: String {
        spendColumn.map { "total \($0) / total \(exposureColumn) over the data's rows" } ?? "fixed cost_per_unit"
    }
}

extension Dataset {
    /// The channel's exposures per period, or nil for a channel measured in money.
    public func exposures(channel c: Int) -> [Double]? {
        guard let cost = exposureCosts[channelNames[c]] else { return nil }
        return spend[c].map { cost.exposures(money: $0) }
    }
}

/// Reading the money side of channels measured in exposures, for `DatasetLoader`.
enum ExposureCosts {
    /// One cell of a channel's spend column: ≥ 0, and zero where the exposure column is zero
    /// (money spent on no exposures would make the cost per unit a fiction).
    static func readSpend(_ reader: CSVReader, index: Int, exposures: Double, exposureColumn: String,
                          numbers: NumberFormat, file: String, loader: DatasetLoader) throws -> Double {
        let money = try loader.readNumber(reader, index: index, role: "spend", format: numbers, file: file)
        let location = InputLocation(file: file, row: reader.row, column: reader.columnName(index))
        if money < 0 {
            throw InputError(location, "spend is negative (\(money)); expected an amount ≥ 0.",
                             hint: "Refunds or corrections should be netted out before modelling.")
        }
        if money > 0, exposures == 0 {
            throw InputError(location, "spend is \(money) in a period where \(exposureColumn) has no exposures; expected 0 spend without exposures.",
                             hint: "The channel's cost per unit is its spend per exposure. Check that the two columns line up, or book fees without exposures (production, agency) outside the channel.")
        }
        return money
    }

    /// Each exposure channel's cost per unit: fixed, or total spend / total exposures over the
    /// rows read (`exposures[c]` and `paid[c]`, channel order of `config.channels`).
    static func costs(exposures: [[Double]], paid: [Double], config: MixPlanConfig.DataSection,
                      file: String) throws -> [String: ExposureCost] {
        var costs: [String: ExposureCost] = [:]
        for (c, name) in config.channels.enumerated() {
            guard let e = config.exposures[name] else { continue }
            let total = exposures[c].reduce(0, +)
            if total == 0 {
                throw InputError(InputLocation(file: file, column: e.exposureColumn, key: "data.channels.\(name).exposure_column"),
                                 "the channel's exposures are zero in every period, so its effect cannot be estimated.",
                                 hint: "Remove the channel from data.channels, or check that exposure_column names the right column.")
            }
            let perUnit: Double
            var spendColumn: String?
            switch e.cost {
            case .perUnit(let fixed): perUnit = fixed
            case .spendColumn(let column):
                spendColumn = column
                perUnit = paid[c] / total
                guard perUnit > 0, perUnit.isFinite else {
                    throw InputError(InputLocation(file: file, column: column, key: "data.channels.\(name).spend_column"),
                                     "the channel's spend is zero in every period, so it has no cost per unit and no ROAS.",
                                     hint: "Check that spend_column names the right column, or give a fixed cost_per_unit instead.")
                }
            }
            costs[name] = ExposureCost(exposureColumn: e.exposureColumn, unit: e.unit ?? e.exposureColumn,
                                       costPerUnit: perUnit, spendColumn: spendColumn)
        }
        return costs
    }
}
