import Foundation
import MixData
import MixInference

/// Per-draw series of a geo fit for the charts and the workbook: each geo's fitted mean over
/// time, and each cell's response curve at a steady spend.
extension GeoPosterior {
    /// Per draw, the expected target μ[g,t] of geo `g` in target units (`GeoStructure`'s model
    /// times the geo's unit u_g): the credible band of the fitted mean, without the noise σ_g.
    /// `maxDraws` thins them evenly (`DrawThinning`; 0 keeps every draw).
    public func fittedDraws(geo g: Int, maxDraws: Int = 0) -> [[Double]] {
        let s = structure, C = s.channels.count, T = s.periodCount
        let F = 2 * s.fourierOrder, K = s.controlNames.count, u = s.targetUnit(g)
        return DrawThinning.indices(count: draws.count, maxDraws: maxDraws).map { draws[$0] }.map { x in
            x.withUnsafeBufferPointer { p in
                var out = [Double](repeating: 0, count: T)
                let base = p.baseAddress!
                for t in 0..<T {
                    var m = s.intercept.value(base, 0, g)
                    for j in 0..<F { m += s.fourier.value(base, j, g) * s.fourierBasis[j * T + t] }
                    if let tr = s.trend { m += tr.value(base, 0, g) * s.trendBasis[t] }
                    for k in 0..<K { m += x[s.controlOffset + k] * s.controls[(g * K + k) * T + t] }
                    out[t] = m * u
                }
                for c in 0..<C where s.active[g * C + c] {
                    let (h, H) = saturated(x, geo: g, channel: c)
                    let total = exp(s.logROAS(x, geo: g, channel: c)) * s.spendTotal[g * C + c]
                    for t in 0..<T { out[t] += total * h[t] / H }
                }
                return out
            }
        }
    }

    /// Per draw, cell (g, c)'s expected response per period (target units) when `spend` is
    /// spent in every period, at each value of `spend` (currency per period), once the adstock
    /// has reached its steady state: R·S·h(s·Σw / v) / H, the contribution the model gives the
    /// cell (R·S over the data, split over periods by h(a_t)/H) evaluated at the steady adstocked
    /// spend s·Σ_l w_l in scaled units (v = n_g·k_c). Empty for an inactive cell.
    public func responseCurve(geo g: Int, channel c: Int, spend: [Double]) -> [[Double]] {
        let s = structure, C = s.channels.count, cell = g * C + c
        guard s.active[cell] else { return [] }
        let ch = s.channels[c]
        let v = s.geoSize[g] * s.spendFactor[c]
        return draws.map { x in
            let w = ch.adstock.weights(Array(x[ch.adstockOffset..<(ch.adstockOffset + ch.adstockCount)]))
            let shape = Array(x[ch.shapeOffset..<(ch.shapeOffset + ch.shapeCount)]) + [1]
            let (_, H) = saturated(x, geo: g, channel: c)
            let scale = exp(s.logROAS(x, geo: g, channel: c)) * s.spendTotal[cell] / H
            let carry = w.reduce(0, +) / v
            return spend.map { scale * ch.saturation.value($0 * carry, parameters: shape) }
        }
    }

    /// Cell (g, c)'s largest spend in one period, in currency.
    public func largestSpend(geo g: Int, channel c: Int) -> Double {
        let s = structure, T = s.periodCount, cell = g * s.channels.count + c
        return (s.scaledSpend[(cell * T)..<((cell + 1) * T)].max() ?? 0) * s.geoSize[g] * s.spendFactor[c]
    }

    /// h(a_t) per period for cell (g, c) in draw `x`, and their sum H (the planning view's β
    /// divides by the same H, so both read it here; `GeoStructure.saturated` computes it).
    public func saturated(_ x: [Double], geo g: Int, channel c: Int) -> (h: [Double], H: Double) {
        structure.saturated(x, geo: g, channel: c)
    }
}
