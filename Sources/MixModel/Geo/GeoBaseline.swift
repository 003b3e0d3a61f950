import Foundation
import MixInference

/// The baseline check of DESIGN.md §8 for a panel: the geo model's posterior-mean fit against an
/// intercept and the model's yearly Fourier terms fitted to every geo separately by least squares.
///
/// The baseline gets its own intercept and seasonality per geo, unpooled — the best in-sample
/// fit those columns can give each geo. The comparison is made on the scaled target ỹ (each geo in
/// its per-size units, `GeoStructure`), so a geo of 200,000 people counts as much as one of ten
/// million and a model that fits only the large geos cannot pass. Because the baseline minimises
/// every geo's squared error, it is the best fit of its columns under any weighting of the geos;
/// the weighting only decides how a model's misfit in one geo trades against another's. R² is
/// 1 − SSE/SST with SST about each geo's own mean (the levels between geos are no credit).
public enum GeoBaseline {
    /// The comparison for `posterior` (its `fittedTarget`, the posterior mean of μ, over at most
    /// `SeasonalBaseline.maxDraws` evenly thinned draws, as nationally).
    public static func compare(posterior: GeoPosterior) -> ConvergenceVerdict.BaselineFit {
        compare(structure: posterior.structure, fitted: posterior.fittedTarget(maxDraws: SeasonalBaseline.maxDraws))
    }

    /// The comparison for fitted values `fitted[g][t]` in target units.
    public static func compare(structure s: GeoStructure, fitted: [[Double]]) -> ConvergenceVerdict.BaselineFit {
        let G = s.geoCount, T = s.periodCount, order = s.fourierOrder
        var columns: [[Double]] = [[Double](repeating: 1, count: T)]
        for j in 0..<(2 * order) { columns.append(Array(s.fourierBasis[(j * T)..<((j + 1) * T)])) }
        var model = 0.0, baseline = 0.0, total = 0.0
        for g in 0..<G {
            let y = Array(s.scaledTarget[(g * T)..<((g + 1) * T)]), u = s.targetUnit(g)
            let base = SeasonalBaseline.leastSquaresFit(columns: columns, target: y)
            let mean = y.reduce(0, +) / Double(T)
            for t in 0..<T {
                model += pow(y[t] - fitted[g][t] / u, 2)
                baseline += pow(y[t] - base[t], 2)
                total += pow(y[t] - mean, 2)
            }
        }
        let n = Double(max(1, G * T))
        let what = (order == 0 ? "each geo's own mean" : "an intercept and \(order) yearly Fourier pair\(order == 1 ? "" : "s") per geo (least squares)")
            + ", on per-size scaled targets"
        return ConvergenceVerdict.BaselineFit(description: what, modelRMSE: (model / n).squareRoot(), baselineRMSE: (baseline / n).squareRoot(),
                                              modelR2: total > 0 ? 1 - model / total : .nan, baselineR2: total > 0 ? 1 - baseline / total : .nan)
    }
}
