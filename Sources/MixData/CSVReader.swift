import Foundation

/// A streaming RFC 4180 CSV reader that reads a file in fixed-size chunks.
///
/// Memory stays bounded whatever the file size: one chunk plus the current record, and a
/// record may not exceed `maxRecordBytes` (a binary file with no line breaks is rejected
/// rather than buffered). Handles quoted fields with embedded commas, newlines and doubled
/// quotes; UTF-8 with or without a byte-order mark; CRLF, LF or CR line ends. Every record
/// is checked to be valid UTF-8 without NUL bytes, so binary garbage fails with a clear error.
///
/// Rows are numbered as a spreadsheet shows them: the first record (the header) is row 1,
/// and a quoted field spanning several lines is still one row. Blank lines, and rows whose
/// every field is empty (the `,,,,` a spreadsheet writes for an empty row), are skipped but
/// counted, so row numbers match what the user sees. The delimiter is `,` unless given.
///
///     var reader = try CSVReader(path: "data.csv")
///     while try reader.next() {
///         print(reader.row, reader.field(0))
///     }
public struct CSVReader {
    /// The file path, used in error locations.
    public let path: String
    /// Spreadsheet row number of the current record (1 = first record).
    public private(set) var row = 0
    /// The first record, once read; errors name columns from it.
    public private(set) var header: [String]?

    /// Where the bytes come from: a file read chunk by chunk, or bytes already in memory.
    private enum Source {
        case file(FileHandle)
        case memory(Data)
    }
    private let source: Source
    private var memoryOffset = 0
    private let chunkSize: Int
    private let maxRecordBytes: Int
    /// The field delimiter byte.
    private let delimiter: UInt8
    private var chunk: [UInt8] = []
    private var position = 0
    private var atEOF = false
    private var startedFile = false
    private var pendingLF = false
    private var lineCount = 0
    /// Bytes of the current record's fields, concatenated without separators.
    private var bytes: [UInt8] = []
    /// End offset in `bytes` of each field of the current record.
    private var ends: [Int] = []

    /// Opens `path` for reading. `chunkSize` (≥ 4 bytes) is how much is read at a time;
    /// `maxRecordBytes` bounds a single record.
    public init(path: String, delimiter: UInt8 = 0x2C, chunkSize: Int = 1 << 16, maxRecordBytes: Int = 1 << 20) throws {
        self.path = path
        self.delimiter = delimiter
        self.chunkSize = max(4, chunkSize)
        self.maxRecordBytes = maxRecordBytes
        let handle = try InputFile.open(path, what: "data file")
        self.source = .file(handle)
    }

    /// Reads CSV text already in memory (e.g. an upload, or a fuzzer's input). `name` stands
    /// for the file in error locations; parsing, limits and errors are those of a file.
    public init(data: Data, name: String, delimiter: UInt8 = 0x2C, chunkSize: Int = 1 << 16, maxRecordBytes: Int = 1 << 20) {
        self.path = name
        self.delimiter = delimiter
        self.chunkSize = max(4, chunkSize)
        self.maxRecordBytes = maxRecordBytes
        self.source = .memory(data)
    }

    /// Number of fields in the current record.
    public var fieldCount: Int { ends.count }

    /// The current record's field `index` as text (already validated as UTF-8).
    public func field(_ index: Int) -> String {
        let start = index == 0 ? 0 : ends[index - 1]
        return String(decoding: bytes[start..<ends[index]], as: UTF8.self)
    }

    /// All fields of the current record.
    public var fields: [String] { (0..<ends.count).map(field) }

    /// Calls `body` with the raw UTF-8 bytes of field `index`, without copying.
    public func withFieldBytes<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = index == 0 ? 0 : ends[index - 1]
        return try bytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[start..<ends[index]]))
        }
    }

    /// Name of column `index` for messages: the header's name, or `#n` before/without one.
    public func columnName(_ index: Int) -> String {
        if let header, index < header.count { return header[index] }
        return "#\(index + 1)"
    }

    /// Advances to the next non-blank record. Returns false at the end of the file.
    public mutating func next() throws -> Bool {
        while true {
            guard try readRecord() else { return false }
            if ends.count == 1 && ends[0] == 0 && !lastRecordHadQuotes { continue } // blank line
            if header != nil, !lastRecordHadQuotes, isBlankRecord { continue } // ",,,," or spaces only
            try validateRecord()
            if header == nil { header = fields }
            return true
        }
    }

    /// Every field of the current record is empty or spaces.
    private var isBlankRecord: Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    // MARK: - Parsing

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
    private var lastRecordHadQuotes = false

    private mutating func fill() throws -> Bool {
        if atEOF { return false }
        guard let data = try readChunk(), !data.isEmpty else { atEOF = true; return false }
        chunk = [UInt8](data)
        position = 0
        if !startedFile {
            startedFile = true
            try skipByteOrderMark()
        }
        return true
    }

    private mutating func skipByteOrderMark() throws {
        // Top up to three bytes so the BOM test is not fooled by a tiny first read.
        while chunk.count < 3, let more = try readChunk(), !more.isEmpty {
            chunk.append(contentsOf: more)
        }
        if chunk.starts(with: [0xEF, 0xBB, 0xBF]) {
            position = 3
        } else if chunk.starts(with: [0xFF, 0xFE]) || chunk.starts(with: [0xFE, 0xFF]) {
            throw InputError(InputLocation(file: path), "is encoded as UTF-16, but MixPlan reads UTF-8 text.",
                             hint: "Save it as \"CSV UTF-8\" (Excel) or convert it with iconv -f UTF-16 -t UTF-8.")
        }
    }

    /// The next at most `chunkSize` bytes of the source; nil or empty at its end.
    private mutating func readChunk() throws -> Data? {
        switch source {
        case .file(let handle):
            do { return try handle.read(upToCount: chunkSize) } catch {
                throw InputError(InputLocation(file: path), "could not be read: \(error.localizedDescription)")
            }
        case .memory(let data):
            let start = data.startIndex + memoryOffset
            let end = min(data.endIndex, start + chunkSize)
            memoryOffset = end - data.startIndex
            return data[start..<end]
        }
    }

    /// Reads one physical record into `bytes`/`ends`. Returns false when nothing was left.
    private mutating func readRecord() throws -> Bool {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        lastRecordHadQuotes = false
        var state = State.fieldStart
        var sawAnything = false
        let startLine = lineCount + 1
        while true {
            if position == chunk.count {
                guard try fill() else {
                    // End of file: close the last record if it has content.
                    if state == .quoted {
                        throw InputError(InputLocation(file: path, row: row + 1, column: columnName(ends.count)),
                                         "a quoted field opened here (line \(startLine) of the file) is never closed.",
                                         hint: "Every opening \" needs a closing \"; a quote inside a quoted field is written \"\".")
                    }
                    if !sawAnything { return false }
                    ends.append(bytes.count)
                    row += 1
                    return true
                }
            }
            // Scan the rest of the chunk without bounds checks; `scan` returns true at a record end.
            let (ended, badQuote) = chunk.withUnsafeBufferPointer { buffer in
                scan(buffer, state: &state, sawAnything: &sawAnything)
            }
            if badQuote {
                throw InputError(InputLocation(file: path, row: row + 1, column: columnName(ends.count)),
                                 "unexpected text after the closing quote of a quoted field.",
                                 hint: "A quote inside a quoted field must be doubled (\"\"), and the field must end right after its closing quote.")
            }
            // Checked per chunk rather than per byte: a record may overshoot by at most one chunk.
            if bytes.count > maxRecordBytes {
                throw InputError(InputLocation(file: path, row: row + 1),
                                 "a single row is longer than \(maxRecordBytes) bytes; this does not look like a CSV of one row per period.",
                                 hint: "Check that the file is a text CSV (not a spreadsheet or binary file) and that its quotes are balanced.")
            }
            if ended {
                row += 1
                return true
            }
        }
    }

    /// The byte-level state machine over `buffer[position...]`. Stops after a record ends
    /// (returning `ended`) or at the end of the buffer; `badQuote` flags text after a closing quote.
    private mutating func scan(_ buffer: UnsafeBufferPointer<UInt8>, state: inout State,
                               sawAnything: inout Bool) -> (ended: Bool, badQuote: Bool) {
        var p = position
        defer { position = p }
        let n = buffer.count
        while p < n {
            let b = buffer[p]
            p += 1
            if pendingLF {
                pendingLF = false
                if b == 0x0A { continue }
            }
            sawAnything = true
            switch state {
            case .fieldStart, .unquoted:
                if b == delimiter {
                    ends.append(bytes.count)
                    state = .fieldStart
                } else if b == 0x0A || b == 0x0D {
                    pendingLF = b == 0x0D
                    lineCount += 1
                    ends.append(bytes.count)
                    return (true, false)
                } else if b == 0x22 && state == .fieldStart { // opening "
                    state = .quoted
                    lastRecordHadQuotes = true
                } else {
                    // Copy the run up to the next delimiter or line end in one go. A stray quote
                    // inside an unquoted field is kept literally (lenient, as spreadsheets are).
                    let start = p - 1
                    while p < n, buffer[p] != delimiter, buffer[p] != 0x0A, buffer[p] != 0x0D { p += 1 }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<p]))
                    state = .unquoted
                }
            case .quoted:
                if b == 0x22 {
                    state = .quoteInQuoted
                } else {
                    // Copy the run up to the next quote in one go, counting embedded line breaks.
                    let start = p - 1
                    if b == 0x0A { lineCount += 1 }
                    while p < n, buffer[p] != 0x22 {
                        if buffer[p] == 0x0A { lineCount += 1 }
                        p += 1
                    }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<p]))
                }
            case .quoteInQuoted:
                if b == 0x22 { // doubled quote: a literal "
                    bytes.append(b)
                    state = .quoted
                } else if b == delimiter {
                    ends.append(bytes.count)
                    state = .fieldStart
                } else if b == 0x0A || b == 0x0D {
                    pendingLF = b == 0x0D
                    lineCount += 1
                    ends.append(bytes.count)
                    return (true, false)
                } else {
                    return (false, true)
                }
            }
        }
        return (false, false)
    }

    /// Rejects NUL bytes and invalid UTF-8 in the current record, naming the column.
    private func validateRecord() throws {
        // Fast path: plain ASCII without NUL, the usual case for numeric data.
        if bytes.withUnsafeBufferPointer({ $0.allSatisfy { $0 > 0 && $0 < 0x80 } }) { return }
        var i = 0
        let n = bytes.count
        var fieldIndex = 0
        func fail(_ what: String) -> InputError {
            InputError(InputLocation(file: path, row: row, column: columnName(fieldIndex)),
                       "\(what) — this does not look like UTF-8 text.",
                       hint: "MixPlan reads CSV saved as UTF-8; re-export the file as \"CSV UTF-8\", or check it is not a binary file.")
        }
        func isContinuation(_ k: Int) -> Bool { k < n && bytes[k] & 0xC0 == 0x80 }
        while i < n {
            while fieldIndex < ends.count && i >= ends[fieldIndex] { fieldIndex += 1 }
            let b = bytes[i]
            if b < 0x80 {
                if b == 0 { throw fail("the cell contains a NUL byte") }
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF // allowed range of the second byte
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: throw fail("the cell contains the byte 0x\(String(b, radix: 16, uppercase: true)), which is not valid UTF-8")
            }
            guard i + 1 < n, bytes[i + 1] >= low, bytes[i + 1] <= high,
                  (2..<length).allSatisfy({ isContinuation(i + $0) }) else {
                throw fail("the cell contains an invalid UTF-8 sequence starting with the byte 0x\(String(b, radix: 16, uppercase: true))")
            }
            i += length
        }
    }
}
