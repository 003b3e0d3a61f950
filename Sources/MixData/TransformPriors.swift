/// One prior of a channel's adstock or saturation parameter, as the config resolves it: the
/// channel's own override, else the model-wide one, else the kind's default.
public struct TransformPrior: Sendable, Equatable {
    /// The model's parameter name, e.g. "tv.adstock_alpha".
    public var name: String
    public var spec: PriorSpec
    /// Where the config sets it, for messages: "model.channels.tv.priors.adstock_alpha".
    public var key: String
}

extension MixPlanConfig.ModelSection {
    /// The priors of `channel`'s adstock parameters, in `AdstockKind.parameterNames` order. Every
    /// model variant builds its channel parameters from this, so a kind's defaults and the
    /// override rules live in one place.
    public func adstockPriors(channel: String) -> [TransformPrior] {
        let kind = adstock(for: channel)
        return Self.transformPriors("adstock", kind.parameterNames, kind.defaultPriors, channel: channel, in: self)
    }

    /// The priors of `channel`'s saturation parameters under the default-prior set `defaults`, in
    /// `SaturationKind.parameterNames` order (β last).
    public func saturationPriors(channel: String, defaults: MixPlanConfig.PriorDefaults) -> [TransformPrior] {
        let kind = saturation(for: channel)
        return Self.transformPriors("saturation", kind.parameterNames, kind.defaultPriors(defaults), channel: channel, in: self)
    }

    private static func transformPriors(_ stage: String, _ names: [String], _ defaults: [PriorSpec], channel: String,
                                        in model: Self) -> [TransformPrior] {
        zip(names, defaults).map { p, spec in
            let key = stage + "_" + p
            return TransformPrior(name: "\(channel).\(key)", spec: model.prior(key, channel: channel) ?? spec,
                                  key: "model.channels.\(channel).priors.\(key)")
        }
    }
}
