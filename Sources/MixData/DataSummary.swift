/// What `mixplan check` prints about a loaded dataset: its extent and where the money went.
public struct DataSummary: Sendable, Equatable {
    /// One channel's spend over the whole file.
    public struct ChannelTotal: Sendable, Equatable {
        public var name: String
        public var total: Double
        /// Share of all channels' spend, 0…1.
        public var share: Double
    }

    public var periods: Int
    public var frequency: Frequency
    public var firstDate: CalendarDate
    public var lastDate: CalendarDate
    public var channels: [ChannelTotal]
    /// One line per channel measured in exposures: its unit and cost per unit.
    public var exposureNotes: [String] = []
    public var controls: [String]
    public var targetName: String
    public var targetTotal: Double
    public var source: String

    public init(_ data: Dataset) {
        periods = data.periodCount
        frequency = data.frequency
        firstDate = data.dates.first ?? CalendarDate(dayNumber: 0)
        lastDate = data.dates.last ?? CalendarDate(dayNumber: 0)
        // Shares from sums scaled by the largest value, so totals that overflow a Double (cells
        // near 1e308) still give shares that add to 1.
        let scale = data.spend.joined().max() ?? 0
        let scaled = data.spend.map { column in scale > 0 ? column.reduce(0) { $0 + $1 / scale } : 0 }
        let all = scaled.reduce(0, +)
        let totals = data.spend.map { $0.reduce(0, +) }
        channels = zip(data.channelNames, zip(totals, scaled)).map {
            ChannelTotal(name: $0, total: $1.0, share: all > 0 ? $1.1 / all : 0)
        }
        exposureNotes = data.channelNames.compactMap { name in
            data.exposureCosts[name].map { $0.note(channel: name) }
        }
        controls = data.controlNames
        targetName = data.targetName
        targetTotal = data.target.reduce(0, +)
        source = data.source
    }

    /// A plain-text table for a terminal, e.g.
    ///
    ///     data.csv: 156 weekly periods, 2021-01-04 … 2023-12-25
    ///     channel          total spend    share
    ///     tv                 1 234 567   61.2 %
    public func render(currency: String = "") -> String {
        let unit = frequency == .daily ? "daily" : "weekly"
        var lines = ["\(source): \(periods) \(unit) periods, \(firstDate) … \(lastDate)"]
        let nameWidth = max(12, (channels.map(\.name.count) + [targetName.count, 5]).max() ?? 0)
        let money = channels.map { DataSummary.grouped($0.total) }
        let valueHeader = "total spend" + (currency.isEmpty ? "" : " (\(currency))")
        let valueWidth = max(valueHeader.count, money.map(\.count).max() ?? 0)
        func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return right ? fill + s : s + fill
        }
        lines.append(pad("channel", nameWidth) + "  " + pad(valueHeader, valueWidth, right: true) + "  " + pad("share", 7, right: true))
        for (channel, total) in zip(channels, money) {
            let share = (channel.share * 1000).rounded() / 10
            lines.append(pad(channel.name, nameWidth) + "  " + pad(total, valueWidth, right: true) + "  " + pad("\(share) %", 7, right: true))
        }
        lines.append(pad("total", nameWidth) + "  " + pad(DataSummary.grouped(channels.map(\.total).reduce(0, +)), valueWidth, right: true))
        lines += exposureNotes
        lines.append("target \"\(targetName)\": total \(DataSummary.grouped(targetTotal))")
        lines.append("controls: " + (controls.isEmpty ? "none" : controls.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    /// `1234567.891` → `1 234 567.89`: thin groups of three, two decimals only when needed.
    static func grouped(_ value: Double) -> String {
        // Beyond 10^15 cents would no longer be exact (and beyond 9.2e18 an Int overflows).
        guard abs(value) < 1e15 else { return value.isFinite ? String(format: "%.6g", value) : "\(value)" }
        let cents = (abs(value) * 100).rounded()
        let whole = Int(cents / 100)
        let fraction = Int(cents.truncatingRemainder(dividingBy: 100))
        var digits = String(whole)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        var text = (value < 0 ? "-" : "") + groups.joined(separator: " ")
        if fraction != 0 { text += "." + (fraction < 10 ? "0" : "") + String(fraction) }
        return text
    }
}
