import Foundation
import MixOptimize

/// A geo plan for the workbook: the optimiser's (or a what-if's) plan and the planning draws it
/// came from, whose cells the Allocation sheet's live formulas evaluate.
public struct GeoPackPlan: Sendable {
    public var plan: GeoPlan
    public var draws: GeoResponseDraws

    /// Checks that `plan` is over exactly `draws`' cells, in their order (a plan written for
    /// another model is refused, naming the first cell that differs).
    public init(plan: GeoPlan, draws: GeoResponseDraws) throws {
        let planned = plan.cells.map { GeoCell(geo: $0.geo, channel: $0.channel) }
        guard planned == draws.cellIDs else {
            let first = zip(planned, draws.cellIDs).first { $0 != $1 }
            let detail = first.map { "cell \"\($0.0.name)\" where the model has \"\($0.1.name)\"" }
                ?? "\(planned.count) cells where the model has \(draws.cellIDs.count)"
            throw WorkbookError(file: "workbook", location: "geo plan", reason: "the plan does not match the model's geo × channel cells (\(detail)).")
        }
        self.plan = plan
        self.draws = draws
    }

    /// The planner behind the live cells: every cell a channel of `PlannerModel`, on at most
    /// `maxDraws` posterior draws spread evenly over all of them, with the plan's horizon and
    /// current spend.
    func planner(maxDraws: Int = WorkbookContent.plannerDraws) -> PlannerModel {
        let all = draws.cellDraws()
        let total = all.drawCount
        let kept = total > maxDraws ? (0..<maxDraws).map { $0 * total / maxDraws } : Array(0..<total)
        let p = plan.plan
        return PlannerModel(draws: all.subset(kept), horizon: HorizonSettings(periods: p.periods, countCarryoverTail: p.countsCarryoverTail),
                            current: plan.cells.map(\.currentSpendPerPeriod))
    }
}

/// The geo workbook's Allocation sheet: one row per live geo × channel cell with current and
/// recommended spend, and planner cells that stay live as on the national sheet (type a spend,
/// the cell's expected response and ROAS recompute from the 'Planner model' sheet through the
/// channel's saturation formula); below them the live totals per channel (over geos) and per geo
/// (over channels), and the plan against current spend from all draws.
enum GeoAllocationSheet {
    /// Row (0-based) of the cell table's header; cells follow in `GeoResponseDraws.cells` order.
    static let headerRow = 6
    /// Column titles of the cell table; the planner types into `inputColumn`.
    static func columns(lower: String, upper: String) -> [String] {
        ["Geo", "Channel", "Current spend / period", "Recommended spend / period", "Change vs current", "Lower bound (plan)", "Upper bound (plan)",
         "Marginal ROAS at plan", "Your spend / period (type here)", "Live expected response (point estimate)",
         "Plan's expected response (mean)", "Lower (\(lower))", "Upper (\(upper))", "Your spend over horizon", "Live ROAS"]
    }
    static let inputColumn = 8

    static func write(_ sheet: XlsxSheet, book: XlsxWorkbook, plan input: GeoPackPlan, planner: PlannerModel, target: String,
                      mass: Double, style s: WorkbookStyle) throws {
        let plan = input.plan, cells = plan.cells
        let h = planner.horizon.periods
        let lower = Interval.percentLabel((1 - mass) / 2), upper = Interval.percentLabel(1 - (1 - mass) / 2)
        let horizon = "over the \(h)-period horizon" + (planner.horizon.countCarryoverTail ? ", including the carryover after it" : "")
        try sheet.text(0, 0, "Allocation by geo × channel and planner", s.title)
        try sheet.text(1, 0, "Spend is per period; responses are the expected \(target) \(horizon). "
                       + (plan.split == .historical ? "Plan: national channel totals, each split across geos as now." : "Plan: one budget over every geo × channel cell."), s.note)
        try sheet.text(2, 0, "Type a spend per period in the yellow cells: the green cells (and the live totals below) recompute live in Excel or LibreOffice.", s.note)
        try sheet.text(3, 0, "The live number is a POINT ESTIMATE: the mean response over \(planner.drawCount) stored posterior draws (sheet 'Planner model'). The plan's mean and \(lower)–\(upper) interval come from all posterior draws and do not move when you type.", s.note)
        try sheet.text(4, 0, "Horizon (periods)", s.label)
        try sheet.number(4, 1, Double(h), s.count)
        try book.defineName("Horizon_Periods", refersTo: CellRef.range(sheet.name, 4, 1, 4, 1))

        let r0 = headerRow, c = inputColumn
        try sheet.headers(r0, 0, columns(lower: lower, upper: upper), s.header)
        try sheet.height(r0, 45)
        let prefill = cells.map(\.spendPerPeriod)
        let live = planner.expectedResponses(prefill)
        // What spend before the plan carries into the horizon: in the response, not in the ROAS.
        let earlier = planner.expectedResponses([Double](repeating: 0, count: cells.count))
        for (i, cell) in cells.enumerated() {
            let r = r0 + 1 + i
            try sheet.text(r, 0, cell.geo, s.text)
            try sheet.text(r, 1, cell.channel, s.text)
            try sheet.number(r, 2, cell.currentSpendPerPeriod, s.money)
            try sheet.number(r, 3, cell.spendPerPeriod, s.money)
            if cell.currentSpendPerPeriod > 0 { try sheet.number(r, 4, cell.spendPerPeriod / cell.currentSpendPerPeriod - 1, s.percent) }
            // A fixed cell's bounds are both its current spend.
            if let lo = cell.lowerBound, let hi = cell.upperBound {
                try sheet.number(r, 5, lo, s.money)
                try sheet.number(r, 6, hi, s.money)
            }
            try sheet.marginalROAS(r, 7, cell.marginalROAS, s)
            let spendCell = CellRef.a1(r, c)
            try sheet.number(r, c, prefill[i], s.input)
            try sheet.requireNonNegative(r, c, title: "Spend per period", message: "Type a spend per period (≥ 0); the live response next to it updates.")
            try sheet.formula(r, c + 1, PlannerNames(index: i).formula(family: planner.channels[i].family, spendCell: spendCell), cached: live[i], s.live)
            try sheet.number(r, c + 2, cell.response.mean, s.amount)
            try sheet.number(r, c + 3, cell.response.lower, s.amount)
            try sheet.number(r, c + 4, cell.response.upper, s.amount)
            try sheet.formula(r, c + 5, "\(spendCell)*Horizon_Periods", cached: prefill[i] * Double(h), s.money)
            let earlierText = String(format: "%.17g", earlier[i])
            try sheet.formula(r, c + 6, "IF(\(spendCell)>0,(\(CellRef.a1(r, c + 1))-\(earlierText))/(\(spendCell)*Horizon_Periods),0)",
                              cached: prefill[i] > 0 ? (live[i] - earlier[i]) / (prefill[i] * Double(h)) : 0, s.ratio)
        }
        let first = r0 + 1, last = r0 + cells.count, total = last + 1
        func column(_ col: Int) -> String { "\(CellRef.absolute(first, col)):\(CellRef.absolute(last, col))" }
        try sheet.text(total, 0, "Total", s.totalLabel)
        try sheet.formula(total, 2, "SUM(\(column(2)))", cached: cells.reduce(0) { $0 + $1.currentSpendPerPeriod }, s.moneyTotal)
        try sheet.formula(total, 3, "SUM(\(column(3)))", cached: prefill.reduce(0, +), s.moneyTotal)
        try sheet.formula(total, c, "SUM(\(column(c)))", cached: prefill.reduce(0, +), s.moneyTotal)
        try sheet.formula(total, c + 1, "SUM(\(column(c + 1)))", cached: live.reduce(0, +), s.liveTotal)
        try book.defineName("Planner_Total", refersTo: CellRef.range(sheet.name, total, c + 1, total, c + 1))
        try sheet.number(total, c + 2, plan.plan.response.mean, s.amountTotal)
        try sheet.number(total, c + 3, plan.plan.response.lower, s.amountTotal)
        try sheet.number(total, c + 4, plan.plan.response.upper, s.amountTotal)
        try sheet.formula(total, c + 5, "SUM(\(column(c + 5)))", cached: prefill.reduce(0, +) * Double(h), s.moneyTotal)
        var r = total + 1
        try sheet.text(r, 0, String(format: "At the plan's spend the live total is %.0f against %.0f from all draws: the difference is the sampling error of the %d stored draws. Read the uncertainty from the interval.",
                                    live.reduce(0, +), plan.plan.response.mean, planner.drawCount), s.note)
        r += 2
        // Live totals by channel and by geo over the cell rows, so they follow the typing (an exact
        // name match: SUMIF would read a name such as ">5" or "a*" as a criterion).
        let groups: [(String, Int, [GeoPlan.Total])] = [("National channel totals (sums over geos)", 1, plan.channels),
                                                         ("Geo totals (sums over channels)", 0, plan.geos)]
        for (title, key, totals) in groups {
            try sheet.text(r, 0, title, s.section)
            r += 1
            try sheet.headers(r, 0, [key == 1 ? "Channel" : "Geo", "", "Current spend / period", "Recommended spend / period", "Change vs current",
                                     "Plan's change in response (mean)", "P(better than current)", "", "Your spend / period", "Live expected response"], s.header)
            try sheet.height(r, 30)
            for t in totals {
                r += 1
                let members = cells.indices.filter { (key == 1 ? cells[$0].channel : cells[$0].geo) == t.name }
                let name = CellRef.a1(r, 0)
                try sheet.text(r, 0, t.name, s.text)
                try sheet.number(r, 2, t.currentSpendPerPeriod, s.money)
                try sheet.number(r, 3, t.spendPerPeriod, s.money)
                if t.currentSpendPerPeriod > 0 { try sheet.number(r, 4, t.spendPerPeriod / t.currentSpendPerPeriod - 1, s.percent) }
                try sheet.number(r, 5, t.change.mean, s.amount)
                try sheet.number(r, 6, t.probabilityBetter, s.probability)
                func sumif(_ col: Int) -> String { "SUMPRODUCT((\(column(key))=\(name))*\(column(col)))" }
                try sheet.formula(r, 8, sumif(c), cached: members.reduce(0) { $0 + prefill[$1] }, s.money)
                try sheet.formula(r, 9, sumif(c + 1), cached: members.reduce(0) { $0 + live[$1] }, s.live)
            }
            r += 2
        }
        try sheet.text(r, 0, "The plan against current spend (all posterior draws)", s.section)
        r += 1
        try sheet.headers(r, 0, ["", "Mean", "Lower (\(lower))", "Upper (\(upper))"], s.header)
        for (label, i) in [("Response of the plan", plan.plan.response), ("Response at current spend", plan.plan.currentResponse),
                           ("Change (plan − current)", plan.plan.change)] {
            r += 1
            try sheet.text(r, 0, label, s.label)
            try sheet.number(r, 1, i.mean, s.amount)
            try sheet.number(r, 2, i.lower, s.amount)
            try sheet.number(r, 3, i.upper, s.amount)
        }
        r += 1
        try sheet.pair(r, 0, "Probability the plan does better", plan.plan.probabilityBetter, s, s.probability)
        if let caveat = plan.plan.caveat { try sheet.text(r, 2, "Caveat: " + caveat, s.caution) }
        r += 1
        try sheet.pair(r, 0, "Total spend over the horizon", plan.plan.totalSpend, s, s.money)
        if let objective = plan.objective {
            r += 1
            try sheet.pair(r, 0, "Objective", objective, s)
        }
        if let certificate = plan.certificate {
            r += 1
            try sheet.pair(r, 0, "Solver", certificate.method + (certificate.converged ? " (converged)" : " (NOT converged)"), s,
                           valueStyle: certificate.converged ? s.text : s.bad)
        }
        try sheet.width(0, 1, 16)
        try sheet.width(2, c + 6, 15)
        sheet.freeze(rows: r0 + 1, cols: 2)
        sheet.printLandscapeFitWidth()
    }
}
