import Foundation
import MixOptimize

/// One very short real fit of the simulated geo-4x104 panel (logistic curves; 1 chain, 30 warm-up
/// iterations, 20 draws), shared by the geo chart, workbook and report tests. It is not converged,
/// so its verdict has reasons (which the report's full context needs); the figures' values do not
/// matter to those tests, only that every one of them comes from this posterior. Fitted once per
/// test process.
public enum GeoTestFit {
    /// The simulation the fit was made on (its panel is the fit's data).
    public static let simulation = GeoSimulation(preset: GeoSimulationPreset.named("geo-4x104")!, seed: 2)

    /// The fit's config: the simulation's, sampled with 1 chain × (30 + 20).
    public static let config: MixPlanConfig = {
        var config = try! ConfigLoader.parse(yaml: simulation.configYAML, path: "mixplan.yaml")
        config.sampler.chains = 1
        config.sampler.warmup = 30
        config.sampler.draws = 20
        return config
    }()

    /// The fit itself (for tests that write its folder to disk).
    public static let fit = try! GeoFit.fit(panel: simulation.panel, config: config)

    /// The fit as a model folder holds it.
    public static let folder = GeoModelFolder(fit: fit, config: config)

    /// The fit's response draws (every draw) and the geo optimiser's mean plan on them, with the
    /// config's horizon and bounds: what `mixplan optimize --model <geo folder>` plans by default.
    public static let meanPlan: (draws: GeoResponseDraws, plan: GeoPlan) = {
        let m = folder
        let draws = GeoResponseDraws(posterior: m.posterior, panel: m.panel, config: m.config, converged: false)
        let horizon = HorizonSettings(periods: m.config.optimizer.periods, countCarryoverTail: m.config.optimizer.includeCarryover)
        let plan = try! GeoOptimizer(model: draws, problem: GeoBudgetProblem.configured(for: draws, horizon: horizon)).optimize(.mean)
        return (draws, plan)
    }()
}
