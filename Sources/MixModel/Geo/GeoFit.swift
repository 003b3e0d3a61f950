import Foundation
import MixData
import MixInference

/// A sampled geo model: the posterior, its per-parameter summaries and the convergence verdict.
public struct GeoFit: Sendable {
    public let panel: GeoPanel
    public let posterior: GeoPosterior
    /// One row per model parameter, on the natural scale (R-hat and ESS are judged here).
    public let parameterRows: [QuantitySummary]
    public let verdict: ConvergenceVerdict
    public let seconds: Double
    /// The sampler's run these results come from (the refit's, after a retry).
    public let result: SamplingResult
    /// Set when these results come from `sampler.retry`'s refit, as for a national fit
    /// (`FitRetry`): the first fit failed the gate on divergences alone, or on R-hat or ESS alone.
    public internal(set) var retry: FitRetry? = nil

    /// Samples the geo model of `panel` with the config's model and sampler settings; `centring`
    /// picks the per-geo parameterisation (benchmarks compare them; the posterior is the same).
    /// With `sampler.retry` (on by default) a fit that fails the gate on divergent transitions
    /// alone is refitted once at a higher target acceptance, as `ModelFitter` does for a national
    /// fit (`FitRetry`), and one that fails on R-hat or ESS alone has every chain continued for half
    /// as many draws again (`FitRetry.Remedy.moreDraws`); the record is kept in `retry`.
    public static func fit(panel: GeoPanel, config: MixPlanConfig, centring: GeoCentring.Rule = .standard,
                           adaptation: MetricAdaptation? = nil,
                           progress: ((SamplingProgress) -> Void)? = nil) throws -> GeoFit {
        if !config.calibration.liftTests.isEmpty || config.calibration.liftTestsFile != nil {
            throw InputError(InputLocation(file: config.path.isEmpty ? "config" : config.path, key: "calibration"),
                             "lift tests are not supported for geo panels yet.", hint: "Remove the calibration section, or fit the national series.")
        }
        let structure = try GeoStructure(panel: panel, model: config.model, configPath: config.path.isEmpty ? "config" : config.path,
                                         centring: centring)
        var settings = SamplerSettings(config.sampler)
        settings.metricAdaptation = adaptation ?? Self.adaptation(for: structure)
        return try FitRetry.fit(settings: settings, enabled: config.sampler.retry,
                                sampleOnce: { GeoFit(panel: panel, structure: structure,
                                                     result: try GeoContrastDensity.sample(structure, settings: $0, enabled: centring.contrasts, shiftsBeta: centring.betaShift,
                                                                                           progress: progress)) },
                                continueDraws: { first, draws in
                                    GeoFit(panel: panel, structure: structure,
                                           result: try GeoContrastDensity.continueChains(structure, run: first.result, draws: draws, enabled: centring.contrasts,
                                                                                         shiftsBeta: centring.betaShift, progress: progress)) },
                                verdict: \.verdict, cost: { ($0.seconds, $0.result.gradientEvaluations) },
                                attach: { $0.retry = $1 })
    }

    /// Panels with at least this many geo × period × channel cells adapt the metric from draws and
    /// gradients (`GradientMetricAdaptation`); smaller ones keep Stan's windows.
    public static let gradientAdaptationCells = 100_000

    /// How warm-up adapts the metric for `structure`. On a large panel Stan's windows spend most
    /// of a fit in warm-up (geo-50x208, 312 k cells: 95 % of its leapfrog steps, about 39 minutes
    /// projected at defaults on 2 cores, against 12–13 measured with gradients). On small panels,
    /// where a fit takes seconds, they converge more often: geo-4x104 passed the gate on 8 of 10
    /// seeds with Stan's windows and 5 of 10 with gradients (the refits at target acceptance 0.95
    /// kept more divergent transitions), geo-8x156 on 5 of 5 and 4 of 5.
    public static func adaptation(for structure: GeoStructure) -> MetricAdaptation {
        let cells = structure.geoCount * structure.periodCount * structure.channels.count
        return cells >= gradientAdaptationCells ? .drawAndGradientVariance : .drawVariance
    }

    /// Judges and summarises a finished run.
    public init(panel: GeoPanel, structure: GeoStructure, result: SamplingResult) {
        self.panel = panel
        let posterior = GeoPosterior(structure: structure, result: result)
        self.posterior = posterior
        let n = structure.dimension, perChain = result.draws
        parameterRows = (0..<n).map { p in
            QuantitySummary(name: structure.parameterNames[p],
                            chains: (0..<result.chains).map { c in (0..<perChain).map { posterior.draws[c * perChain + $0][p] } })
        }
        // The sampler's checks and the panel's baseline check (GeoBaseline): a fit worse than each
        // geo's own intercept and seasonality may not advise.
        verdict = ConvergenceVerdict(health: result.health(rows: parameterRows), baseline: GeoBaseline.compare(posterior: posterior))
        seconds = result.seconds
        self.result = result
    }

    /// The figures `summary.json` holds for a geo fit.
    public var summary: GeoSummary {
        let s = posterior.structure, C = s.channels.count
        let fitted = posterior.fittedTarget()
        let geos = (0..<s.geoCount).map { g in
            GeoSummary.Geo(name: s.geoNames[g], population: panel.population?[g], size: s.geoSize[g],
                           channels: (0..<C).compactMap { posterior.result(geo: g, channel: $0) },
                           inactiveChannels: (0..<C).filter { !s.active[g * C + $0] }.map { s.channelNames[$0] },
                           inSample: FitMetrics(actual: panel.geos[g].target, predicted: fitted[g]))
        }
        let national = panel.national.target
        let fittedNational = (0..<s.periodCount).map { t in fitted.reduce(0) { $0 + $1[t] } }
        return GeoSummary(target: panel.geos[0].targetName, frequency: panel.geos[0].frequency.rawValue,
                          periodStart: s.dates.first!.description, periodEnd: s.dates.last!.description, periods: s.periodCount,
                          converged: verdict.passed, verdict: verdict,
                          channels: (0..<C).map { posterior.nationalResult(channel: $0) },
                          inSample: FitMetrics(actual: national, predicted: fittedNational), geos: geos,
                          seconds: seconds, retry: retry)
    }
}

/// `summary.json` of a geo fit: national figures first (per-draw sums over geos), then each geo's
/// channels in the same shape.
public struct GeoSummary: Codable, Sendable, Equatable {
    public struct Geo: Codable, Sendable, Equatable {
        public var name: String
        public var population: Double?
        /// The geo's size n_g the model scales it by (population, or its mean target).
        public var size: Double
        public var channels: [ChannelResult]
        /// Channels with no spend in this geo (they get no effect there).
        public var inactiveChannels: [String]
        public var inSample: FitMetrics
    }
    public var model = "geo"
    public var target: String
    public var frequency: String
    public var periodStart: String
    public var periodEnd: String
    public var periods: Int
    public var converged: Bool
    public var verdict: ConvergenceVerdict
    public var channels: [ChannelResult]
    public var inSample: FitMetrics
    public var geos: [Geo]
    public var seconds: Double
    /// Set when the fit is `sampler.retry`'s refit (absent otherwise, and in older folders).
    public var retry: FitRetry? = nil

    /// Pretty-printed JSON with sorted keys; non-finite numbers as "nan"/"inf".
    public func json() throws -> Data {
        let encoder = MixJSON.encoder()
        return try encoder.encode(self)
    }
}
