import Foundation

/// posteriordb `arK-arK`: an AR(K) model.
///
/// x = (α, β₁…β_K, s = log σ); eₜ = yₜ − α − Σₖ βₖ yₜ₋ₖ for t = K+1…T, m = T − K.
/// log p = −α²/200 − Σβₖ²/200 − log(1 + σ²/6.25) + s − m·s − Σeₜ²/(2σ²).
/// ∂/∂α = −α/100 + Σeₜ/σ², ∂/∂βₖ = −βₖ/100 + Σeₜyₜ₋ₖ/σ², ∂/∂s = −2(σ²/6.25)/(1 + σ²/6.25) + 1 − m + Σeₜ²/σ².
public struct ArK: ReferencePosterior {
    public static let posteriorName = "arK-arK"
    public let lags: Int
    public let y: [Double]
    private var scratch: [Double]

    public init(lags: Int, y: [Double]) {
        self.lags = lags
        self.y = y
        scratch = [Double](repeating: 0, count: lags + 1)
    }

    public init(data: PosteriorData) throws {
        let t = try data.int("T")
        self.init(lags: try data.int("K"), y: try data.doubles("y", count: t))
    }

    public var dimension: Int { lags + 2 }
    public var parameterNames: [String] { ["alpha"] + (1...lags).map { "beta[\($0)]" } + ["sigma_log"] }
    public var reportedNames: [String] { ["alpha"] + (1...lags).map { "beta[\($0)]" } + ["sigma"] }

    public func reported(_ x: ArraySlice<Double>) -> [Double] {
        var out = Array(x)
        out[lags + 1] = Foundation.exp(out[lags + 1])
        return out
    }

    public mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
        let k = lags
        let alpha = x[0], s = x[k + 1], sigma = Foundation.exp(s)
        let inverseVariance = 1 / (sigma * sigma)
        var sumSquares = 0.0
        var sumE = 0.0
        // scratch[i] accumulates Σ eₜ yₜ₋ᵢ for i = 1…K (index 0 unused).
        for i in 0...k { scratch[i] = 0 }
        for t in k..<y.count {
            var mean = alpha
            for i in 1...k { mean += x[i] * y[t - i] }
            let e = y[t] - mean
            sumSquares += e * e
            sumE += e
            for i in 1...k { scratch[i] += e * y[t - i] }
        }
        let m = Double(y.count - k)
        var lp = -alpha * alpha / 200
        g[0] = -alpha / 100 + sumE * inverseVariance
        for i in 1...k {
            lp -= x[i] * x[i] / 200
            g[i] = -x[i] / 100 + scratch[i] * inverseVariance
        }
        let u = sigma * sigma / 6.25
        lp += -Foundation.log1p(u) + s - m * s - 0.5 * sumSquares * inverseVariance
        g[k + 1] = -2 * u / (1 + u) + 1 - m + sumSquares * inverseVariance
        return lp
    }
}
