/// How often the data has a row.
public enum Frequency: String, Sendable, Codable {
    case daily
    case weekly

    /// Days between consecutive rows.
    public var days: Int { self == .daily ? 1 : 7 }

    /// Periods in a year, for seasonality and annualised summaries.
    public var periodsPerYear: Double { self == .daily ? 365.25 : 365.25 / 7 }
}

/// A validated marketing dataset in original units: one row per period.
///
/// Everything downstream (model, optimiser, reports) works from this value; once built it has
/// passed validation, so no later stage needs to check for gaps, NaNs or negative spend.
public struct Dataset: Sendable, Codable {
    /// The period start dates, strictly increasing with no gaps.
    public var dates: [CalendarDate]
    /// Row frequency, inferred from the dates.
    public var frequency: Frequency
    /// Channel names, in config order.
    public var channelNames: [String]
    /// Spend per channel per period: `spend[c][t]`, currency, ≥ 0. For a channel measured in
    /// exposures, its exposures × its cost per unit (`exposureCosts`), so every stage works in money.
    public var spend: [[Double]]
    /// The channels measured in exposures, by channel name, with their cost per unit; empty when
    /// every channel is a spend column.
    public var exposureCosts: [String: ExposureCost] = [:]
    /// Control names, in config order.
    public var controlNames: [String]
    /// Control values per period: `controls[k][t]`, used as given.
    public var controls: [[Double]]
    /// Name of the target column (e.g. sales).
    public var targetName: String
    /// Target per period, original units.
    public var target: [Double]
    /// Where the data came from (a path), for messages.
    public var source: String

    public init(dates: [CalendarDate], frequency: Frequency, channelNames: [String], spend: [[Double]],
                controlNames: [String], controls: [[Double]], targetName: String, target: [Double],
                source: String = "") {
        self.dates = dates
        self.frequency = frequency
        self.channelNames = channelNames
        self.spend = spend
        self.controlNames = controlNames
        self.controls = controls
        self.targetName = targetName
        self.target = target
        self.source = source
    }

    /// Number of periods.
    public var periodCount: Int { dates.count }
    /// Number of channels.
    public var channelCount: Int { channelNames.count }

    /// The first `count` periods, e.g. to hold out the rest for out-of-sample checks.
    public func prefix(_ count: Int) -> Dataset {
        var head = Dataset(dates: Array(dates.prefix(count)), frequency: frequency, channelNames: channelNames,
                           spend: spend.map { Array($0.prefix(count)) }, controlNames: controlNames,
                           controls: controls.map { Array($0.prefix(count)) }, targetName: targetName,
                           target: Array(target.prefix(count)), source: source)
        head.exposureCosts = exposureCosts
        return head
    }
}
