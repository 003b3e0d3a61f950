import Foundation

/// What a progress line shows, from the sampler's per-chain reports: the share of all
/// iterations done, the phase, divergences after warm-up, and the time left.
///
/// The share only grows: every chain's total is known from its first report (all chains run
/// the same number of iterations), so a chain that starts late cannot pull it back. Warm-up
/// divergences are not counted: while the step size is adapting they are expected and say
/// nothing about the fit (the convergence verdict counts only those after warm-up, too).
public struct ProgressTracker: Sendable {
    private var done: [Int]
    private var total: Int?
    private var divergences: [Int]
    private var warmupDivergences: [Int]
    private var warming: [Bool]
    private var started: Double?

    public init(chains: Int) {
        done = Array(repeating: 0, count: chains)
        divergences = done
        warmupDivergences = done
        warming = Array(repeating: true, count: chains)
    }

    /// Takes one report; `now` is seconds on any clock (for the time left).
    public mutating func record(_ p: SamplingProgress, now: Double) {
        guard p.chain < done.count else { return }
        if started == nil { started = now }
        total = max(total ?? 0, p.totalIterations)
        done[p.chain] = max(done[p.chain], p.iteration)
        divergences[p.chain] = p.divergences
        if p.isWarmup { warmupDivergences[p.chain] = p.divergences }
        warming[p.chain] = p.isWarmup
        last = now
    }
    private var last: Double?

    /// Share of all iterations of all chains done, in [0, 1]; never decreases.
    public var fraction: Double {
        guard let total, total > 0 else { return 0 }
        return min(1, Double(done.reduce(0, +)) / Double(total * done.count))
    }

    /// "warm-up" while any chain is still adapting, then "sampling".
    public var phase: String { warming.contains(true) ? "warm-up" : "sampling" }

    /// Divergent transitions after warm-up, over all chains.
    public var divergencesAfterWarmup: Int {
        zip(divergences, warmupDivergences).reduce(0) { $0 + max(0, $1.0 - $1.1) }
    }

    /// Seconds left at the pace so far (nil until there is a pace).
    public var secondsLeft: Double? {
        guard let started, let last, last > started, fraction > 0 else { return nil }
        return (last - started) * (1 - fraction) / fraction
    }

    /// `warm-up  42 %  ETA 0:13  0 divergences after warm-up` (the bar is the caller's).
    public var line: String {
        var text = String(format: "%@ %3.0f %%", phase, 100 * fraction)
        if let s = secondsLeft { text += String(format: "  ETA %d:%02d", Int(s) / 60, Int(s) % 60) }
        return text + "  divergences after warm-up \(divergencesAfterWarmup)"
    }
}
