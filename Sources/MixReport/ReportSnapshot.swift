import Foundation
import MixData
import MixModel
import MixOptimize

/// The key figures of one run, saved as `summary.json` in each weekly pack and read back the
/// next week so the report can say what changed.
///
/// Small on purpose: only what the "what changed" section compares (period covered, per-channel
/// contribution, ROAS and recommended spend, total expected response, fit and convergence).
/// Non-finite numbers (an R² of a constant target, say) are stored as the strings "nan", "inf".
public struct ReportSnapshot: Codable, Sendable, Equatable {
    /// Bumped when a field changes meaning; `load` refuses other versions.
    public static let formatVersion = 1

    /// One channel's figures.
    public struct Channel: Codable, Sendable, Equatable {
        public var name: String
        /// Spend over the training rows.
        public var spend: Double
        /// Contribution over the training rows (mean and interval).
        public var contribution: Interval
        /// Mean contribution per period: comparable between runs over different windows.
        public var contributionPerPeriod: Double
        public var roas: Interval
        public var marginalRoas: Interval
        /// Spend per period before and in the recommended plan (nil without an optimisation).
        public var currentSpendPerPeriod: Double?
        public var recommendedSpendPerPeriod: Double?
        /// The data did not inform this channel (nil in summaries written before the check).
        public var priorDominated: Bool?
        /// 1 − posterior variance / prior variance of ROAS, and the ROAS prior's interval.
        public var contraction: Double?
        public var priorRoas: Interval?
        public var spendShare: Double?
        public var effectShare: Double?
        /// Everything the channel check flagged, with what to do next.
        public var findings: [ChannelEvidence.Finding]?
        /// For a channel measured in exposures: its exposure column, unit and the cost per unit
        /// that turns exposures into the money of `spend`, ROAS and the plan (nil for a channel
        /// measured in money, and in older summaries).
        public var exposure: ExposureCost?
    }

    /// The recommendation's totals (nil in the snapshot without an optimisation).
    public struct Plan: Codable, Sendable, Equatable {
        public var objective: String
        /// Horizon in periods and total budget over it.
        public var periods: Int
        public var budget: Double
        /// Total expected response of the recommended and of the current plan over the horizon.
        public var response: Interval
        public var currentResponse: Interval
        public var probabilityBetter: Double
        /// The caveat beside `probabilityBetter`: the plan leans on prior-dominated channels or
        /// the fit did not converge (nil when neither, and in older summaries).
        public var caveat: String?
    }

    public var formatVersion: Int
    public var target: String
    public var currency: String
    /// "weekly" or "daily".
    public var frequency: String
    /// First and last training period (YYYY-MM-DD) and the number of training periods.
    public var periodStart: String
    public var periodEnd: String
    public var periods: Int
    /// Held-out periods after `periodEnd`.
    public var holdout: Int
    public var channels: [Channel]
    public var plan: Plan?
    public var inSample: FitMetrics
    public var outOfSample: FitMetrics?
    /// Whether the fit passed its convergence verdict (`verdict.passed`).
    public var converged: Bool
    /// The verdict with each failed check and what to try next (nil in older summaries).
    public var verdict: ConvergenceVerdict?
    /// Media's share of the target under the priors alone and the posterior (nil in older summaries).
    public var priorMediaShare: Interval?
    public var posteriorMediaShare: Interval?
    /// Channels the data did not inform (nil in older summaries).
    public var priorDominatedChannels: [String]?
    /// The out-of-sample backtest (nil when none was run).
    public var backtest: Backtest?
    public var maxRhat: Double
    public var minEssBulk: Double
    public var divergences: Int
    /// Set when the fit is `sampler.retry`'s refit after a first fit failed on divergences alone,
    /// or on R-hat or ESS alone (nil otherwise, and in older summaries).
    public var retry: FitRetry?
    /// The media multiplier and intercept drift per training period with their intervals (nil for
    /// a static model, and in summaries written before they were saved).
    public var timeVarying: TimeVaryingTable?

    /// The snapshot of a run.
    public init(_ results: PlanningResults) {
        let model = results.model
        let training = model.trainingData
        let plan = results.optimization?.plan
        formatVersion = Self.formatVersion
        target = model.dataset.targetName
        currency = results.currency
        frequency = model.dataset.frequency.rawValue
        periodStart = training.dates.first?.description ?? ""
        periodEnd = training.dates.last?.description ?? ""
        periods = training.periodCount
        holdout = model.holdout
        channels = results.quantities.channels.map { c in
            let line = plan?.channels.first { $0.channel == c.name }
            let e = results.evidence.channels.first { $0.channel == c.name }
            return Channel(name: c.name, spend: c.spend, contribution: c.contribution,
                           contributionPerPeriod: c.contribution.mean / Double(max(1, training.periodCount)),
                           roas: c.roas, marginalRoas: c.marginalRoas,
                           currentSpendPerPeriod: line?.currentSpendPerPeriod,
                           recommendedSpendPerPeriod: line?.spendPerPeriod, priorDominated: e?.priorDominated,
                           contraction: e?.contraction, priorRoas: e?.priorROAS, spendShare: e?.spendShare,
                           effectShare: e?.effectShare, findings: e?.findings,
                           exposure: model.dataset.exposureCosts[c.name])
        }
        self.plan = results.optimization.map { o in
            Plan(objective: o.objective, periods: o.plan.periods, budget: o.plan.totalSpend, response: o.plan.response,
                 currentResponse: o.plan.currentResponse, probabilityBetter: o.plan.probabilityBetter,
                 caveat: ReportContext.caveat(results))
        }
        inSample = results.quantities.inSample
        outOfSample = results.quantities.outOfSample
        let verdict = results.verdict
        converged = verdict.passed
        self.verdict = verdict
        priorMediaShare = results.evidence.priorMediaShare
        posteriorMediaShare = results.evidence.posteriorMediaShare
        priorDominatedChannels = results.evidence.priorDominated
        backtest = results.backtest
        maxRhat = model.sampler.maxRhat
        minEssBulk = model.sampler.minEssBulk
        divergences = model.sampler.divergences
        retry = model.sampler.retry
        timeVarying = TimeVaryingTable(model: model)
    }

    /// Pretty-printed JSON with sorted keys: the same snapshot always gives the same bytes.
    public func jsonData() throws -> Data {
        let encoder = MixJSON.encoder()
        return try encoder.encode(self)
    }

    /// Reads a snapshot written by `jsonData()`; a missing, unreadable, malformed or
    /// other-version file is an `InputError` naming it.
    public static func load(from url: URL) throws -> ReportSnapshot {
        let location = InputLocation(file: url.path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError(location, "cannot be read (missing or unreadable).",
                             hint: "Give the summary.json of an earlier weekly pack, or leave the previous run out.")
        }
        let decoder = MixJSON.decoder()
        if let version = try? decoder.decode(Version.self, from: data), version.formatVersion != formatVersion {
            throw InputError(location, "is a run summary of format version \(version.formatVersion); this MixPlan reads version \(formatVersion).")
        }
        do {
            return try decoder.decode(ReportSnapshot.self, from: data)
        } catch let error as DecodingError {
            throw InputError(location, "is not a MixPlan run summary: \(describe(error))")
        }
    }

    private struct Version: Decodable { var formatVersion: Int }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.isEmpty ? "the top level" : "key \"" + keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") + "\""
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)) has the wrong type (\(context.debugDescription))."
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not valid JSON." : "\(path(context.codingPath)): \(context.debugDescription)."
        @unknown default:
            return "\(error)."
        }
    }
}

extension ReportSnapshot {
    /// The run's recommendation kept every channel at current spend (as `PlanSummary.keepsCurrentSpend`).
    var planKeepsCurrentSpend: Bool {
        guard let plan else { return false }
        let pairs = channels.compactMap { c in c.currentSpendPerPeriod.flatMap { now in c.recommendedSpendPerPeriod.map { (now, $0) } } }
        return !pairs.isEmpty && pairs.allSatisfy { abs($0.0 - $0.1) <= 1e-9 * max(1, plan.budget) }
    }
}
