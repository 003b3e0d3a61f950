/// A prior as written in the config, e.g. `Beta(1, 3)` or `Gamma(mu=2, sigma=1)`.
///
/// This is only the description; MixModel turns it into a density with its
/// unconstraining transform.
public struct PriorSpec: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Distribution families MixPlan understands.
    public enum Family: String, Sendable, CaseIterable, Codable {
        case normal = "Normal"
        case halfNormal = "HalfNormal"
        case halfCauchy = "HalfCauchy"
        case beta = "Beta"
        case gamma = "Gamma"
        case logNormal = "LogNormal"
        case laplace = "Laplace"
        case uniform = "Uniform"
        case truncatedNormal = "TruncatedNormal"
        case exponential = "Exponential"
        case inverseGamma = "InverseGamma"
    }

    public var family: Family
    /// Parameters by name in the family's canonical parametrisation:
    /// Normal(mu, sigma), HalfNormal(sigma), HalfCauchy(beta), Beta(alpha, beta),
    /// Gamma(alpha, beta) — shape/rate — (mu/sigma are converted on parse), LogNormal(mu, sigma),
    /// Laplace(mu, b), Uniform(lower, upper), TruncatedNormal(mu, sigma, lower, upper),
    /// Exponential(lam), InverseGamma(alpha, beta).
    public var parameters: [String: Double]

    public init(_ family: Family, _ parameters: [String: Double]) {
        self.family = family
        self.parameters = parameters
    }

    public subscript(_ name: String) -> Double { parameters[name] ?? .nan }

    public var description: String {
        let order: [String]
        switch family {
        case .normal, .logNormal: order = ["mu", "sigma"]
        case .halfNormal: order = ["sigma"]
        case .halfCauchy: order = ["beta"]
        case .beta, .gamma, .inverseGamma: order = ["alpha", "beta"]
        case .laplace: order = ["mu", "b"]
        case .uniform: order = ["lower", "upper"]
        case .truncatedNormal: order = ["mu", "sigma", "lower", "upper"]
        case .exponential: order = ["lam"]
        }
        let args = order.compactMap { k in parameters[k].map { "\(k)=\(formatNumber($0))" } }
        return "\(family.rawValue)(\(args.joined(separator: ", ")))"
    }

    private func formatNumber(_ v: Double) -> String { CSVFormat.number(v) }
}

extension PriorSpec {
    /// Gamma from its mean and standard deviation (shape = m²/s², rate = m/s²).
    public static func gamma(mean m: Double, sd s: Double) -> PriorSpec {
        PriorSpec(.gamma, ["alpha": m * m / (s * s), "beta": m / (s * s)])
    }
}
