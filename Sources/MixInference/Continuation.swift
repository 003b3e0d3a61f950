/// Runs every chain of `run` on for `draws` more kept draws and returns those new draws (join
/// them to `run` with `run.appending(_:)`): each chain starts from its last draw with the step size
/// and inverse metric its warm-up adapted (`run.warmup`), with no further adaptation, so together
/// they are the same Markov chains run longer. What a fit whose chains have not yet mixed well
/// enough (R-hat or ESS just short of the gate) needs is more draws of the chains it has, not a
/// new warm-up; continuing costs only the new draws.
///
/// `run` must be from `sample` (its settings are kept, with the draws per chain set to `draws` and
/// no warm-up) and in `density`'s coordinates, unless `positions` gives each chain's last draw in
/// them (a caller whose draws were mapped to other coordinates maps back only those). Chain c draws its random numbers from stream
/// c + chains·`run.draws` of the run's seed, one no transition of `run` used, so continuing is
/// reproducible and a second continuation of the longer run uses new streams again.
public func continueChains<D: LogDensity>(_ density: D, of run: SamplingResult, draws: Int, positions: [[Double]]? = nil,
                                          progress: ((SamplingProgress) -> Void)? = nil,
                                          isCancelled: (() -> Bool)? = nil) throws -> SamplingResult {
    guard var settings = run.settings else {
        throw SamplerError.invalidSettings("a run built without its settings cannot be continued")
    }
    guard run.dimension == density.dimension, run.warmup.count == run.chains, run.draws >= 1 else {
        throw SamplerError.invalidSettings("the run to continue has dimension \(run.dimension) and \(run.warmup.count) adapted chains; the density has dimension \(density.dimension)")
    }
    let n = run.dimension
    if let positions, positions.count != run.chains || positions.contains(where: { $0.count != n }) {
        throw SamplerError.invalidSettings("continuing \(run.chains) chains of dimension \(n) needs one position of \(n) values per chain")
    }
    let starts = (0..<run.chains).map { c in
        ChainStart(position: positions?[c] ?? Array(run.values[((c * run.draws + run.draws - 1) * n)..<((c * run.draws + run.draws) * n)]),
                   stepSize: run.warmup[c].stepSize, inverseMetric: run.warmup[c].inverseMetric,
                   stream: c + run.chains * run.draws)
    }
    settings.warmup = 0
    settings.draws = draws
    let more = try runChains(density, settings: settings, starts: starts, progress: progress, isCancelled: isCancelled)
    return SamplingResult(parameterNames: more.parameterNames, chains: more.chains, draws: more.draws, dimension: n,
                          values: more.values, stats: more.stats, warmup: run.warmup, totalLeapfrogSteps: more.totalLeapfrogSteps,
                          gradientEvaluations: more.gradientEvaluations, seconds: more.seconds, settings: more.settings)
}

extension SamplingResult {
    /// This run with `more` (the same chains continued, `continueChains`) appended per chain: draws and statistics,
    /// leapfrog steps, gradient evaluations and seconds added; warm-up and settings this run's,
    /// with the draws per chain grown.
    public func appending(_ more: SamplingResult) -> SamplingResult {
        precondition(more.chains == chains && more.dimension == dimension, "appending a run of other chains or dimension")
        let total = draws + more.draws, n = dimension
        var values: [Double] = [], stats: [TransitionStats] = []
        values.reserveCapacity(chains * total * n)
        stats.reserveCapacity(chains * total)
        for c in 0..<chains {
            values += self.values[(c * draws * n)..<((c + 1) * draws * n)]
            values += more.values[(c * more.draws * n)..<((c + 1) * more.draws * n)]
            stats += self.stats[(c * draws)..<((c + 1) * draws)]
            stats += more.stats[(c * more.draws)..<((c + 1) * more.draws)]
        }
        var settings = self.settings
        settings?.draws = total
        return SamplingResult(parameterNames: parameterNames, chains: chains, draws: total, dimension: n, values: values,
                              stats: stats, warmup: warmup, totalLeapfrogSteps: totalLeapfrogSteps + more.totalLeapfrogSteps,
                              gradientEvaluations: gradientEvaluations + more.gradientEvaluations, seconds: seconds + more.seconds,
                              settings: settings)
    }
}
