import Foundation
import MixOptimize

/// Deterministic normal draws for hand-made posteriors (SplitMix64 + Box–Muller).
public struct TestRandom {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (Double((z ^ (z >> 31)) >> 11) + 0.5) / Double(1 << 53)
    }
    public mutating func normal() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }
}

/// Hand-made posteriors of response curves with known shapes, for optimiser, rendering and
/// CLI-parser tests (one copy for every test target that needs them).
public enum HandMade {
    /// Per-draw values `center · exp(sd·z − sd²/2)`, z shared across channels through `shared`
    /// (correlation ρ) so the joint draws are correlated.
    public static func lognormal(_ center: Double, sd: Double, shared: [Double], own: [Double], rho: Double) -> [Double] {
        zip(shared, own).map { center * exp(sd * (rho * $0 + (1 - rho * rho).squareRoot() * $1) - sd * sd / 2) }
    }

    /// A channel of `family` with its shape parameters named: `lambda` for logistic and
    /// Michaelis–Menten, `kappa` (K) and `slope` (S) for Hill.
    public static func channel(_ name: String, _ family: SaturationKind, beta: [Double], lambda: [Double] = [], kappa: [Double] = [],
                        slope: [Double] = [], carryover: [[Double]] = [[1]], spendScale: Double = 100, targetScale: Double = 1000) -> ChannelDraws {
        let byName = ["lambda": lambda, "kappa": kappa, "slope": slope]
        return ChannelDraws(name: name, family: family, beta: beta, shapes: family.parameterNames.dropLast().map { byName[$0]! },
                            carryover: carryover, spendScale: spendScale, targetScale: targetScale)
    }

    /// Three channels, one S-shaped (Hill S = 2.5), correlated draws.
    public static func mixedThree(draws: Int = 200, seed: UInt64 = 7) -> ParametricResponseDraws {
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
    public static func logisticTwo(draws: Int = 200, seed: UInt64 = 3) -> ParametricResponseDraws {
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
    public static func sShapedTwin(draws: Int = 100, seed: UInt64 = 11) -> ParametricResponseDraws {
        var rng = TestRandom(state: seed)
        let beta = (0..<draws).map { _ in 1 + 0.1 * rng.normal() }
        let k = (0..<draws).map { _ in 1 + 0.05 * rng.normal() }
        let s = Array(repeating: 3.0, count: draws)
        return ParametricResponseDraws(channels: [
            channel("a", .hill, beta: beta, kappa: k, slope: s),
            channel("b", .hill, beta: beta, kappa: k, slope: s),
        ])
    }

    /// Four concave channels, identical in every draw but for their strength: tv is strong, print
    /// weak, so ±20 % bounds hold tv at its top and print at its bottom.
    public static func fourLogistic(draws: Int = 40) -> ParametricResponseDraws {
        func same(_ x: Double) -> [Double] { Array(repeating: x, count: draws) }
        return ParametricResponseDraws(channels: [
            channel("tv", .logistic, beta: same(3.0), lambda: same(1.0)),
            channel("search", .logistic, beta: same(1.0), lambda: same(1.0)),
            channel("radio", .logistic, beta: same(1.2), lambda: same(1.0)),
            channel("print", .logistic, beta: same(0.3), lambda: same(1.0)),
        ])
    }

    /// A logistic channel and a Hill channel whose draws all have S = 0.5 (a vertical tangent at
    /// zero spend), the Hill channel held at zero spend by its bounds; optimised for the mean.
    public static func hillAtZero() throws -> (OptimizationResult, ParametricResponseDraws) {
        let draws = 30
        func same(_ x: Double) -> [Double] { Array(repeating: x, count: draws) }
        let posterior = ParametricResponseDraws(channels: [
            channel("tv", .logistic, beta: same(2.0), lambda: same(1.0)),
            channel("social", .hill, beta: same(1.0), kappa: same(0.8), slope: same(0.5)),
        ])
        let problem = BudgetProblem(channelNames: ["tv", "social"], budget: 100, horizon: HorizonSettings(periods: 4),
                                    currentSpend: [100, 0],
                                    bounds: ["tv": .absolute(min: 0, max: 100), "social": .absolute(min: 0, max: 0)])
        return (try BudgetOptimizer(draws: posterior, problem: problem).optimize(.mean), posterior)
    }
}
