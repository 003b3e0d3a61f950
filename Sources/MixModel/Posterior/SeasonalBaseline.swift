import Foundation
import MixData
import MixInference

/// The baseline a media mix fit must beat before it may advise (DESIGN.md §8): an intercept and
/// the model's own yearly Fourier terms, fitted to the training target by least squares. It
/// uses the same seasonality columns as the model, so a model that loses to it lost because its
/// media, controls or priors made the fit worse — not because the baseline had more to work with.
public enum SeasonalBaseline {
    /// Draws of μ averaged for the model's in-sample fit; an even thinning of the posterior is
    /// plenty for a posterior mean whose error is compared at the 5 % level.
    static let maxDraws = 400

    /// The posterior mean of μ on the training rows over `maxDraws` evenly thinned draws: the one
    /// in-sample fit that `fit`, the report, the workbook and this check all quote
    /// (`FittedModel.meanFit`).
    public static func meanFit(model: FittedModel) -> [Double] {
        let T = model.structure.periodCount
        let evaluator = ModelEvaluator(structure: model.structure, dataset: model.trainingData)
        var mean = [Double](repeating: 0, count: T)
        var count = 0.0
        for i in model.thinnedDrawIndices(maxDraws: maxDraws) {
            let mu = evaluator.decompose(model.draw(i)).total
            for t in 0..<T { mean[t] += mu[t] }
            count += 1
        }
        if count > 0 { for t in 0..<T { mean[t] /= count } }
        return mean
    }

    /// The model's posterior-mean fit (`model.meanFit`) against the baseline's, on the training rows.
    public static func compare(model: FittedModel) -> ConvergenceVerdict.BaselineFit {
        let T = model.structure.periodCount
        let y = Array(model.dataset.target[0..<T])
        let mean = model.meanFit
        let order = model.structure.fourierOrder
        var columns: [[Double]] = [[Double](repeating: 1, count: T)]
        for j in 0..<(2 * order) { columns.append(Array(model.structure.fourier[(j * T)..<((j + 1) * T)])) }
        let baseline = leastSquaresFit(columns: columns, target: y)
        let what = order == 0 ? "the target's mean" : "an intercept and \(order) yearly Fourier pair\(order == 1 ? "" : "s") (least squares)"
        return ConvergenceVerdict.BaselineFit(description: what, modelRMSE: rmse(y, mean), baselineRMSE: rmse(y, baseline),
                                              modelR2: r2(y, mean), baselineR2: r2(y, baseline))
    }

    /// Fitted values of the least-squares regression of `target` on `columns`, by the normal
    /// equations solved with Gaussian elimination and partial pivoting (at most 21 columns; a
    /// column that is (nearly) a combination of earlier ones gets coefficient 0).
    public static func leastSquaresFit(columns: [[Double]], target: [Double]) -> [Double] {
        let k = columns.count, T = target.count
        var a = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
        for i in 0..<k {
            for j in 0..<k { a[i][j] = zip(columns[i], columns[j]).reduce(0) { $0 + $1.0 * $1.1 } }
            a[i][k] = zip(columns[i], target).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let scale = (0..<k).map { a[$0][$0] }.max() ?? 1
        var pivotOf = [Int?](repeating: nil, count: k)
        var row = 0
        for col in 0..<k where row < k {
            guard let p = (row..<k).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[p][col]) > 1e-10 * scale else { continue }
            a.swapAt(row, p)
            for r in 0..<k where r != row {
                let f = a[r][col] / a[row][col]
                if f != 0 { for c in col...k { a[r][c] -= f * a[row][c] } }
            }
            pivotOf[col] = row
            row += 1
        }
        let beta = (0..<k).map { col in pivotOf[col].map { a[$0][k] / a[$0][col] } ?? 0 }
        return (0..<T).map { t in (0..<k).reduce(0) { $0 + beta[$1] * columns[$1][t] } }
    }

    public static func rmse(_ y: [Double], _ f: [Double]) -> Double {
        (zip(y, f).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(max(1, y.count))).squareRoot()
    }

    public static func r2(_ y: [Double], _ f: [Double]) -> Double {
        FitMetrics(actual: y, predicted: f).r2
    }
}
