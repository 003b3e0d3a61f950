import Foundation
import MixData
import MixInference

/// Per-draw results of a geo fit: every geo × channel cell and the national sums, each computed
/// draw by draw so that national intervals carry the geos' joint uncertainty.
///
/// For cell (g, c) in one draw (notation of `GeoStructure`): ROAS R[g,c] = exp(log R); contribution
/// R·S with S the cell's spend; marginal ROAS (extra target per extra unit when every period's
/// spend rises by the same small fraction) R·Σ_t a_t·h′(a_t) / Σ_t h(a_t), because the cell's
/// contribution is β·u_g·Σ_t h(a_t) and scaling spend by (1 + ε) scales every a_t by (1 + ε).
/// Nationally: contribution Σ_g R·S, ROAS Σ_g R·S / Σ_g S, marginal ROAS the spend-weighted
/// Σ_g mROAS·S / Σ_g S (every geo's spend raised by the same fraction).
public struct GeoPosterior: Sendable {
    public let structure: GeoStructure
    /// Natural-scale parameters per draw (chains concatenated).
    public let draws: [[Double]]
    /// Per cell `[g·C + c]`, one value per draw of its ROAS, contribution and marginal ROAS (empty for an inactive cell).
    public let roas, contribution, marginalRoas: [[Double]]

    /// Draws in the sampler's coordinates (as `sample` returns them) turned into results.
    public init(structure s: GeoStructure, result: SamplingResult) {
        var natural: [[Double]] = []
        for c in 0..<result.chains {
            for d in 0..<result.draws {
                let u = (0..<result.dimension).map { result.value(chain: c, draw: d, parameter: $0) }
                natural.append(s.constrain(u))
            }
        }
        self.init(structure: s, naturalDraws: natural)
    }

    public init(structure s: GeoStructure, naturalDraws: [[Double]]) {
        structure = s
        draws = naturalDraws
        let G = s.geoCount, C = s.channels.count, T = s.periodCount
        var roas = [[Double]](repeating: [], count: G * C), contribution = roas, marginal = roas
        for x in naturalDraws {
            for (c, ch) in s.channels.enumerated() {
                let w = ch.adstock.weights(Array(x[ch.adstockOffset..<(ch.adstockOffset + ch.adstockCount)]))
                let shape = Array(x[ch.shapeOffset..<(ch.shapeOffset + ch.shapeCount)]) + [1]
                for g in 0..<G where s.active[g * C + c] {
                    let cell = g * C + c
                    let a = Adstock.apply(weights: w, to: Array(s.scaledSpend[(cell * T)..<((cell + 1) * T)]))
                    var H = 0.0, slopeSum = 0.0
                    for at in a {
                        H += ch.saturation.value(at, parameters: shape)
                        if at > 0 { slopeSum += at * ch.saturation.slope(at, parameters: shape) }
                    }
                    let r = exp(s.logROAS(x, geo: g, channel: c))
                    roas[cell].append(r)
                    contribution[cell].append(r * s.spendTotal[cell])
                    marginal[cell].append(r * slopeSum / H)
                }
            }
        }
        self.roas = roas
        self.contribution = contribution
        marginalRoas = marginal
    }

    /// Channel c's results in geo g (nil when the channel never spends there), on the national
    /// model's `ChannelResult` shape; `share` is of the geo's modelled media effect.
    public func result(geo g: Int, channel c: Int, mass: Double = Interval.defaultMass) -> ChannelResult? {
        let C = structure.channels.count, cell = g * C + c
        guard structure.active[cell] else { return nil }
        let media = mediaTotals(geos: [g])
        return ChannelResult(name: structure.channelNames[c], spend: structure.spendTotal[cell],
                             contribution: Interval(draws: contribution[cell], mass: mass),
                             share: Interval(draws: zip(contribution[cell], media).map { $1 > 0 ? $0 / $1 : 0 }, mass: mass),
                             roas: Interval(draws: roas[cell], mass: mass),
                             marginalRoas: Interval(draws: marginalRoas[cell], mass: mass))
    }

    /// Channel c's national results: sums over the geos where it spends, per draw.
    public func nationalResult(channel c: Int, mass: Double = Interval.defaultMass) -> ChannelResult {
        let d = nationalDraws(channel: c), media = mediaTotals(geos: Array(0..<structure.geoCount))
        return ChannelResult(name: structure.channelNames[c], spend: d.spend,
                             contribution: Interval(draws: d.contribution, mass: mass),
                             share: Interval(draws: zip(d.contribution, media).map { $1 > 0 ? $0 / $1 : 0 }, mass: mass),
                             roas: Interval(draws: d.contribution.map { $0 / d.spend }, mass: mass),
                             marginalRoas: Interval(draws: d.marginal, mass: mass))
    }

    /// Per draw: channel c's national contribution and spend-weighted marginal ROAS, and its spend.
    public func nationalDraws(channel c: Int) -> (contribution: [Double], marginal: [Double], spend: Double) {
        let C = structure.channels.count, n = draws.count
        var total = [Double](repeating: 0, count: n), marginal = total
        var spend = 0.0
        for g in 0..<structure.geoCount where structure.active[g * C + c] {
            let cell = g * C + c, s = structure.spendTotal[cell]
            spend += s
            for i in 0..<n {
                total[i] += contribution[cell][i]
                marginal[i] += marginalRoas[cell][i] * s
            }
        }
        return (total, marginal.map { $0 / spend }, spend)
    }

    /// Per draw, the media contribution summed over channels and the given geos.
    private func mediaTotals(geos: [Int]) -> [Double] {
        let C = structure.channels.count
        var out = [Double](repeating: 0, count: draws.count)
        for g in geos { for c in 0..<C where structure.active[g * C + c] { for i in out.indices { out[i] += contribution[g * C + c][i] } } }
        return out
    }

    /// The posterior mean of the fitted target per geo and period, in target units, over every
    /// draw, or at most `maxDraws` of them (`DrawThinning`; plenty for a mean compared at the 5 % level).
    public func fittedTarget(maxDraws: Int = 0) -> [[Double]] {
        let T = structure.periodCount
        return (0..<structure.geoCount).map { g in
            let series = fittedDraws(geo: g, maxDraws: maxDraws), n = Double(max(1, series.count))
            return series.reduce(into: [Double](repeating: 0, count: T)) { sum, d in
                for t in 0..<T { sum[t] += d[t] / n }
            }
        }
    }
}
