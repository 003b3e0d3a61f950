import MixTestSupport
import XCTest
import MixReport

/// Templates: the bundled copies equal Templates/, user folders are honoured, broken or missing
/// templates give errors naming the file, and data is escaped for each format.
final class ReportTemplateTests: XCTestCase {
    let results = ReportTestModel.results

    func testBundledTemplatesEqualTheFilesInTemplates() throws {
        let folder = Fixtures.packageRoot.appendingPathComponent("Templates")
        let md = try String(contentsOf: folder.appendingPathComponent(ReportWriter.markdownTemplateName), encoding: .utf8)
        let html = try String(contentsOf: folder.appendingPathComponent(ReportWriter.htmlTemplateName), encoding: .utf8)
        XCTAssertEqual(BundledTemplates.markdown, md, "Templates/report.md.mustache and BundledTemplates.markdown must be identical (run Tests/Fixtures/report/embed-templates.py)")
        XCTAssertEqual(BundledTemplates.html, html, "Templates/report.html.mustache and BundledTemplates.html must be identical (run Tests/Fixtures/report/embed-templates.py)")
    }

    /// Rendering from the Templates/ folder gives the same bytes as the bundled copies.
    func testTemplatesFolderRendersLikeTheBundledCopies() throws {
        let folder = Fixtures.packageRoot.appendingPathComponent("Templates")
        let fromFiles = try ReportWriter(templatesDirectory: folder).render(results, previous: nil, chartFiles: ["roas.png"])
        let bundled = try ReportWriter(templatesDirectory: nil).render(results, previous: nil, chartFiles: ["roas.png"])
        XCTAssertEqual(fromFiles.markdown, bundled.markdown)
        XCTAssertEqual(fromFiles.html, bundled.html)
    }

    /// A user's own templates are used, and other templates of the folder work as partials.
    func testUserTemplatesAndPartials() throws {
        let folder = ReportTestModel.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{{% CONTENT_TYPE: MARKDOWN }}\nSales report for {{target}}:\n{{#channels}}{{> line}}{{/channels}}"
            .write(to: folder.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
        try "<p>{{recommendation.probabilityBetter}}</p>".write(to: folder.appendingPathComponent("report.html.mustache"), atomically: true, encoding: .utf8)
        try "- {{name}}: {{roas}}\n".write(to: folder.appendingPathComponent("line.mustache"), atomically: true, encoding: .utf8)
        let out = try ReportWriter(templatesDirectory: folder).render(results, previous: nil, chartFiles: [])
        let expected = "Sales report for sales:\n" + results.quantities.channels.map { "- \($0.name): \(ReportFormat.ratioInterval($0.roas))\n" }.joined()
        XCTAssertEqual(out.markdown, expected)
        let probability = ReportFormat.probability(results.optimization!.plan.probabilityBetter)
        XCTAssertEqual(out.html, "<p>\(probability.replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "<", with: "&lt;"))</p>")
    }

    func testMissingTemplateNamesTheFile() throws {
        let folder = ReportTestModel.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{{title}}".write(to: folder.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReportWriter(templatesDirectory: folder)) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.file, folder.appendingPathComponent("report.html.mustache").path)
            XCTAssertTrue(e?.description.contains("is missing") ?? false, "\(error)")
        }
        XCTAssertThrowsError(try ReportWriter(templatesDirectory: folder.appendingPathComponent("nope"))) { error in
            XCTAssertTrue((error as? InputError)?.description.contains("is not a folder of report templates") ?? false, "\(error)")
        }
    }

    func testUnreadableTemplateNamesTheFile() throws {
        let folder = ReportTestModel.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{{title}}".write(to: folder.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
        // A folder where the file should be cannot be read as a template, even as root.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("report.html.mustache"), withIntermediateDirectories: false)
        XCTAssertThrowsError(try ReportWriter(templatesDirectory: folder)) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.file, folder.appendingPathComponent("report.html.mustache").path)
            XCTAssertTrue(e?.message.contains("cannot be read") ?? false, "\(error)")
        }
        // Bytes that are not UTF-8.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("report.html.mustache"))
        try Data([0x3C, 0x70, 0xFF, 0xFE, 0x3E]).write(to: folder.appendingPathComponent("report.html.mustache"))
        XCTAssertThrowsError(try ReportWriter(templatesDirectory: folder)) { error in
            XCTAssertTrue((error as? InputError)?.message.contains("is not UTF-8") ?? false, "\(error)")
        }
    }

    /// Syntax errors name the file, the line and the column, and say what is wrong.
    func testSyntaxErrorsNameFileAndLine() throws {
        let cases: [(String, Int, String)] = [
            ("# {{title}}\n\n{{#channels}}\n- {{name}}\n{{/recommendation}}\n", 5, "does not match the section"),
            ("# {{title}}\nline two\n{{#channels}}\n- {{name}}\n", 5, "is never closed"),
            ("# {{title}}\n{{% CONTENT_TYPE: PDF }}\n", 2, "unknown pragma"),
            ("# {{title}\n", 1, "not finished"),
        ]
        for (text, line, phrase) in cases {
            let folder = ReportTestModel.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try text.write(to: folder.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
            try "<p>{{title}}</p>".write(to: folder.appendingPathComponent("report.html.mustache"), atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try ReportWriter(templatesDirectory: folder), text) { error in
                guard let e = error as? InputError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.location.file, folder.appendingPathComponent("report.md.mustache").path)
                XCTAssertTrue(e.message.hasPrefix("Mustache syntax error at line \(line),"), e.description)
                XCTAssertTrue(e.message.contains(phrase), e.description)
            }
        }
    }

    /// Data is text: a channel named like markup stays literal in both formats.
    func testChannelNamesAreEscaped() throws {
        var r = results
        let evil = "<script>alert('x')</script> | *bold* & [link](http://x)"
        r.quantities.channels[0].name = evil
        r.optimization!.plan.channels[0].channel = evil
        r.warnings = ["Column \"<b>x</b>\" looks odd.", "ESS 21 < 400"]
        let (md, html) = try ReportWriter(templatesDirectory: nil).render(r, previous: nil, chartFiles: [])
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertFalse(html.contains("<b>x</b>"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; | *bold* &amp; [link](http://x)"))
        XCTAssertTrue(html.contains("Column &quot;&lt;b&gt;x&lt;/b&gt;&quot; looks odd."))
        let escaped = #"\<script>alert('x')\</script> \| \*bold\* \& \[link\](http://x)"#
        XCTAssertTrue(md.contains("| \(escaped) |"), md)
        XCTAssertTrue(md.contains("- Column \"\\<b>x\\</b>\" looks odd.\n- ESS 21 < 400\n"), "a < before a space is left readable")
        XCTAssertNil(md.range(of: #"(^|[^\\])<[A-Za-z/!?]"#, options: .regularExpression), "every < that could open a tag is escaped")
        // The table still has six cells per row: the `|` in the name did not split it.
        XCTAssertEqual(markdownTable(after: "## Channels", in: md).first?.count, 6)
        XCTAssertEqual(markdownTable(after: "## Channels", in: md).first?.first, escaped)
    }

    func testChartNamesMustBePlainFileNames() throws {
        let writer = try ReportWriter(templatesDirectory: nil)
        XCTAssertThrowsError(try writer.render(results, previous: nil, chartFiles: ["../secret.png"])) { error in
            XCTAssertTrue((error as? InputError)?.message.contains("is not a plain chart file name") ?? false, "\(error)")
        }
        let (md, html) = try writer.render(results, previous: nil, chartFiles: ["my chart.png"])
        XCTAssertTrue(md.contains("![My chart](charts/my%20chart.png)"))
        XCTAssertTrue(html.contains("<img src=\"charts/my%20chart.png\" alt=\"My chart\">"))
    }
}
