import Foundation

/// Convergence diagnostics of Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021),
/// "Rank-normalization, folding, and localization: an improved R̂", computed as ArviZ 0.23 does
/// so the numbers match `arviz.summary`. Every function takes draws shaped [chain][draw]
/// (all chains the same length): a parameter's draws or any derived quantity. Ragged input or any
/// non-finite value gives NaN. With a single chain, R̂ compares its two halves (ArviZ returns NaN).
public enum Diagnostics {
    /// Rank-normalised split R̂: the larger of the bulk R̂ (on rank-normalised split chains) and
    /// the tail R̂ (on the same after folding around the median). Needs ≥ 2 chains or ≥ 4 draws.
    public static func rhat(_ chains: [[Double]]) -> Double {
        guard let split = Draws(chains)?.split(), split.draws >= 2 else { return .nan }
        let bulk = classicRhat(split.rankNormalised())
        let median = Self.median(split.values)
        let folded = split.map { abs($0 - median) }
        return max(bulk, classicRhat(folded.rankNormalised()))
    }

    /// Bulk effective sample size: ESS of the rank-normalised split chains.
    public static func essBulk(_ chains: [[Double]]) -> Double {
        guard let split = Draws(chains)?.split(), split.draws >= 2 else { return .nan }
        return ess(split.rankNormalised())
    }

    /// Tail effective sample size: the smaller ESS of the indicators I(θ ≤ q₀.₀₅) and I(θ ≤ q₀.₉₅).
    public static func essTail(_ chains: [[Double]]) -> Double {
        min(essQuantile(chains, 0.05), essQuantile(chains, 0.95))
    }

    /// ESS for estimating the `probability` quantile (split chains of the indicator I(θ ≤ q)).
    public static func essQuantile(_ chains: [[Double]], _ probability: Double) -> Double {
        guard let draws = Draws(chains) else { return .nan }
        let q = quantile(sorted: draws.values.sorted(), probability)
        let split = draws.map { $0 <= q ? 1 : 0 }.split()
        return split.draws >= 2 ? ess(split) : .nan
    }

    /// ESS for the mean (split chains, no rank normalisation).
    public static func essMean(_ chains: [[Double]]) -> Double {
        guard let split = Draws(chains)?.split(), split.draws >= 2 else { return .nan }
        return ess(split)
    }

    /// Monte Carlo standard error of the mean: sd / √ESS_mean.
    public static func mcseMean(_ chains: [[Double]]) -> Double {
        guard let draws = Draws(chains) else { return .nan }
        return standardDeviation(draws.values) / essMean(chains).squareRoot()
    }

    /// Monte Carlo standard error of the sd, from the ESS and fourth moment of (θ − θ̄)²
    /// (delta method, as ArviZ 0.23).
    public static func mcseSD(_ chains: [[Double]]) -> Double {
        guard let draws = Draws(chains) else { return .nan }
        let mean = draws.values.reduce(0, +) / Double(draws.values.count)
        let squares = draws.map { ($0 - mean) * ($0 - mean) }
        let essSquares = essMean(squares.chains)
        let evar = squares.values.reduce(0, +) / Double(squares.values.count)
        let fourth = squares.values.reduce(0) { $0 + $1 * $1 } / Double(squares.values.count)
        let varvar = (fourth - evar * evar) / essSquares
        return (varvar / evar / 4).squareRoot()
    }

    /// Energy Bayesian fraction of missing information of one chain: mean squared change of the
    /// energy between draws over its variance. Values below 0.3 suggest poor exploration.
    public static func ebfmi(energy: [Double]) -> Double {
        guard energy.count > 2 else { return .nan }
        var num = 0.0
        for i in 1..<energy.count { num += (energy[i] - energy[i - 1]) * (energy[i] - energy[i - 1]) }
        num /= Double(energy.count - 1)
        let sd = standardDeviation(energy)
        return num / (sd * sd)
    }

    /// Highest-density interval with mass `probability` over all draws: the narrowest window of
    /// ⌊prob·N⌋ + 1 sorted draws (ArviZ's `hdi`).
    public static func hdi(_ values: [Double], probability: Double = 0.94) -> (lower: Double, upper: Double) {
        let sorted = values.sorted()
        let n = sorted.count
        guard n > 1 else { return (sorted.first ?? .nan, sorted.first ?? .nan) }
        let span = Int((probability * Double(n)).rounded(.down))
        guard span < n else { return (sorted[0], sorted[n - 1]) }
        var best = 0
        for i in 0..<(n - span) where sorted[i + span] - sorted[i] < sorted[best + span] - sorted[best] { best = i }
        return (sorted[best], sorted[best + span])
    }

    /// Sample quantile by linear interpolation (R type 7, NumPy's default) of sorted values.
    public static func quantile(sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// The median as NumPy computes it: the mean (a + b)/2 of the two middle values when the count
    /// is even. This matters for folding: |a − m| and |b − m| are then exactly tied, as in ArviZ.
    static func median(_ x: [Double]) -> Double {
        let sorted = x.sorted()
        let k = sorted.count / 2
        if sorted.isEmpty { return .nan }
        return sorted.count % 2 == 1 ? sorted[k] : (sorted[k - 1] + sorted[k]) / 2
    }

    static func standardDeviation(_ x: [Double]) -> Double {
        let mean = x.reduce(0, +) / Double(x.count)
        let ss = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (ss / Double(x.count - 1)).squareRoot()
    }

    /// Gelman–Rubin R̂ of equal-length chains: √((B/W + n − 1)/n), B = n·var(chain means), W = mean chain variance.
    static func classicRhat(_ d: Draws) -> Double {
        let n = Double(d.draws)
        var means = [Double](repeating: 0, count: d.chainCount)
        var within = 0.0
        for c in 0..<d.chainCount {
            let chain = d.chain(c)
            let mean = chain.reduce(0, +) / n
            means[c] = mean
            within += chain.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        }
        within /= Double(d.chainCount)
        let grand = means.reduce(0, +) / Double(d.chainCount)
        let between = n * means.reduce(0) { $0 + ($1 - grand) * ($1 - grand) } / Double(d.chainCount - 1)
        return ((between / within + n - 1) / n).squareRoot()
    }

    /// Multi-chain ESS with Geyer's initial positive and monotone sequences on the combined
    /// autocorrelation ρ̂ₜ = 1 − (W − mean autocovariance at lag t)/var⁺ (Stan / ArviZ).
    static func ess(_ d: Draws) -> Double {
        let m = d.chainCount, n = d.draws
        let total = Double(m * n)
        guard let lo = d.values.min(), let hi = d.values.max() else { return .nan }
        if hi - lo < 1e-15 { return total }
        var means = [Double](repeating: 0, count: m)
        for c in 0..<m { means[c] = d.chain(c).reduce(0, +) / Double(n) }
        // Mean over chains of the biased (÷n) autocovariance at `lag`, computed on demand.
        func meanAutocovariance(_ lag: Int) -> Double {
            var sum = 0.0
            for c in 0..<m {
                let base = c * n
                let mu = means[c]
                var s = 0.0
                for i in 0..<(n - lag) { s += (d.values[base + i] - mu) * (d.values[base + i + lag] - mu) }
                sum += s / Double(n)
            }
            return sum / Double(m)
        }
        let nd = Double(n)
        let meanVar = meanAutocovariance(0) * nd / (nd - 1)
        var varPlus = meanVar * (nd - 1) / nd
        if m > 1 {
            let grand = means.reduce(0, +) / Double(m)
            varPlus += means.reduce(0) { $0 + ($1 - grand) * ($1 - grand) } / Double(m - 1)
        }
        var rho = [Double](repeating: 0, count: n)
        var rhoEven = 1.0
        rho[0] = 1
        var rhoOdd = 1 - (meanVar - meanAutocovariance(1)) / varPlus
        if n > 1 { rho[1] = rhoOdd }
        var t = 1
        while t < n - 3 && rhoEven + rhoOdd > 0 {
            rhoEven = 1 - (meanVar - meanAutocovariance(t + 1)) / varPlus
            rhoOdd = 1 - (meanVar - meanAutocovariance(t + 2)) / varPlus
            if rhoEven + rhoOdd >= 0 {
                rho[t + 1] = rhoEven
                rho[t + 2] = rhoOdd
            }
            t += 2
        }
        let maxT = t - 2
        if rhoEven > 0 && maxT + 1 < n { rho[maxT + 1] = rhoEven }
        t = 1
        while t <= maxT - 2 {
            if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t] {
                rho[t + 1] = (rho[t - 1] + rho[t]) / 2
                rho[t + 2] = rho[t + 1]
            }
            t += 2
        }
        var tau = -1.0
        if maxT >= 0 { for i in 0...min(maxT, n - 1) { tau += 2 * rho[i] } }
        if maxT + 1 < n && maxT + 1 >= 0 { tau += rho[maxT + 1] }
        tau = max(tau, 1 / Foundation.log10(total))
        return rho.contains(where: \.isNaN) ? .nan : total / tau
    }
}

/// Draws of one quantity, chain-major, all chains of equal length.
struct Draws {
    var values: [Double]
    let chainCount: Int
    let draws: Int

    init?(_ chains: [[Double]]) {
        guard let first = chains.first, !first.isEmpty, chains.allSatisfy({ $0.count == first.count }),
              chains.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { return nil }
        values = chains.flatMap { $0 }
        chainCount = chains.count
        draws = first.count
    }

    init(values: [Double], chainCount: Int, draws: Int) {
        self.values = values
        self.chainCount = chainCount
        self.draws = draws
    }

    func chain(_ c: Int) -> ArraySlice<Double> { values[(c * draws)..<((c + 1) * draws)] }

    var chains: [[Double]] { (0..<chainCount).map { Array(chain($0)) } }

    func map(_ f: (Double) -> Double) -> Draws {
        Draws(values: values.map(f), chainCount: chainCount, draws: draws)
    }

    /// Each chain cut into its first and last ⌊n/2⌋ draws (the middle one dropped when n is odd).
    func split() -> Draws {
        let half = draws / 2
        var out: [Double] = []
        out.reserveCapacity(2 * chainCount * half)
        for c in 0..<chainCount {
            let base = c * draws
            out.append(contentsOf: values[base..<(base + half)])
            out.append(contentsOf: values[(base + draws - half)..<(base + draws)])
        }
        return Draws(values: out, chainCount: 2 * chainCount, draws: half)
    }

    /// Φ⁻¹((r − 3/8)/(N + 1/4)) of the average ranks r over all draws (Blom's offset).
    func rankNormalised() -> Draws {
        let count = values.count
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: count)
        var i = 0
        while i < count {
            var j = i
            while j + 1 < count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = average }
            i = j + 1
        }
        let z = ranks.map { normalQuantile(($0 - 0.375) / (Double(count) + 0.25)) }
        return Draws(values: z, chainCount: chainCount, draws: draws)
    }
}
