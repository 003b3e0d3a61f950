import Foundation
import MixModel

/// Several models' budget problems as one (DESIGN.md §10): a budget split across models ×
/// channels. The portfolio is a single `BudgetProblem` over channels named `model/channel`, with
/// each model's bounds and fixed channels carried over, solved by the one `BudgetOptimizer` — so
/// the solvers, the certificate, what-if and the frontier are the single-model ones.
///
/// Joint draws: models are fitted independently, so their posteriors are independent and draw d
/// of one model paired with draw d of another is a draw of the joint posterior. When the models
/// have different numbers of draws, each keeps the same number D (the smallest), spread evenly
/// over its chains; a one-model portfolio keeps every draw, so it is that model's problem exactly.
/// Responses are added across models, so they must be in the same unit (revenue, say).
public struct Portfolio {
    /// One model of the portfolio.
    public struct Member {
        public var name: String
        public var draws: ParametricResponseDraws
        /// The model's own problem (its bounds, fixed channels, current spend); its budget and
        /// horizon are replaced by the portfolio's.
        public var problem: BudgetProblem

        public init(name: String, draws: ParametricResponseDraws, problem: BudgetProblem) {
            self.name = name
            self.draws = draws
            self.problem = problem
        }

        /// A fitted model with the problem its config describes (DefaultPlan).
        public init(name: String, model: FittedModel, horizon: HorizonSettings) throws {
            self.init(name: name, draws: ParametricResponseDraws(model: model),
                      problem: try DefaultPlan.problem(for: model, horizon: horizon))
        }
    }

    /// Separates the model from the channel in the portfolio's channel names.
    public static let separator = "/"

    public let members: [Member]
    public let horizon: HorizonSettings

    public init(members: [Member], horizon: HorizonSettings) throws {
        guard !members.isEmpty else { throw OptimizationError("The portfolio has no models.") }
        var seen = Set<String>()
        for m in members {
            guard seen.insert(m.name).inserted else { throw OptimizationError("The portfolio lists model \"\(m.name)\" twice.") }
            guard m.draws.channelNames == m.problem.channelNames else {
                throw OptimizationError("Model \"\(m.name)\": its problem's channels differ from its posterior's.")
            }
            // A minimum share is a share of the model's own budget, which the portfolio decides.
            guard m.problem.minimumShares.isEmpty else {
                throw OptimizationError("Model \"\(m.name)\" sets minimum shares of its budget; in a portfolio give its channels absolute bounds instead.")
            }
        }
        self.members = members
        self.horizon = horizon
    }

    /// The portfolio's channel name of a model's channel.
    public static func channelName(model: String, channel: String) -> String { model + separator + channel }

    /// `model/channel` names in model order, each model's channels in its own order.
    public var channelNames: [String] {
        members.flatMap { m in m.draws.channelNames.map { Self.channelName(model: m.name, channel: $0) } }
    }

    /// Index range of each model's channels in `channelNames`.
    public var channelRanges: [Range<Int>] {
        var start = 0
        return members.map { m in
            defer { start += m.draws.channels.count }
            return start..<(start + m.draws.channels.count)
        }
    }

    /// Draws every model keeps: the smallest model's count.
    public var jointDrawCount: Int { members.map(\.draws.drawCount).min()! }

    /// The joint posterior over every model's channels (see the type's comment on pairing draws).
    public func jointDraws() -> ParametricResponseDraws {
        let d = jointDrawCount
        return ParametricResponseDraws(channels: members.flatMap { m -> [ChannelDraws] in
            let n = m.draws.drawCount
            let kept = n == d ? m.draws : m.draws.subset((0..<d).map { $0 * n / d })
            return kept.channels.map { c in
                var renamed = c
                renamed.name = Self.channelName(model: m.name, channel: c.name)
                return renamed
            }
        })
    }

    /// Current spend per period, all models' channels.
    public var currentSpend: [Double] { members.flatMap(\.problem.currentSpend) }

    /// Current total spend over the horizon: the budget when none is given.
    public var currentBudget: Double { currentSpend.reduce(0, +) * Double(horizon.periods) }

    /// The one problem: `budget` over the horizon across every model's channels, each channel
    /// keeping its model's bound and fixed spend.
    public func problem(budget: Double) -> BudgetProblem {
        var bounds: [String: SpendBound] = [:], fixed: [String: Double] = [:]
        for m in members {
            for (channel, bound) in m.problem.bounds { bounds[Self.channelName(model: m.name, channel: channel)] = bound }
            for (channel, spend) in m.problem.fixed { fixed[Self.channelName(model: m.name, channel: channel)] = spend }
        }
        return BudgetProblem(channelNames: channelNames, budget: budget, horizon: horizon, currentSpend: currentSpend,
                             bounds: bounds, fixed: fixed)
    }

    /// The single-model optimiser on the joint problem.
    public func optimizer(budget: Double, options: SolverOptions = SolverOptions()) throws -> BudgetOptimizer {
        try BudgetOptimizer(draws: jointDraws(), problem: problem(budget: budget), options: options)
    }

    /// Per-model totals of a portfolio plan (spend per period in `channelNames` order).
    public func modelTotals(_ plan: PlanSummary) -> [PortfolioModelLine] {
        zip(members, channelRanges).map { m, range in
            let lines = Array(plan.channels[range])
            return PortfolioModelLine(model: m.name,
                                      currentSpendPerPeriod: lines.reduce(0) { $0 + $1.currentSpendPerPeriod },
                                      spendPerPeriod: lines.reduce(0) { $0 + $1.spendPerPeriod },
                                      responseMean: lines.reduce(0) { $0 + $1.response.mean })
        }
    }
}

/// One model's share of a portfolio plan.
public struct PortfolioModelLine: Codable, Sendable, Equatable {
    public var model: String
    public var currentSpendPerPeriod: Double
    public var spendPerPeriod: Double
    /// Mean horizon response of the model's channels under the plan.
    public var responseMean: Double
}
