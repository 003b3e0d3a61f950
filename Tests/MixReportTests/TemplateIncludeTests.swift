import XCTest
import MixReport

/// Report templates that include each other in a cycle would recurse until the stack overflows;
/// they are refused when loaded, naming the file and the cycle. Includes without a cycle work.
final class TemplateIncludeTests: XCTestCase {
    func folder(_ files: [String: String]) throws -> URL {
        let folder = ReportTestModel.temporaryFolder()
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        var all = ["report.html.mustache": "<p>{{target}}</p>", "report.md.mustache": "# {{target}}"]
        for (name, text) in files { all[name] = text }
        for (name, text) in all { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }

    func refusal(_ files: [String: String]) throws -> String {
        let dir = try folder(files)
        do {
            _ = try ReportWriter(templatesDirectory: dir)
            return ""
        } catch let error as InputError {
            return "\(error)"
        }
    }

    func testATemplateIncludingItselfIsRefused() throws {
        let text = try refusal(["report.md.mustache": "# Report\n{{> report.md}}\n"])
        XCTAssertTrue(text.contains("report.md.mustache") && text.contains("includes itself ({{> report.md}})"), text)
    }

    func testPartialsIncludingEachOtherAreRefusedWhateverTheDelimiters() throws {
        let text = try refusal(["report.md.mustache": "{{> footer}}", "footer.mustache": "see {{> legal }}",
                                "legal.mustache": "{{=<% %>=}}<%#a%>and <%> footer%><%/a%>"])
        XCTAssertTrue(text.contains("footer.mustache") && text.contains("cycle of includes (footer → legal → footer)"), text)
        // A parent with blocks counts too.
        let parent = try refusal(["report.html.mustache": "{{<frame}}{{$body}}x{{/body}}{{/frame}}", "frame.mustache": "{{> report.html}}"])
        XCTAssertTrue(parent.contains("cycle of includes"), parent)
    }

    func testIncludesWithoutACycleRender() throws {
        let dir = try folder(["report.md.mustache": "{{> a}}{{> a}}", "a.mustache": "[{{> b}}]", "b.mustache": "{{target}}"])
        let out = try ReportWriter(templatesDirectory: dir).render(ReportTestModel.results, previous: nil, chartFiles: [])
        XCTAssertEqual(out.markdown, "[sales][sales]")
    }
}
