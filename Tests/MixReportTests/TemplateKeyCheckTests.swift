import MixTestSupport
import Foundation
import XCTest
import MixReport

/// A report template may use only names the report provides: the list the check uses is the
/// context's real field tree, the bundled templates pass, and a user's misspelt name stops the
/// load with the file, line, name and the nearest known name (issue 19: unknown keys rendered blank).
final class TemplateKeyCheckTests: XCTestCase {
    /// A context in which every optional section is set and every list holds an element: the
    /// unconverged test fit (so the verdict has reasons), a previous run, a backtest, lift tests
    /// and every chart.
    static func fullContext() throws -> ReportContext {
        var results = ReportTestModel.withConvergence(false)
        let metrics = #"{"r2": 0.9, "mape": 0.05, "nrmse": 0.1, "periods": 50}"#
        results.backtest = try JSONDecoder().decode(Backtest.self, from: Data(#"""
            {"heldOut": 8, "inSample": \#(metrics), "outOfSample": \#(metrics), "warmup": 100, "draws": 100, "seconds": 1.5}
            """#.utf8))
        let charts = ["allocation.png", "frontier.png", "contributions.png", "waterfall.png", "roas.png", "response-curves.png",
                      "response-overlay.png", "actual-vs-fitted.png", "diagnostics.png", "adstock.png", "saturation.png",
                      "media-multiplier.png", "calibration.png", "extra.png"]
        var previous = ReportSnapshot(results)
        previous.periodEnd = results.model.trainingData.dates[results.model.trainingData.periodCount - 2].description
        var context = ReportContext(results, previous: previous, chartFiles: charts)
        context.calibration = ReportContext(ReportCalibrationTests.results, previous: nil, chartFiles: []).calibration
        for i in context.evidence.channels.indices where context.evidence.channels[i].findings.isEmpty {
            context.evidence.channels[i].findings = context.trust.reasons
        }
        if context.changes?.notes.isEmpty == true { context.changes?.notes = ["a note"] }
        return context
    }

    /// Field paths of `value` by reflection, as `ReportKeys` writes them; `incomplete` collects
    /// the paths below which nothing could be seen (a nil optional or an empty list of records).
    static func paths(of value: Any, prefix: String = "", incomplete: inout [String]) -> [String] {
        var out: [String] = []
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            var item = child.value
            let typeName = String(describing: type(of: item))
            let mirror = Mirror(reflecting: item)
            if mirror.displayStyle == .optional {
                guard let wrapped = mirror.children.first?.value else {
                    if !isScalar(typeName) { incomplete.append(prefix + label) }
                    out.append(prefix + label)
                    continue
                }
                item = wrapped
            }
            let inner = Mirror(reflecting: item)
            if inner.displayStyle == .collection {
                let path = prefix + label + "[]"
                out.append(path)
                if let first = inner.children.first?.value {
                    if Mirror(reflecting: first).displayStyle == .struct {
                        out += paths(of: first, prefix: path + ".", incomplete: &incomplete)
                    }
                } else if !isScalar(typeName) {
                    incomplete.append(path)
                }
            } else {
                out.append(prefix + label)
                if inner.displayStyle == .struct { out += paths(of: item, prefix: prefix + label + ".", incomplete: &incomplete) }
            }
        }
        return out
    }

    static func isScalar(_ typeName: String) -> Bool {
        ["String", "Bool", "Int", "Double"].contains { typeName.contains("<\($0)>") || typeName == $0 }
    }

    func testKeyListIsTheContextsFieldTree() throws {
        var incomplete: [String] = []
        let actual = Self.paths(of: try Self.fullContext(), incomplete: &incomplete)
        XCTAssertEqual(incomplete, [], "the full context must set every section, or the list cannot be checked")
        XCTAssertEqual(ReportKeys.paths, actual,
                       "ReportKeys.paths is out of date; replace it with:\n" + actual.joined(separator: "\n"))
    }

    func testBundledTemplatesUseOnlyKnownNames() throws {
        for (text, name) in [(BundledTemplates.markdown, "report.md"), (BundledTemplates.html, "report.html")] {
            XCTAssertNoThrow(try TemplateKeyCheck.check(text, file: name, partials: [:], partialFile: { $0 }), name)
            // The check is not vacuous: the templates use dozens of names, nested three deep.
            let tags = try NSRegularExpression(pattern: #"\{\{[#^]?[A-Za-z.]+\}\}"#).numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
            XCTAssertGreaterThan(tags, 100, name)
            XCTAssertTrue(text.contains("{{confidence.inSample.r2}}"), name)
        }
        // The loader runs the same check on the bundled templates.
        XCTAssertNoThrow(try ReportWriter(templatesDirectory: nil))
    }

    func error(_ template: String, partials: [String: String] = [:]) -> String? {
        do {
            try TemplateKeyCheck.check(template, file: "my/report.md.mustache", partials: partials,
                                       partialFile: { "my/\($0).mustache" })
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testMisspeltNamesAreRefusedWithFileLineAndSuggestion() throws {
        let top = try XCTUnwrap(error("# {{title}}\n\nBudget: {{recomendation.budget}}\n"))
        XCTAssertTrue(top.hasPrefix("my/report.md.mustache, key \"recomendation.budget\": line 3:"), top)
        XCTAssertTrue(top.contains("Did you mean \"recommendation.budget\"?"), top)
        XCTAssertTrue(top.contains("would render as nothing"), top)

        let inner = try XCTUnwrap(error("{{#recommendation}}\n{{bugdet}}\n{{/recommendation}}\n"))
        XCTAssertTrue(inner.contains("line 2: {{bugdet}}"), inner)
        XCTAssertTrue(inner.contains("Did you mean \"budget\"?"), inner)

        let nested = try XCTUnwrap(error("{{confidence.inSample.rr2}}"))
        XCTAssertTrue(nested.contains("names \"rr2\" in \"confidence.inSample.rr2\""), nested)
        XCTAssertTrue(nested.contains("Did you mean \"confidence.inSample.r2\"?"), nested)

        let section = try XCTUnwrap(error("{{#chanels}}{{name}}{{/chanels}}"))
        XCTAssertTrue(section.contains("{{#chanels}}") && section.contains("Did you mean \"channels\"?"), section)
        let inverted = try XCTUnwrap(error("{{^convreged}}not converged{{/convreged}}"))
        XCTAssertTrue(inverted.contains("Did you mean \"converged\"?"), inverted)
        // A name far from every known one gets no suggestion, still an error.
        let far = try XCTUnwrap(error("{{zzzzzzzz}}"))
        XCTAssertFalse(far.contains("Did you mean"), far)
        // A channel's field is not visible outside the channels section.
        XCTAssertNotNil(error("{{marginalRoas}}"))
    }

    func testNamesResolveAsTheRendererResolvesThem() {
        // Inner fields, outer names inside a section, the current item, list positions,
        // transforms, a leading dot, set delimiters and comments.
        XCTAssertNil(error("{{#channels}}{{name}} {{target}} {{index()}}{{#first()}}!{{/first()}}{{/channels}}"))
        XCTAssertNil(error("{{#warnings}}- {{.}}\n{{/warnings}}{{#period.holdoutText}}{{.}}{{/period.holdoutText}}"))
        XCTAssertNil(error("{{#recommendation}}{{#channels}}{{.name}} {{currentSpend}}{{/channels}}{{/recommendation}}"))
        XCTAssertNil(error("{{uppercased(title)}} {{{target}}} {{& currency}} {{! {{nothing}} }}"))
        XCTAssertNil(error("{{=<% %>=}}<% title %> {{unknown}} <%={{ }}=%>{{target}}"))
        XCTAssertNotNil(error("{{#channels}}{{.target}}{{/channels}}"), "a leading dot looks only at the current item")
        XCTAssertNotNil(error("{{=<% %>=}}<% titel %>"))
    }

    func testPartialsAreCheckedWhereTheyAreIncluded() throws {
        XCTAssertNil(error("{{#channels}}{{> row}}{{/channels}}", partials: ["row": "| {{name}} | {{roas}} |\n"]))
        let inPartial = try XCTUnwrap(error("{{#channels}}{{> row}}{{/channels}}", partials: ["row": "\n| {{nmae}} |\n"]))
        XCTAssertTrue(inPartial.hasPrefix("my/row.mustache, key \"nmae\": line 2:"), inPartial)
        XCTAssertTrue(inPartial.contains("Did you mean \"name\"?"), inPartial)
        let missing = try XCTUnwrap(error("{{> footr}}", partials: ["footer": "x"]))
        XCTAssertTrue(missing.contains("includes the partial \"footr\"") && missing.contains("Did you mean \"footer\"?"), missing)
    }

    /// A template over `ReportWriter.maxTemplateBytes` is refused before it is parsed (the
    /// Mustache parser's time grows with the square of the length).
    func testATemplateBeyondTheSizeLimitIsRefused() throws {
        let folder = ReportTestModel.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertEqual(ReportWriter.maxTemplateBytes, 262_144)
        let line = "{{title}} " + String(repeating: "x", count: 89) + "\n"
        try String(repeating: line, count: 262_144 / 100 + 1).write(to: folder.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
        try "<p>{{title}}</p>\n".write(to: folder.appendingPathComponent("report.html.mustache"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReportWriter(templatesDirectory: folder)) { error in
            XCTAssertTrue("\(error)".contains("report.md.mustache: is larger than 262,144 bytes, the most a report template may have."), "\(error)")
        }
        try String(repeating: line, count: 262_144 / 100).write(to: folder.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
        XCTAssertNoThrow(try ReportWriter(templatesDirectory: folder))
    }

    /// Through the loader: a template folder with an unknown name is refused when loaded.
    func testWriterRefusesAFolderWithAnUnknownName() throws {
        let folder = ReportTestModel.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "# {{title}}\n{{#channels}}\n{{name}}: {{roas}}\n{{/channels}}\n".write(to: folder.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
        try "<p>{{trust.headlin}}</p>\n".write(to: folder.appendingPathComponent("report.html.mustache"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReportWriter(templatesDirectory: folder)) { error in
            XCTAssertTrue("\(error)".contains("report.html.mustache, key \"trust.headlin\": line 1"), "\(error)")
            XCTAssertTrue("\(error)".contains("Did you mean \"trust.headline\"?"), "\(error)")
        }
    }
}
