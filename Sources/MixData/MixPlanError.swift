/// Where in an input a problem was found. Rows are 1-based as a spreadsheet shows them
/// (the header is row 1); columns are named.
public struct InputLocation: Sendable, Equatable {
    public var file: String
    public var row: Int?
    public var column: String?
    /// A config key path such as `model.channels.tv.adstock`, for YAML errors.
    public var key: String?

    public init(file: String, row: Int? = nil, column: String? = nil, key: String? = nil) {
        self.file = file
        self.row = row
        self.column = column
        self.key = key
    }

    /// `data.csv, row 14, column "tv"` — the prefix every message starts with.
    public var description: String {
        var parts = [file]
        if let row { parts.append("row \(row)") }
        if let column { parts.append("column \"\(column)\"") }
        if let key { parts.append("key \"\(key)\"") }
        return parts.joined(separator: ", ")
    }
}

/// A problem with what the user gave us (data, config, flags). Prints as one readable
/// paragraph: where, what was found, what was expected. CLI exit code 2.
public struct InputError: Error, Sendable, CustomStringConvertible, Equatable {
    public var location: InputLocation
    public var message: String
    public var hint: String?

    public init(_ location: InputLocation, _ message: String, hint: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var text = "\(location.description): \(message)"
        if let hint { text += " \(hint)" }
        return Self.oneLine(text)
    }

    /// The text with line breaks and other control characters (which arrive inside quoted
    /// cells, file names and YAML scalars) written as escapes, so a message is always one line.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        // Built as UTF-8 bytes: appending to a String's scalar view copies the string each time,
        // which made a value of 131,000 line breaks take seconds to print.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 64)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out.append(contentsOf: "\\n".utf8)
            case "\r": out.append(contentsOf: "\\r".utf8)
            case "\t": out.append(contentsOf: "\\t".utf8)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".utf8)
            default: out.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A non-fatal finding about the data (suspicious but usable). `--strict` turns them into failures.
public struct DataWarning: Sendable, CustomStringConvertible, Equatable {
    public var location: InputLocation
    public var message: String

    public init(_ location: InputLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location.description): \(message)" }
}
