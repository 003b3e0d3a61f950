import Foundation
import Yams

extension MixPlanConfig {
    /// `model.time_varying_media`, `model.time_varying_intercept` and `model.hsgp`: latent
    /// functions of time approximated by a Hilbert-space Gaussian process (Riutort-Mayol et al.
    /// 2022). `ModelSection.timeVarying` is nil when everything here is at its default (both
    /// switches off), so a config without these keys equals `MixPlanConfig()`.
    public struct TimeVarying: Sendable, Equatable, Codable {
        /// One positive multiplier m[t], mean 1 over the training periods, scaling every
        /// channel's contribution (creative wear-out, market shifts).
        public var media: Bool = false
        /// A smooth drift added to the intercept, mean 0 over the training periods.
        public var intercept: Bool = false
        /// Basis functions m; nil means the Riutort-Mayol rule of thumb for the smallest
        /// length-scale of the default prior (a twelfth of the training span).
        public var basisFunctions: Int?
        /// c in L = c · (half the span of centred time); the approximation is good inside ±L.
        public var boundaryFactor: Double = 1.5
        public var kernel: HSGPKernel = .exponentiatedQuadratic
        /// Prior of the length-scale ℓ, in periods; nil means the default chosen from the span.
        public var lengthScalePrior: PriorSpec?
        /// Prior of the media GP's amplitude η (sd of log m); nil means Exponential(lam=3).
        public var mediaAmplitudePrior: PriorSpec?
        /// Prior of the intercept drift's amplitude η (scaled target units); nil means Exponential(lam=10).
        public var interceptAmplitudePrior: PriorSpec?
        /// Response curves and the optimiser use the multiplier's (and drift's) mean over the last
        /// this many training periods.
        public var planningPeriods: Int = 4

        public init() {}

        public var isOn: Bool { media || intercept }
    }

    /// The GP's covariance function: exponentiated quadratic (very smooth) or Matérn 5/2
    /// (twice differentiable, allows quicker changes).
    public enum HSGPKernel: String, Sendable, Equatable, CaseIterable, Codable {
        case exponentiatedQuadratic = "eq"
        case matern52
    }
}

extension MixPlanConfig.ModelSection {
    /// The time-varying settings with defaults filled in when they are off.
    public var timeVaryingSettings: MixPlanConfig.TimeVarying { timeVarying ?? MixPlanConfig.TimeVarying() }
}

extension ConfigLoader {
    /// The `model` keys read by `readTimeVarying`.
    static let timeVaryingKeys = ["time_varying_media", "time_varying_intercept", "hsgp"]

    /// Reads one of `timeVaryingKeys` under `model` into `m.timeVarying`.
    static func readTimeVarying(_ key: String, _ node: Node, _ y: YAMLValues, _ m: inout MixPlanConfig.ModelSection) throws {
        var settings = m.timeVaryingSettings
        let path = "model.\(key)"
        switch key {
        case "time_varying_media": settings.media = try y.bool(node, key: path)
        case "time_varying_intercept": settings.intercept = try y.bool(node, key: path)
        default:
            let known = ["basis_functions", "boundary_factor", "kernel", "lengthscale", "media_amplitude",
                         "intercept_amplitude", "planning_periods"]
            for (name, v) in try y.mapping(node, key: path, known: known) {
                let sub = "\(path).\(name)"
                func prior() throws -> PriorSpec? {
                    if y.isNull(v) { return nil }
                    return try PriorParser.parse(try y.string(v, key: sub), location: InputLocation(file: y.file, key: sub))
                }
                switch name {
                case "basis_functions": settings.basisFunctions = y.isNull(v) ? nil : try y.int(v, key: sub, range: 1...1000)
                case "boundary_factor":
                    settings.boundaryFactor = try y.double(v, key: sub, expected: "> 1 (the boundary must lie outside the data)") { $0 > 1 }
                case "kernel": settings.kernel = try y.choice(v, key: sub, MixPlanConfig.HSGPKernel.self)
                case "lengthscale": settings.lengthScalePrior = try prior()
                case "media_amplitude": settings.mediaAmplitudePrior = try prior()
                case "intercept_amplitude": settings.interceptAmplitudePrior = try prior()
                default: settings.planningPeriods = try y.int(v, key: sub, range: 1...10_000)
                }
            }
        }
        m.timeVarying = settings == MixPlanConfig.TimeVarying() ? nil : settings
    }
}
