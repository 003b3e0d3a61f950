import Foundation

/// A set of allocations the projected-gradient refinement can move in: it knows which entries may
/// move, how much budget is free, and the Euclidean projection onto itself.
protocol AllocationSet {
    var free: [Int] { get }
    var freeBudget: Double { get }
    func project(_ y: [Double]) -> [Double]
}

extension FeasibleSet: AllocationSet {}

/// A limit on the total spend per period of some entries (a geo's cells, or a channel's cells
/// across geos): lower ≤ Σ_{i ∈ members} s_i ≤ upper.
struct SpendGroup: Sendable {
    var name: String
    var members: [Int]
    var lower: Double
    var upper: Double
}

/// {lower ≤ s ≤ upper, Σ s = total} intersected with group limits, each family of groups
/// disjoint (every geo's cells; every channel's cells). The geo optimiser's feasible set.
///
/// Projection is Dykstra's alternating projection (Boyle & Dykstra 1986), which converges to the
/// Euclidean projection onto an intersection of closed convex sets from the exact projections onto
/// each: the box-and-budget set (`FeasibleSet.project`), and per family the product of slabs
/// {lower ≤ Σ_members s ≤ upper}, whose projection shifts each violating group's members equally.
/// The box-and-budget projection comes last in every cycle, so a returned allocation meets the
/// cell bounds and spends the budget exactly (to `FeasibleSet.settle`'s rounding), and the group
/// limits to `groupTolerance`.
struct GroupedFeasibleSet: AllocationSet {
    let base: FeasibleSet
    let families: [[SpendGroup]]

    /// Group limits hold to this share of the budget per period: 1e-11, far below anything a
    /// planner sees and well inside the 1e-9 `BoundPosition` treats as "at the bound".
    static let groupTolerance = 1e-11
    /// Dykstra cycles allowed per projection; well-posed problems of a few dozen cells need tens to
    /// hundreds.
    static let maxCycles = 20_000

    var free: [Int] { base.free }
    var freeBudget: Double { base.freeBudget }
    var total: Double { base.total }

    /// Largest violation of a group limit by `s` (0 when all hold).
    func violation(_ s: [Double]) -> Double {
        var worst = 0.0
        for family in families {
            for g in family {
                let sum = g.members.reduce(0.0) { $0 + s[$1] }
                worst = max(worst, g.lower - sum, sum - g.upper)
            }
        }
        return worst
    }

    func project(_ y: [Double]) -> [Double] {
        projectReporting(y).point
    }

    /// The projection and whether Dykstra's iteration met the group tolerance (false when the
    /// set is empty or the iteration cap was hit).
    func projectReporting(_ y: [Double]) -> (point: [Double], feasible: Bool) {
        let n = y.count
        let scale = max(total, 1e-300)
        let tolerance = Self.groupTolerance * scale
        var x = y
        var increments = [[Double]](repeating: [Double](repeating: 0, count: n), count: families.count + 1)
        for _ in 0..<Self.maxCycles {
            let previous = x
            for (k, family) in families.enumerated() {
                var z = x
                for i in 0..<n { z[i] += increments[k][i] }
                var p = z
                for g in family {
                    let sum = g.members.reduce(0.0) { $0 + z[$1] }
                    let target = min(max(sum, g.lower), g.upper)
                    if target != sum {
                        let shift = (target - sum) / Double(g.members.count)
                        for i in g.members { p[i] += shift }
                    }
                }
                for i in 0..<n { increments[k][i] = z[i] - p[i] }
                x = p
            }
            let last = families.count
            var z = x
            for i in 0..<n { z[i] += increments[last][i] }
            let p = base.project(z)
            for i in 0..<n { increments[last][i] = z[i] - p[i] }
            x = p
            var moved = 0.0
            for i in 0..<n { moved = max(moved, abs(x[i] - previous[i])) }
            if violation(x) <= tolerance && moved <= tolerance { return (x, true) }
        }
        return (x, violation(x) <= 1e3 * tolerance)
    }
}
