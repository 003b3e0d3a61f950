import Foundation
import MixData
import MixInference
import MixModel
import MixOptimize

/// How much the data, rather than the priors, say about one channel (DESIGN.md §8): ROAS prior
/// against posterior, effect share against spend share, ROAS against a plausible range, and
/// collinearity with the other channels. A channel the data did not inform is
/// "prior-dominated": a recommendation that moves money into or out of it rests on the prior.
public struct ChannelEvidence: Sendable, Codable, Equatable {
    /// The thresholds of the channel verdict, in one place.
    public enum Threshold {
        /// Below this contraction (1 − posterior variance / prior variance of ROAS) the channel
        /// is prior-dominated: its posterior sd is still more than √0.5 ≈ 71 % of the prior's.
        public static let minContraction = 0.5
        /// Above this coefficient of variation (posterior sd ÷ mean) of ROAS the channel is also
        /// prior-dominated: with very wide priors (PyMC-Marketing's HalfNormal β) the data can
        /// cut the prior's tail — an effect cannot exceed the target's level — and so "narrow" it
        /// a lot while still not telling a small ROAS from a large one.
        public static let maxPosteriorCV = 0.5
        /// ROAS outside this range (target units per currency unit) is flagged as implausible for
        /// a revenue target; for a target in units sold, check the units instead.
        public static let plausibleROAS = 0.05...50.0
        /// Effect share ÷ spend share outside this range is flagged: a channel doing 5× (or ⅕)
        /// of what its budget share would suggest deserves a second look.
        public static let shareRatio = 0.2...5.0
        /// |correlation| of two channels' spend from which the data can hardly tell them apart.
        public static let spendCorrelation = 0.8
        /// Posterior correlation of two channels' contributions at or below which the model
        /// trades one channel's effect for the other's.
        public static let contributionCorrelation = -0.5
    }

    /// What was flagged about the channel.
    public enum Flag: String, Sendable, Codable, CaseIterable {
        case priorDominated = "prior_dominated", implausibleROAS = "implausible_roas", shareMismatch = "share_mismatch"
        case collinearSpend = "collinear_spend", contributionTradeOff = "contribution_trade_off"
    }

    /// One finding: the flag, its message and what to do next.
    public struct Finding: Sendable, Codable, Equatable {
        public var flag: Flag
        public var message: String
        public var nextStep: String
    }

    public var channel: String
    /// ROAS implied by the channel's priors (nil for a channel with an experiment's lift_roi_prior,
    /// whose prior is on a different quantity).
    public var priorROAS: Interval?
    public var posteriorROAS: Interval
    /// Posterior standard deviation of ROAS.
    public var posteriorSD: Double
    /// 1 − posterior variance / prior variance of ROAS (nil without `priorROAS`).
    public var contraction: Double?
    public var spendShare: Double
    /// Posterior mean share of the modelled media effect.
    public var effectShare: Double
    /// The other channel with the most correlated spend, and the correlation.
    public var mostCorrelatedSpend: String?
    public var spendCorrelation: Double?
    /// The other channel whose contribution the posterior trades most against, and the correlation.
    public var mostTradedAgainst: String?
    public var contributionCorrelation: Double?
    public var findings: [Finding]

    /// How much the data narrowed the ROAS prior, as every output shows it (`fit`, the report,
    /// the workbook, the prior-dominated finding): the contraction floored at 0, since a
    /// posterior wider than its prior was not narrowed at all; nil without `priorROAS`.
    public var narrowed: Double? { contraction.map { max(0, $0) } }

    /// `narrowed` in whole percent ("85 %"), the one way it is written: the prior side is a
    /// 400-draw Monte Carlo estimate, so decimals would be noise. Rounded down, so a channel
    /// under the 50 % threshold (`Threshold.minContraction`) never shows "50 %" (0.497 is 49 %).
    public var narrowedText: String? { narrowed.map { String(format: "%.0f %%", (100 * $0).rounded(.down)) } }

    /// True when the data did not move the ROAS prior enough (see `Threshold.minContraction`).
    public var priorDominated: Bool { findings.contains { $0.flag == .priorDominated } }
}

/// Every channel's evidence, the prior predictive media share, and the caveat a recommendation
/// must carry when it leans on prior-dominated channels.
public struct ChannelEvidenceSummary: Sendable, Codable, Equatable {
    public var channels: [ChannelEvidence]
    /// Media's share of the target over the training rows under the priors alone: what the model
    /// assumed before seeing the data (Σ channel contributions ÷ Σ target).
    public var priorMediaShare: Interval
    /// The same share under the posterior.
    public var posteriorMediaShare: Interval

    /// Names of the prior-dominated channels, in model order.
    public var priorDominated: [String] { channels.filter(\.priorDominated).map(\.channel) }

    /// The caveat for a plan that changes spend on prior-dominated channels (more than 1 % of
    /// their current spend), nil when it does not. Shown beside every probability of beating
    /// current spend.
    public func caveat(for plan: PlanSummary) -> String? {
        let dominated = Set(priorDominated)
        let moved = plan.channels.filter { c in
            dominated.contains(c.channel) && abs(c.spendPerPeriod - c.currentSpendPerPeriod) > 0.01 * max(c.currentSpendPerPeriod, 1e-12)
        }.map(\.channel)
        guard !moved.isEmpty else { return nil }
        let list = moved.joined(separator: ", ")
        return "this plan moves spend on \(moved.count == 1 ? "a channel" : "channels") the data did not inform (\(list)): "
            + "\(moved.count == 1 ? "its" : "their") ROAS comes mostly from the prior, so the change and its chance of beating current spend assume the prior is right"
    }

    /// Computes the evidence from the model's priors and every posterior draw; `priorDraws` ROAS
    /// draws per channel are taken from its priors through the same ROAS computation as the
    /// posterior's (seeded from the fit's seed, so reruns agree). Every draw, not a subset, so
    /// `fit` (on the model in memory) and the report, workbook and `optimize` (on the saved
    /// model) compute the same figures: a thinned subset once made `fit` and the report print
    /// different "narrowed" percentages for the same channel.
    public init(model: FittedModel, priorDraws: Int = 400) {
        let C = model.structure.channels.count
        let trainT = model.dataset.periodCount - model.holdout
        let evaluator = ModelEvaluator(structure: model.structure, dataset: model.trainingData)
        let spend = (0..<C).map { model.dataset.spend[$0][0..<trainT].reduce(0, +) }
        let totalSpend = spend.reduce(0, +)
        let targetTotal = model.dataset.target[0..<trainT].reduce(0, +)
        var contributions = [[Double]](repeating: [], count: C)
        for i in 0..<model.drawCount {
            let x = model.draw(i)
            for c in 0..<C { contributions[c].append(evaluator.channelContribution(c, x).reduce(0, +)) }
        }
        let draws = contributions.first?.count ?? 0
        let mediaPost = (0..<draws).map { d in (0..<C).reduce(0) { $0 + contributions[$1][d] } / targetTotal }
        posteriorMediaShare = Interval(draws: mediaPost)

        // Prior draws: every channel parameter from its prior; the rest at the posterior mean.
        var rng = RandomStream(seed: model.sampler.seed &+ 0x9121_0E, stream: 7)
        let base = model.posteriorMean
        var priorContributions = [[Double]](repeating: [], count: C)
        for _ in 0..<priorDraws {
            var x = base
            for ch in model.structure.channels {
                let count = ch.adstock.parameterCount
                for p in ch.adstockOffset..<(ch.adstockOffset + count) { x[p] = Self.sample(model.structure.parameters[p].prior.spec, &rng) }
                for p in ch.saturationOffset..<(ch.saturationOffset + ch.saturation.parameterCount) {
                    x[p] = Self.sample(model.structure.parameters[p].prior.spec, &rng)
                }
            }
            for c in 0..<C { priorContributions[c].append(evaluator.channelContribution(c, x).reduce(0, +)) }
        }
        // A channel with a ROAS prior (the `default_priors: roas` default or a configured
        // roi_prior) has that prior on contribution / spend: draw it directly.
        for c in 0..<C {
            guard let roas = model.structure.roasPrior(channel: c) else { continue }
            priorContributions[c] = (0..<priorDraws).map { _ in Self.sample(roas.spec, &rng) * spend[c] }
        }
        let mediaPrior = (0..<priorDraws).map { d in (0..<C).reduce(0) { $0 + priorContributions[$1][d] } / targetTotal }
        priorMediaShare = Interval(draws: mediaPrior)

        let meanContribution = contributions.map { $0.reduce(0, +) / Double(max(1, $0.count)) }
        let media = meanContribution.reduce(0, +)
        var out: [ChannelEvidence] = []
        for c in 0..<C {
            let name = model.structure.channels[c].name
            let settings = model.config.model.channels[name]
            let post = contributions[c].map { $0 / spend[c] }
            var prior: [Double]? = priorContributions[c].map { $0 / spend[c] }
            if settings?.liftROIPrior != nil { prior = nil }
            let contraction = prior.map { 1 - Self.variance(post) / Self.variance($0) }
            var e = ChannelEvidence(channel: name, priorROAS: prior.map { Interval(draws: $0) }, posteriorROAS: Interval(draws: post),
                                    posteriorSD: Self.variance(post).squareRoot(),
                                    contraction: contraction, spendShare: totalSpend > 0 ? spend[c] / totalSpend : .nan,
                                    effectShare: media != 0 ? meanContribution[c] / media : .nan, mostCorrelatedSpend: nil,
                                    spendCorrelation: nil, mostTradedAgainst: nil, contributionCorrelation: nil, findings: [])
            let others = (0..<C).filter { $0 != c }
            if let o = others.max(by: { abs(Self.correlation(model.dataset.spend[c][0..<trainT], model.dataset.spend[$0][0..<trainT]))
                < abs(Self.correlation(model.dataset.spend[c][0..<trainT], model.dataset.spend[$1][0..<trainT])) }) {
                e.mostCorrelatedSpend = model.structure.channels[o].name
                e.spendCorrelation = Self.correlation(model.dataset.spend[c][0..<trainT], model.dataset.spend[o][0..<trainT])
            }
            if let o = others.min(by: { Self.correlation(contributions[c][...], contributions[$0][...]) < Self.correlation(contributions[c][...], contributions[$1][...]) }) {
                e.mostTradedAgainst = model.structure.channels[o].name
                e.contributionCorrelation = Self.correlation(contributions[c][...], contributions[o][...])
            }
            e.findings = Self.findings(e)
            out.append(e)
        }
        channels = out
    }

    static func findings(_ e: ChannelEvidence) -> [ChannelEvidence.Finding] {
        typealias T = ChannelEvidence.Threshold
        var out: [ChannelEvidence.Finding] = []
        func pct(_ x: Double) -> String { String(format: "%.0f %%", 100 * x) }
        let next = "run an experiment (a geo or on/off lift test, then `mixplan elicit`), set an ROI prior from what you know (model.channels.\(e.channel).roi_prior), or fit on longer data with more variation in its spend"
        let cv = e.posteriorSD / abs(e.posteriorROAS.mean)
        if let k = e.contraction, !(k >= T.minContraction) {
            out.append(.init(flag: .priorDominated,
                             message: "prior-dominated: the data narrowed its ROAS prior by only \(e.narrowedText ?? pct(max(0, k))) (variance), so its ROAS is mostly the prior's",
                             nextStep: next))
        } else if e.contraction != nil, !(cv <= T.maxPosteriorCV) {
            out.append(.init(flag: .priorDominated,
                             message: "prior-dominated: the data leave its ROAS uncertain (posterior sd \(pct(cv)) of its mean), so where in that range it lies is the prior's call",
                             nextStep: next))
        }
        let roas = e.posteriorROAS.mean
        if roas.isFinite, !T.plausibleROAS.contains(roas) {
            out.append(.init(flag: .implausibleROAS,
                             message: String(format: "ROAS %.3g is outside the plausible range %.2g–%.0f", roas, T.plausibleROAS.lowerBound, T.plausibleROAS.upperBound),
                             nextStep: "check the channel's spend units and the target's, and compare with what experiments or industry benchmarks say; an ROI prior (roi_prior) can hold it to a plausible range"))
        }
        if e.spendShare > 0, e.effectShare.isFinite, !T.shareRatio.contains(e.effectShare / e.spendShare) {
            out.append(.init(flag: .shareMismatch,
                             message: "its share of the media effect (\(pct(e.effectShare))) is far from its share of spend (\(pct(e.spendShare)))",
                             nextStep: "confirm with an experiment before moving much budget on it"))
        }
        if let r = e.spendCorrelation, let o = e.mostCorrelatedSpend, abs(r) >= T.spendCorrelation {
            out.append(.init(flag: .collinearSpend, message: String(format: "its spend moves with %@'s (correlation %.2f), so the data can hardly tell them apart", o, r),
                             nextStep: "vary the two channels' spend independently for a while (flighting), or test one of them"))
        }
        if let r = e.contributionCorrelation, let o = e.mostTradedAgainst, r <= T.contributionCorrelation {
            out.append(.init(flag: .contributionTradeOff, message: String(format: "the posterior trades its effect against %@'s (correlation %.2f of their contributions)", o, r),
                             nextStep: "read the two channels' results together; their sum is better known than either"))
        }
        return out
    }

    /// One draw from a prior: direct for the common families, by inverting the CDF otherwise.
    public static func sample(_ spec: PriorSpec, _ rng: inout RandomStream) -> Double {
        switch spec.family {
        case .normal: return spec["mu"] + spec["sigma"] * rng.normal()
        case .halfNormal: return abs(spec["sigma"] * rng.normal())
        case .logNormal: return exp(spec["mu"] + spec["sigma"] * rng.normal())
        default:
            let u = min(max(rng.uniform(), 1e-12), 1 - 1e-12)
            return PriorSummary.quantile(spec, u)
        }
    }

    /// Sample variance (n − 1) of the finite values; NaN with fewer than two.
    public static func variance(_ x: [Double]) -> Double {
        let finite = x.filter(\.isFinite)
        guard finite.count > 1 else { return .nan }
        let m = finite.reduce(0, +) / Double(finite.count)
        return finite.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(finite.count - 1)
    }

    static func correlation(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double {
        let n = Double(a.count)
        guard n > 1 else { return 0 }
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, b) { sab += (x - ma) * (y - mb); saa += (x - ma) * (x - ma); sbb += (y - mb) * (y - mb) }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : 0
    }
}
