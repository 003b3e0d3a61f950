import Foundation
import MixData
import MixInference

/// Fits the MMM to a validated dataset with NUTS (DESIGN.md §3).
public enum ModelFitter {
    /// Samples the posterior of the model for `dataset` under `config`, keeping the last
    /// `holdout` periods out of the fit for out-of-sample checks.
    ///
    /// - Parameters:
    ///   - warmStart: a previous fit of the same model; its last draws seed the chains and its
    ///     adapted step size and metric start the warm-up.
    ///   - progress: called from sampler threads (see `sample`).
    /// Why `holdout` periods cannot be kept out of a fit of `periods` (nil when they can): the
    /// periods left must still identify the model (`DataValidation.minimumRows`).
    public static func holdoutProblem(_ holdout: Int, periods: Int, config: MixPlanConfig) -> (message: String, hint: String)? {
        let need = DataValidation.minimumRows(for: config)
        let most = max(0, periods - need.rows)
        guard holdout < 0 || holdout > most else { return nil }
        let kept = holdout >= periods ? "keeps \(holdout) periods out of the fit, but the data has only \(periods)"
            : "keeps \(holdout) of the \(periods) periods out of the fit, leaving \(periods - holdout)"
        return ("\(kept); the model has \(need.parameters) parameters and needs at least \(need.rows) periods to fit, so the holdout can be 0 to \(most) periods.",
                "Hold out fewer periods, or add history. " + DataValidation.minimumRowsRule)
    }

    public static func fit(dataset: Dataset, config: MixPlanConfig, holdout: Int = 0,
                           warmStart: FittedModel? = nil,
                           progress: ((SamplingProgress) -> Void)? = nil,
                           isCancelled: (() -> Bool)? = nil) throws -> FittedModel {
        let location = InputLocation(file: config.path.isEmpty ? "config" : config.path, key: "holdout")
        if let problem = holdoutProblem(holdout, periods: dataset.periodCount, config: config) {
            throw InputError(location, problem.message, hint: problem.hint)
        }
        let training = dataset.prefix(dataset.periodCount - holdout)
        // Lift tests from a file become inline, so the saved model needs nothing but its folder.
        var config = config
        config.calibration.liftTests = try LiftTestLoader.load(config: config)
        config.calibration.liftTestsFile = nil
        let structure = try ModelStructure(dataset: training, model: config.model, liftTests: config.calibration.liftTests,
                                           configPath: config.path.isEmpty ? "config" : config.path)
        let density = MediaMixModel(structure: structure)
        var settings = SamplerSettings(config.sampler)
        if let previous = warmStart, let inits = warmStartPoints(previous, chains: settings.chains, structure: structure, density: density) {
            settings.inits = inits
            // …with the step size and metric it adapted to, so warm-up starts close to its answer.
            if let diagonal = previous.sampler.inverseMetricDiagonal, diagonal.count == structure.dimension {
                let n = diagonal.count
                switch settings.metric {
                case .diagonal: settings.initialInverseMetric = diagonal
                case .dense:
                    var matrix = [Double](repeating: 0, count: n * n)
                    for i in 0..<n { matrix[i * n + i] = diagonal[i] }
                    settings.initialInverseMetric = matrix
                }
            }
            let steps = previous.sampler.stepSizes.filter { $0 > 0 && $0.isFinite }
            if !steps.isEmpty { settings.initialStepSize = steps.reduce(0, +) / Double(steps.count) }
        }
        // sampler.retry: divergences alone → a smaller step, R-hat or ESS alone → a longer run
        // (DESIGN §8, issues 20 and 22), same seed, once.
        return try FitRetry.fit(settings: settings, enabled: config.sampler.retry,
                                sampleOnce: { try sampleOnce(structure: structure, density: density, settings: $0, config: config,
                                                             dataset: dataset, holdout: holdout, progress: progress, isCancelled: isCancelled) },
                                verdict: \.verdict, cost: { ($0.sampler.seconds, $0.sampler.gradientEvaluations) },
                                attach: { $0.sampler.retry = $1 })
    }

    /// One run of the sampler on `density`, summarised into a fitted model.
    private static func sampleOnce(structure: ModelStructure, density: MediaMixModel, settings: SamplerSettings,
                                   config: MixPlanConfig, dataset: Dataset, holdout: Int,
                                   progress: ((SamplingProgress) -> Void)?, isCancelled: (() -> Bool)?) throws -> FittedModel {
        let result: SamplingResult
        do {
            result = try sample(density, settings: settings, progress: progress, isCancelled: isCancelled)
        } catch let error as SamplerError {
            throw samplerInputError(error, config: config, data: dataset.source)
        }
        // Natural-scale draws.
        let n = structure.dimension
        var natural = [Double](repeating: 0, count: result.values.count)
        for i in 0..<(result.chains * result.draws) {
            let x = structure.constrain(Array(result.values[(i * n)..<((i + 1) * n)]))
            for p in 0..<n { natural[i * n + p] = x[p] }
        }
        // One summary per parameter (sorts for quantiles, ranks, HDI), spread over the cores.
        let summaries = UnsafeMutableBufferPointer<ParameterSummary?>.allocate(capacity: n)
        summaries.initialize(repeating: nil)
        defer { summaries.deinitialize().deallocate() }
        let names = structure.parameterNames, chainCount = result.chains, perChain = result.draws
        DispatchQueue.concurrentPerform(iterations: n) { p in
            let chains = (0..<chainCount).map { c in (0..<perChain).map { d in natural[(c * perChain + d) * n + p] } }
            summaries[p] = ParameterSummary(QuantitySummary(name: names[p], chains: chains))
        }
        let rows = summaries.map { $0! }
        let report = SamplerReport(parameters: rows, divergences: result.divergences,
                                   maxTreeDepthHits: result.maxTreeDepthHits(maxTreeDepth: settings.maxTreeDepth),
                                   maxTreeDepth: settings.maxTreeDepth, ebfmi: result.ebfmi,
                                   stepSizes: result.warmup.map(\.stepSize), gradientEvaluations: result.gradientEvaluations,
                                   seconds: result.seconds, seed: settings.seed, warmup: settings.warmup,
                                   targetAcceptance: settings.targetAcceptance,
                                   inverseMetricDiagonal: Self.averageDiagonal(result.warmup, dimension: n),
                                   degenerateCorners: DegenerateCorner.find(structure: structure, draws: natural,
                                                                            chains: result.chains, perChain: result.draws))
        var model = try FittedModel(config: config, dataset: dataset, holdout: holdout, chains: result.chains,
                                    drawsPerChain: result.draws, draws: natural, sampler: report)
        model.sampleStats = SampleStats(result.stats, chains: result.chains, drawsPerChain: result.draws)
        return model
    }

    /// The chains' adapted inverse metrics reduced to one diagonal (mean over chains).
    static func averageDiagonal(_ infos: [WarmupInfo], dimension n: Int) -> [Double]? {
        guard !infos.isEmpty, n > 0 else { return nil }
        var sum = [Double](repeating: 0, count: n)
        for info in infos {
            let dense = info.inverseMetric.count == n * n && n > 1
            guard dense || info.inverseMetric.count == n else { return nil }
            for i in 0..<n { sum[i] += dense ? info.inverseMetric[i * n + i] : info.inverseMetric[i] }
        }
        return sum.map { $0 / Double(infos.count) }
    }
}
