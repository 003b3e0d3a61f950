import Foundation
import MixOptimize

/// The Allocation sheet (the plan, and the planner cells a user types into) and the Planner
/// model sheet holding the named parameters its live formulas read.
extension WorkbookContent {
    /// Rows of the Allocation sheet (0-based): the header row and the first channel row.
    static let allocationHeaderRow = 6
    /// Rows of the Planner model sheet: parameter header, first term row offset.
    static let parameterHeaderRow = 5

    func writeAllocation(_ sheet: XlsxSheet, book: XlsxWorkbook) throws {
        let s = style
        let names = results.channelNames
        let h = planner.horizon.periods
        try sheet.text(0, 0, "Allocation and planner", s.title)
        try sheet.text(1, 0, "Spend is per period; responses are the expected \(targetName) \(horizonPhrase).", s.note)
        try sheet.text(2, 0, "Type a spend per period in the yellow cells: the green cells recompute each channel's expected response live (Excel or LibreOffice).", s.note)
        try sheet.text(3, 0, "The live number is a POINT ESTIMATE: the mean response over \(planner.drawCount) stored posterior draws (sheet 'Planner model'). The mean and \(lowerLabel)–\(upperLabel) interval beside it come from all posterior draws at the \(plan == nil ? "current" : "optimal") spend and do not move when you type.", s.note)
        try sheet.text(4, 0, "Horizon (periods)", s.label)
        try sheet.number(4, 1, Double(h), s.count)
        try book.defineName("Horizon_Periods", refersTo: CellRef.range(sheet.name, 4, 1, 4, 1))

        var headers = ["Channel", "Current spend / period"]
        if plan != nil { headers += ["Optimal spend / period", "Change vs current", "Lower bound (plan)", "Upper bound (plan)", "Marginal ROAS at optimum"] }
        let inputCol = headers.count
        headers += ["Your spend / period (type here)", "Live expected response (point estimate)",
                    plan == nil ? "Posterior mean at current spend" : "Optimiser's expected response (mean)",
                    "Lower (\(lowerLabel))", "Upper (\(upperLabel))", "Your spend over horizon", "Live ROAS"]
        // Channels measured in exposures: what the typed spend buys, at the channel's cost per unit.
        let costs = names.map { results.model.dataset.exposureCosts[$0] }
        if costs.contains(where: { $0 != nil }) { headers.append("Your exposures / period (spend ÷ cost per unit)") }
        let r0 = Self.allocationHeaderRow
        try sheet.headers(r0, 0, headers, s.header)
        try sheet.height(r0, 45)
        let live = planner.expectedResponses(prefill)
        // What spend before the plan carries into the horizon (the response with nothing spent):
        // part of the response, not of the ROAS a spend buys.
        let earlier = planner.expectedResponses([Double](repeating: 0, count: names.count))
        for (c, name) in names.enumerated() {
            let r = r0 + 1 + c
            let current = planner.channels[c].currentSpend
            try sheet.text(r, 0, name, s.text)
            try sheet.number(r, 1, current, s.money)
            if let plan, let line = plan.channels.first(where: { $0.channel == name }) {
                try sheet.number(r, 2, line.spendPerPeriod, s.money)
                try sheet.number(r, 3, current > 0 ? line.spendPerPeriod / current - 1 : .nan, s.percent)
                try sheet.number(r, 4, bounds[c].lower, s.money)
                try sheet.number(r, 5, bounds[c].upper, s.money)
                try sheet.marginalROAS(r, 6, line.marginalROAS, s)
            }
            let spendCell = CellRef.a1(r, inputCol)
            try sheet.number(r, inputCol, prefill[c], s.input)
            try sheet.requireNonNegative(r, inputCol, title: "Spend per period",
                                         message: "Type a spend per period (≥ 0); the live response next to it updates.")
            let formula = PlannerNames(index: c).formula(family: planner.channels[c].family, spendCell: spendCell)
            try sheet.formula(r, inputCol + 1, formula, cached: live[c], s.live)
            try sheet.interval(r, inputCol + 2, channelIntervals[c], s.amount)
            try sheet.formula(r, inputCol + 5, "\(spendCell)*Horizon_Periods", cached: prefill[c] * Double(h), s.money)
            let liveROAS = prefill[c] > 0 ? (live[c] - earlier[c]) / (prefill[c] * Double(h)) : 0
            let earlierText = String(format: "%.17g", earlier[c])
            try sheet.formula(r, inputCol + 6, "IF(\(spendCell)>0,(\(CellRef.a1(r, inputCol + 1))-\(earlierText))/(\(spendCell)*Horizon_Periods),0)",
                              cached: liveROAS, s.ratio)
            if let cost = costs[c] {
                try sheet.formula(r, inputCol + 7, "\(spendCell)/\(String(format: "%.17g", cost.costPerUnit))",
                                  cached: cost.exposures(money: prefill[c]), s.amount)
            }
        }
        let first = r0 + 1, last = r0 + names.count, total = last + 1
        func sum(_ col: Int) -> String { "SUM(\(CellRef.a1(first, col)):\(CellRef.a1(last, col)))" }
        try sheet.text(total, 0, "Total", s.totalLabel)
        try sheet.formula(total, 1, sum(1), cached: planner.channels.map(\.currentSpend).reduce(0, +), s.moneyTotal)
        if plan != nil { try sheet.formula(total, 2, sum(2), cached: prefill.reduce(0, +), s.moneyTotal) }
        try sheet.formula(total, inputCol, sum(inputCol), cached: prefill.reduce(0, +), s.moneyTotal)
        try sheet.formula(total, inputCol + 1, sum(inputCol + 1), cached: live.reduce(0, +), s.liveTotal)
        try book.defineName("Planner_Total", refersTo: CellRef.range(sheet.name, total, inputCol + 1, total, inputCol + 1))
        try sheet.interval(total, inputCol + 2, totalInterval, s.amountTotal)
        try sheet.formula(total, inputCol + 5, sum(inputCol + 5), cached: prefill.reduce(0, +) * Double(h), s.moneyTotal)
        // As per channel: the carry-over of spend before the plan is in the live total but is no
        // return on the spend typed in.
        let totalSpend = prefill.reduce(0, +) * Double(h)
        let earlierTotal = earlier.reduce(0, +)
        try sheet.formula(total, inputCol + 6, "IF(\(CellRef.a1(total, inputCol + 5))>0,(\(CellRef.a1(total, inputCol + 1))-\(String(format: "%.17g", earlierTotal)))/\(CellRef.a1(total, inputCol + 5)),0)",
                          cached: totalSpend > 0 ? (live.reduce(0, +) - earlierTotal) / totalSpend : 0, s.ratio)
        var r = total + 1
        for (name, cost) in zip(names, costs) {
            guard let cost else { continue }
            try sheet.text(r, 0, cost.note(channel: name), s.note)
            r += 1
        }
        try sheet.text(r, 0, String(format: "At the pre-filled spend the live total is %.0f against %.0f from all draws: the difference is the sampling error of the %d stored draws. Read the uncertainty from the interval.",
                                    live.reduce(0, +), totalInterval.mean, planner.drawCount), s.note)
        r += 2
        if let plan {
            try sheet.text(r, 0, "The optimiser's plan against current spend (all posterior draws)", s.section)
            r += 1
            try sheet.headers(r, 0, ["", "Mean", "Lower (\(lowerLabel))", "Upper (\(upperLabel))"], s.header)
            let rows: [(String, Interval)] = [("Response of the plan", plan.response), ("Response at current spend", plan.currentResponse),
                                              ("Change (plan − current)", plan.change)]
            for (label, i) in rows {
                r += 1
                try sheet.text(r, 0, label, s.label)
                try sheet.interval(r, 1, i, s.amount)
            }
            r += 1
            try sheet.pair(r, 0, "Probability the plan does better", plan.probabilityBetter, s, s.probability)
            if let caveat = results.caveat(for: plan) { try sheet.text(r, 2, "Caveat: " + caveat, s.caution) }
            r += 1
            try sheet.pair(r, 0, "Total spend over the horizon", plan.totalSpend, s, s.money)
            if let o = results.optimization {
                r += 1
                try sheet.pair(r, 0, "Objective", o.objective, s)
                r += 1
                try sheet.pair(r, 0, "Solver", o.certificate.method + (o.certificate.converged ? " (converged)" : " (NOT converged)"), s,
                               valueStyle: o.certificate.converged ? s.text : s.bad)
            }
        } else {
            try sheet.text(r, 0, "No optimisation was run: the planner starts from current spend (the mean of \(results.model.currentWindowText)).", s.note)
        }
        try sheet.width(0, 0, 30)
        try sheet.width(1, headers.count - 1, 15)
        sheet.freeze(rows: r0 + 1, cols: 1)
        sheet.printLandscapeFitWidth()
    }

    func writePlannerModel(_ sheet: XlsxSheet, book: XlsxWorkbook) throws {
        try Self.writePlannerModel(sheet, book: book, planner: planner, style: style)
    }

    /// The Planner model sheet of any planner (the national channels, or a geo model's cells):
    /// the named per-draw parameters and terms the live formulas read.
    static func writePlannerModel(_ sheet: XlsxSheet, book: XlsxWorkbook, planner: PlannerModel, style s: WorkbookStyle) throws {
        try sheet.text(0, 0, "Planner model: the posterior draws behind the Allocation sheet's live cells", s.title)
        try sheet.text(1, 0, "Live response of a channel = mean over the draws below of Σ m × f(a), a = (p × your spend + q × current spend) / spend scale, summed over the terms.", s.note)
        try sheet.text(2, 0, "f is the channel's saturation curve (its formula is in the Allocation sheet's live cells) with the draw's parameters, β in response units per period; the terms spread the spend over the ramp-up, the settled periods and the carryover tail.", s.note)
        try sheet.text(3, 0, "Edit with care: the cells are named (Ch1_Beta, Ch1_Lambda, …) and the Allocation formulas read them. Only this table prints; the draws below it do not.", s.note)
        let r0 = Self.parameterHeaderRow
        try sheet.headers(r0, 0, ["Channel", "Saturation", "Spend scale", "Current spend / period", "Stored draws", "Terms per draw", "Names"], s.header)
        try sheet.height(r0, 30)
        for (c, ch) in planner.channels.enumerated() {
            let r = r0 + 1 + c
            let n = PlannerNames(index: c)
            try sheet.text(r, 0, ch.name, s.text)
            try sheet.text(r, 1, ch.family.displayName, s.text)
            try sheet.number(r, 2, ch.spendScale, s.money)
            try sheet.number(r, 3, ch.currentSpend, s.money)
            try sheet.number(r, 4, Double(ch.drawCount), s.count)
            try sheet.number(r, 5, Double(ch.periods.count), s.count)
            try sheet.text(r, 6, n.prefix + "…", s.note)
            try book.defineName(n.scale, refersTo: CellRef.range(sheet.name, r, 2, r, 2))
            try book.defineName(n.current, refersTo: CellRef.range(sheet.name, r, 3, r, 3))
        }
        var r = r0 + planner.channels.count + 2
        var widest = 7
        for (c, ch) in planner.channels.enumerated() {
            let n = PlannerNames(index: c)
            let k = ch.periods.count
            let names = ch.family.parameterNames
            let w0 = 1 + names.count // first term column, after Draw and the parameters
            widest = max(widest, w0 + 2 * k)
            try sheet.text(r, 0, ch.name, s.section)
            r += 1
            try sheet.headers(r, 0, ["Draw"] + names.map { $0 == "beta" ? "beta (response units / period)" : $0 }
                              + (1...k).map { "p\($0): share of your spend" } + (1...k).map { "q\($0): share of current spend" }, s.header)
            try sheet.height(r, 30)
            r += 1
            try sheet.text(r, 0, "m: periods per term", s.label)
            for (j, m) in ch.periods.enumerated() { try sheet.number(r, w0 + j, m, s.count) }
            try book.defineName(n.periods, refersTo: CellRef.range(sheet.name, r, w0, r, w0 + k - 1))
            let first = r + 1
            for d in 0..<ch.drawCount {
                r += 1
                try sheet.number(r, 0, Double(d + 1), s.count)
                for (i, values) in ch.parameters.enumerated() { try sheet.number(r, 1 + i, values[d], s.precise) }
                for j in 0..<k {
                    try sheet.number(r, w0 + j, ch.planWeight[d][j], s.precise)
                    try sheet.number(r, w0 + k + j, ch.historyWeight[d][j], s.precise)
                }
            }
            for (i, name) in names.enumerated() {
                try book.defineName(n.parameter(name), refersTo: CellRef.range(sheet.name, first, 1 + i, r, 1 + i))
            }
            try book.defineName(n.planWeight, refersTo: CellRef.range(sheet.name, first, w0, r, w0 + k - 1))
            try book.defineName(n.historyWeight, refersTo: CellRef.range(sheet.name, first, w0 + k, r, w0 + 2 * k - 1))
            r += 2
        }
        try sheet.width(0, 0, 22)
        try sheet.width(1, widest, 13)
        sheet.freeze(rows: r0 + 1, cols: 1)
        // Thousands of stored draws would print as a hundred pages: print the table above them.
        try sheet.printArea(rows: 0...(r0 + planner.channels.count), cols: 0...6)
    }
}
