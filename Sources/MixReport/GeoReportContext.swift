import Foundation
import MixCharts
import MixData
import MixModel
import MixOptimize

/// What the geo report's templates see (`Templates/geo-report.*.mustache`): the national summary
/// first, then the geos that move most, then every geo, all as formatted text (`ReportFormat`).
/// Field names are the Mustache tag names; `GeoReportKeys` lists them for the template check.
public struct GeoReportContext: Sendable {
    public var title: String
    public var target: String
    /// "week" or "day".
    public var periodUnit: String
    /// "2024-01-07 to 2025-12-28 (104 weekly periods)".
    public var period: String
    public var geoCount: String
    public var modelText: String
    /// Label of the posterior intervals, e.g. "94 %".
    public var intervalLabel: String
    public var converged: Bool
    /// The verdict the report opens with: convergence, then channels the data did not inform.
    public var trust: ReportContext.Trust
    /// Things the reader must know besides the verdict (skipped steps, dark cells).
    public var warnings: [String]
    public var hasWarnings: Bool
    public var national: National
    /// The geos that move most: by media contribution, and by how far their ROAS is from the national.
    public var largest: [Mover]
    public var distinct: [Mover]
    public var geos: [GeoLine]
    /// A geo budget plan, when one is given (`GeoPlanText`; nil: the report says no optimisation was run).
    public var plan: GeoPlanText?
    /// National charts (ROAS, shares, fit), the plan's chart (allocation by geo), then the geo
    /// charts (heat map, fit, curves).
    public var nationalCharts: [ReportContext.Chart]
    public var planCharts: [ReportContext.Chart]
    public var geoCharts: [ReportContext.Chart]

    public struct National: Sendable {
        public var r2: String
        public var mape: String
        public var mediaShare: String
        public var channels: [ChannelLine]
    }

    public struct ChannelLine: Sendable {
        public var name: String
        public var spend: String
        public var contribution: String
        public var roas: String
        public var marginalRoas: String
        public var effectShare: String
        /// "informed by the data" or "prior-dominated" (the pooled log-ROAS mean's contraction).
        public var status: String
        /// Geos where the channel spends, e.g. "4 of 4".
        public var geos: String
    }

    /// One geo singled out, and why.
    public struct Mover: Sendable {
        public var name: String
        /// E.g. "media adds 12.3k (9.8k–15.1k), 31.0 % of the national media effect".
        public var why: String
    }

    public struct GeoLine: Sendable {
        public var name: String
        public var r2: String
        public var mape: String
        public var cells: [Cell]
    }

    public struct Cell: Sendable {
        public var channel: String
        /// ROAS with its interval, or "no spend".
        public var roas: String
        public var contribution: String
        public var spend: String
    }

    /// Builds the context; `plan` is the geo optimiser's plan (nil: none), `chartFiles` the PNG
    /// names written under `charts/`.
    public init(_ m: GeoModelFolder, plan: GeoPlanText? = nil, extraWarnings: [String] = [], chartFiles: [String]) {
        let s = m.summary, cfg = m.config, money = ReportFormat(currency: cfg.report.currency)
        let mass = cfg.report.intervalMass
        let G = m.panel.geoCount, C = m.panel.channelNames.count
        target = s.target
        periodUnit = m.panel.geos[0].frequency == .daily ? "day" : "week"
        title = "Geo media mix report: \(s.target)"
        period = "\(s.periodStart) to \(s.periodEnd) (\(s.periods) \(s.frequency) periods)"
        geoCount = ReportFormat.count(G)
        modelText = "geo-hierarchical, \(G) geos; adstock \(cfg.model.adstock.rawValue) and saturation \(cfg.model.saturation.rawValue) shared by every geo; "
            + "each geo × channel ROAS partially pooled towards its channel's; \(m.manifest.chains) chains × \(m.manifest.drawsPerChain) draws"
        intervalLabel = Interval.percentLabel(mass)
        converged = s.verdict.passed

        let national = (0..<C).map { m.posterior.nationalResult(channel: $0, mass: mass) }
        let dominated = Self.priorDominated(m)
        let evidence = ReportContext.Evidence(channels: [], priorDominated: dominated.isEmpty ? nil : dominated.joined(separator: ", "),
                                              priorMediaShare: "", posteriorMediaShare: "")
        trust = ReportContext.trust(s.verdict, evidence: evidence, retry: s.retry)
        let media = Self.mediaDraws(m, geos: Array(0..<G))
        let totalTarget = m.panel.geos.reduce(0) { $0 + $1.target.reduce(0, +) }
        self.national = National(
            r2: ReportFormat.score(s.inSample.r2), mape: ReportFormat.percent(s.inSample.mape),
            mediaShare: ReportContext.share(Interval(draws: media.map { $0 / totalTarget }, mass: mass)),
            channels: national.enumerated().map { c, q in
                ChannelLine(name: q.name, spend: money.money(q.spend), contribution: ReportFormat.interval(q.contribution),
                            roas: ReportFormat.ratioInterval(q.roas), marginalRoas: ReportFormat.ratioInterval(q.marginalRoas),
                            effectShare: ReportContext.share(q.share),
                            status: dominated.contains(q.name) ? "prior-dominated" : "informed by the data",
                            geos: "\((0..<G).filter { m.posterior.structure.active[$0 * C + c] }.count) of \(G)")
            })

        // The geos that move most.
        let nationalMedia = media.reduce(0, +) / Double(max(1, media.count))
        let byGeo = (0..<G).map { g in Interval(draws: Self.mediaDraws(m, geos: [g]), mass: mass) }
        largest = (0..<G).sorted { byGeo[$0].mean != byGeo[$1].mean ? byGeo[$0].mean > byGeo[$1].mean : $0 < $1 }.prefix(Self.movers).map { g in
            Mover(name: m.panel.geoNames[g], why: "media adds \(ReportFormat.interval(byGeo[g])) \(s.target), "
                  + "\(ReportFormat.percent(nationalMedia > 0 ? byGeo[g].mean / nationalMedia : 0)) of the national media effect")
        }
        let gaps = (0..<G).map { g in Self.largestGap(m, geo: g, national: national, mass: mass) }
        distinct = (0..<G).filter { gaps[$0] != nil }.sorted { gaps[$0]!.gap != gaps[$1]!.gap ? gaps[$0]!.gap > gaps[$1]!.gap : $0 < $1 }
            .prefix(Self.movers).map { g in Mover(name: m.panel.geoNames[g], why: gaps[g]!.text) }

        geos = (0..<G).map { g in
            GeoLine(name: m.panel.geoNames[g], r2: ReportFormat.score(s.geos[g].inSample.r2), mape: ReportFormat.percent(s.geos[g].inSample.mape),
                    cells: (0..<C).map { c in
                        guard let q = m.posterior.result(geo: g, channel: c, mass: mass) else {
                            return Cell(channel: m.panel.channelNames[c], roas: "no spend", contribution: "–", spend: money.money(0))
                        }
                        return Cell(channel: q.name, roas: ReportFormat.ratioInterval(q.roas), contribution: ReportFormat.interval(q.contribution),
                                    spend: money.money(q.spend))
                    })
        }
        var notes = extraWarnings
        if !m.panel.inactiveCells.isEmpty {
            notes.append("\(m.panel.inactiveCells.count) geo × channel cell\(m.panel.inactiveCells.count == 1 ? "" : "s") never had spend and get no effect: "
                         + m.panel.inactiveCells.map { "\(m.panel.channelNames[$0.channel]) in \(m.panel.geoNames[$0.geo])" }.joined(separator: ", ") + ".")
        }
        warnings = notes
        hasWarnings = !notes.isEmpty
        self.plan = plan
        let unit = periodUnit
        let charts = chartFiles.compactMap(ChartKind.init(fileName:))
        func chart(_ k: ChartKind) -> ReportContext.Chart { ReportContext.ChartGroups.chart(k.fileName, target: s.target, unit: unit) }
        nationalCharts = ChartKind.allCases.filter { charts.contains($0) && !$0.isGeo }.map(chart)
        planCharts = plan == nil ? [] : [ChartKind.geoAllocation].filter(charts.contains).map(chart)
        geoCharts = ChartKind.allCases.filter { charts.contains($0) && $0.isGeo && $0 != .geoAllocation }.map(chart)
    }

    /// How many geos each "moves most" list names.
    public static let movers = 5

    /// Per draw, the media contribution summed over channels and `geos`.
    static func mediaDraws(_ m: GeoModelFolder, geos: [Int]) -> [Double] {
        let C = m.panel.channelNames.count
        var out = [Double](repeating: 0, count: m.posterior.draws.count)
        for g in geos { for c in 0..<C { for (i, v) in m.posterior.contribution[g * C + c].enumerated() { out[i] += v } } }
        return out
    }

    /// The channel whose ROAS in geo g is furthest from its national ROAS (by ratio of means),
    /// with a sentence; nil for a geo with no active channel.
    static func largestGap(_ m: GeoModelFolder, geo g: Int, national: [ChannelResult], mass: Double) -> (gap: Double, text: String)? {
        var best: (Double, String)?
        for c in national.indices {
            guard let q = m.posterior.result(geo: g, channel: c, mass: mass), q.roas.mean > 0, national[c].roas.mean > 0 else { continue }
            let gap = abs(log(q.roas.mean / national[c].roas.mean))
            guard best.map({ gap > $0.0 }) ?? true else { continue }
            let side = q.roas.mean > national[c].roas.mean ? "above" : "below"
            let clear = q.roas.lower > national[c].roas.mean || q.roas.upper < national[c].roas.mean
            best = (gap, "\(q.name) ROAS \(ReportFormat.ratioInterval(q.roas)), \(side) its national \(ReportFormat.ratio(national[c].roas.mean))"
                    + (clear ? " (the interval excludes the national figure)" : " (the interval still includes the national figure)"))
        }
        return best.map { (gap: $0.0, text: $0.1) }
    }

    /// Channels whose pooled log-ROAS mean μ_c the data did not inform: its posterior variance is
    /// still more than `ChannelEvidence.Threshold.minContraction` of the prior's (the national
    /// model's rule, applied to the parameter every geo's ROAS is pooled towards).
    public static func priorDominated(_ m: GeoModelFolder) -> [String] {
        let s = m.posterior.structure
        return s.channels.compactMap { ch in
            let roi = m.config.model.channels[ch.name]?.roiPrior ?? ModelStructure.defaultROASPrior
            let priorVariance = roi["sigma"] * roi["sigma"]
            let x = m.posterior.draws.map { $0[ch.roasMean] }
            let mean = x.reduce(0, +) / Double(max(1, x.count))
            let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, x.count - 1))
            return priorVariance > 0 && !(1 - variance / priorVariance >= ChannelEvidence.Threshold.minContraction) ? ch.name : nil
        }
    }
}
