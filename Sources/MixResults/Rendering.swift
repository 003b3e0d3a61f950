import Foundation
import MixModel
import MixOptimize

/// Plain-text tables and sorted-key JSON for the optimiser's results (what the CLI prints).
public enum ResultJSON {
    /// Pretty-printed JSON with sorted keys, so the same result always gives the same bytes.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = MixJSON.encoder()
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Left-aligned first column, right-aligned numbers, columns sized to their widest cell and
/// two spaces apart, under a header and a rule: every table the command line prints.
public func renderColumns(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: widths[i] - cell.count)
            return i == 0 ? cell + pad : pad + cell
        }.joined(separator: "  ")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
}

/// `x` with `decimals` decimals and its thousands grouped by commas: 1234567.891 → "1,234,567.89".
/// (`NumberText.signedGrouped`, the one formatter set, with an ASCII minus for the terminal.)
public func groupedNumber(_ x: Double, decimals: Int = 2) -> String {
    NumberText.signedGrouped(x, decimals: decimals)
}

func amount(_ x: Double) -> String { groupedNumber(x) }
func ratio(_ x: Double) -> String { x == .infinity ? "unbounded" : String(format: "%.4g", x) }
func percent(_ x: Double) -> String { NumberText.percent(x) }
func band(_ i: Interval) -> String { i.text() }

extension Interval {
    /// "mean [lower, upper]" with `decimals` decimals and grouped thousands, each figure times
    /// `scale` (100 for a share in percent): how every table the command line prints writes an interval.
    public func text(decimals: Int = 2, scale: Double = 1) -> String {
        let f = { (x: Double) in groupedNumber(scale * x, decimals: decimals) }
        return "\(f(mean)) [\(f(lower)), \(f(upper))]"
    }
}

extension PlanSummary {
    /// Channel table plus totals, change versus current and the probability of beating it.
    public func renderTable() -> String {
        let rows = channels.map { c in
            [c.channel + (c.isFixed ? " (fixed)" : ""), amount(c.spendPerPeriod), amount(c.spendOverHorizon), percent(c.share),
             amount(c.currentSpendPerPeriod), band(c.response), ratio(c.roas), ratio(c.marginalROAS)]
        }
        let table = renderColumns(["channel", "spend/period", "spend total", "share", "current/period",
                                   "response mean [\(intervalHeader)]", "ROAS", "marginal ROAS"], rows)
        return table + "\n\n" + totalsText + (caveat.map { "\nCaveat: " + $0 } ?? "") + returnWarnings.map { "\nWarning: " + $0 }.joined()
    }

    /// The plan as a whole in four lines (horizon, total spend and response, current spend's
    /// response, change and its probability): the national and the geo tables end with them.
    var totalsText: String {
        let tail = countsCarryoverTail ? "including the carryover tail after the horizon" : "horizon periods only (carryover tail not counted)"
        return """
        Horizon: \(periods) period\(periods == 1 ? "" : "s"), response \(tail).
        Total spend \(amount(totalSpend)); response \(band(response))\(earlierSpendNote); ROAS \(ratio(roas)).
        Current spend's response \(band(currentResponse)).
        Change versus current \(band(change)); probability the plan beats current \(keepsCurrentSpend ? "— (the plan is current spend)" : ProbabilityText.format(probabilityBetter)).
        """
    }

    /// A column header's interval label at the plan's own interval mass.
    var intervalHeader: String { "\(Interval.percentLabel(intervalMass ?? Interval.defaultMass)) interval" }
}

extension PlanSummary {
    /// ", of which … is carry-over of spend before the plan (not in ROAS)", or "" when unknown or nil.
    var earlierSpendNote: String {
        guard let earlier = fromEarlierSpend, earlier > 0 else { return "" }
        return ", of which \(amount(earlier)) is carry-over of spend before the plan (ROAS leaves it out)"
    }
}

extension OptimizationResult {
    /// The plan table followed by the objective and the optimality certificate.
    public func renderTable() -> String {
        let c = certificate
        var lines = ["Objective \(objective): \(amount(objectiveValue)) at budget \(amount(budget)).",
                     "Solver \(c.method): \(c.iterations) iterations, \(c.converged ? "converged" : "NOT converged (iteration limit)")."]
        if let r = c.kktResidual {
            let lam = c.multiplier.map { ", common marginal response \(ratio($0))" } ?? ""
            let signs = c.boundMultipliersValid.map { $0 ? "bound multipliers non-negative" : "a bound multiplier has the wrong sign" } ?? ""
            lines.append("KKT residual \(String(format: "%.2e", r))\(lam); \(signs).")
        }
        if let g = c.globalValue, let gap = c.gap {
            lines.append("Global stage best \(amount(g)); refined \(amount(c.refinedValue)); gap \(String(format: "%.3g", gap)).")
        }
        if !c.startValues.isEmpty {
            lines.append("Values from \(c.startValues.count) starts: \(c.startValues.map(amount).joined(separator: ", ")).")
        }
        return plan.renderTable() + "\n\n" + lines.joined(separator: "\n")
    }
}

extension BudgetFrontier {
    /// One row per budget: spend per channel, the response band, and the marginal return of the
    /// step from the budget before (extra objective value per extra unit of budget).
    public func renderTable() -> String {
        let marginal = marginalReturns
        let rows = points.enumerated().map { i, p in
            [percent(p.fractionOfCurrent), amount(p.budget)] + p.allocation.map(amount)
                + [band(p.response), marginal[i].map(ratio) ?? "—"]
        }
        var text = renderColumns(["of current", "budget"] + channels.map { "\($0)/period" }
                                 + ["response mean [\(Interval.percentLabel(Interval.defaultMass)) interval]", "marginal return"], rows)
        text += "\n\nObjective \(objective); current budget \(amount(currentBudget))."
        if !skipped.isEmpty { text += "\nSkipped (infeasible): " + skipped.joined(separator: "; ") }
        return text
    }
}

extension TargetResult {
    public func renderTable() -> String {
        "Least budget with \(criterion) (target \(amount(target))): \(amount(budget)).\n\n" + result.renderTable()
    }
}

extension EfficiencyResult {
    public func renderTable() -> String {
        let list = thresholds.keys.sorted().map { "\($0) ≥ \(ratio(thresholds[$0]!))" }.joined(separator: ", ")
        return "Most spend with marginal ROAS \(list): budget \(amount(budget)).\n\n" + plan.renderTable()
    }
}

extension GeoPlan {
    /// The plan as the command line prints it: a geo × channel table, the national channel totals,
    /// the geo totals, then the whole plan and (for an optimised plan) its certificate.
    public func renderTable() -> String {
        let cellRows = cells.map { c in
            [c.geo, c.channel + (c.isFixed ? " (fixed)" : ""), amount(c.spendPerPeriod), amount(c.currentSpendPerPeriod),
             band(c.response), ratio(c.roas), ratio(c.marginalROAS)]
        }
        func totals(_ title: String, _ list: [Total]) -> String {
            renderColumns([title, "spend/period", "current/period", "response mean [\(plan.intervalHeader)]", "change [\(plan.intervalHeader)]", "P(better)"],
                          list.map { [$0.name, amount($0.spendPerPeriod), amount($0.currentSpendPerPeriod), band($0.response), band($0.change),
                                      ProbabilityText.format($0.probabilityBetter)] })
        }
        var parts = [
            split == .historical ? "National plan, each channel's total split across geos in proportion to its current geo split:" : "Plan by geo × channel:",
            renderColumns(["geo", "channel", "spend/period", "current/period", "response mean [\(plan.intervalHeader)]", "ROAS", "marginal ROAS"], cellRows),
            "", "National channel totals (sums over geos, per draw):", totals("channel", channels),
            "", "Geo totals (sums over channels, per draw):", totals("geo", geos), "", plan.totalsText,
        ]
        if let caveat = plan.caveat { parts.append("Caveat: " + caveat) }
        if let objective, let certificate, let objectiveValue {
            parts.append("Objective \(objective): \(amount(objectiveValue)). Why this plan: \(certificate.explanation).")
        }
        return parts.joined(separator: "\n")
    }
}

extension PlanComparison {
    /// Two lines for the what-if table.
    public func render() -> String {
        """
        Response of \(baseline): \(band(baselineResponse)).
        Change versus \(baseline) \(band(change)); probability the plan beats it \(String(format: "%.1f%%", 100 * probabilityBetter)).
        """
    }
}
