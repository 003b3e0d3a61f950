import Foundation
import MixData
import MixModel
import MixOptimize

/// A geo budget plan as the report shows it (the "Recommended plan" section): the whole plan and
/// its chance of beating current spend with the caveat beside it, the national channel totals
/// first, then the geos whose allocation moves most with their cells, then every geo's total.
/// All values are formatted text.
public struct GeoPlanText: Sendable {
    /// "€120,000 over the next 4 weeks".
    public var budget: String
    /// "€118,400" over the same horizon at current spend.
    public var currentBudget: String
    /// How money may move: one budget over the cells, or national totals split as now.
    public var split: String
    /// The objective as `optimize --objective` writes it ("mean", "cvar:0.1"); nil for a what-if.
    public var objective: String?
    /// Expected response of the plan and at current spend, with intervals; change against current.
    public var response: String
    public var currentResponse: String
    public var change: String
    /// "87 %": the chance the plan beats current spend.
    public var probabilityBetter: String
    /// What that chance assumes (`GeoPlanText.caveat`); nil when nothing needs saying.
    public var caveat: String?
    /// The optimiser's reason this plan is the best (nil for a what-if).
    public var certificate: String?
    public var channels: [Total]
    /// The geos whose allocation moves most (largest money moved first), with their cells.
    public var movers: [Move]
    /// "2 other geos move less; every geo's total is below." (nil when every geo is a mover).
    public var moreGeos: String?
    public var geos: [Total]

    /// A channel's total over geos, or a geo's total over channels.
    public struct Total: Sendable {
        public var name: String
        public var current: String
        public var recommended: String
        /// Spend change in per cent ("+12.0 %", or "new" from nothing).
        public var spendChange: String
        /// Change of the group's expected response against current spend, with its interval.
        public var responseChange: String
        /// The chance the group's cells beat current spend, with "(see caveat)" when the plan has one.
        public var probabilityBetter: String
    }

    public struct Move: Sendable {
        public var geo: String
        /// E.g. "moves 1,230 per week (18.2 % of its spend); total 6,750 → 7,010 (+3.9 %)".
        public var why: String
        public var cells: [Line]
    }

    public struct Line: Sendable {
        public var channel: String
        public var current: String
        public var recommended: String
        public var change: String
    }

    /// How many geos the report singles out as moving most.
    public static let movers = 5

    /// The report's text of `plan` (spend per period per cell) on the fit `m`; `plan.plan.caveat` is shown as the caveat.
    public init(_ m: GeoModelFolder, plan: GeoPlan) {
        let money = ReportFormat(currency: m.config.report.currency)
        let unit = m.panel.geos[0].frequency == .daily ? "day" : "week"
        let p = plan.plan
        let periods = "\(p.periods) \(unit)\(p.periods == 1 ? "" : "s")"
        budget = "\(money.money(p.totalSpend)) over the next \(periods)"
        currentBudget = money.money(plan.cells.reduce(0) { $0 + $1.currentSpendPerPeriod } * Double(p.periods))
        split = plan.split == .historical
            ? "a national plan: each channel's total is optimised and split across geos in proportion to its current geo split"
            : "one budget over every geo × channel cell, so money can move between geos"
        objective = plan.objective
        response = ReportFormat.interval(p.response)
        currentResponse = ReportFormat.interval(p.currentResponse)
        change = ReportFormat.signedInterval(p.change)
        probabilityBetter = ReportFormat.probability(p.probabilityBetter)
        caveat = p.caveat
        certificate = plan.certificate?.explanation
        func spendChange(_ now: Double, _ then: Double) -> String {
            now > 0 ? ReportFormat.signedPercent(then / now - 1) : (then > 0 ? "new" : "–")
        }
        func total(_ t: GeoPlan.Total) -> Total {
            Total(name: t.name, current: money.money(t.currentSpendPerPeriod), recommended: money.money(t.spendPerPeriod),
                  spendChange: spendChange(t.currentSpendPerPeriod, t.spendPerPeriod), responseChange: ReportFormat.signedInterval(t.change),
                  probabilityBetter: ReportFormat.probability(t.probabilityBetter) + (p.caveat == nil ? "" : " (see caveat)"))
        }
        channels = plan.channels.map(total)
        geos = plan.geos.map(total)
        let moved = Self.moved(plan)
        let order = plan.geos.indices.sorted { moved[$0] != moved[$1] ? moved[$0] > moved[$1] : $0 < $1 }
        let shown = order.prefix(Self.movers).filter { moved[$0] > 0 }
        movers = shown.map { g in
            let t = plan.geos[g]
            let share = t.currentSpendPerPeriod > 0 ? " (\(ReportFormat.percent(moved[g] / t.currentSpendPerPeriod)) of its spend)" : ""
            return Move(geo: t.name,
                        why: "moves \(money.money(moved[g])) per \(unit)\(share); total \(money.money(t.currentSpendPerPeriod)) → \(money.money(t.spendPerPeriod)) per \(unit)",
                        cells: plan.cells.filter { $0.geo == t.name }.map { c in
                            Line(channel: c.channel + (c.isFixed ? " (fixed)" : ""), current: money.money(c.currentSpendPerPeriod),
                                 recommended: money.money(c.spendPerPeriod), change: spendChange(c.currentSpendPerPeriod, c.spendPerPeriod))
                        })
        }
        let rest = plan.geos.count - shown.count
        moreGeos = rest > 0 ? "\(rest) other geo\(rest == 1 ? "" : "s") move\(rest == 1 ? "s" : "") less; every geo's total is in the table below." : nil
    }

    /// Money moved per period in each geo of `plan.geos`: the sum over its cells of |plan − current|.
    public static func moved(_ plan: GeoPlan) -> [Double] {
        plan.geos.map { g in plan.cells.filter { $0.geo == g.name }.reduce(0) { $0 + abs($1.spendPerPeriod - $1.currentSpendPerPeriod) } }
    }

    /// What a geo plan's chance of beating current spend assumes, shown beside every such chance
    /// (the geo form of the national `PlanningResults.caveat`): the fit did not converge, and/or the
    /// plan changes spend (by more than 1 % of current in any geo) on a channel whose pooled ROAS
    /// the data did not inform (`GeoReportContext.priorDominated`). Nil when neither.
    public static func caveat(_ m: GeoModelFolder, plan: GeoPlan) -> String? {
        var parts: [String] = []
        if !m.summary.verdict.passed { parts.append("the geo fit did not converge, so this chance is provisional") }
        let dominated = Set(GeoReportContext.priorDominated(m))
        let moved = m.panel.channelNames.filter { name in
            dominated.contains(name) && plan.cells.contains { c in
                c.channel == name && abs(c.spendPerPeriod - c.currentSpendPerPeriod) > 0.01 * max(c.currentSpendPerPeriod, 1e-12)
            }
        }
        if !moved.isEmpty {
            let one = moved.count == 1
            parts.append("this plan moves spend on \(one ? "a channel" : "channels") the data did not inform (\(moved.joined(separator: ", "))): "
                         + "\(one ? "its" : "their") ROAS comes mostly from the prior, so the change and its chance of beating current spend assume the prior is right")
        }
        guard !parts.isEmpty else { return nil }
        let text = parts.joined(separator: "; and ")
        return text.prefix(1).uppercased() + text.dropFirst() + "."
    }
}
