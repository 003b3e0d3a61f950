import Foundation
import MixOptimize

/// Deterministic normal draws for hand-made posteriors (SplitMix64 + Box–Muller).
struct TestRandom {
    var state: UInt64
    mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (Double((z ^ (z >> 31)) >> 11) + 0.5) / Double(1 << 53)
    }
    mutating func normal() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }
}

enum HandMade {
    /// Per-draw values `center · exp(sd·z − sd²/2)`, z shared across channels through `shared`
    /// (correlation ρ) so the joint draws are correlated.
    static func lognormal(_ center: Double, sd: Double, shared: [Double], own: [Double], rho: Double) -> [Double] {
        zip(shared, own).map { center * exp(sd * (rho * $0 + (1 - rho * rho).squareRoot() * $1) - sd * sd / 2) }
    }

    /// A channel of `family` with its shape parameters named: `lambda` for logistic and
    /// Michaelis–Menten, `kappa` (K) and `slope` (S) for Hill.
    static func channel(_ name: String, _ family: SaturationKind, beta: [Double], lambda: [Double] = [], kappa: [Double] = [],
                        slope: [Double] = [], carryover: [[Double]] = [[1]], spendScale: Double = 100, targetScale: Double = 1000) -> ChannelDraws {
        let byName = ["lambda": lambda, "kappa": kappa, "slope": slope]
        return ChannelDraws(name: name, family: family, beta: beta, shapes: family.parameterNames.dropLast().map { byName[$0]! },
                            carryover: carryover, spendScale: spendScale, targetScale: targetScale)
    }

    /// Three channels, one S-shaped (Hill S = 2.5), correlated draws.
    static func mixedThree(draws: Int = 200, seed: UInt64 = 7) -> ParametricResponseDraws {
        var rng = TestRandom(state: seed)
        let shared = (0..<draws).map { _ in rng.normal() }
        func own() -> [Double] { (0..<draws).map { _ in rng.normal() } }
        return ParametricResponseDraws(channels: [
            channel("tv", .logistic, beta: lognormal(1.0, sd: 0.3, shared: shared, own: own(), rho: 0.6),
                    lambda: lognormal(1.5, sd: 0.2, shared: shared, own: own(), rho: 0)),
            channel("search", .michaelisMenten, beta: lognormal(1.2, sd: 0.15, shared: shared, own: own(), rho: -0.4),
                    lambda: lognormal(0.8, sd: 0.2, shared: shared, own: own(), rho: 0)),
            channel("social", .hill, beta: lognormal(1.5, sd: 0.4, shared: shared, own: own(), rho: 0.3),
                    kappa: lognormal(0.9, sd: 0.1, shared: shared, own: own(), rho: 0),
                    slope: Array(repeating: 2.5, count: draws)),
        ])
    }

    /// Two logistic channels with correlated draws.
    static func logisticTwo(draws: Int = 200, seed: UInt64 = 3) -> ParametricResponseDraws {
        var rng = TestRandom(state: seed)
        let shared = (0..<draws).map { _ in rng.normal() }
        func own() -> [Double] { (0..<draws).map { _ in rng.normal() } }
        return ParametricResponseDraws(channels: [
            channel("tv", .logistic, beta: lognormal(1.0, sd: 0.5, shared: shared, own: own(), rho: 0.5),
                    lambda: lognormal(1.2, sd: 0.3, shared: shared, own: own(), rho: 0)),
            channel("search", .logistic, beta: lognormal(0.8, sd: 0.1, shared: shared, own: own(), rho: 0.5),
                    lambda: lognormal(2.0, sd: 0.2, shared: shared, own: own(), rho: 0)),
        ])
    }

    /// Two identical S-shaped Hill channels (S = 3, K = 1): at a small budget the best plan puts
    /// everything in one channel, while the equal split is a stationary point of the mean.
    static func sShapedTwin(draws: Int = 100, seed: UInt64 = 11) -> ParametricResponseDraws {
        var rng = TestRandom(state: seed)
        let beta = (0..<draws).map { _ in 1 + 0.1 * rng.normal() }
        let k = (0..<draws).map { _ in 1 + 0.05 * rng.normal() }
        let s = Array(repeating: 3.0, count: draws)
        return ParametricResponseDraws(channels: [
            channel("a", .hill, beta: beta, kappa: k, slope: s),
            channel("b", .hill, beta: beta, kappa: k, slope: s),
        ])
    }
}

/// Exhaustive search over the simplex {Σ s = total, lower ≤ s ≤ upper} on a grid of `steps`
/// steps of the per-period budget: the independent truth the solver is checked against.
func bruteForce(_ draws: ParametricResponseDraws, objective: Objective, horizon: HorizonSettings, history: [Double],
                total: Double, lower: [Double], upper: [Double], steps: Int) -> (value: Double, allocation: [Double]) {
    let response = HorizonResponse(draws: draws, settings: horizon, history: history)
    let n = draws.channelNames.count
    let delta = total / Double(steps)
    // Per-channel per-draw tables at k·Δ.
    let tables = (0..<n).map { c in (0...steps).map { k in response.channelDraws(c, spend: Double(k) * delta) } }
    var best = -Double.infinity, bestAllocation: [Double] = []
    var totals = [Double](repeating: 0, count: draws.drawCount)
    func visit(_ c: Int, _ left: Int, _ ks: [Int]) {
        if c == n - 1 {
            let ks = ks + [left]
            let s = ks.map { Double($0) * delta }
            for i in 0..<n where s[i] < lower[i] - 1e-9 || s[i] > upper[i] + 1e-9 { return }
            for d in 0..<totals.count { totals[d] = 0; for i in 0..<n { totals[d] += tables[i][ks[i]][d] } }
            let v = objective.value(totals)
            if v > best { best = v; bestAllocation = s }
            return
        }
        for k in 0...left { visit(c + 1, left - k, ks + [k]) }
    }
    visit(0, steps, [])
    return (best, bestAllocation)
}
