import MixData
import MixInference

extension SamplerSettings {
    /// The sampler settings a config's `sampler:` section asks for: the one mapping from the
    /// config to the sampler, used by the national and the geo fit alike.
    public init(_ section: MixPlanConfig.SamplerSection) {
        self.init(seed: section.seed)
        chains = section.chains
        warmup = section.warmup
        draws = section.draws
        targetAcceptance = section.targetAccept
        maxTreeDepth = section.maxTreeDepth
        metric = section.metric == .dense ? .dense : .diagonal
    }
}
