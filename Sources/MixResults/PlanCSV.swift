import Foundation
import MixOptimize

extension PlanSummary {
    /// The plan as a CSV a spreadsheet opens and `mixplan whatif --plan` reads back: one row
    /// per channel, `channel,spend` (spend per period) first, then spend over the horizon, share,
    /// current spend per period, the response's mean and interval, ROAS and marginal ROAS.
    /// Plain numbers (decimal point, no grouping), full precision; channel names quoted when
    /// they hold a comma or quote, and prefixed with ' when a spreadsheet would take them as a
    /// formula (=, +, -, @).
    public func csv() -> String {
        var lines = ["channel,spend,spend_over_horizon,share,current_spend,response_mean,response_lower,response_upper,roas,marginal_roas"]
        for c in channels {
            let numbers = [c.spendPerPeriod, c.spendOverHorizon, c.share, c.currentSpendPerPeriod,
                           c.response.mean, c.response.lower, c.response.upper, c.roas, c.marginalROAS]
            lines.append(([Self.csvText(c.channel)] + numbers.map { String(format: "%.17g", $0) }).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV cell holding `text` literally.
    static func csvText(_ text: String) -> String {
        var cell = text
        if let first = cell.first, "=+-@".contains(first) { cell = "'" + cell }
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension GeoPlan {
    /// The plan as a CSV a spreadsheet opens and `mixplan whatif --plan` reads back: one row per
    /// cell, `geo,channel,spend` (spend per period) first, then spend over the horizon, current
    /// spend per period, the response's mean and interval, ROAS and marginal ROAS. Names are
    /// written as text (quoted when they hold a comma or quote; ' before a leading =, +, - or @).
    public func csv() -> String {
        var lines = ["geo,channel,spend,spend_over_horizon,current_spend,response_mean,response_lower,response_upper,roas,marginal_roas"]
        for c in cells {
            let numbers = [c.spendPerPeriod, c.spendOverHorizon, c.currentSpendPerPeriod, c.response.mean, c.response.lower,
                           c.response.upper, c.roas, c.marginalROAS]
            lines.append(([PlanSummary.csvText(c.geo), PlanSummary.csvText(c.channel)] + numbers.map { String(format: "%.17g", $0) }).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

