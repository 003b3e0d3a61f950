/// Which date format a column uses, from its cells: the date part of `DialectDetection`.
///
/// ISO wins when most cells are ISO dates (a stray other cell is then reported as an error at
/// its row). Otherwise a D/M/YYYY cell that is no M/D/YYYY date (`31/12/2023`, `01.02.2023`)
/// counts for day-first, and the reverse for month-first; evidence one way only decides, and
/// evidence both ways goes to the format more cells read as. Without any evidence — every date
/// reads both ways, e.g. `03/04/2023` — the format is not guessed: `resolve` asks for it by name.
public struct DateDetection: Sendable {
    private var cells = 0
    private var iso = 0
    private var dayFirst = 0, monthFirst = 0
    private var dayFirstOnly = 0, monthFirstOnly = 0
    /// The first cell that reads both ways, for the message.
    private var example: (text: String, row: Int)?

    public init() {}

    /// Counts one date cell.
    public mutating func add(_ cell: String, row: Int) {
        let text = cell.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return }
        cells += 1
        if CellParsing.date(text, format: .iso) != nil { iso += 1; return }
        let d = CellParsing.date(text, format: .dayMonthYear) != nil
        let m = CellParsing.date(text, format: .monthDayYear) != nil
        if d { dayFirst += 1 }
        if m { monthFirst += 1 }
        if d && !m { dayFirstOnly += 1 }
        if m && !d { monthFirstOnly += 1 }
        if d && m && example == nil { example = (text, row) }
    }

    /// True once the cells seen settle the format (more cells cannot change an ISO majority's
    /// verdict much, and one decisive day-first or month-first date settles a slashed column).
    public var decided: Bool { iso * 2 > cells || dayFirstOnly + monthFirstOnly > 0 }

    /// The format, or an error naming `data.date_format` when day and month cannot be told apart.
    public func resolve(file: String, column: String) throws -> MixPlanConfig.DateFormat {
        if iso * 2 > cells || cells == 0 { return .iso }
        switch (dayFirstOnly > 0, monthFirstOnly > 0) {
        case (true, false): return .dayMonthYear
        case (false, true): return .monthDayYear
        case (true, true): return dayFirst >= monthFirst ? .dayMonthYear : .monthDayYear
        case (false, false):
            guard let example else { return .iso } // no column of dates at all: the loader says so per cell
            throw InputError(InputLocation(file: file, row: example.row, column: column, key: "data.date_format"),
                             "every date in the column reads both as D/M/YYYY and as M/D/YYYY (e.g. \"\(example.text)\"), so which part is the day cannot be told.",
                             hint: "Set data.date_format: d/m/yyyy (day first, as in most of Europe) or data.date_format: m/d/yyyy (month first, as in the US).")
        }
    }
}
