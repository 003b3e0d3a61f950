import Foundation

/// How money may move between geos.
public enum GeoSplit: String, Codable, Sendable, CaseIterable {
    /// One budget over every geo × channel cell.
    case cells
    /// A national plan: optimise each channel's total, then split it across geos in proportion to
    /// its current geo split (for planners who cannot move money between geos).
    case historical
}

/// The geo allocation question (issue 22): split `budget` (currency over the horizon) across the
/// live geo × channel cells, spend constant per period within the horizon, with limits per cell,
/// per channel total (over geos) and per geo total (over channels) — each absolute spend per period
/// or relative to the current spend of the cell, channel or geo — and cells held at current spend.
public struct GeoBudgetProblem: Sendable {
    public var budget: Double
    public var horizon: HorizonSettings
    public var split: GeoSplit
    public var cellBounds: [GeoCell: SpendBound]
    /// Limits on a channel's total spend per period over every geo.
    public var channelBounds: [String: SpendBound]
    /// Limits on a geo's total spend per period over every channel.
    public var geoBounds: [String: SpendBound]
    /// Cells held at their current spend.
    public var fixedCells: Set<GeoCell>

    public init(budget: Double, horizon: HorizonSettings, split: GeoSplit = .cells, cellBounds: [GeoCell: SpendBound] = [:],
                channelBounds: [String: SpendBound] = [:], geoBounds: [String: SpendBound] = [:], fixedCells: Set<GeoCell> = []) {
        self.budget = budget
        self.horizon = horizon
        self.split = split
        self.cellBounds = cellBounds
        self.channelBounds = channelBounds
        self.geoBounds = geoBounds
        self.fixedCells = fixedCells
    }

    /// The problem the fitted config describes, as the national `DefaultPlan` does: the budget
    /// (optimizer.budget, else current spend × horizon), every cell — or, in historical-split mode,
    /// every channel total — within ±optimizer.relative_bound of current spend, and the cells of
    /// `optimizer.fixed` channels held.
    public static func configured(for model: GeoResponseDraws, horizon: HorizonSettings, budget: Double? = nil,
                                  split: GeoSplit = .cells) -> GeoBudgetProblem {
        let cfg = model.optimizer
        let total = budget ?? cfg.budget ?? model.currentSpend.reduce(0, +) * Double(horizon.periods)
        var problem = GeoBudgetProblem(budget: total, horizon: horizon, split: split)
        let bound = SpendBound.relative(fraction: cfg.relativeBound)
        switch split {
        case .cells: for cell in model.cellIDs { problem.cellBounds[cell] = bound }
        case .historical: for channel in model.channelNames { problem.channelBounds[channel] = bound }
        }
        problem.fixedCells = Set(model.cellIDs.filter { cfg.fixed.contains($0.channel) })
        return problem
    }

    /// Checks every name against the model: unknown geos, channels and cells (and cells where the
    /// channel never spent, which have no modelled effect) are errors naming the name and the
    /// model's names.
    func validate(against model: GeoResponseDraws) throws {
        let live = Set(model.cellIDs)
        func check(_ cell: GeoCell, _ role: String) throws {
            guard model.geoNames.contains(cell.geo) else { throw OptimizationError("Unknown geo \"\(cell.geo)\" in \(role); the model's geos are \(model.geoNames.joined(separator: ", ")).") }
            guard model.channelNames.contains(cell.channel) else { throw OptimizationError("Unknown channel \"\(cell.channel)\" in \(role); the model's channels are \(model.channelNames.joined(separator: ", ")).") }
            guard live.contains(cell) else { throw OptimizationError("Channel \"\(cell.channel)\" never spent in geo \"\(cell.geo)\" (\(role)): the model has no effect for it there, so it cannot be planned.") }
        }
        for cell in cellBounds.keys.sorted(by: { $0.name < $1.name }) { try check(cell, "the cell bounds") }
        for cell in fixedCells.sorted(by: { $0.name < $1.name }) { try check(cell, "the fixed cells") }
        for name in channelBounds.keys.sorted() where !model.channelNames.contains(name) {
            throw OptimizationError("Unknown channel \"\(name)\" in the channel bounds; the model's channels are \(model.channelNames.joined(separator: ", ")).")
        }
        for name in geoBounds.keys.sorted() where !model.geoNames.contains(name) {
            throw OptimizationError("Unknown geo \"\(name)\" in the geo bounds; the model's geos are \(model.geoNames.joined(separator: ", ")).")
        }
        guard split == .historical else { return }
        let partlyFixed = Set(fixedCells.map(\.channel)).filter { channel in model.cellIDs.contains { $0.channel == channel && !fixedCells.contains($0) } }
        if !(cellBounds.isEmpty && geoBounds.isEmpty && partlyFixed.isEmpty) {
            throw OptimizationError("In the historical geo split only channel totals can be bounded or fixed (each geo's share of a channel is its current share); drop the cell and geo bounds and fix whole channels, or plan by cell.")
        }
    }

    /// The per-period limits of one group, from its bound and its current total.
    static func limits(_ bound: SpendBound?, current: Double, what: String) throws -> (lower: Double, upper: Double) {
        switch bound {
        case .absolute(let lo, let hi)?:
            guard lo >= 0, hi >= lo, hi.isFinite else { throw OptimizationError("Bounds of \(what) must satisfy 0 ≤ min ≤ max; got \(lo) to \(hi).") }
            return (lo, hi)
        case .relative(let f)?:
            guard f >= 0, f.isFinite else { throw OptimizationError("Relative bound of \(what) must be a non-negative fraction; got \(f).") }
            return (max(0, current * (1 - f)), current * (1 + f))
        case nil:
            return (0, .infinity)
        }
    }
}
