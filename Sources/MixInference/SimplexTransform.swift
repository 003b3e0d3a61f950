import Foundation

/// The stick-breaking bijection between ℝ^(K−1) and the open K-simplex (θ > 0, Σθ = 1), as Stan
/// builds its `simplex` type. Break a unit stick K − 1 times: with r₀ = 1,
///
///     z_k = logistic(y_k − log(K − 1 − k)),   θ_k = r_k·z_k,   r_(k+1) = r_k·(1 − z_k),   θ_(K−1) = r_(K−1)
///
/// (k = 0 … K − 2). The offset makes y = 0 the centre, θ = (1/K, …, 1/K). The map is triangular, so
///
///     log |J| = Σ_k [log z_k + log(1 − z_k) + log r_k].
///
/// `ConstrainedDensity` uses it for `ParameterSupport.simplex(K)`; it is public so a hand-written
/// density can use it too.
public enum SimplexTransform {
    /// Writes θ (K values) for y (K − 1 values) and returns log |J|. `stick` receives z (K − 1
    /// values) and r (K values) as scratch for `pullback`: at least 2K − 1 entries.
    @discardableResult
    public static func constrain(_ y: UnsafeBufferPointer<Double>, into theta: UnsafeMutableBufferPointer<Double>,
                                 stick: UnsafeMutableBufferPointer<Double>) -> Double {
        let k = theta.count
        precondition(y.count == k - 1 && stick.count >= 2 * k - 1, "SimplexTransform: \(y.count) coordinates for a \(k)-simplex")
        var r = 1.0, logR = 0.0, logJacobian = 0.0
        for i in 0..<(k - 1) {
            let x = y[i] - Foundation.log(Double(k - 1 - i))
            let e = Constraint.unitInterval.evaluate(x)
            let z = e.value
            stick[i] = z
            stick[k - 1 + i] = r
            theta[i] = r * z
            logJacobian += e.logJacobian + logR
            logR -= max(x, 0) + Foundation.log1p(Foundation.exp(-abs(x)))   // log(1 − z) = −softplus(x)
            r *= 1 - z
        }
        stick[2 * k - 2] = r
        theta[k - 1] = r
        return logJacobian
    }

    /// Adds ∂(f(θ(y)) + log |J|)/∂y to `gradient` (K − 1 values), given ∂f/∂θ and the scratch that
    /// `constrain` filled. Reverse mode along the stick: the adjoint of r_k collects θ_k's and
    /// r_(k+1)'s; the log r_k terms of log |J| give −(K − 2 − k)·z_k for y_k.
    public static func pullback(thetaGradient g: UnsafeBufferPointer<Double>, stick: UnsafeBufferPointer<Double>,
                                into gradient: UnsafeMutableBufferPointer<Double>) {
        let k = g.count
        var remainderAdjoint = g[k - 1]
        for i in stride(from: k - 2, through: 0, by: -1) {
            let z = stick[i], r = stick[k - 1 + i]
            let zAdjoint = (g[i] - remainderAdjoint) * r
            gradient[i] += zAdjoint * z * (1 - z) + (1 - 2 * z) - Double(k - 2 - i) * z
            remainderAdjoint = g[i] * z + remainderAdjoint * (1 - z)
        }
    }

    /// y = T⁻¹(θ) for a point of the simplex (e.g. an init); NaN entries when θ is not one.
    public static func unconstrain(_ theta: [Double]) -> [Double] {
        let k = theta.count
        guard k >= 2, theta.allSatisfy({ $0 > 0 }), abs(theta.reduce(0, +) - 1) < 1e-9 else {
            return [Double](repeating: .nan, count: max(k - 1, 0))
        }
        var r = 1.0
        return (0..<(k - 1)).map { i in
            let z = min(theta[i] / r, 1)
            r -= theta[i]
            return Foundation.log(z) - Foundation.log1p(-z) + Foundation.log(Double(k - 1 - i))
        }
    }
}
