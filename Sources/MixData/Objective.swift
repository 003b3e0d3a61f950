import Foundation

/// What "best" means for an allocation (DESIGN.md §5), as a value: the one parser below reads
/// `optimizer.objective` in the YAML config and every `--objective` flag, so the two spellings
/// cannot disagree. The optimiser evaluates it (MixOptimize's `Objective+Evaluation.swift`).
public enum Objective: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Expected total response (mean over draws).
    case mean
    /// Mean − k·sd of the total response (population sd over draws), k ≥ 0 (k = 0 is the mean).
    case meanMinusSD(k: Double)
    /// Lower q-quantile of the total response (value at risk), linearly interpolated between
    /// order statistics at position (D − 1)·q, 0 < q < 1.
    case valueAtRisk(q: Double)
    /// Mean of the worst q share of draws: (1/(qD))·[Σ_{i<⌊qD⌋} t₍ᵢ₎ + (qD − ⌊qD⌋)·t₍⌊qD⌋₎].
    case conditionalValueAtRisk(q: Double)

    /// The spelling the parser reads back: `mean`, `mean-sd:K`, `var:Q`, `cvar:Q`.
    public var description: String {
        switch self {
        case .mean: return "mean"
        case .meanMinusSD(let k): return "mean-sd:\(k)"
        case .valueAtRisk(let q): return "var:\(q)"
        case .conditionalValueAtRisk(let q): return "cvar:\(q)"
        }
    }

    /// True for the mean, whose value is a sum over channels (the DP and KKT solvers rely on it).
    public var isSeparable: Bool { self == .mean }

    /// What the parser accepts, for error messages.
    public static let expected = "expected mean, mean-sd:K (K ≥ 0), var:Q or cvar:Q (0 < Q < 1), e.g. cvar:0.05"

    /// Why a text is not an objective (the sentence, without where it came from).
    public struct SyntaxError: Error, Sendable, Equatable {
        public var reason: String
    }

    /// Reads `mean | mean-sd:K | var:Q | cvar:Q` (K ≥ 0, 0 < Q < 1; case and surrounding blanks
    /// ignored). The only objective parser.
    public static func read(_ text: String) -> Result<Objective, SyntaxError> {
        let parts = text.trimmingCharacters(in: .whitespaces).lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        func fail(_ why: String) -> Result<Objective, SyntaxError> { .failure(SyntaxError(reason: "\(why); \(expected)")) }
        guard let kind = parts.first else { return fail("empty objective") }
        let number = parts.count == 2 ? Double(parts[1].trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite ? $0 : nil } : nil
        switch kind {
        case "mean":
            return parts.count == 1 ? .success(.mean) : fail("\"\(text)\": mean takes no parameter")
        case "mean-sd":
            guard let k = number else { return fail("\"\(text)\" needs a number after the colon") }
            return k >= 0 ? .success(.meanMinusSD(k: k)) : fail("\"\(text)\": K must be ≥ 0")
        case "var", "cvar":
            guard let q = number else { return fail("\"\(text)\" needs a number after the colon") }
            guard q > 0, q < 1 else { return fail("\"\(text)\": Q must lie strictly between 0 and 1") }
            return .success(kind == "var" ? .valueAtRisk(q: q) : .conditionalValueAtRisk(q: q))
        default:
            return fail("unknown objective \"\(text)\"")
        }
    }

    /// `read`, throwing an `InputError` that names `source` (a flag such as `--objective`).
    public static func parse(_ text: String, from source: InputLocation = InputLocation(file: "--objective")) throws -> Objective {
        switch read(text) {
        case .success(let objective): return objective
        case .failure(let error): throw InputError(source, error.reason + ".")
        }
    }
}

/// Saved (in a fitted model's config) as its spelling, so the JSON reads `"objective": "mean"`.
extension Objective: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        switch Objective.read(text) {
        case .success(let objective): self = objective
        case .failure(let error): throw DecodingError.dataCorruptedError(in: c, debugDescription: error.reason)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
