import Foundation

/// Editing a written .xlsx as a planner would (typing numbers into cells) and letting
/// LibreOffice recalculate it, with `unzip`, `zip` and `soffice` run as processes.
enum SpreadsheetTools {
    struct ToolError: Error, CustomStringConvertible { var description: String }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String], in folder: URL? = nil) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        if let folder { p.currentDirectoryURL = folder }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ToolError(description: "\(tool) \(arguments.joined(separator: " ")) failed: \(out)") }
        return out
    }

    /// Copies `source` to `target` with the values of number cells of sheet `sheetIndex`
    /// (1-based) replaced, e.g. ["H8": 1200].
    static func replaceNumbers(in source: URL, sheetIndex: Int, _ values: [String: Double], writing target: URL) throws {
        let dir = target.deletingPathExtension()
        try? FileManager.default.removeItem(at: dir)
        try run("/usr/bin/unzip", ["-q", source.path, "-d", dir.path])
        let sheet = dir.appendingPathComponent("xl/worksheets/sheet\(sheetIndex).xml")
        var xml = try String(contentsOf: sheet, encoding: .utf8)
        for (ref, value) in values {
            let pattern = try NSRegularExpression(pattern: "(<c r=\"\(ref)\"[^>]*><v>)[^<]*(</v>)")
            let range = NSRange(xml.startIndex..., in: xml)
            guard pattern.firstMatch(in: xml, range: range) != nil else { throw ToolError(description: "no number cell \(ref)") }
            xml = pattern.stringByReplacingMatches(in: xml, range: range, withTemplate: "$1\(value)$2")
        }
        try xml.write(to: sheet, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(at: target)
        try run("/usr/bin/zip", ["-q", "-X", "-r", target.path, "."], in: dir)
    }

    /// Converts with LibreOffice to .xlsx, recalculating every formula on load (a private
    /// profile sets Calc's OOXML recalculation mode to "always"). Returns the converted file.
    static func recalculate(_ file: URL, soffice: String, in folder: URL) throws -> URL {
        let profile = folder.appendingPathComponent("lo-profile")
        let user = profile.appendingPathComponent("user")
        try FileManager.default.createDirectory(at: user, withIntermediateDirectories: true)
        let settings = """
        <?xml version="1.0" encoding="UTF-8"?>
        <oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        <item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
        <item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
        </oor:items>
        """
        try settings.write(to: user.appendingPathComponent("registrymodifications.xcu"), atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("recalculated")
        try? FileManager.default.removeItem(at: out)
        try run(soffice, ["-env:UserInstallation=\(profile.absoluteURL.absoluteString)", "--headless", "--norestore",
                          "--convert-to", "xlsx", "--outdir", out.path, file.path])
        let result = out.appendingPathComponent(file.lastPathComponent)
        guard FileManager.default.fileExists(atPath: result.path) else { throw ToolError(description: "LibreOffice wrote nothing for \(file.path)") }
        return result
    }
}
