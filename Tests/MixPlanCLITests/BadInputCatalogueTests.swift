import MixTestSupport
import Foundation
import XCTest

/// Runs the built `mixplan` on every case of the bad-input catalogue (Tests/Fixtures/bad-input,
/// written by make_cases.py there) and checks what a user or a cron job would see: the documented
/// exit code, one error paragraph naming where (file, row, column, key or flag) and what, nothing
/// on stdout, no crash, and no file left behind in the folder it ran in.
final class BadInputCatalogueTests: XCTestCase {
    /// One catalogue entry, read from its `case.txt`.
    struct Case {
        var name: String
        var folder: URL
        var about = ""
        var arguments: [String] = []
        var exitCode: Int32 = -1
        var expect: [String] = []
        var stdout: [String] = []
        var generate: [(file: String, kind: String)] = []
    }

    static var catalogue: URL { Fixtures.url("bad-input") }

    /// Seconds a case may run: every case is refused or checked within a few seconds, so a case
    /// still running after this hangs (as a FIFO or an alias bomb did before they were refused).
    static let timeLimit = 60.0

    /// A proleptic Gregorian day, for writing long daily series without Foundation's calendar.
    struct CalendarDay {
        var year: Int, month = 1, day = 1
        var iso: String { String(format: "%04d-%02d-%02d", year, month, day) }
        mutating func advance() {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            day += 1
            if day > length { day = 1; month += 1 }
            if month > 12 { month = 1; year += 1 }
        }
    }

    static func loadCases() throws -> [Case] {
        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: catalogue.path).sorted()
        return try names.compactMap { name in
            let folder = catalogue.appendingPathComponent(name)
            let manifest = folder.appendingPathComponent("case.txt")
            guard fm.fileExists(atPath: manifest.path) else { return nil }
            var c = Case(name: name, folder: folder)
            for line in try String(contentsOf: manifest, encoding: .utf8).split(separator: "\n") {
                guard let colon = line.range(of: ": ") else { continue }
                let key = String(line[..<colon.lowerBound]), value = String(line[colon.upperBound...])
                switch key {
                case "about": c.about = value
                case "args":
                    c.arguments = value.split(separator: " ").map {
                        $0.replacingOccurrences(of: "{model}", with: catalogue.appendingPathComponent("model-2ch").path)
                    }
                case "exit": c.exitCode = Int32(value) ?? -1
                case "expect": c.expect.append(value)
                case "stdout": c.stdout.append(value)
                case "generate":
                    let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                    c.generate.append((parts[0], parts.count > 1 ? parts[1] : ""))
                default: XCTFail("\(name)/case.txt: unknown key \"\(key)\"")
                }
            }
            return c
        }
    }

    /// Every file and folder under `root` (hidden ones included), relative to it.
    static func listing(_ root: URL) -> [String] {
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: root.path) else { return [] }
        return (e.allObjects as? [String] ?? []).sorted()
    }

    /// Files too big to commit, written by the test.
    static func generate(_ kind: String, at url: URL) throws {
        switch kind {
        case "huge-line":
            // A header, then one 10 MiB line with no line break: the reader must refuse it
            // after its per-row limit (1 MiB) rather than buffer the whole file.
            var data = Data("date,tv,search,price,sales\n2023-01-02,".utf8)
            data.append(Data(repeating: UInt8(ascii: "1"), count: 10 << 20))
            data.append(Data("\n".utf8))
            try data.write(to: url)
        case "fifo":
            // A named pipe nobody writes: reading it would wait forever.
            guard mkfifo(url.path, 0o644) == 0 else { throw CocoaError(.fileWriteUnknown) }
        case "million-daily-rows":
            // A million days of data, far beyond the row limit (Limits.periods).
            var text = "date,tv,search,price,sales\n"
            text.reserveCapacity(40 << 20)
            var day = CalendarDay(year: 1900)
            for i in 0..<1_000_000 {
                text += "\(day.iso),\(1000 + i % 97),\(500 + i % 89),10,\(20000 + i % 1013)\n"
                day.advance()
            }
            try Data(text.utf8).write(to: url)
        default:
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "unknown generator \(kind)"])
        }
    }

    func testCatalogueCoversEveryKindOfInput() throws {
        let cases = try Self.loadCases()
        XCTAssertGreaterThanOrEqual(cases.count, 30)
        for prefix in ["csv-", "yaml-", "cli-", "plan-", "bounds-"] {
            XCTAssertGreaterThanOrEqual(cases.filter { $0.name.hasPrefix(prefix) }.count, 2, prefix)
        }
        for c in cases {
            XCTAssertFalse(c.arguments.isEmpty, "\(c.name): no args")
            XCTAssertFalse(c.about.isEmpty, "\(c.name): no about")
            XCTAssertTrue(c.exitCode == 0 ? !c.stdout.isEmpty : !c.expect.isEmpty, "\(c.name): nothing to check")
        }
    }

    func testEveryCaseFailsCleanly() throws {
        let cases = try Self.loadCases()
        XCTAssertFalse(cases.isEmpty)
        for c in cases {
            try check(c)
        }
    }

    private func check(_ c: Case) throws {
        let fm = FileManager.default
        let work = try MixPlanProcess.temporaryDirectory(for: self).appendingPathComponent("case")
        try fm.copyItem(at: c.folder, to: work)
        for (file, kind) in c.generate { try Self.generate(kind, at: work.appendingPathComponent(file)) }
        let before = Self.listing(work)

        let r = try MixPlanProcess.run(c.arguments, in: work, timeLimit: Self.timeLimit)
        let label = "\(c.name) (\(c.about)): mixplan \(c.arguments.joined(separator: " "))\nstderr: \(r.stderr)\nstdout: \(r.stdout)"
        XCTAssertFalse(r.timedOut, "ran longer than \(Self.timeLimit) s (a hang) — \(label)")

        XCTAssertEqual(r.status, c.exitCode, label)
        XCTAssertFalse(r.stderr.contains("internal error") || r.stderr.contains("Fatal error"), label)
        XCTAssertEqual(Self.listing(work), before, "output left behind — \(label)")
        for phrase in c.stdout { XCTAssertTrue(r.stdout.contains(phrase), "stdout lacks \"\(phrase)\" — \(label)") }
        guard c.exitCode != 0 else { return }

        // Nothing half-done on stdout; the error is one paragraph (a single line) on stderr.
        // Usage errors found by the argument parser add its Help/Usage lines after that line.
        XCTAssertEqual(r.stdout, "", label)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        let paragraph = String(lines.first ?? "")
        if paragraph.hasPrefix("Error: ") {
            XCTAssertTrue(lines.dropFirst().allSatisfy { $0.isEmpty || $0.hasPrefix("Help:") || $0.hasPrefix("Usage:") || $0.hasPrefix("  ") }, label)
        } else {
            XCTAssertTrue(paragraph.hasPrefix("error: "), label)
            XCTAssertEqual(r.stderr, paragraph + "\n", "more than one line — \(label)")
        }
        for phrase in c.expect {
            XCTAssertTrue(paragraph.contains(phrase), "message lacks \"\(phrase)\" — \(label)")
        }
    }
}
