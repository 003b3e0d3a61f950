import MixTestSupport
import Foundation
import XCTest
import MixReport

/// Every bundled sample's outputs — `summary.json`, `plan.json` and the workbook's cell values —
/// against fixtures recorded from `main` before a restructuring (issue 21), so a change meant to
/// preserve behaviour is shown to. Each sample is fitted with a fixed seed and few draws (the
/// sampler is deterministic for a seed), optimised and written as a report pack, as `mixplan
/// weekly` does.
///
/// Re-record (only when an output is meant to change, and say why in the commit):
///
///     MIXPLAN_RECORD_GOLDEN=1 swift test -c release --disable-swift-testing --filter GoldenOutputTests
///
/// which rewrites `Tests/Fixtures/golden/<sample>/` (see the README there).
final class GoldenOutputTests: XCTestCase {
    /// Relative tolerance for every number. The pipeline is a deterministic function of the seed,
    /// so a behaviour-preserving change should reproduce the recorded numbers to the last few
    /// bits; 1e-9 leaves room for re-associated sums (each costs ~1e-16 relative, and the
    /// sampler's few hundred leapfrog steps per chain amplify that by far less than 10⁶ as long
    /// as every accept/reject decision and tree direction stays the same). A change that moves
    /// any sampler decision changes the draws by Monte Carlo error (~1e-2) and fails loudly, as
    /// it should for a refactor.
    static let relativeTolerance = 1e-9
    /// Below this magnitude two numbers count as equal zeros (sums of ±terms that cancel leave
    /// ~1e-16 of the terms' size; outputs are in units of at least 1e-6 of their scale).
    static let absoluteTolerance = 1e-12

    static let samples = ["weekly-2ch", "weekly-5ch", "weekly-3ch-large", "daily-8ch", "weekly-2ch-tvp",
                          "weekly-2ch-tvp-step", "always-on-lift-2ch", "lift-cut-2ch"]

    static var recording: Bool { ProcessInfo.processInfo.environment["MIXPLAN_RECORD_GOLDEN"] == "1" }

    func testWeekly2ch() throws { try check("weekly-2ch") }
    func testWeekly5ch() throws { try check("weekly-5ch") }
    func testWeekly3chLarge() throws { try check("weekly-3ch-large") }
    func testDaily8ch() throws { try check("daily-8ch") }
    func testWeekly2chTimeVarying() throws { try check("weekly-2ch-tvp") }
    func testWeekly2chTimeVaryingStep() throws { try check("weekly-2ch-tvp-step") }
    func testAlwaysOnLift() throws { try check("always-on-lift-2ch") }
    func testLiftCut() throws { try check("lift-cut-2ch") }

    /// Fits, plans and writes the sample's pack, then compares (or records) its outputs.
    private func check(_ sample: String) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-golden-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: out) }
        var config = try ConfigLoader.load(path: Fixtures.sample(sample).appendingPathComponent("mixplan.yaml").path)
        config.sampler.chains = 2
        config.sampler.warmup = 120
        config.sampler.draws = 60
        config.sampler.seed = 7
        let data = try DatasetLoader().load(config).dataset
        let model = try ModelFitter.fit(dataset: data, config: config)
        let results = try DefaultPlan.run(model: model)
        let pack = out.appendingPathComponent("pack")
        try ReportPack.writeAtomically(results, previous: nil, templates: nil, to: pack)

        let actual: [String: Any] = [
            "summary.json": try Self.json(pack.appendingPathComponent("summary.json")),
            "plan.json": try Self.json(pack.appendingPathComponent("plan.json")),
            "workbook.json": try Self.workbookValues(pack.appendingPathComponent("mixplan.xlsx")),
        ]
        let folder = Fixtures.url("golden").appendingPathComponent(sample)
        if Self.recording {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, value) in actual {
                let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys])
                try data.write(to: folder.appendingPathComponent(name), options: .atomic)
            }
            return
        }
        for (name, value) in actual.sorted(by: { $0.key < $1.key }) {
            let expected = try Self.json(folder.appendingPathComponent(name))
            var differences: [String] = []
            Self.compare(expected, value, path: name, into: &differences)
            XCTAssert(differences.isEmpty, "\(sample)/\(name) differs from the recorded output:\n"
                      + differences.prefix(15).joined(separator: "\n")
                      + (differences.count > 15 ? "\n… and \(differences.count - 15) more" : ""))
        }
    }

    static func json(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url), options: [.fragmentsAllowed])
    }

    /// Rows (by their label in column A) whose value is a wall-clock measurement, not a result:
    /// the golden file keeps the label and replaces the value by `wallClock`.
    static let wallClockRows: Set<String> = ["Sampling time (s)"]
    static let wallClock = ["s": "(wall-clock time: not compared)"]

    /// Every sheet's cells as `{sheet: {A1: {"n": number} | {"s": text} | {"f": formula}}}`,
    /// read back from the file (not from the writer's inputs). Cached formula results are left
    /// out: libxlsxwriter stores none, Excel computes them on opening.
    static func workbookValues(_ url: URL) throws -> Any {
        let reader = try XlsxReader(url)
        var sheets: [String: Any] = [:]
        for sheet in reader.sheetNames {
            var cells: [String: Any] = [:]
            let all = try reader.cells(sheet)
            let clockRows = Set(all.values.filter { $0.ref.hasPrefix("A") && wallClockRows.contains($0.string ?? "") }
                .map { XlsxReader.parse($0.ref).1 })
            for (ref, cell) in all {
                if XlsxReader.parse(ref).0 != "A", clockRows.contains(XlsxReader.parse(ref).1) { cells[ref] = wallClock; continue }
                if let f = cell.formula { cells[ref] = ["f": f] }
                else if let n = cell.number { cells[ref] = ["n": n] }
                else if let s = cell.string { cells[ref] = ["s": s] }
                else if let raw = cell.raw { cells[ref] = ["raw": raw] }
            }
            sheets[sheet] = cells
        }
        return ["sheets": sheets, "definedNames": reader.definedNames]
    }

    /// Walks two JSON trees; numbers within the named tolerances, everything else exactly.
    static func compare(_ expected: Any, _ actual: Any, path: String, into differences: inout [String]) {
        switch (expected, actual) {
        case let (e as [String: Any], a as [String: Any]):
            for key in Set(e.keys).union(a.keys).sorted() {
                guard let ev = e[key] else { differences.append("\(path).\(key): new"); continue }
                guard let av = a[key] else { differences.append("\(path).\(key): missing"); continue }
                compare(ev, av, path: "\(path).\(key)", into: &differences)
            }
        case let (e as [Any], a as [Any]):
            guard e.count == a.count else { differences.append("\(path): \(e.count) items, now \(a.count)"); return }
            for i in e.indices { compare(e[i], a[i], path: "\(path)[\(i)]", into: &differences) }
        case let (e as String, a as String):
            if e != a { differences.append("\(path): \"\(e)\" → \"\(a)\"") }
        case let (e as NSNumber, a as NSNumber):
            let x = e.doubleValue, y = a.doubleValue
            if x == y || (x.isNaN && y.isNaN) { return }
            let gap = abs(x - y)
            if gap <= absoluteTolerance || gap <= relativeTolerance * max(abs(x), abs(y)) { return }
            differences.append("\(path): \(x) → \(y)")
        case (is NSNull, is NSNull):
            return
        default:
            differences.append("\(path): \(expected) → \(actual)")
        }
    }
}
