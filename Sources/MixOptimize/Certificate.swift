import Foundation

/// Why the returned allocation can be trusted, and how the solver got there.
public struct OptimalityCertificate: Codable, Sendable, Equatable {
    /// `kkt-multiplier` (exact, concave mean), `kkt-multiplier+newton-polish` (the same KKT point
    /// reached by Newton steps with exact curvature on all draws, from a subsample solution or the previous frontier point), `dp-grid+projected-gradient` (non-concave mean),
    /// `multistart-exchange+projected-gradient` (risk objectives), `local-projected-gradient` (a
    /// single local ascent from a given start; no global claim).
    public var method: String
    /// Common marginal horizon response λ (per unit of per-period spend) of interior channels.
    public var multiplier: Double?
    /// Spread (max − min) of marginal mean response across interior channels, divided by λ.
    /// Zero at an exact KKT point; reported for the mean objective.
    public var kktResidual: Double?
    /// True when channels at their lower bound have marginal ≤ λ and those at their upper bound
    /// have marginal ≥ λ (non-negative bound multipliers), within the residual.
    public var boundMultipliersValid: Bool?
    /// Best objective value found by the global stage (grid / multi-start), on all draws.
    public var globalValue: Double?
    /// Objective value after local refinement.
    public var refinedValue: Double
    /// refinedValue − globalValue: ≥ 0 means the refinement kept or improved the global best.
    public var gap: Double?
    /// Objective values reached from each start of the global stage (multi-start methods).
    public var startValues: [Double]
    /// Solver iterations (multiplier steps, exchange sweeps and gradient steps together).
    public var iterations: Int
    /// Whether the stopping tolerance was met before the iteration limit.
    public var converged: Bool
    /// Adjustable channels the bounds hold at their upper limit (their marginal response is
    /// above the common one: a wider bound would earn more), at their lower limit (below it),
    /// and the ones between their limits (equal marginal response; a channel whose upper limit
    /// is the whole budget counts here) — for the mean's KKT check; nil otherwise and in
    /// results written before these were recorded.
    public var channelsAtUpperBound: [String]?
    public var channelsAtLowerBound: [String]?
    public var channelsBetweenBounds: [String]?
    /// With limits on groups of channels (a geo plan's channel and geo totals): ‖Π(s + η∇f) − s‖∞
    /// relative to the step η·‖∇f‖∞ (0.1 % of the free budget), zero exactly at a KKT point; nil otherwise.
    public var projectedGradientResidual: Double?
}

extension OptimalityCertificate {
    /// The certificate in a planner's words: why this plan is the best one (or how far the claim
    /// goes), with the figure that backs it.
    public var explanation: String {
        func sci(_ x: Double) -> String { String(format: "%.1e", x) }
        let kkt = kktResidual.map { " (marginal responses agree to \(sci($0)) relative)" } ?? ""
        switch method {
        case let m where m.hasPrefix("kkt-multiplier"):
            return kktExplanation(residualText: kkt)
        case let m where m.hasPrefix("dp-grid"):
            return "global search over a fine spend grid (the curves are S-shaped), then refined" + kkt
        case let m where m.hasPrefix("multistart"):
            let gapText = gap.map { $0 >= 0 ? "; refinement kept or improved the global best" : "; refinement fell \(sci(-$0)) short of the global best" } ?? ""
            let residual = projectedGradientResidual.map { "; projected-gradient residual \(sci($0)) (0 at the optimum of a smooth objective such as the mean)" } ?? ""
            return "best of \(startValues.count) starting plans on the joint posterior draws, then refined" + gapText + residual
        default:
            return "local search from the given starting plan only: it need not be the best plan"
        }
    }

    /// The KKT conditions in words: equal marginal response holds only for the channels between
    /// their bounds; the ones a bound holds are named with the direction the bound pushes them.
    private func kktExplanation(residualText: String) -> String {
        let upper = channelsAtUpperBound ?? [], lower = channelsAtLowerBound ?? [], between = channelsBetweenBounds ?? []
        func names(_ list: [String]) -> String { list.joined(separator: ", ") }
        if upper.isEmpty && lower.isEmpty {
            if between.count == 1 { return "exact optimum: only \(between[0]) can move, so it takes the budget the other channels leave" }
            return "exact optimum: every adjustable channel's next unit of spend earns the same" + residualText
        }
        var parts: [String]
        let reference: String
        switch between.count {
        case 0:
            parts = ["exact optimum: every adjustable channel is held by a bound"]
            reference = "the others'"
        case 1:
            parts = ["exact optimum: \(between[0]), the one adjustable channel not held by a bound, takes the rest of the budget"]
            reference = "\(between[0])'s"
        default:
            parts = ["exact optimum: the channels not held by a bound (\(names(between))) earn the same from their next unit of spend" + residualText]
            reference = "theirs"
        }
        if !upper.isEmpty {
            parts.append("held at the upper bound: \(names(upper)) (\(upper.count == 1 ? "its" : "their") next unit would earn more than \(reference), so a wider bound would pay)")
        }
        if !lower.isEmpty {
            parts.append("held at the lower bound: \(names(lower)) (\(lower.count == 1 ? "its" : "their") next unit would earn less than \(reference), so \(lower.count == 1 ? "it stays at its" : "they stay at their") minimum)")
        }
        return parts.joined(separator: "; ")
    }
}

/// Where a channel's spend sits between its bounds, for the KKT check. A solver stops a rounding
/// error short of a bound (1.5e-11 below it, say); counting such a channel as between its bounds
/// would demand that it earn the same as the free channels, inflating the residual and the
/// wording. So a spend within `relativeTolerance` of the budget from a bound is at that bound.
public enum BoundPosition: Sendable, Equatable {
    case lower, between, upper

    /// 1e-9 of the budget: far above rounding, far below any amount a planner would notice.
    public static let relativeTolerance = 1e-9

    public init(spend: Double, lower: Double, upper: Double, budget: Double) {
        let tolerance = Self.relativeTolerance * max(abs(budget), abs(upper), 1e-300)
        let toLower = spend - lower, toUpper = upper - spend
        if toLower <= tolerance && toLower <= toUpper {
            self = .lower
        } else if toUpper <= tolerance {
            self = .upper
        } else {
            self = .between
        }
    }
}

/// Knobs of the solver; defaults suit 10 channels × 4000 draws.
public struct SolverOptions: Codable, Sendable, Equatable {
    /// Grid steps over the free budget for the DP of non-concave mean problems.
    public var gridSteps: Int = 400
    /// Draws used by the global multi-start stage of risk objectives (all draws when fewer);
    /// the final exchange and gradient refinement always use every draw.
    public var globalStageDraws: Int = 600
    /// Extra random starts (Dirichlet-like splits) beyond equal, current, mean-optimal and corners.
    public var randomStarts: Int = 2
    /// Seed of the random starts and draw subsample (same seed ⇒ same answer).
    public var seed: UInt64 = 20_261_123
    /// Relative tolerance on the budget identity and the multiplier.
    public var tolerance: Double = 1e-12
    /// Smallest exchange step, as a share of the free budget (the whole search when all draws
    /// fit the global stage).
    public var finestStep: Double = 1e-5
    /// Smallest step of the all-draws exchange that follows a subsampled global stage; the
    /// gradient polish continues from there.
    public var finalStep: Double = 1e-4
    /// Iteration cap of the projected-gradient refinement.
    public var maxGradientIterations: Int = 300
    /// Iteration cap of the gradient polish after the exchange stage of risk objectives (the
    /// exchange already reached the finest step; the polish only sharpens smooth objectives).
    public var riskRefinementIterations: Int = 30

    public init() {}
}
