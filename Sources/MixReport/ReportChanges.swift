import Foundation
import MixData
import MixModel

extension ReportContext {
    /// "What changed since last week": this run's snapshot against the previous run's, as text.
    ///
    /// Contributions are compared per period (the training window grows each week, so totals
    /// would always rise); ROAS and recommended spend per period compare directly.
    public struct Changes: Sendable {
        /// "2023-01-02 to 2026-05-18 (176 weeks)".
        public var previousPeriod: String
        public var currentPeriod: String
        /// "1 new week of data", "no new data", "the data now ends 2 weeks earlier".
        public var newData: String
        /// Things that make the comparison less direct (another target, currency, objective).
        public var notes: [String]
        public var plan: PlanChange?
        public var channels: [ChannelChange]
        public var fit: [MetricChange]
        /// "Converged → Not converged"; nil when the verdict did not change.
        public var convergence: String?
        /// True when there are notes or a convergence change to list.
        public var hasNotes: Bool
    }

    /// The recommendation's totals then and now (only when both runs optimised).
    public struct PlanChange: Sendable {
        public var previousBudget: String
        public var budget: String
        public var budgetChange: String
        public var previousResponse: String
        public var response: String
        /// Change of the mean expected response, absolute and relative.
        public var responseChange: String
        public var responseChangePercent: String
        public var previousProbabilityBetter: String
        public var probabilityBetter: String
    }

    public struct ChannelChange: Sendable {
        public var name: String
        /// "new" or "dropped" when the channel is in only one of the runs.
        public var status: String?
        public var previousRecommended: String
        public var recommended: String
        public var recommendedChange: String
        public var previousRoas: String
        public var roas: String
        public var roasChange: String
        public var previousContribution: String
        public var contribution: String
        public var contributionChange: String
    }

    public struct MetricChange: Sendable {
        public var name: String
        public var previous: String
        public var current: String
        public var change: String
    }
}

extension ReportContext.Changes {
    /// Compares two snapshots; `current` is this run's.
    public init(current now: ReportSnapshot, previous then: ReportSnapshot) {
        let f = ReportFormat(currency: now.currency)
        let fThen = ReportFormat(currency: then.currency)
        let unit = now.frequency == "daily" ? "day" : "week"
        func span(_ s: ReportSnapshot) -> String {
            "\(s.periodStart) to \(s.periodEnd) (\(ReportContext.count(s.periods, s.frequency == "daily" ? "day" : "week")))"
        }
        previousPeriod = span(then)
        currentPeriod = span(now)
        newData = Self.newData(from: then.periodEnd, to: now.periodEnd, frequency: now.frequency, unit: unit)

        var notes: [String] = []
        if then.target != now.target {
            notes.append("The previous run modelled \"\(then.target)\"; this one models \"\(now.target)\".")
        }
        if then.currency != now.currency {
            // An empty currency (the default) writes plain amounts.
            func named(_ c: String) -> String { c.isEmpty ? "plain amounts (no currency set)" : c }
            notes.append("The previous run reported amounts in \(named(then.currency)); this one in \(named(now.currency)).")
        }
        if then.frequency != now.frequency {
            notes.append("The previous run used \(then.frequency) data; this one uses \(now.frequency) data, so per-period figures are not comparable.")
        }
        if let a = then.plan, let b = now.plan, a.objective != b.objective {
            notes.append("The objective changed from \(a.objective) to \(b.objective).")
        }
        if let a = then.plan, let b = now.plan, a.periods != b.periods {
            notes.append("The planning horizon changed from \(ReportContext.count(a.periods, unit)) to \(ReportContext.count(b.periods, unit)).")
        }
        if then.plan != nil, now.plan == nil { notes.append("The previous run had a recommendation; this one ran no optimisation.") }
        if then.plan == nil, now.plan != nil { notes.append("The previous run had no recommendation to compare with.") }
        self.notes = notes

        if let a = then.plan, let b = now.plan {
            plan = ReportContext.PlanChange(
                previousBudget: fThen.money(a.budget), budget: f.money(b.budget), budgetChange: f.signedMoney(b.budget - a.budget),
                previousResponse: ReportFormat.interval(a.response), response: ReportFormat.interval(b.response),
                responseChange: ReportFormat.signedCompact(b.response.mean - a.response.mean),
                responseChangePercent: ReportFormat.relativeChange(b.response.mean, from: a.response.mean),
                previousProbabilityBetter: then.planKeepsCurrentSpend ? "\u{2014}" : ReportFormat.probability(a.probabilityBetter),
                probabilityBetter: now.planKeepsCurrentSpend ? "\u{2014}" : ReportFormat.probability(b.probabilityBetter))
        } else {
            plan = nil
        }

        let names = now.channels.map(\.name) + then.channels.map(\.name).filter { n in !now.channels.contains { $0.name == n } }
        channels = names.map { name in
            let a = then.channels.first { $0.name == name }
            let b = now.channels.first { $0.name == name }
            let none = "\u{2014}"
            func money(_ x: Double?, _ fmt: ReportFormat) -> String { x.map(fmt.money) ?? none }
            func delta(_ x: Double?, _ y: Double?, _ text: (Double) -> String) -> String {
                guard let x, let y else { return none }
                return text(y - x)
            }
            return ReportContext.ChannelChange(
                name: name, status: a == nil ? "new" : b == nil ? "dropped" : nil,
                previousRecommended: money(a?.recommendedSpendPerPeriod, fThen), recommended: money(b?.recommendedSpendPerPeriod, f),
                recommendedChange: delta(a?.recommendedSpendPerPeriod, b?.recommendedSpendPerPeriod, f.signedMoney),
                previousRoas: a.map { ReportFormat.ratio($0.roas.mean) } ?? none, roas: b.map { ReportFormat.ratio($0.roas.mean) } ?? none,
                roasChange: delta(a?.roas.mean, b?.roas.mean, ReportFormat.signedRatio),
                previousContribution: a.map { ReportFormat.compact($0.contributionPerPeriod) } ?? none,
                contribution: b.map { ReportFormat.compact($0.contributionPerPeriod) } ?? none,
                contributionChange: {
                    guard let x = a?.contributionPerPeriod, let y = b?.contributionPerPeriod else { return none }
                    return ReportFormat.relativeChange(y, from: x)
                }())
        }

        var fit = [
            ReportContext.MetricChange(name: "R² (in sample)", previous: ReportFormat.score(then.inSample.r2),
                                       current: ReportFormat.score(now.inSample.r2),
                                       change: ReportFormat.signedScore(now.inSample.r2 - then.inSample.r2)),
            ReportContext.MetricChange(name: "MAPE (in sample)", previous: ReportFormat.percent(then.inSample.mape),
                                       current: ReportFormat.percent(now.inSample.mape),
                                       change: ReportFormat.signedPoints(now.inSample.mape - then.inSample.mape)),
        ]
        if let a = then.outOfSample, let b = now.outOfSample {
            fit.append(ReportContext.MetricChange(name: "R² (out of sample)", previous: ReportFormat.score(a.r2),
                                                  current: ReportFormat.score(b.r2), change: ReportFormat.signedScore(b.r2 - a.r2)))
            fit.append(ReportContext.MetricChange(name: "MAPE (out of sample)", previous: ReportFormat.percent(a.mape),
                                                  current: ReportFormat.percent(b.mape), change: ReportFormat.signedPoints(b.mape - a.mape)))
        }
        self.fit = fit
        func verdict(_ s: ReportSnapshot) -> String { s.converged ? "Converged" : "Not converged" }
        convergence = then.converged == now.converged ? nil : "\(verdict(then)) \u{2192} \(verdict(now))"
        hasNotes = !notes.isEmpty || convergence != nil
    }

    /// How far the data moved on, in periods of the current run's frequency.
    static func newData(from previousEnd: String, to end: String, frequency: String, unit: String) -> String {
        guard let a = date(previousEnd), let b = date(end) else { return "the previous run's period could not be read" }
        let days = b.dayNumber - a.dayNumber
        let step = frequency == "daily" ? 1 : 7
        let periods = days / step
        if days == 0 { return "no new data" }
        if days < 0 { return "the data now ends \(ReportContext.count(max(-periods, 1), unit)) earlier than last time" }
        let n = max(periods, 1)
        return "\(ReportFormat.count(n)) new \(unit)\(n == 1 ? "" : "s") of data"
    }

    static func date(_ text: String) -> CalendarDate? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return CalendarDate(year: parts[0], month: parts[1], day: parts[2])
    }
}

extension ReportFormat {
    /// "+0.012": a change of a score such as R², always signed.
    public static func signedScore(_ x: Double) -> String {
        let text = score(x)
        if text.hasPrefix(minus) || text == notANumber { return text }
        return (text == score(0) ? "±" : "+") + text
    }

    /// "−0.4 pp": a change of a percentage, in percentage points, always signed.
    public static func signedPoints(_ x: Double) -> String {
        let text = signedPercent(x)
        return text == notANumber ? text : text.replacingOccurrences(of: " %", with: " pp")
    }
}
