import Foundation
import MixOptimize
import MixPlanningTestSupport

/// Hand-made geo posteriors for the geo optimiser's tests: the curves' shapes are shared by every
/// geo (as in the geo model), each cell has its own β per draw and scales by geo size.
enum HandMadeGeo {
    /// Geos north, south, west (sizes 5 : 2 : 1) × channels tv (logistic, carryover), search
    /// (Michaelis–Menten) and social (logistic); social never spent in west, so it has no cell there.
    /// Search earns most per unit at current spend, so limits on its total bind.
    static func threeByThree(draws D: Int = 300, seed: UInt64 = 5) -> GeoResponseDraws {
        var rng = TestRandom(state: seed)
        func around(_ x: Double, _ sd: Double) -> [Double] { (0..<D).map { _ in x * exp(sd * rng.normal() - sd * sd / 2) } }
        let ones = [Double](repeating: 1, count: D)
        // β lives in the cells; the shared curves carry a placeholder β of 1 (as `GeoResponseDraws`
        // saves them), replaced by each cell's own in `cellDraws`.
        let curves = [
            HandMade.channel("tv", .logistic, beta: ones, lambda: around(1.5, 0.2), carryover: [[0.6, 0.3, 0.1]], spendScale: 1, targetScale: 1),
            HandMade.channel("search", .michaelisMenten, beta: ones, lambda: around(0.8, 0.2), spendScale: 1, targetScale: 1),
            HandMade.channel("social", .logistic, beta: ones, lambda: around(2.0, 0.2), spendScale: 1, targetScale: 1),
        ]
        let geos = [("north", 5.0), ("south", 2.0), ("west", 1.0)]
        let strength = ["tv": 1.0, "search": 1.6, "social": 0.7]
        let current = ["tv": 40.0, "search": 20.0, "social": 15.0]
        var cells: [GeoResponseDraws.Cell] = []
        for (g, size) in geos {
            for channel in ["tv", "search", "social"] where !(g == "west" && channel == "social") {
                let geoEffect = g == "south" ? 1.3 : (g == "west" ? 0.8 : 1.0)
                cells.append(.init(geo: g, channel: channel, beta: around(strength[channel]! * geoEffect, 0.3),
                                   spendScale: 30 * size, targetScale: 100 * size,
                                   currentSpend: current[channel]! * size, historicalSpend: current[channel]! * size * 0.9))
            }
        }
        return GeoResponseDraws(geoNames: geos.map(\.0), channelNames: ["tv", "search", "social"], curves: curves, cells: cells,
                                optimizer: .init(), currentWindowText: "the last 4 weeks", configPath: "mixplan.yaml", converged: true)
    }

    /// One geo whose cells are exactly the channels of `national` (its β, shapes and scales).
    static func oneGeo(_ national: ParametricResponseDraws, current: [Double]) -> GeoResponseDraws {
        let curves = national.channels
        let cells = zip(national.channels, current).map { ch, now in
            GeoResponseDraws.Cell(geo: "all", channel: ch.name, beta: ch.beta, spendScale: ch.spendScale, targetScale: ch.targetScale,
                                  currentSpend: now, historicalSpend: now)
        }
        return GeoResponseDraws(geoNames: ["all"], channelNames: national.channelNames, curves: curves, cells: cells,
                                optimizer: .init(), currentWindowText: "the last 4 weeks", configPath: "mixplan.yaml", converged: true)
    }

    /// Whether `s` (spend per period per cell) meets every cell, channel-total and geo-total limit
    /// and fixed cell of `optimizer`'s problem (checked here from the problem's own terms, not by
    /// the solver's feasible set), with `slack` of room.
    static func feasible(_ s: [Double], _ optimizer: GeoOptimizer, slack: Double = 0) -> Bool {
        let model = optimizer.model, problem = optimizer.problem, ids = model.cellIDs, current = model.currentSpend
        func within(_ x: Double, _ bound: SpendBound?, current: Double) -> Bool {
            switch bound {
            case .absolute(let lo, let hi)?: return x >= lo - slack && x <= hi + slack
            case .relative(let f)?: return x >= current * (1 - f) - slack && x <= current * (1 + f) + slack
            case nil: return x >= -slack
            }
        }
        let fixedOK = ids.indices.allSatisfy { !problem.fixedCells.contains(ids[$0]) || abs(s[$0] - current[$0]) <= slack }
        let cellsOK = ids.indices.allSatisfy { within(s[$0], problem.cellBounds[ids[$0]], current: current[$0]) }
        let channelsOK = model.channelNames.allSatisfy { c in
            let members = ids.indices.filter { ids[$0].channel == c }
            return within(members.reduce(0) { $0 + s[$1] }, problem.channelBounds[c], current: members.reduce(0) { $0 + current[$1] })
        }
        let geosOK = model.geoNames.allSatisfy { g in
            let members = ids.indices.filter { ids[$0].geo == g }
            return within(members.reduce(0) { $0 + s[$1] }, problem.geoBounds[g], current: members.reduce(0) { $0 + current[$1] })
        }
        return fixedOK && cellsOK && channelsOK && geosOK
    }

    /// Random allocations that meet `optimizer`'s problem, drawn independently of the solver:
    /// fixed cells at current spend, the rest a uniform (flat Dirichlet) split of what is left,
    /// kept only when every limit holds.
    static func randomFeasible(_ optimizer: GeoOptimizer, count: Int, seed: UInt64) -> [[Double]] {
        let ids = optimizer.model.cellIDs, current = optimizer.model.currentSpend, problem = optimizer.problem
        let perPeriod = problem.budget / Double(problem.horizon.periods)
        let fixed = ids.indices.filter { problem.fixedCells.contains(ids[$0]) }
        let free = ids.indices.filter { !problem.fixedCells.contains(ids[$0]) }
        let left = perPeriod - fixed.reduce(0) { $0 + current[$1] }
        var rng = TestRandom(state: seed)
        var out: [[Double]] = []
        var tries = 0
        while out.count < count && tries < 2_000_000 {
            tries += 1
            let w = free.map { _ in -log(rng.uniform()) }
            let total = w.reduce(0, +)
            var s = current
            for (k, i) in free.enumerated() { s[i] = left * w[k] / total }
            if feasible(s, optimizer) { out.append(s) }
        }
        return out
    }

    /// Feasible plans near `s`: one to three transfers between random free cells, each of a random
    /// size from 1e-4 to 10 % of the budget per period (log-uniform), kept when every limit still
    /// holds. A plan that is not optimal loses to some of these: whatever direction improves it,
    /// small transfers along it are drawn.
    static func randomNear(_ s: [Double], _ optimizer: GeoOptimizer, count: Int, seed: UInt64) -> [[Double]] {
        let ids = optimizer.model.cellIDs, problem = optimizer.problem
        let perPeriod = problem.budget / Double(problem.horizon.periods)
        let free = ids.indices.filter { !problem.fixedCells.contains(ids[$0]) }
        var rng = TestRandom(state: seed)
        var out: [[Double]] = []
        var tries = 0
        while out.count < count && tries < 1_000_000 {
            tries += 1
            var t = s
            for _ in 0..<(1 + Int(rng.uniform() * 3)) {
                let i = free[Int(rng.uniform() * Double(free.count))], j = free[Int(rng.uniform() * Double(free.count))]
                let delta = perPeriod * pow(10, -4 + 3 * rng.uniform())
                t[i] -= delta
                t[j] += delta
            }
            if feasible(t, optimizer) { out.append(t) }
        }
        return out
    }
}
