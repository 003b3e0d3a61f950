import Foundation

/// Guesses which CSV column is the date, the target, the channels and the controls, from the
/// header names and the first rows — what `mixplan init` writes and `mixplan check DATA.csv` uses.
public struct ColumnGuess: Sendable, Equatable {
    /// The guessed data section (`file` is the CSV's file name).
    public var data: MixPlanConfig.DataSection
    /// Why each choice was made, one line each, for the user to review.
    public var notes: [String]

    /// Names that mark the target, in order of preference (exact match first, then contained).
    public static let targetWords = ["sales", "revenue", "conversions", "target", "kpi", "y", "orders",
                                     "units", "signups", "leads", "bookings", "installs"]
    /// Words that mark a spend column.
    public static let channelWords = ["spend", "cost", "impressions", "impr", "budget", "media", "grp",
                                      "clicks", "investment"]
    /// Words that mark a control column.
    public static let controlWords = ["event", "holiday", "promo", "price", "temperature", "weather",
                                      "dayofyear", "trend", "index", "competitor", "season", "covid"]

    /// Reads the header and up to `sampleRows` rows of `path` and guesses the roles.
    public static func guess(path: String, sampleRows: Int = 200) throws -> ColumnGuess {
        var reader = try CSVReader(path: path)
        guard try reader.next(), let header = reader.header else {
            throw InputError(InputLocation(file: path), "the file is empty; expected a header row followed by one row per period.")
        }
        try HeaderCheck.validate(header, file: path, format: .iso)
        var columns = [[String]](repeating: [], count: header.count)
        while columns[0].count < sampleRows, try reader.next() {
            guard reader.fieldCount == header.count else {
                throw InputError(InputLocation(file: path, row: reader.row),
                                 "this row has \(reader.fieldCount) fields but the header has \(header.count).")
            }
            for i in header.indices { columns[i].append(reader.field(i)) }
        }
        guard !columns[0].isEmpty else {
            throw InputError(InputLocation(file: path), "the file has a header but no data rows.")
        }
        var notes: [String] = []
        var data = MixPlanConfig.DataSection()
        data.file = URL(fileURLWithPath: path).lastPathComponent

        // Date: a column whose every cell is a date; ISO preferred, then M/D/YYYY.
        var dateIndex: Int?
        for format in MixPlanConfig.DateFormat.allCases where dateIndex == nil {
            dateIndex = header.indices.first { i in columns[i].allSatisfy { CellParsing.date($0, format: format) != nil } }
            if dateIndex != nil { data.dateFormat = format }
        }
        guard let dateIndex else {
            throw InputError(InputLocation(file: path),
                             "no column holds dates in every row (YYYY-MM-DD or M/D/YYYY), so the date column cannot be guessed.",
                             hint: "Write dates as YYYY-MM-DD, or write the config by hand.")
        }
        data.dateColumn = header[dateIndex]
        notes.append("date column: \"\(header[dateIndex])\" (every cell is a \(data.dateFormat == .iso ? "YYYY-MM-DD" : "M/D/YYYY") date)")

        // Unnamed columns (a spreadsheet's or pandas' row index) are never data.
        let unnamed = header.indices.filter { i in
            let name = header[i].trimmingCharacters(in: .whitespaces)
            return name.isEmpty || name.hasPrefix("Unnamed:")
        }
        for i in unnamed { notes.append("ignored: column \(i + 1) \"\(header[i])\" (no name: a row index?)") }
        let numeric = header.indices.filter { i in
            i != dateIndex && !unnamed.contains(i) && isMostlyNumeric(columns[i])
        }
        for i in header.indices where i != dateIndex && !numeric.contains(i) && !unnamed.contains(i) {
            notes.append("ignored: \"\(header[i])\" (text, not numbers)")
        }
        let lower = Dictionary(uniqueKeysWithValues: numeric.map { ($0, header[$0].lowercased()) })

        // Target: exact name match by preference, then a name containing a target word, else the last numeric column.
        var targetIndex = targetWords.lazy.compactMap { word in numeric.first { lower[$0] == word } }.first
        if targetIndex == nil {
            targetIndex = targetWords.filter { $0.count > 2 }.lazy.compactMap { word in numeric.first { lower[$0]!.contains(word) } }.first
        }
        let targetReason = targetIndex == nil ? "the last numeric column; no name looked like sales/revenue/conversions" : "its name"
        guard let target = targetIndex ?? numeric.last else {
            throw InputError(InputLocation(file: path), "no numeric column was found for the target.",
                             hint: "Numbers must be plain (1234.5, no thousands separators or currency symbols).")
        }
        data.target = header[target]
        notes.append("target: \"\(header[target])\" (\(targetReason))")

        // Channels: spend-like names; failing that, every numeric column that is not control-like.
        let rest = numeric.filter { $0 != target }
        let isControlLike: (Int) -> Bool = { i in
            controlWords.contains { lower[i]!.contains($0) }
                || columns[i].allSatisfy { $0.trimmingCharacters(in: .whitespaces) == "0" || $0.trimmingCharacters(in: .whitespaces) == "1" }
        }
        var channels = rest.filter { i in channelWords.contains { lower[i]!.contains($0) } }
        if channels.isEmpty {
            channels = rest.filter { !isControlLike($0) }
            notes.append("channels: no column is named like spend/cost/impressions, so every numeric column that is not an event/price/0-1 indicator is taken: \(channels.map { header[$0] }.joined(separator: ", "))")
        } else {
            notes.append("channels: \(channels.map { header[$0] }.joined(separator: ", ")) (named like spend/cost/impressions)")
        }
        data.channels = channels.map { header[$0] }
        data.controls = rest.filter { !channels.contains($0) }.map { header[$0] }
        notes.append("controls: " + (data.controls.isEmpty ? "none" : data.controls.joined(separator: ", ")))
        return ColumnGuess(data: data, notes: notes)
    }

    /// More than half of the non-empty cells are numbers. A numeric column with a few bad
    /// cells (NaN, "1,234.56", "n/a") still counts, so loading it reports those cells as
    /// errors instead of the guess silently dropping the column.
    static func isMostlyNumeric(_ cells: [String]) -> Bool {
        var numbers = 0, nonEmpty = 0
        for cell in cells where !cell.trimmingCharacters(in: .whitespaces).isEmpty {
            nonEmpty += 1
            if case .success = CellParsing.number(cell) { numbers += 1 }
        }
        return numbers * 2 > nonEmpty
    }
}
