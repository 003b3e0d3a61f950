import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads a written .xlsx back for tests: it is a zip of XML parts, extracted with `unzip -p`
/// and parsed with XMLDocument. Independent of libxlsxwriter.
public struct XlsxReader {
    public struct Cell {
        public var ref: String
        /// `s` (shared string), `str` (formula string), `b`, `e`, or nil for a number.
        public var type: String?
        public var raw: String?
        public var formula: String?
        /// The text of a string cell, resolved from the shared strings.
        public var string: String?
        public var number: Double? { type == nil || type == "n" ? raw.flatMap(Double.init) : nil }
    }

    public let url: URL
    public let sheetNames: [String]
    public let definedNames: [String: String]
    private let sharedStrings: [String]

    public init(_ url: URL) throws {
        self.url = url
        let workbook = try Self.document(url, "xl/workbook.xml")
        sheetNames = workbook.descendants("sheet").compactMap { $0.attr("name") }
        var names: [String: String] = [:]
        for e in workbook.descendants("definedName") {
            guard let n = e.attr("name") else { continue }
            names[n] = e.stringValue ?? ""
        }
        definedNames = names
        if let text = try? Self.part(url, "xl/sharedStrings.xml"), !text.isEmpty {
            let doc = try XMLDocument(xmlString: text)
            sharedStrings = doc.descendants("si").map { si in si.descendants("t").map { $0.stringValue ?? "" }.joined() }
        } else {
            sharedStrings = []
        }
    }

    /// The raw text of a part of the package.
    public static func part(_ url: URL, _ name: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        p.arguments = ["-p", url.path, name]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    public static func document(_ url: URL, _ name: String) throws -> XMLDocument {
        try XMLDocument(xmlString: part(url, name))
    }

    /// The XML of a sheet by name (sheets are stored as sheet1.xml… in workbook order).
    public func sheetXML(_ name: String) throws -> XMLDocument {
        guard let i = sheetNames.firstIndex(of: name) else { throw ReadError("no sheet \(name) in \(sheetNames)") }
        return try Self.document(url, "xl/worksheets/sheet\(i + 1).xml")
    }

    /// Every cell of a sheet, by A1 reference.
    public func cells(_ sheet: String) throws -> [String: Cell] {
        var out: [String: Cell] = [:]
        for e in try sheetXML(sheet).descendants("c") {
            guard let ref = e.attr("r") else { continue }
            let type = e.attr("t")
            let raw = e.elements(forName: "v").first?.stringValue
            var cell = Cell(ref: ref, type: type, raw: raw, formula: e.elements(forName: "f").first?.stringValue)
            if type == "s", let raw, let k = Int(raw) { cell.string = sharedStrings[k] }
            if type == "inlineStr" { cell.string = e.stringValue }
            if type == "str" { cell.string = raw }
            out[ref] = cell
        }
        return out
    }

    /// Numbers of the cells a defined name refers to, row by row.
    public func namedMatrix(_ name: String) throws -> [[Double]] {
        guard let ref = definedNames[name] else { throw ReadError("no defined name \(name)") }
        let (sheet, first, last) = try Self.split(ref)
        let cells = try cellCache(sheet)
        let (c0, r0) = Self.parse(first), (c1, r1) = Self.parse(last)
        let columns = Self.columnNumber(c0)...Self.columnNumber(c1)
        return try (r0...r1).map { r in
            try columns.map { c in
                let a1 = "\(Self.columnName(c))\(r)"
                guard let v = cells[a1]?.number else { throw ReadError("\(name): no number at \(a1)") }
                return v
            }
        }
    }

    /// The numbers of a one-row or one-column named range (or one cell), in order.
    public func namedValues(_ name: String) throws -> [Double] { try namedMatrix(name).flatMap { $0 } }

    private func cellCache(_ sheet: String) throws -> [String: Cell] {
        if let c = cache.sheets[sheet] { return c }
        let c = try cells(sheet)
        cache.sheets[sheet] = c
        return c
    }

    final class Cache { var sheets: [String: [String: Cell]] = [:] }
    private let cache = Cache()

    public static func columnNumber(_ letters: String) -> Int { letters.unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 } }
    public static func columnName(_ n: Int) -> String {
        var n = n, s = ""
        while n > 0 { s = String(UnicodeScalar(UInt8(65 + (n - 1) % 26))) + s; n = (n - 1) / 26 }
        return s
    }

    /// `'Sheet'!$C$5:$C$9` → ("Sheet", "C5", "C9").
    public static func split(_ ref: String) throws -> (String, String, String) {
        guard let bang = ref.lastIndex(of: "!") else { throw ReadError("not a sheet reference: \(ref)") }
        var sheet = String(ref[..<bang])
        if sheet.hasPrefix("'") { sheet = String(sheet.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'") }
        let cells = ref[ref.index(after: bang)...].replacingOccurrences(of: "$", with: "").split(separator: ":").map(String.init)
        return (sheet, cells[0], cells.count > 1 ? cells[1] : cells[0])
    }

    /// "C12" → ("C", 12).
    public static func parse(_ a1: String) -> (String, Int) {
        let letters = a1.prefix { $0.isLetter }
        return (String(letters), Int(a1.dropFirst(letters.count))!)
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
        public init(_ d: String) { description = d }
    }
}

extension XMLNode {
    /// Every element below this node with the given local name (namespace prefixes ignored).
    public func descendants(_ name: String) -> [XMLElement] {
        var out: [XMLElement] = []
        func walk(_ n: XMLNode) {
            for child in n.children ?? [] {
                if let e = child as? XMLElement, (e.localName ?? e.name) == name { out.append(e) }
                walk(child)
            }
        }
        walk(self)
        return out
    }
}

extension XMLElement {
    /// An attribute's value by (local) name; FoundationXML's `attribute(forName:)` misses
    /// attributes of elements in a default namespace.
    public func attr(_ name: String) -> String? {
        attributes?.first { ($0.localName ?? $0.name) == name || $0.name == name }?.stringValue
    }
}
