/// What one CSV column's name and values say about its role: the facts `ColumnGuess` decides on.
struct ColumnProfile {
    /// Position in the header.
    let index: Int
    let name: String
    /// The name in lower case with spaces and dashes as `_`, for matching words.
    let key: String
    /// The values when more than half of the non-empty cells are numbers (bad cells are
    /// skipped here, so loading later reports them at their row rather than the guess dropping
    /// the column); nil for a text column.
    let values: [Double]?
    /// An example of a cell that is not a number, for the note on a text column.
    let textExample: String?

    init(index: Int, name: String, cells: [String], format: NumberFormat) {
        self.index = index
        self.name = name
        key = name.lowercased().map { $0 == " " || $0 == "-" || $0 == "." ? "_" : $0 }.reduce(into: "") { $0.append($1) }
        var numbers: [Double] = []
        var nonEmpty = 0
        var example: String?
        for cell in cells where !cell.trimmingCharacters(in: .whitespaces).isEmpty {
            nonEmpty += 1
            if case .success(let v) = CellParsing.number(cell, format: format) { numbers.append(v) } else if example == nil { example = cell }
        }
        values = nonEmpty > 0 && numbers.count * 2 > nonEmpty ? numbers : nil
        textExample = example
    }

    /// The name's words: split at `_`, so `mdsp_tv` has `mdsp` and `tv`.
    var words: [Substring] { key.split(separator: "_") }

    /// The name is `word`, starts with `word_`, ends with `_word`, or contains it as one of its words.
    func named(_ word: String) -> Bool {
        key == word || words.contains { $0 == word }
    }

    /// The name contains `word` anywhere (for longer words such as `revenue`).
    func contains(_ word: String) -> Bool { key.contains(word) }

    /// Every value is the same.
    var isConstant: Bool {
        guard let values, let first = values.first else { return false }
        return values.allSatisfy { $0 == first }
    }

    /// Every value is 0 or 1: an indicator (holiday, event, promotion).
    var isIndicator: Bool { values?.allSatisfy { $0 == 0 || $0 == 1 } ?? false }

    /// Every value is ≥ 0, as spend and exposures are.
    var isNonNegative: Bool { values?.allSatisfy { $0 >= 0 } ?? false }

    /// Mean absolute value, to compare magnitudes.
    var magnitude: Double {
        guard let values, !values.isEmpty else { return 0 }
        return values.reduce(0) { $0 + abs($1) } / Double(values.count)
    }

    /// The values count up by exactly one each row (a row number or a time index `t`).
    var isCounter: Bool {
        guard let values, values.count >= 3, !isConstant else { return false }
        return zip(values, values.dropFirst()).allSatisfy { $1 - $0 == 1 }
    }

    /// The calendar quantity (year, month, week, …) the values equal on every row, if any.
    func calendarPart(of dates: [CalendarDate?]) -> String? {
        guard let values, values.count == dates.count, !values.isEmpty, !isConstant || dates.count == 1 else { return nil }
        let parts: [(String, (CalendarDate) -> Int)] = [
            ("year", { $0.year }), ("month", { $0.month }), ("day of month", { $0.day }),
            ("day of year", { $0.dayOfYear }), ("ISO week", { $0.isoWeek.week }),
            ("weekday", { $0.isoWeekday }), ("weekday (0 = Monday)", { $0.isoWeekday - 1 }),
            ("weekday (0 = Sunday)", { $0.isoWeekday % 7 }), ("quarter", { ($0.month - 1) / 3 + 1 }),
        ]
        return parts.first { _, part in
            zip(values, dates).allSatisfy { v, d in d.map { Double(part($0)) == v } ?? false }
        }?.0
    }
}
