import Foundation
import MixOptimize

/// Optimiser speed on the issue-5 size: 10 channels × 4000 draws, 8-lag geometric carryover,
/// 12-period horizon with the carryover tail. Targets: mean < 20 ms, each risk objective < 1 s,
/// a 20-point frontier < 2 s.
enum OptimizeBench {
    static func posterior(channels: Int, draws: Int, lags: Int) -> ParametricResponseDraws {
        var state: UInt64 = 42
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return (Double((z ^ (z >> 31)) >> 11) + 0.5) / Double(1 << 53)
        }
        func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
        let shared = (0..<draws).map { _ in normal() }
        return ParametricResponseDraws(channels: (0..<channels).map { c in
            let x = Double(c)
            let beta = shared.map { 0.2 * (1 + 0.3 * x) * exp(0.3 * (0.5 * $0 + 0.87 * normal())) }
            let lambda = (0..<draws).map { _ in (0.8 + 0.25 * x) * exp(0.2 * normal()) }
            let carryover = (0..<draws).map { _ -> [Double] in
                let alpha = 0.2 + 0.5 * uniform()
                return (0..<lags).map { pow(alpha, Double($0)) }
            }
            let family: SaturationFamily = c % 3 == 2 ? .michaelisMenten : .logistic
            return ChannelDraws(name: "ch\(c)", family: family, beta: beta, shape1: lambda, carryover: carryover,
                                spendScale: 1000 * (1 + x), targetScale: 50_000)
        })
    }

    static func time(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return best
    }

    static func run() {
        table(lags: 8)
        print("")
        table(lags: 1)
    }

    /// With 8 lags each draw's horizon response is 15 curve evaluations (7 ramp-up periods, the
    /// steady block, 7 tail periods); with 1 lag (no carryover) it is one.
    static func table(lags: Int) {
        let draws = posterior(channels: 10, draws: 4000, lags: lags)
        let current = (0..<10).map { 400 * (1 + Double($0)) }
        let problem = BudgetProblem(channelNames: draws.channelNames, budget: current.reduce(0, +) * 12,
                                    horizon: HorizonSettings(periods: 12), currentSpend: current,
                                    bounds: ["ch0": .relative(fraction: 0.3)], fixed: ["ch9": current[9]])
        do {
            var rows: [(String, Double, Double, String)] = []
            var setup: BudgetOptimizer!
            let build = try time(1) { setup = try BudgetOptimizer(draws: draws, problem: problem) }
            let optimizer = setup!
            rows.append(("setup (horizon terms)", build, .nan, "-"))
            var values = [Double](repeating: 0, count: 4000), slopes = values
            let ems = time(20) {
                values.withUnsafeMutableBufferPointer { v in
                    slopes.withUnsafeMutableBufferPointer { g in
                        for c in 0..<10 { optimizer.horizon.evaluate(channel: c, spend: current[c], values: v, slopes: g) }
                    }
                }
            }
            rows.append(("evaluate all channels", ems, .nan, "values + slopes, all draws"))
            for (name, objective, target) in [("mean", Objective.mean, 20.0), ("mean-sd:1", .meanMinusSD(k: 1), 1000),
                                              ("var:0.05", .valueAtRisk(q: 0.05), 1000), ("cvar:0.05", .conditionalValueAtRisk(q: 0.05), 1000)] {
                var solution: Solution!
                let ms = try time(objective == .mean ? 5 : 1) { solution = try optimizer.solve(objective) }
                let c = solution.certificate
                let note = c.kktResidual.map { String(format: "KKT %.1e, %d it", $0, c.iterations) }
                    ?? String(format: "gap %.2g, %d it", c.gap ?? .nan, c.iterations)
                rows.append((name, ms, target, note))
            }
            var frontier: BudgetFrontier!
            let fms = try time(1) { frontier = try optimizer.frontier(.mean, steps: 20) }
            rows.append(("frontier 20 × mean", fms, 2000, "\(frontier.points.count) points"))
            let wms = try time(5) { _ = try optimizer.whatIf(current) }
            rows.append(("what-if", wms, .nan, "-"))
            print("10 channels × 4000 draws, \(lags)-lag carryover, H = 12 with tail (release)")
            print(String(format: "%-24@ %10@ %10@  %@", "task" as NSString, "ms" as NSString, "target" as NSString, "notes" as NSString))
            for (name, ms, target, note) in rows {
                let t = target.isNaN ? "-" : String(format: "%.0f", target)
                print(String(format: "%-24@ %10.1f %10@  %@", name as NSString, ms, t as NSString, note as NSString))
            }
        } catch {
            print("optimize benchmark failed: \(error)")
        }
    }
}
