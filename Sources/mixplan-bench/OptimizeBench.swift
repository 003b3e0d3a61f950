import Foundation
import MixOptimize

/// Optimiser speed on the issue-5 size: 10 channels × 4000 draws, the default carryover (8-lag
/// geometric adstock, weights α^l normalised) and, for comparison, none (1 lag); 12-period
/// horizon with the carryover tail. Targets: mean < 20 ms, each risk objective < 1 s,
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
            let family: SaturationKind = c % 3 == 2 ? .michaelisMenten : .logistic
            return ChannelDraws(name: "ch\(c)", family: family, beta: beta, shapes: [lambda], carryover: carryover,
                                spendScale: 1000 * (1 + x), targetScale: 50_000)
        })
    }

    /// Best wall-clock time of `repeats` runs, in ms; the process CPU time of that run goes to
    /// `lastCPU` (all threads together: on a machine shared with other jobs, wall time grows with
    /// their load while CPU time does not).
    static func time(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<repeats {
            let cpu0 = cpuMilliseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            if wall < best { best = wall; lastCPU = cpuMilliseconds() - cpu0 }
        }
        return best
    }

    nonisolated(unsafe) static var lastCPU = 0.0

    static func cpuMilliseconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
    }

    /// `text` padded with spaces to `width` (left- or right-aligned); `%-24@` does not pad on Linux.
    static func pad(_ text: String, _ width: Int, left: Bool = true) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + fill : fill + text
    }

    static func cpuNote(_ note: String) -> String { note + String(format: " (cpu %.0f ms)", lastCPU) }

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
            rows.append(("setup (horizon terms)", build, .nan, cpuNote("-")))
            var values = [Double](repeating: 0, count: 4000), slopes = values
            let ems = time(20) {
                values.withUnsafeMutableBufferPointer { v in
                    slopes.withUnsafeMutableBufferPointer { g in
                        for c in 0..<10 { optimizer.horizon.evaluate(channel: c, spend: current[c], values: v, slopes: g) }
                    }
                }
            }
            rows.append(("evaluate all channels", ems, .nan, cpuNote("values + slopes, all draws")))
            for (name, objective, target) in [("mean", Objective.mean, 20.0), ("mean-sd:1", .meanMinusSD(k: 1), 1000),
                                              ("var:0.05", .valueAtRisk(q: 0.05), 1000), ("cvar:0.05", .conditionalValueAtRisk(q: 0.05), 1000)] {
                var solution: Solution!
                let ms = try time(objective == .mean ? 5 : 1) { solution = try optimizer.solve(objective) }
                let c = solution.certificate
                let note = c.kktResidual.map { String(format: "KKT %.1e, %d it", $0, c.iterations) }
                    ?? String(format: "gap %.2g, %d it", c.gap ?? .nan, c.iterations)
                rows.append((name, ms, target, cpuNote(note)))
            }
            var frontier: BudgetFrontier!
            let fms = try time(1) { frontier = try optimizer.frontier(.mean, steps: 20) }
            rows.append(("frontier 20 × mean", fms, 2000, cpuNote("\(frontier.points.count) points")))
            let wms = try time(5) { _ = try optimizer.whatIf(current) }
            rows.append(("what-if", wms, .nan, cpuNote("-")))
            print("10 channels × 4000 draws, \(lags)-lag carryover, H = 12 with tail (release)")
            print("\(pad("task", 24)) \(pad("ms", 10, left: false)) \(pad("target", 10, left: false))  notes")
            for (name, ms, target, note) in rows {
                let t = target.isNaN ? "-" : String(format: "%.0f", target)
                print("\(pad(name, 24)) \(pad(String(format: "%.1f", ms), 10, left: false)) \(pad(t, 10, left: false))  \(note)")
            }
        } catch {
            print("optimize benchmark failed: \(error)")
        }
    }
}
