import MixTestSupport
import Foundation
import MixReport

/// One real, small fit of the bundled weekly-2ch sample (8 weeks held out), optimised over a
/// 4-week horizon, with a frontier and two what-ifs: the results every report test renders.
/// Fitting takes a few seconds in release; it happens once per test run.
enum ReportTestModel {
    static let results: PlanningResults = {
        var config = try! ConfigLoader.load(path: Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path)
        config.sampler.chains = 2
        config.sampler.warmup = 200
        config.sampler.draws = 100
        let data = try! DatasetLoader().load(config).dataset
        let model = try! ModelFitter.fit(dataset: data, config: config, holdout: 8)
        return plan(for: model)
    }()

    /// Optimisation (mean objective, ±30 % bounds, 4 periods), a frontier and what-ifs.
    static func plan(for model: FittedModel) -> PlanningResults {
        let draws = ParametricResponseDraws(model: model, maxDraws: 200)
        let current = model.currentSpend()
        let names = model.dataset.channelNames
        let problem = BudgetProblem(channelNames: names, budget: current.reduce(0, +) * 4,
                                    horizon: HorizonSettings(periods: 4, countCarryoverTail: true), currentSpend: current,
                                    bounds: Dictionary(uniqueKeysWithValues: names.map { ($0, SpendBound.relative(fraction: 0.3)) }))
        let optimizer = try! BudgetOptimizer(draws: draws, problem: problem)
        let result = try! optimizer.optimize(.mean)
        // ±30 % bounds make 50 % of current spend infeasible: one skipped budget, three points.
        let frontier = try! optimizer.frontier(.mean, from: 0.5, to: 1.25, steps: 4)
        let scenarios = [
            Scenario(name: "Current plan", plan: try! optimizer.whatIf(current)),
            Scenario(name: "10 % more everywhere", plan: try! optimizer.whatIf(current.map { $0 * 1.1 })),
        ]
        return PlanningResults(model: model, optimization: result, frontier: frontier, scenarios: scenarios,
                               warnings: ["data.csv, row 14: spend of x2 is 0 in a week with sales."], curvePoints: 20, maxDraws: 200)
    }

    /// The same results with the sampler's verdict forced (the report must follow it).
    static func withConvergence(_ converged: Bool, _ base: PlanningResults = results) -> PlanningResults {
        var r = base
        r.model.sampler.divergences = converged ? 0 : 3
        r.model.sampler.parameters = r.model.sampler.parameters.map { p in
            var p = p
            p.rhat = converged ? min(p.rhat, 1.005) : max(p.rhat, 1.002)
            p.essBulk = converged ? max(p.essBulk, 450) : p.essBulk
            p.essTail = converged ? max(p.essTail, 450) : p.essTail
            return p
        }
        if converged {
            r.model.sampler.maxTreeDepthHits = 0
            r.model.sampler.ebfmi = r.model.sampler.ebfmi.map { max($0, 0.9) }
        }
        return r
    }

    /// A fresh folder under the temporary directory, removed by the caller.
    static func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mixreport-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Rows of the Markdown table that follows the line `heading` ("## Channels"), as trimmed cells
/// without the header and separator rows.
func markdownTable(after heading: String, in text: String, skip: Int = 0) -> [[String]] {
    let lines = text.components(separatedBy: "\n")
    guard let start = lines.firstIndex(of: heading) else { return [] }
    var tables: [[[String]]] = []
    var current: [[String]] = []
    for line in lines[(start + 1)...] {
        if line.hasPrefix("## ") { break }
        if line.hasPrefix("|") {
            current.append(splitRow(line))
        } else if !current.isEmpty {
            tables.append(current)
            current = []
        }
    }
    if !current.isEmpty { tables.append(current) }
    guard skip < tables.count else { return [] }
    return Array(tables[skip].dropFirst(2))
}

/// Cells of a Markdown table row, honouring `\|` escapes.
func splitRow(_ line: String) -> [String] {
    var cells: [String] = []
    var cell = ""
    var escaped = false
    for c in line.dropFirst() {
        if escaped { cell.append("\\"); cell.append(c); escaped = false; continue }
        if c == "\\" { escaped = true; continue }
        if c == "|" { cells.append(cell.trimmingCharacters(in: .whitespaces)); cell = ""; continue }
        cell.append(c)
    }
    return cells
}

/// Rows of `<td>` cells of every HTML table in the section whose `<h2>` is `heading`
/// (`skip` picks a later table of the section), tags inside cells removed.
func htmlTable(after heading: String, in html: String, skip: Int = 0) -> [[String]] {
    guard let h = html.range(of: "<h2>\(heading)</h2>") else { return [] }
    let section = html[h.upperBound...].prefix { _ in true }
    let end = section.range(of: "</section>")?.lowerBound ?? section.endIndex
    let body = String(section[..<end])
    let tables = body.components(separatedBy: "<table>").dropFirst()
    guard skip < tables.count else { return [] }
    let table = tables[tables.startIndex + skip].components(separatedBy: "</table>")[0]
    return table.components(separatedBy: "<tr").dropFirst().compactMap { row -> [String]? in
        let cells = row.components(separatedBy: "<td>").dropFirst().map { cell -> String in
            let raw = cell.components(separatedBy: "</td>")[0]
            return raw.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        }
        return cells.isEmpty ? nil : Array(cells)
    }
}
