/// Where each model parameter a config may give a prior for can lie, and where a prior puts its
/// mass, so a prior reaching outside its parameter's domain — `adstock_alpha: Uniform(-5, 5)`
/// for a decay rate in (0, 1) — is refused when the config is read, not when the model
/// meets an impossible value mid-run.
public enum PriorDomain {
    /// The closed hull of a parameter's domain, or nil for a parameter on the whole real line.
    public static func domain(of parameter: String) -> ClosedRange<Double>? {
        switch parameter {
        case "adstock_alpha": return 0...1
        case "adstock_theta", "adstock_lambda", "adstock_k", "sigma", "nu": return 0...Double.infinity
        case _ where parameter.hasPrefix("saturation_"): return 0...Double.infinity
        case _ where parameter.hasSuffix("_scale"): return 0...Double.infinity   // the geo model's pooling scales
        default: return nil
        }
    }

    /// Where `spec` puts its mass (the closed hull of its support).
    public static func support(of spec: PriorSpec) -> ClosedRange<Double> {
        let p = spec.parameters
        switch spec.family {
        case .normal, .laplace: return -Double.infinity...Double.infinity
        case .halfNormal, .halfCauchy, .gamma, .logNormal, .exponential, .inverseGamma: return 0...Double.infinity
        case .beta: return 0...1
        case .uniform: return ordered(p["lower"] ?? -.infinity, p["upper"] ?? .infinity)
        case .truncatedNormal: return ordered(p["lower"] ?? -.infinity, p["upper"] ?? .infinity)
        }
    }

    /// Why `spec` does not fit `parameter`'s domain, or nil when it does.
    public static func problem(_ spec: PriorSpec, parameter: String) -> String? {
        guard let domain = domain(of: parameter) else { return nil }
        let support = support(of: spec)
        guard support.lowerBound < domain.lowerBound || support.upperBound > domain.upperBound else { return nil }
        let allowed = domain.upperBound.isInfinite ? "> \(number(domain.lowerBound))" : "between \(number(domain.lowerBound)) and \(number(domain.upperBound))"
        return "puts mass on \(number(support.lowerBound)) … \(number(support.upperBound)), but \(parameter) must be \(allowed)"
    }

    private static func ordered(_ a: Double, _ b: Double) -> ClosedRange<Double> {
        a.isNaN || b.isNaN ? -Double.infinity...Double.infinity : min(a, b)...max(a, b)
    }

    private static func number(_ v: Double) -> String {
        if v.isInfinite { return v > 0 ? "∞" : "−∞" }
        return CSVFormat.number(v)
    }
}
