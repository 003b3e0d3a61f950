import Foundation
import MixTestSupport
import XCTest

/// The committed man page (docs/man/mixplan.1, written by docs/man/generate.sh) holds the current
/// --help of mixplan and of every subcommand, so a changed help text without a regenerated page
/// fails here.
final class ManPageTests: XCTestCase {
    /// A help text as generate.sh writes it into the page: backslashes as \e, a leading . or '
    /// guarded by \&.
    func roff(_ help: String) -> String {
        help.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = line.replacingOccurrences(of: "\\", with: "\\e")
            if l.hasPrefix(".") || l.hasPrefix("'") { l = "\\&" + l }
            return l
        }.joined(separator: "\n")
    }

    func help(_ arguments: [String]) throws -> String {
        let run = try MixPlanProcess.run(arguments + ["--help"], environment: ProcessInfo.processInfo.environment.merging(["COLUMNS": "80"]) { $1 })
        XCTAssertEqual(run.status, 0, run.stderr)
        return run.stdout
    }

    func subcommands(_ help: String) -> [String] {
        var on = false, names: [String] = []
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") { on = true; continue }
            if on, let first = line.first, first != " " { on = false }
            if on, line.hasPrefix("  "), let c = line.dropFirst(2).first, c.isLowercase {
                names.append(String(line.dropFirst(2).split(separator: " ")[0]))
            }
        }
        return names.filter { $0 != "help" }
    }

    func testTheManPageHoldsEveryCurrentHelpText() throws {
        let page = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("docs/man/mixplan.1"), encoding: .utf8)
        let root = try help([])
        XCTAssertTrue(page.contains(roff(root)), "mixplan --help changed: run docs/man/generate.sh")
        let subs = subcommands(root)
        XCTAssertTrue(subs.contains("export") && subs.contains("fit"), "\(subs)")
        for sub in subs {
            let text = try help([sub])
            XCTAssertTrue(page.contains(".SH \"MIXPLAN \(sub.uppercased()) --HELP\""), sub)
            XCTAssertTrue(page.contains(roff(text)), "mixplan \(sub) --help changed: run docs/man/generate.sh")
            for subsub in subcommands(text) {
                XCTAssertTrue(page.contains(roff(try help([sub, subsub]))), "mixplan \(sub) \(subsub) --help changed: run docs/man/generate.sh")
            }
        }
    }
}
