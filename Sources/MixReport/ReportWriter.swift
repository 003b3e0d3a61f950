import Foundation
import MixData
import MixOptimize
import Mustache

/// Renders the Markdown and HTML report from Mustache templates.
///
/// The templates are plain files a user can edit: `report.md.mustache` and
/// `report.html.mustache` in a folder (config `report.templates`), or the bundled copies of
/// `Templates/` compiled into the library. Every other `*.mustache` file of the folder is
/// available as a partial (`{{> name}}` for `name.mustache`). Templates see a `ReportContext`;
/// values are HTML-escaped in the HTML and Markdown-escaped in the Markdown (the bundled
/// Markdown template opens with `{{% CONTENT_TYPE: MARKDOWN }}`), so a channel named
/// `<script>` stays text.
public struct ReportWriter: Sendable {
    /// Bytes in one template file. The bundled HTML template is 17 KB; the Mustache parser's
    /// time grows with the square of a template's length (a 147 KB one took 0.15 s), so this
    /// bound keeps loading any template well under a second.
    public static let maxTemplateBytes = 256 << 10

    /// File names of the two templates.
    public static let markdownTemplateName = "report.md.mustache"
    public static let htmlTemplateName = "report.html.mustache"

    private let markdown: MustacheTemplate
    private let html: MustacheTemplate
    private let library: MustacheLibrary

    /// Loads and parses the templates of `templatesDirectory`, or the bundled ones when nil.
    /// A missing or unreadable template file, a Mustache syntax error, an include cycle, or a
    /// name the report does not provide (`TemplateKeyCheck`) is an `InputError` naming the file
    /// (and the line, and the column of a syntax error or the unknown name).
    public init(templatesDirectory: URL?) throws {
        MarkdownContentType.registerOnce()
        guard let directory = templatesDirectory else {
            markdown = try Self.parse(BundledTemplates.markdown, file: "bundled " + Self.markdownTemplateName)
            html = try Self.parse(BundledTemplates.html, file: "bundled " + Self.htmlTemplateName)
            for (text, name) in [(BundledTemplates.markdown, Self.markdownTemplateName), (BundledTemplates.html, Self.htmlTemplateName)] {
                try TemplateKeyCheck.check(text, file: "bundled " + name, partials: [:], partialFile: { $0 })
            }
            library = MustacheLibrary(templates: ["report.md": markdown, "report.html": html])
            return
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw InputError(InputLocation(file: directory.path, key: "report.templates"),
                             "is not a folder of report templates.",
                             hint: "Give a folder holding \(Self.markdownTemplateName) and \(Self.htmlTemplateName), or leave report.templates empty for the bundled templates.")
        }
        var templates: [String: MustacheTemplate] = [:]
        var texts: [String: String] = [:]
        for name in [Self.markdownTemplateName, Self.htmlTemplateName] {
            let url = directory.appendingPathComponent(name)
            texts[name] = try Self.read(url)
            templates[name] = try Self.parse(texts[name]!, file: url.path)
        }
        // Partials: any other template in the folder.
        let others = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in others.sorted() where name.hasSuffix(".mustache") && templates[name] == nil {
            let url = directory.appendingPathComponent(name)
            texts[name] = try Self.read(url)
            templates[name] = try Self.parse(texts[name]!, file: url.path)
        }
        try Self.checkIncludes(texts, directory: directory)
        let partials = Dictionary(uniqueKeysWithValues: texts.map { (String($0.key.dropLast(".mustache".count)), $0.value) })
        for name in [Self.markdownTemplateName, Self.htmlTemplateName] {
            try TemplateKeyCheck.check(texts[name]!, file: directory.appendingPathComponent(name).path, partials: partials,
                                       partialFile: { directory.appendingPathComponent($0 + ".mustache").path })
        }
        markdown = templates[Self.markdownTemplateName]!
        html = templates[Self.htmlTemplateName]!
        library = MustacheLibrary(templates: Dictionary(uniqueKeysWithValues: templates.map {
            (String($0.key.dropLast(".mustache".count)), $0.value)
        }))
    }

    /// Renders both reports. `previous` is last run's snapshot (adds "what changed");
    /// `chartFiles` are the PNG names written under `charts/` beside the report (e.g.
    /// "roas.png"); only those are shown. `images` (file name → PNG bytes) embeds those charts
    /// in the HTML as data URIs, so it can be sent alone; the Markdown always links them.
    public func render(_ results: PlanningResults, previous: ReportSnapshot?, chartFiles: [String],
                       images: [String: Data] = [:]) throws -> (markdown: String, html: String) {
        for file in chartFiles where file.isEmpty || file.contains("/") || file.contains("\\") || file.hasPrefix(".") {
            throw InputError(InputLocation(file: "charts/" + file), "is not a plain chart file name; charts are referenced as charts/<name>.png beside the report.")
        }
        let context = ReportContext(results, previous: previous, chartFiles: chartFiles)
        var embedded = context
        embedded.charts.embed(images)
        return (markdown.render(context, library: library), html.render(embedded, library: library))
    }

    // MARK: Loading

    /// Refuses templates (file name → text) that include each other in a cycle (see
    /// `TemplateIncludes`), naming the first file of the cycle in `directory`.
    public static func checkIncludes(_ texts: [String: String], directory: URL) throws {
        let byPartialName = Dictionary(texts.map { (String($0.key.dropLast(".mustache".count)), $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let cycle = TemplateIncludes.cycle(in: byPartialName) else { return }
        let first = directory.appendingPathComponent(cycle[0] + ".mustache")
        throw InputError(InputLocation(file: first.path, key: "report.templates"),
                         cycle.count == 2 ? "includes itself ({{> \(cycle[0])}}); rendering it would never end."
                             : "starts a cycle of includes (\(cycle.joined(separator: " → "))); rendering it would never end.",
                         hint: "Remove the include that leads back; a partial may include others, but never one that includes it.")
    }

    static func read(_ url: URL) throws -> String {
        let location = InputLocation(file: url.path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw InputError(location, "is missing; the report template folder must hold \(markdownTemplateName) and \(htmlTemplateName).",
                             hint: "Copy both from MixPlan's Templates/ folder and edit them, or leave report.templates empty for the bundled templates.")
        }
        let data = try InputFile.contents(url.path, what: "report template", limit: maxTemplateBytes)
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(location, "is not UTF-8 text; save the template as UTF-8.")
        }
        return text
    }

    static func parse(_ text: String, file: String) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            let c = error.context
            var line = c.line.trimmingCharacters(in: .whitespaces)
            if line.count > 60 { line = String(line.prefix(57)) + "..." }
            throw InputError(InputLocation(file: file),
                             "Mustache syntax error at line \(c.lineNumber), column \(c.columnNumber): \(explain(error.error))"
                                 + (line.isEmpty ? "" : " The line reads: \(line)"))
        }
    }

    /// One sentence per parser error, saying what the template should contain instead.
    static func explain(_ error: Error) -> String {
        guard let e = error as? MustacheTemplate.Error else { return "the template ends in the middle of a tag." }
        switch e {
        case .sectionCloseNameIncorrect:
            return "a closing tag {{/name}} does not match the section it closes; close sections in the order they were opened."
        case .unfinishedName:
            return "a tag is not finished; a tag is a name between {{ and }}."
        case .expectedSectionEnd:
            return "a section opened with {{#name}} or {{^name}} is never closed with {{/name}} (reported at the end of the file)."
        case .invalidSetDelimiter:
            return "a set-delimiter tag such as {{=<% %>=}} is malformed."
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
            return "a partial with blocks ({{<name}}…{{/name}}) may hold only {{$block}} definitions."
        case .invalidConfigVariableSyntax:
            return "a pragma tag is malformed; write it as {{% CONTENT_TYPE: HTML }}."
        case .unrecognisedConfigVariable:
            return "unknown pragma; the only one is CONTENT_TYPE, with HTML, TEXT or MARKDOWN."
        }
    }
}
