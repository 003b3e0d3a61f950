import ArgumentParser
import Foundation
import MixData
import MixReport
import MixWorkbook

/// `mixplan batch collect`: the portfolio roll-up — every model's headline, convergence and
/// recommended change — as a CSV, a workbook and a short report in OUT/_portfolio/.
struct BatchCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Write the roll-up of every model (CSV, workbook, report) into OUT/_portfolio/.",
        discussion: """
        Reads each model's status record and pack summary (summary.json) and writes \
        OUT/_portfolio/portfolio.csv (one row per model), portfolio.xlsx (the same, and a \
        Channels sheet with current and recommended spend per model and channel) and \
        portfolio.md (counts, models that need attention, the table). The folder is replaced in \
        one step. Models not done are listed with their state and error. \
        Exit codes: 0 written and every model done; 1 written, but some models are not done; \
        2 bad input; 3 internal error.
        """
    )

    @OptionGroup var location: BatchLocation

    func run() throws {
        var allDone = false
        var summary = ""
        try CLISupport.run {
            let manifest = try PortfolioManifest.load(path: location.manifest)
            let folder = try BatchFolder(root: URL(fileURLWithPath: location.out), create: false)
            try AtomicOutput.checkOutputFolder(folder.root, for: "batch outputs and their roll-up")
            let rollup = PortfolioRollup(states: BatchModelState.all(manifest, in: folder), folder: folder)
            try AtomicOutput.writeDirectory(at: folder.rollupFolder, marker: PortfolioRollup.csvName, kind: "portfolio roll-up") { staged in
                try AtomicOutput.write(Data(rollup.csv().utf8), to: staged.appendingPathComponent(PortfolioRollup.csvName))
                try TableWorkbook.write(rollup.sheets(), to: staged.appendingPathComponent("portfolio.xlsx"))
                try AtomicOutput.write(Data(rollup.markdown().utf8), to: staged.appendingPathComponent("portfolio.md"))
            }
            allDone = rollup.rows.allSatisfy { $0.state.state == .done }
            summary = "batch collect: \(rollup.countsText); roll-up \(folder.rollupFolder.path)"
        }
        print(summary)
        if !allDone { throw ExitCode(1) }
    }
}

/// The roll-up's rows: one per model, from its status and its pack's summary.json.
struct PortfolioRollup {
    static let csvName = "portfolio.csv"

    struct Row {
        var state: BatchModelState
        var snapshot: ReportSnapshot?
    }
    let rows: [Row]

    init(states: [BatchModelState], folder: BatchFolder) {
        rows = states.map { s in
            let snap = s.state == .done || s.state == .outdated ? ReportPack.snapshot(inPack: folder.pack(s.entry.name)) : nil
            return Row(state: s, snapshot: snap)
        }
    }

    static let columns = ["name", "budget_group", "state", "converged", "max_rhat", "min_ess_bulk", "divergences", "data_through",
                          "periods", "budget", "current_response", "recommended_response", "change", "change_pct",
                          "probability_better", "fit_seconds", "detail"]

    /// Typed cells of a row, in `columns` order.
    func cells(_ row: Row) -> [TableWorkbook.Cell] {
        let s = row.snapshot, plan = s?.plan, rec = row.state.record
        func num(_ x: Double?, _ kind: TableWorkbook.Cell.Kind) -> TableWorkbook.Cell { x.map { .number($0, kind) } ?? .empty }
        let change = plan.map { $0.response.mean - $0.currentResponse.mean }
        let pct = plan.flatMap { p in p.currentResponse.mean != 0 ? (p.response.mean - p.currentResponse.mean) / abs(p.currentResponse.mean) : nil }
        return [.text(row.state.entry.name), .text(row.state.entry.budgetGroup ?? ""), .text(row.state.state.rawValue),
                s.map { .text($0.converged ? "yes" : "no") } ?? .empty, num(s?.maxRhat, .rhat), num(s?.minEssBulk, .count),
                num(s.map { Double($0.divergences) }, .count), .text(s?.periodEnd ?? ""), num(s.map { Double($0.periods) }, .count),
                num(plan?.budget, .amount), num(plan?.currentResponse.mean, .amount), num(plan?.response.mean, .amount),
                num(change, .amount), num(pct, .percent), num(plan?.probabilityBetter, .probability),
                num(rec?.state == .done ? rec?.seconds : nil, .decimal), .text(row.state.detail)]
    }

    func csv() -> String {
        var lines = [CSVFormat.record(Self.columns)]
        for row in rows {
            lines.append(CSVFormat.record(cells(row).map { cell in
                switch cell {
                case .text(let t): return t
                case .number(let x, _): return CSVFormat.number(x)
                case .empty: return ""
                }
            }))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func sheets() -> [TableWorkbook.Sheet] {
        var channelRows: [[TableWorkbook.Cell]] = []
        for row in rows {
            for c in row.snapshot?.channels ?? [] {
                let current = c.currentSpendPerPeriod, recommended = c.recommendedSpendPerPeriod
                let change = current.flatMap { cur in recommended.map { $0 - cur } }
                channelRows.append([.text(row.state.entry.name), .text(c.name), current.map { .number($0, .amount) } ?? .empty,
                                    recommended.map { .number($0, .amount) } ?? .empty, change.map { .number($0, .amount) } ?? .empty,
                                    .number(c.roas.mean, .decimal), .number(c.marginalRoas.mean, .decimal)])
            }
        }
        return [TableWorkbook.Sheet(name: "Models", columns: Self.columns, rows: rows.map(cells)),
                TableWorkbook.Sheet(name: "Channels", columns: ["name", "channel", "current_spend_per_period", "recommended_spend_per_period",
                                                                "change_per_period", "roas", "marginal_roas"], rows: channelRows)]
    }

    var countsText: String {
        let counts = BatchModelState.State.allCases.compactMap { state -> String? in
            let n = rows.filter { $0.state.state == state }.count
            return n > 0 ? "\(n) \(state.rawValue)" : nil
        }
        return "\(rows.count) models: " + counts.joined(separator: ", ")
    }

    /// The short report: counts, what needs attention, then one line per model.
    func markdown() -> String {
        var out = ["# Portfolio roll-up", "", countsText + ".", ""]
        let attention = rows.filter { $0.state.state != .done || $0.snapshot?.converged == false }
        if !attention.isEmpty {
            out += ["## Needs attention", ""]
            for row in attention {
                let what = row.state.state == .done ? "fit did not converge (max R-hat \(String(format: "%.3f", row.snapshot?.maxRhat ?? .nan))); treat its plan with care"
                    : "\(row.state.state.rawValue): \(row.state.detail)"
                out.append("- **\(row.state.entry.name)** — \(what)")
            }
            out.append("")
        }
        out += ["## Models", "", "| model | group | state | converged | data through | budget | recommended change | P(better) |",
                "| --- | --- | --- | --- | --- | ---: | ---: | ---: |"]
        for row in rows {
            let s = row.snapshot, plan = s?.plan
            let change = plan.map { p -> String in
                let d = p.response.mean - p.currentResponse.mean
                let pct = p.currentResponse.mean != 0 ? String(format: " (%+.1f %%)", 100 * d / abs(p.currentResponse.mean)) : ""
                return String(format: "%+.0f", d) + pct
            } ?? ""
            let p = plan.map { p -> String in
                // A plan that is current spend cannot beat it: say so rather than "<1 %".
                if p.response.mean == p.currentResponse.mean { return "— (keeps current spend)" }
                return p.probabilityBetter > 0.99 ? ">99 %" : p.probabilityBetter < 0.01 ? "<1 %" : String(format: "%.0f %%", 100 * p.probabilityBetter)
            } ?? ""
            let cells = [row.state.entry.name, row.state.entry.budgetGroup ?? "", row.state.state.rawValue,
                         s.map { $0.converged ? "yes" : "no" } ?? "", s?.periodEnd ?? "", plan.map { String(format: "%.0f", $0.budget) } ?? "", change, p]
            out.append("| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
