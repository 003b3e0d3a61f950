import Foundation
import MixData
import MixInference

extension ModelFitter {
    /// Why the previous fit cannot warm-start a fit of `dataset` under `config` (nil when it
    /// can): a different parameter layout, or a last draw (from a damaged or hand-edited
    /// draws.csv, e.g. NaN or 1e308) at which the model's log density is not finite — starting
    /// there would fail every later run. The caller fits from scratch instead and logs this.
    public static func warmStartProblem(_ previous: FittedModel, dataset: Dataset, config: MixPlanConfig, holdout: Int = 0) -> String? {
        guard holdout >= 0, holdout < dataset.periodCount,
              let structure = try? ModelStructure(dataset: dataset.prefix(dataset.periodCount - holdout), model: config.model,
                                                  liftTests: (try? LiftTestLoader.load(config: config)) ?? [],
                                                  configPath: config.path.isEmpty ? "config" : config.path) else {
            return "the model cannot be laid out for this data"
        }
        guard previous.parameterNames == structure.parameterNames else { return "the model's parameters changed" }
        let density = MediaMixModel(structure: structure)
        guard warmStartPoints(previous, chains: config.sampler.chains, structure: structure, density: density) != nil else {
            return "the previous fit's last draws are not usable starting points (a value is not finite, or the model's density there is not)"
        }
        return nil
    }

    /// Each chain's starting point on the unconstrained scale: the previous fit's last draw of
    /// that chain (or of chain 0). Nil when the layouts differ or any point, or the model's log
    /// density and gradient there, is not finite.
    static func warmStartPoints(_ previous: FittedModel, chains: Int, structure: ModelStructure, density: MediaMixModel) -> [[Double]]? {
        guard previous.parameterNames == structure.parameterNames, previous.chains >= 1, previous.drawsPerChain >= 1 else { return nil }
        var model = density
        var gradient = [Double](repeating: 0, count: structure.dimension)
        var points: [[Double]] = []
        for c in 0..<chains {
            let chain = min(c, previous.chains - 1)
            let natural = previous.draw(chain * previous.drawsPerChain + previous.drawsPerChain - 1)
            guard natural.allSatisfy(\.isFinite) else { return nil }
            let point = structure.unconstrain(natural)
            guard point.count == structure.dimension, point.allSatisfy(\.isFinite) else { return nil }
            let value = point.withUnsafeBufferPointer { x in
                gradient.withUnsafeMutableBufferPointer { g in model.logDensity(at: x, gradient: g) }
            }
            guard value.isFinite, gradient.allSatisfy(\.isFinite) else { return nil }
            points.append(point)
        }
        return points
    }

    /// A sampler failure as bad input, blamed on what the user can change: the sampler settings
    /// for invalid settings; otherwise the priors and the data, which make the density impossible.
    static func samplerInputError(_ error: SamplerError, config: MixPlanConfig, data: String) -> InputError {
        let file = config.path.isEmpty ? "config" : config.path
        switch error {
        case .invalidSettings, .cancelled:
            return InputError(InputLocation(file: file, key: "sampler"), error.description)
        case .initialisationFailed, .nonFiniteInitialPoint:
            return InputError(InputLocation(file: file, key: "model.priors"), error.description,
                              hint: "The priors (model.priors and model.channels.<name>.priors) and the data in \(data) leave the model no point with a finite density; check extreme values in the data and the priors' ranges.")
        }
    }
}
