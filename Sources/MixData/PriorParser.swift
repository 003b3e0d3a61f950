import Foundation

/// Reads a prior written as text in the config — `Beta(1, 3)`, `HalfNormal(2)`,
/// `Normal(mu=0, sigma=2)`, `Gamma(mu=2, sigma=1)` — into a `PriorSpec`.
///
/// Arguments are positional in the family's canonical order or named; Gamma also accepts
/// mean/standard deviation (`mu`, `sigma`), converted to shape α = μ²/σ² and rate β = μ/σ²,
/// and `shape`/`rate` as aliases of α/β. Scale-like parameters must be positive and bounds ordered.
public enum PriorParser {
    /// Canonical parameter names, in positional order.
    public static func parameterNames(_ family: PriorSpec.Family) -> [String] {
        switch family {
        case .normal, .logNormal: return ["mu", "sigma"]
        case .halfNormal: return ["sigma"]
        case .halfCauchy: return ["beta"]
        case .beta, .gamma, .inverseGamma: return ["alpha", "beta"]
        case .laplace: return ["mu", "b"]
        case .uniform: return ["lower", "upper"]
        case .truncatedNormal: return ["mu", "sigma", "lower", "upper"]
        case .exponential: return ["lam"]
        }
    }

    /// Parses `text`; errors carry `location` (the config key) and say what was expected.
    public static func parse(_ text: String, location: InputLocation) throws -> PriorSpec {
        func fail(_ message: String, hint: String? = nil) -> InputError {
            InputError(location, "the prior \"\(text)\" \(message)",
                       hint: hint ?? "Write it like Beta(1, 3), HalfNormal(2) or Gamma(mu=2, sigma=1).")
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")") else {
            throw fail("is not of the form Family(arguments).")
        }
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        let families = PriorSpec.Family.allCases
        guard let family = families.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
            let known = families.map(\.rawValue)
            throw fail("uses the unknown distribution \"\(name)\".",
                       hint: (NameSuggestion.didYouMean(name, in: known).map { $0 + " " } ?? "") + "Known: \(known.joined(separator: ", ")).")
        }
        let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        let canonical = parameterNames(family)
        var accepted = canonical
        if family == .gamma { accepted += ["mu", "sigma", "shape", "rate"] }
        var values: [String: Double] = [:]
        let arguments = inner.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if arguments == [""] { throw fail("has no arguments; \(family.rawValue) takes \(canonical.joined(separator: ", ")).") }
        for (position, argument) in arguments.enumerated() {
            let key: String, valueText: String
            if let eq = argument.firstIndex(of: "=") {
                key = argument[..<eq].trimmingCharacters(in: .whitespaces)
                valueText = argument[argument.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                guard accepted.contains(key) else {
                    throw fail("has the unknown argument \"\(key)\"; \(family.rawValue) takes \(accepted.joined(separator: ", ")).",
                               hint: NameSuggestion.didYouMean(key, in: accepted))
                }
            } else {
                guard position < canonical.count else {
                    throw fail("has \(arguments.count) arguments; \(family.rawValue) takes \(canonical.count) (\(canonical.joined(separator: ", "))).")
                }
                key = canonical[position]
                valueText = argument
            }
            guard let value = Double(valueText), value.isFinite else {
                throw fail("has \"\(valueText)\" for \(key); expected a finite number.")
            }
            guard values[key] == nil else { throw fail("gives \(key) twice.") }
            values[key] = value
        }
        if family == .gamma {
            values = try gammaShapeRate(values, fail: fail)
        }
        let missing = canonical.filter { values[$0] == nil }
        if !missing.isEmpty {
            throw fail("is missing \(missing.joined(separator: ", ")); \(family.rawValue) takes \(canonical.joined(separator: ", ")).")
        }
        try checkDomain(family, values, fail: fail)
        return PriorSpec(family, values)
    }

    /// Gamma given as mean/sd or shape/rate aliases → canonical shape α, rate β.
    private static func gammaShapeRate(_ given: [String: Double], fail: (String, String?) -> InputError) throws -> [String: Double] {
        var v = given
        if let shape = v.removeValue(forKey: "shape") {
            guard v["alpha"] == nil else { throw fail("gives both shape and alpha.", nil) }
            v["alpha"] = shape
        }
        if let rate = v.removeValue(forKey: "rate") {
            guard v["beta"] == nil else { throw fail("gives both rate and beta.", nil) }
            v["beta"] = rate
        }
        let mu = v.removeValue(forKey: "mu"), sigma = v.removeValue(forKey: "sigma")
        if mu == nil && sigma == nil { return v }
        guard let mu, let sigma, v.isEmpty else {
            throw fail("mixes parametrisations; Gamma takes either (alpha, beta) or (mu, sigma).", nil)
        }
        guard mu > 0, sigma > 0 else { throw fail("needs mu > 0 and sigma > 0.", nil) }
        return ["alpha": mu * mu / (sigma * sigma), "beta": mu / (sigma * sigma)]
    }

    private static func checkDomain(_ family: PriorSpec.Family, _ v: [String: Double],
                                    fail: (String, String?) -> InputError) throws {
        let positive: [String]
        switch family {
        case .normal, .logNormal, .halfNormal, .truncatedNormal: positive = ["sigma"]
        case .halfCauchy: positive = ["beta"]
        case .beta, .gamma, .inverseGamma: positive = ["alpha", "beta"]
        case .laplace: positive = ["b"]
        case .exponential: positive = ["lam"]
        case .uniform: positive = []
        }
        for key in positive where !(v[key]! > 0) {
            throw fail("needs \(key) > 0 (got \(v[key]!)).", nil)
        }
        if family == .uniform || family == .truncatedNormal, !(v["lower"]! < v["upper"]!) {
            throw fail("needs lower < upper.", nil)
        }
    }
}
