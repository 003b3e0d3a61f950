import Foundation
import XCTest
import MixData

/// Inputs that used to crash, hang or pass silently (issue 19), refused or handled at the library
/// level: alias keys in YAML, FIFOs, sizes beyond `Limits`, priors outside their parameter's
/// domain, totals beyond Int64, and spend typos 1000× the column's median.
final class HardenedInputTests: XCTestCase {
    static let config = """
    data:
      file: data.csv
      date_column: date
      target: sales
      channels: [tv, search]
    """

    func message(_ body: () throws -> Void) -> String {
        TestSupport.inputError(body)?.description ?? ""
    }

    // MARK: YAML

    /// Ten keys per level, each a flow list holding an alias of the level below: before the
    /// check, the YAML library's duplicate-key test expanded 10^levels nodes.
    static func aliasKeyBomb(levels: Int) -> String {
        var lines = ["l0: &l0 [a, b, c, d, e, f, g, h, i, j]"]
        for k in 1...levels {
            lines.append("l\(k): &l\(k) {" + (0..<10).map { "[*l\(k - 1), \($0)]: \($0)" }.joined(separator: ", ") + "}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func testAliasesAsKeysAreRefusedBeforeParsingAndFast() {
        let started = Date()
        let text = message { _ = try ConfigLoader.parse(yaml: Self.config + "\n" + Self.aliasKeyBomb(levels: 12), path: "bomb.yaml") }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "refused by a linear scan, before the parser")
        XCTAssertTrue(text.contains("bomb.yaml") && text.contains("alias (*name) as a mapping key at line 7"), text)
        // A quote inside a plain scalar is text, not the start of a quoted scalar hiding the keys
        // after it (a mutation the fuzzer found: `[a, d' e, f]` then aliases as keys).
        let quoted = Self.aliasKeyBomb(levels: 12).replacingOccurrences(of: "d, e", with: "d' e")
        XCTAssertTrue(message { _ = try ConfigLoader.parse(yaml: quoted, path: "q.yaml") }.contains("as a mapping key at line 2"))
        for key in ["*a : 1", "? *a\n: 1", "{*a : 1}", "[[*a]]: 1", "{[x, *a]: 1}"] {
            let yaml = "x: &a [1]\ny:\n  " + key.replacingOccurrences(of: "\n", with: "\n  ") + "\n"
            XCTAssertTrue(message { _ = try ConfigLoader.parse(yaml: yaml, path: "k.yaml") }.contains("as a mapping key at line 3"), key)
        }
    }

    func testAliasesAsValuesQuotesCommentsAndBlockTextAreAccepted() throws {
        let yaml = """
        lists:
          - &channels [tv, search]
        data:
          file: data.csv
          date_column: "*date: x"
          target: sales # *not: a key
          channels: *channels
        report:
          currency: |
            *text: inside a block scalar
            [*a]: also text
        """
        // Refused only for its unknown section, not for an alias.
        let text = message { _ = try ConfigLoader.parse(yaml: yaml, path: "v.yaml") }
        XCTAssertTrue(text.contains("key \"lists\"") && text.contains("not a known key"), text)
        let plain = Self.config + "\nsampler:\n  draws: 200\n"
        XCTAssertEqual(try ConfigLoader.parse(yaml: plain, path: "ok.yaml").sampler.draws, 200)
    }

    // MARK: Files that are not regular files

    func testAFIFOIsRefusedWithoutWaitingForAWriter() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("data.csv").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let started = Date()
        let csv = message { _ = try CSVReader(path: fifo) }
        XCTAssertTrue(csv.contains("cannot be read as the data file: it is a named pipe (FIFO), not a regular file"), csv)
        let yaml = message { _ = try ConfigLoader.load(path: fifo) }
        XCTAssertTrue(yaml.contains("cannot be read as the config file: it is a named pipe (FIFO)"), yaml)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
    }

    // MARK: Limits

    func testSamplerAndHorizonLimits() {
        func refusal(_ extra: String) -> String { message { _ = try ConfigLoader.parse(yaml: Self.config + "\n" + extra, path: "c.yaml") } }
        XCTAssertTrue(refusal("sampler:\n  draws: 1000000000\n").contains("key \"sampler.draws\": expected a whole number from 1 to 100000, found 1000000000"))
        XCTAssertTrue(refusal("sampler:\n  draws: 9223372036854775807\n").contains("sampler.draws"))
        XCTAssertTrue(refusal("sampler:\n  warmup: 1000000000000\n").contains("from 0 to 100000"))
        XCTAssertTrue(refusal("sampler:\n  chains: 100\n  draws: 20000\n").contains("asks for 100 chains × 20,000 draws; at most 1,000,000"))
        XCTAssertTrue(refusal("optimizer:\n  periods: 1000000000\n").contains("key \"optimizer.periods\": expected a whole number from 1 to 1000"))
        let long = String(repeating: "s", count: 4_000)
        XCTAssertTrue(message { _ = try ConfigLoader.parse(yaml: Self.config.replacingOccurrences(of: "target: sales", with: "target: " + long), path: "c.yaml") }
            .contains("is a name of 4,000 characters; column names may have at most 255"))
        // The edges are accepted.
        XCTAssertNoThrow(try ConfigLoader.parse(yaml: Self.config + "\nsampler:\n  chains: 10\n  draws: 100000\noptimizer:\n  periods: 1000\n", path: "c.yaml"))
    }

    /// The fuzzer's last finding: 131 KB of line breaks inside a config value took seconds, as
    /// every error message quoting the value was built one character at a time (quadratic).
    /// Configs are bounded (`Limits.configBytes`), every value and key too
    /// (`Limits.configValueLength`), and a long value is never quoted back.
    func testLargeConfigsAndLongValuesAreRefusedWithoutQuotingThem() throws {
        let newlines = String(repeating: "\n", count: 131_072)
        let big = message { _ = try ConfigLoader.parse(data: Data(("model:\n  priors:\n    intercept: Normal(0," + newlines + "     2)\n").utf8), path: "big.yaml") }
        XCTAssertTrue(big.hasPrefix("big.yaml: is larger than 65,536 bytes, the most a config file may have."), big)
        XCTAssertEqual(Limits.configBytes, 65_536)
        // Just under the file limit: a prior, a data path and a key of ~60,000 characters.
        let fill = String(repeating: "\n", count: 60_000)
        for (yaml, key) in [("model:\n  priors:\n    intercept: Normal(0," + fill + "     2)\n", "model.priors.intercept"),
                            (Self.config.replacingOccurrences(of: "file: data.csv", with: "file: x" + fill + "   y"), "data.file"),
                            (Self.config + "\nsampler:\n  ? " + String(repeating: "k", count: 60_000) + "\n  : 1\n", "sampler")] {
            let text = message { _ = try ConfigLoader.parse(data: Data(yaml.utf8), path: "c.yaml") }
            XCTAssertTrue(text.hasPrefix("c.yaml, key \"\(key)\": "), String(text.prefix(300)))
            XCTAssertTrue(text.contains("characters; a config " + (key == "sampler" ? "key" : "value") + " has at most 4,096"), String(text.prefix(300)))
            XCTAssertLessThan(text.count, 400, "the value is not quoted back")
        }
        // The limits' edges are accepted: a value of 4,096 characters, a file of 65,536 bytes.
        let edge = Self.config.replacingOccurrences(of: "file: data.csv", with: "file: " + String(repeating: "d", count: 4_096))
        XCTAssertNoThrow(try ConfigLoader.parse(data: Data(edge.utf8), path: "c.yaml"))
        let padded = Self.config + "\n" + String(repeating: "#", count: 65_536 - Self.config.utf8.count - 2) + "\n"
        XCTAssertEqual(padded.utf8.count, 65_536)
        XCTAssertNoThrow(try ConfigLoader.parse(data: Data(padded.utf8), path: "c.yaml"))
        // Line breaks and control characters in any message are escaped (and the escaping is
        // linear: 200,000 of them, as a file name, print as one line of 400,000 escapes).
        let error = InputError(InputLocation(file: String(repeating: "\n", count: 200_000) + "\u{7}"), "is missing.")
        XCTAssertEqual(error.description, String(repeating: "\\n", count: 200_000) + "\\u{7}: is missing.")
    }

    /// The fuzzer's finding this session: a CSV header of 16 KB column names spent over a CPU
    /// second computing "did you mean" (edit distance costs the product of the lengths). Names
    /// longer than any column may be are neither suggested nor given a suggestion.
    func testSuggestionsSkipNamesLongerThanAnyColumnMayBe() {
        let long = String(repeating: "a", count: 20_000)
        XCTAssertNil(NameSuggestion.nearest(to: long, in: [long + "b"]))
        XCTAssertNil(NameSuggestion.nearest(to: "s" + String(repeating: "x", count: Limits.nameLength), in: ["s"]))
        XCTAssertEqual(NameSuggestion.nearest(to: "slaes", in: [long, "sales"]), "sales")
        let edge = String(repeating: "b", count: Limits.nameLength)
        XCTAssertEqual(NameSuggestion.nearest(to: edge + "", in: [String(edge.dropLast()) + "c"]), String(edge.dropLast()) + "c")
    }

    // MARK: Priors outside their parameter's domain

    func testPriorsMustStayInsideTheParametersDomain() throws {
        func prior(_ key: String, _ text: String) -> String {
            message { _ = try ConfigLoader.parse(yaml: Self.config + "\nmodel:\n  priors:\n    \(key): \(text)\n", path: "c.yaml") }
        }
        let alpha = prior("adstock_alpha", "Uniform(-5, 5)")
        XCTAssertTrue(alpha.contains("key \"model.priors.adstock_alpha\": the prior \"Uniform(-5, 5)\" puts mass on -5 … 5, but adstock_alpha must be between 0 and 1"), alpha)
        XCTAssertTrue(prior("saturation_lambda", "Normal(1, 1)").contains("must be > 0"))
        XCTAssertTrue(prior("sigma", "TruncatedNormal(0, 1, -1, 3)").contains("must be > 0"))
        for (key, text) in [("adstock_alpha", "Beta(2, 2)"), ("adstock_alpha", "Uniform(0, 1)"), ("saturation_lambda", "Gamma(mu=2, sigma=1)"),
                            ("intercept", "Normal(0, 5)"), ("gamma_control", "Laplace(0, 1)"), ("sigma", "TruncatedNormal(0, 1, 0, 10)")] {
            XCTAssertNoThrow(try ConfigLoader.parse(yaml: Self.config + "\nmodel:\n  priors:\n    \(key): \(text)\n", path: "c.yaml"), "\(key): \(text)")
        }
    }

    // MARK: Data beyond Int64, and typos

    func dataset(tv: [Double]) -> Dataset {
        let n = tv.count
        let dates = (0..<n).map { CalendarDate(year: 2023, month: 1, day: 2)!.adding(days: 7 * $0) }
        return Dataset(dates: dates, frequency: .weekly, channelNames: ["tv", "search"],
                       spend: [tv, (0..<n).map { 500 + Double($0) }], controlNames: [], controls: [],
                       targetName: "sales", target: (0..<n).map { 20_000 + Double($0 % 7) * 100 }, source: "data.csv")
    }

    func testSummaryOfTotalsBeyondInt64AndBeyondDouble() {
        let big = DataSummary(dataset(tv: Array(repeating: 2e17, count: 60)))
        XCTAssertEqual(big.channels[0].total, 1.2e19)
        XCTAssertTrue(big.render().contains("1.2e+19"), big.render())
        // Cells near the largest Double: the total overflows to ∞, the shares stay exact.
        let huge = DataSummary(dataset(tv: Array(repeating: 1e307, count: 60)))
        XCTAssertEqual(huge.channels[0].total, .infinity)
        XCTAssertEqual(huge.channels.map(\.share).reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(huge.channels[0].share, 1, accuracy: 1e-12)
        XCTAssertTrue(huge.render().contains("inf"))
    }

    func testASpendTypo1000TimesTheMedianIsWarnedWithItsDate() {
        var tv = (0..<60).map { 1000 + Double($0 * 37 % 400) }
        XCTAssertTrue(DataValidation.warnings(dataset(tv: tv)).filter { $0.message.contains("median") }.isEmpty)
        tv[30] = 1e15
        let warnings = DataValidation.warnings(dataset(tv: tv)).filter { $0.message.contains("median") }
        XCTAssertEqual(warnings.count, 1)
        XCTAssertEqual(warnings.first?.location.column, "tv")
        XCTAssertTrue(warnings.first?.message.contains("in the period of 2023-07-31 (1e+15)") ?? false, "\(warnings)")
        // Just below the factor: no warning (the median is the same while the cell stays the largest).
        let sorted = tv.sorted()
        tv[30] = 999 * (sorted[29] + sorted[30]) / 2
        XCTAssertTrue(DataValidation.warnings(dataset(tv: tv)).filter { $0.message.contains("median") }.isEmpty)
    }
}
