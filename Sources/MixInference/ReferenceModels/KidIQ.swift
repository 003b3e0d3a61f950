import Foundation

/// posteriordb `kidiq-kidscore_momiq`: linear regression of kid_score on mom_iq.
///
/// x = (β₁, β₂, s = log σ); eₙ = kidₙ − β₁ − β₂ iqₙ; flat priors on β, half-Cauchy(0, 2.5) on σ.
/// log p = −N s − Σeₙ²/(2σ²) − log(1 + σ²/6.25) + s.
/// ∂/∂β₁ = Σeₙ/σ², ∂/∂β₂ = Σeₙ iqₙ/σ², ∂/∂s = −N + Σeₙ²/σ² − 2(σ²/6.25)/(1 + σ²/6.25) + 1.
public struct KidIQ: ReferencePosterior {
    public static let posteriorName = "kidiq-kidscore_momiq"
    public let kidScore: [Double]
    public let momIQ: [Double]

    public init(kidScore: [Double], momIQ: [Double]) {
        self.kidScore = kidScore
        self.momIQ = momIQ
    }

    public init(data: PosteriorData) throws {
        let n = try data.int("N")
        self.init(kidScore: try data.doubles("kid_score", count: n), momIQ: try data.doubles("mom_iq", count: n))
    }

    public var dimension: Int { 3 }
    public var parameterNames: [String] { ["beta[1]", "beta[2]", "sigma_log"] }
    public var reportedNames: [String] { ["beta[1]", "beta[2]", "sigma"] }

    public func reported(_ x: ArraySlice<Double>) -> [Double] {
        let b = x.startIndex
        return [x[b], x[b + 1], Foundation.exp(x[b + 2])]
    }

    public mutating func logDensity(at x: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
        let b1 = x[0], b2 = x[1], s = x[2], sigma = Foundation.exp(s)
        var sumE = 0.0, sumEX = 0.0, sumSquares = 0.0
        for n in 0..<kidScore.count {
            let e = kidScore[n] - b1 - b2 * momIQ[n]
            sumE += e
            sumEX += e * momIQ[n]
            sumSquares += e * e
        }
        let inverseVariance = 1 / (sigma * sigma)
        let u = sigma * sigma / 6.25
        let count = Double(kidScore.count)
        g[0] = sumE * inverseVariance
        g[1] = sumEX * inverseVariance
        g[2] = -count + sumSquares * inverseVariance - 2 * u / (1 + u) + 1
        return -count * s - 0.5 * sumSquares * inverseVariance - Foundation.log1p(u) + s
    }
}
