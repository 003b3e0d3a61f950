import Foundation
import MixInference

/// The record of `sampler.retry`: the first fit failed the convergence gate on one kind of
/// failure a refit can cure without changing the model, so the model was refitted once and the
/// refit's draws are the ones kept. Two kinds qualify (`Remedy`): divergent transitions alone
/// (refit at a higher target acceptance, a smaller step size, which removes divergences caused by
/// the step rather than by the posterior) and R-hat or ESS alone (refit with warm-up and draws
/// doubled, at the higher target acceptance too: chains that have not mixed yet, or too few
/// effective draws, are cured by running longer, and the smaller step keeps the longer run from
/// diverging in the regions it newly reaches — on geo-8x156 seed 4 the doubled run at 0.8 kept
/// 54 divergent transitions in one chain, at 0.95 none). A fit that can continue its chains (a geo
/// fit, `GeoContrastDensity.continueChains`) cures R-hat or ESS alone instead by running every
/// chain on for half as many draws again from where it stopped, with the step size and metric it
/// adapted (`moreDraws`): the first fit's draws are kept and only the new ones cost (on
/// geo-50x208 about 30 % of a first fit), where a longer refit costs the first fit's warm-up and
/// draws again, twice over (2.5 first fits). On geo-50x208 seed 3 (first fit 0 divergences, max
/// R-hat 1.010) the continued fit passed in 15.1 minutes in all; with the longer refit it had not
/// finished after 20.4. Half is what a fit just short of the gate needs: bulk ESS grows with the
/// draws, so 1.5× lifts an ESS of 270 or more past 400, and R-hat's excess over 1 shrinks with
/// them. Every output that shows the verdict shows this too, so a fit that passed only on its
/// second try is never shown as a plain pass.
public struct FitRetry: Sendable, Codable, Equatable {
    /// What the refit changed.
    public enum Remedy: String, Sendable, Codable {
        /// The next target acceptance up, same warm-up and draws: for divergences alone.
        case smallerStep = "smaller_step"
        /// Warm-up and draws per chain doubled, at the next target acceptance up (the same from
        /// 0.99): for R-hat or ESS alone.
        case longerRun = "longer_run"
        /// Every chain of the first fit continued for half as many draws again (no new warm-up, the
        /// same step size and target acceptance), its draws kept: for R-hat or ESS alone, where a fit can continue.
        case moreDraws = "more_draws"
    }

    /// What the refit changed (records written before the longer run existed decode as `smallerStep`).
    public var remedy: Remedy
    /// Why the first fit was refitted: its failed checks, e.g. "3 divergent transitions after warm-up".
    public var reason: String
    /// The first fit's target acceptance and the refit's.
    public var firstTargetAccept: Double
    public var targetAccept: Double
    /// The first fit's warm-up and draws per chain, and the refit's (nil in records written before
    /// they were kept; those refits ran the first fit's).
    public var firstWarmup: Int?
    public var firstDraws: Int?
    public var warmup: Int?
    public var draws: Int?
    /// What the first fit cost (discarded, or under `moreDraws` continued and kept).
    public var firstSeconds: Double
    public var firstGradientEvaluations: Int

    /// The seconds spent on draws that were thrown away: the first fit's, except under `moreDraws`,
    /// whose kept run already counts them. A fit's whole cost is its own seconds plus these.
    public var discardedSeconds: Double { remedy == .moreDraws ? 0 : firstSeconds }

    public init(remedy: Remedy = .smallerStep, reason: String, firstTargetAccept: Double, targetAccept: Double,
                firstWarmup: Int? = nil, firstDraws: Int? = nil, warmup: Int? = nil, draws: Int? = nil,
                firstSeconds: Double, firstGradientEvaluations: Int) {
        self.remedy = remedy
        self.reason = reason
        self.firstTargetAccept = firstTargetAccept
        self.targetAccept = targetAccept
        self.firstWarmup = firstWarmup
        self.firstDraws = firstDraws
        self.warmup = warmup
        self.draws = draws
        self.firstSeconds = firstSeconds
        self.firstGradientEvaluations = firstGradientEvaluations
    }

    private enum CodingKeys: String, CodingKey {
        case remedy, reason, firstTargetAccept, targetAccept, firstWarmup, firstDraws, warmup, draws, firstSeconds, firstGradientEvaluations
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        remedy = try c.decodeIfPresent(Remedy.self, forKey: .remedy) ?? .smallerStep
        reason = try c.decode(String.self, forKey: .reason)
        firstTargetAccept = try c.decode(Double.self, forKey: .firstTargetAccept)
        targetAccept = try c.decode(Double.self, forKey: .targetAccept)
        firstWarmup = try c.decodeIfPresent(Int.self, forKey: .firstWarmup)
        firstDraws = try c.decodeIfPresent(Int.self, forKey: .firstDraws)
        warmup = try c.decodeIfPresent(Int.self, forKey: .warmup)
        draws = try c.decodeIfPresent(Int.self, forKey: .draws)
        firstSeconds = try c.decode(Double.self, forKey: .firstSeconds)
        firstGradientEvaluations = try c.decode(Int.self, forKey: .firstGradientEvaluations)
    }

    /// The refit's target acceptance after a first fit at `targetAccept`: 0.95 from below it,
    /// 0.99 from below that, nil from 0.99 up (there is no useful step left).
    public static func nextTargetAccept(after targetAccept: Double) -> Double? {
        if targetAccept < 0.95 { return 0.95 }
        if targetAccept < 0.99 { return 0.99 }
        return nil
    }

    /// The remedy for a failed `verdict`, nil when none applies: `smallerStep` when it failed on
    /// divergent transitions and nothing else, `longerRun` when it failed on R-hat and/or bulk or
    /// tail ESS and nothing else. Any other failed check (tree depth, E-BFMI, step size, a
    /// degenerate corner, the baseline), or divergences together with R-hat or ESS, is left to
    /// the analyst: a refit would hide, not cure, it.
    public static func remedy(for verdict: ConvergenceVerdict) -> Remedy? {
        guard !verdict.passed else { return nil }
        let checks = Set(verdict.reasons.map(\.check))
        if checks == [.divergences] { return .smallerStep }
        if checks.isSubset(of: [.rhat, .essBulk, .essTail]) { return .longerRun }
        return nil
    }

    /// True when `verdict` has a remedy (`remedy(for:)`).
    public static func warranted(by verdict: ConvergenceVerdict) -> Bool { remedy(for: verdict) != nil }

    /// The shortest run the longer refit doubles: the default 1000 warm-up + 1000 draws per chain,
    /// the length the gate's thresholds are set for (ESS 400 is 100 per chain of 1000 draws). A
    /// run shortened on purpose — a quick look, a test — fails R-hat or ESS because it is short,
    /// and is left as asked.
    public static let longerRunMinimum = (warmup: 1000, draws: 1000)

    /// How many draws per chain `moreDraws` adds to a run of `draws`: half as many again (at least one).
    public static func continuedDraws(after draws: Int) -> Int { max(1, draws / 2) }

    /// The refit's settings after a first fit with `settings` failed with `verdict`, and the remedy
    /// they apply; nil when there is none (no remedy, no higher target acceptance left, or a run
    /// shorter than `longerRunMinimum` failing on R-hat or ESS).
    public static func refit(after verdict: ConvergenceVerdict, settings: SamplerSettings) -> (remedy: Remedy, settings: SamplerSettings)? {
        guard let remedy = remedy(for: verdict) else { return nil }
        if remedy == .longerRun, settings.warmup < longerRunMinimum.warmup || settings.draws < longerRunMinimum.draws { return nil }
        var refit = settings
        switch remedy {
        case .smallerStep:
            guard let higher = nextTargetAccept(after: settings.targetAcceptance) else { return nil }
            refit.targetAcceptance = higher
        case .longerRun:
            refit.warmup = 2 * settings.warmup
            refit.draws = 2 * settings.draws
            refit.targetAcceptance = nextTargetAccept(after: settings.targetAcceptance) ?? settings.targetAcceptance
        case .moreDraws:
            refit.draws = settings.draws + continuedDraws(after: settings.draws)
        }
        return (remedy, refit)
    }

    /// Runs `sampleOnce` with `settings` and, when `enabled` and the verdict has a remedy, once
    /// more with the refit's settings, keeping the refit with its record attached by `attach`.
    /// The one retry rule of the national (`ModelFitter`) and geo (`GeoFit`) fits.
    /// `continueDraws` (fits that can continue their chains) turns `longerRun` into `moreDraws`:
    /// it returns the fit with every chain run on for the given number of draws more.
    public static func fit<Fit>(settings: SamplerSettings, enabled: Bool, sampleOnce: (SamplerSettings) throws -> Fit,
                                continueDraws: ((Fit, Int) throws -> Fit)? = nil,
                                verdict: (Fit) -> ConvergenceVerdict, cost: (Fit) -> (seconds: Double, gradientEvaluations: Int),
                                attach: (inout Fit, FitRetry) -> Void) throws -> Fit {
        let first = try sampleOnce(settings)
        let firstVerdict = verdict(first)
        guard enabled, let (remedy, retried) = refit(after: firstVerdict, settings: settings).map({ ($0.remedy, $0.settings) }) else { return first }
        let spent = cost(first)
        if remedy == .longerRun, let continueDraws {
            let more = continuedDraws(after: settings.draws)
            var kept = try continueDraws(first, more)
            attach(&kept, FitRetry(remedy: .moreDraws, reason: firstVerdict.summary,
                                   firstTargetAccept: settings.targetAcceptance, targetAccept: settings.targetAcceptance,
                                   firstWarmup: settings.warmup, firstDraws: settings.draws, warmup: settings.warmup, draws: settings.draws + more,
                                   firstSeconds: spent.seconds, firstGradientEvaluations: spent.gradientEvaluations))
            return kept
        }
        var kept = try sampleOnce(retried)
        attach(&kept, FitRetry(remedy: remedy, reason: firstVerdict.summary,
                               firstTargetAccept: settings.targetAcceptance, targetAccept: retried.targetAcceptance,
                               firstWarmup: settings.warmup, firstDraws: settings.draws, warmup: retried.warmup, draws: retried.draws,
                               firstSeconds: spent.seconds, firstGradientEvaluations: spent.gradientEvaluations))
        return kept
    }

    /// What the refit was, for the one-line fit summary: "a refit at target acceptance 0.95" or
    /// "a longer refit (2000 warm-up + 2000 draws per chain at target acceptance 0.95)".
    public var refitDescription: String {
        switch remedy {
        case .smallerStep:
            return "a refit at target acceptance \(Self.number(targetAccept))"
        case .longerRun:
            let at = "target acceptance \(Self.number(targetAccept))"
            if let warmup, let draws { return "a longer refit (\(warmup) warm-up + \(draws) draws per chain at \(at))" }
            return "a longer refit at \(at)"
        case .moreDraws:
            let more = draws.flatMap { d in firstDraws.map { d - $0 } }.map { "\($0) more draws per chain" } ?? "more draws"
            return "its chains continued for \(more)"
        }
    }

    /// One sentence for the fit output, the report and the workbook.
    public var sentence: String {
        switch remedy {
        case .smallerStep:
            return String(format: "Refitted once: the first fit at target acceptance %@ failed only on divergences (%@), so these results come from a second fit at %@ (sampler.retry).",
                          Self.number(firstTargetAccept), reason, Self.number(targetAccept))
        case .longerRun:
            let before = firstWarmup.flatMap { w in firstDraws.map { "\(w) warm-up + \($0) draws per chain" } } ?? "the configured length"
            let after = warmup.flatMap { w in draws.map { "\(w) + \($0)" } } ?? "twice that"
            return String(format: "Refitted once: the first fit (%@ at target acceptance %@) failed only on R-hat or ESS (%@), so these results come from a second fit twice as long (%@ at %@; sampler.retry).",
                          before, Self.number(firstTargetAccept), reason, after, Self.number(targetAccept))
        case .moreDraws:
            let before = firstDraws.map { "\($0) draws per chain" } ?? "its draws"
            let after = draws.map { "\($0) per chain" } ?? "half as many again"
            return String(format: "Run on once: the first fit (%@) failed only on R-hat or ESS (%@), so every chain was continued from where it stopped, with the step size and metric it had adapted, and these results use all its draws (%@; sampler.retry).",
                          before, reason, after)
        }
    }

    private static func number(_ x: Double) -> String {
        var s = String(format: "%.3f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
