/// Checks on the date column as a series: order, duplicates, frequency and gaps.
enum DateSeriesCheck {
    /// Returns the inferred frequency, or throws naming the first offending row.
    ///
    /// Frequency is the most common step between consecutive dates: 1 day ⇒ daily, 7 ⇒ weekly;
    /// anything else is unsupported. Every step must then equal that frequency exactly, so a
    /// missing week is a gap (an error), not something silently interpolated.
    static func validate(dates: [CalendarDate], rows: [Int], file: String, column: String,
                         config: MixPlanConfig) throws -> Frequency {
        guard dates.count >= 2 else {
            let need = DataValidation.minimumRows(for: config)
            throw InputError(InputLocation(file: file),
                             "the file has \(dates.count) data row\(dates.count == 1 ? "" : "s"); the model needs at least \(need.rows) (it has about \(need.parameters) parameters).",
                             hint: DataValidation.minimumRowsRule)
        }
        for i in 1..<dates.count where dates[i] <= dates[i - 1] {
            // The first row that does not move forward: a repeat of an earlier date, or out of order.
            if let earlier = dates[..<i].firstIndex(of: dates[i]) {
                throw InputError(InputLocation(file: file, row: rows[i], column: column),
                                 "the date \(dates[i]) appears again (first at row \(rows[earlier])); each period must appear once.",
                                 hint: "Aggregate duplicate rows (e.g. sum the spend) before loading.")
            }
            throw InputError(InputLocation(file: file, row: rows[i], column: column),
                             "dates are out of order: \(dates[i]) comes after \(dates[i - 1]) (row \(rows[i - 1])); rows must be sorted by date, oldest first.",
                             hint: "Sort the file by the date column.")
        }
        // The most common step decides the frequency, so one odd row is reported as that row's
        // problem rather than changing the inferred frequency.
        var counts: [Int: Int] = [:]
        for i in 1..<dates.count { counts[dates[i].dayNumber - dates[i - 1].dayNumber, default: 0] += 1 }
        let step = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!.key
        let frequency: Frequency
        switch step {
        case 1: frequency = .daily
        case 7: frequency = .weekly
        default:
            throw InputError(InputLocation(file: file, column: column),
                             "most rows are \(step) days apart; MixPlan handles daily (1 day) or weekly (7 days) data.",
                             hint: "Aggregate the data to weeks or days with one row per period.")
        }
        for i in 1..<dates.count {
            let gap = dates[i].dayNumber - dates[i - 1].dayNumber
            guard gap != frequency.days else { continue }
            let location = InputLocation(file: file, row: rows[i], column: column)
            if gap % frequency.days == 0 {
                let missing = gap / frequency.days - 1
                let unit = frequency == .daily ? "day" : "week"
                throw InputError(location,
                                 "there is a gap in the \(frequency.rawValue) series: \(missing) \(unit)\(missing == 1 ? "" : "s") missing between \(dates[i - 1]) (row \(rows[i - 1])) and \(dates[i]).",
                                 hint: "Add the missing period\(missing == 1 ? "" : "s") (with 0 spend if nothing ran).")
            }
            throw InputError(location,
                             "\(dates[i]) is \(gap) days after \(dates[i - 1]) (row \(rows[i - 1])), but the data is \(frequency.rawValue) (every \(frequency.days) day\(frequency.days == 1 ? "" : "s")).",
                             hint: "Weekly data must use the same weekday for every row.")
        }
        return frequency
    }
}
