import Foundation
import Yams

extension MixPlanConfig {
    /// A prior on what one lift test measured: the channel's incremental return on a spend change,
    /// r = (f(x + Δx) − f(x)) / Δx in target units per currency unit, with f the channel's steady
    /// response per period (Google Meridian's incremental-ROI prior, the prior route of issue 9).
    ///
    /// `mixplan elicit` writes it from an experiment; it stands in for the prior on the channel's
    /// effect size β (r is linear in β), so a channel cannot also have a `saturation_beta` prior
    /// or an `roi_prior`. In the config, under `model.channels.<name>`:
    ///
    ///     lift_roi_prior:
    ///       spend: 1200          # x, spend per period before the change
    ///       spend_change: -1080  # Δx (≠ 0; x + Δx ≥ 0)
    ///       prior: Gamma(mu=0.8, sigma=0.1)
    public struct LiftROIPrior: Sendable, Equatable, Codable {
        /// x: spend per period before the change (≥ 0).
        public var spend: Double
        /// Δx: the change in spend per period (≠ 0, x + Δx ≥ 0).
        public var spendChange: Double
        /// The prior on r (support (0, ∞), checked when the model is built).
        public var prior: PriorSpec

        public init(spend: Double, spendChange: Double, prior: PriorSpec) {
            self.spend = spend
            self.spendChange = spendChange
            self.prior = prior
        }

        /// x + Δx: spend per period during the change.
        public var spendDuring: Double { spend + spendChange }
    }
}

extension ConfigLoader {
    /// The keys of a `lift_roi_prior` mapping.
    static let liftROIPriorKeys = ["spend", "spend_change", "prior"]

    /// Reads `model.channels.<name>.lift_roi_prior` (`key`): all three keys required, spend ≥ 0,
    /// spend_change ≠ 0 with spend + spend_change ≥ 0, and a prior in the config's notation.
    static func readLiftROIPrior(_ node: Node, _ y: YAMLValues, key: String) throws -> MixPlanConfig.LiftROIPrior {
        var spend: Double?, change: Double?, prior: PriorSpec?
        let pairs = try y.mapping(node, key: key, known: liftROIPriorKeys)
        if pairs.isEmpty, case .scalar = node, !y.isNull(node) {
            throw y.error(key, node, "expected a mapping with spend, spend_change and prior, found \(y.describe(node))",
                          hint: "For a prior on the channel's whole-period ROAS use roi_prior: LogNormal(…) instead.")
        }
        for (name, v) in pairs {
            let path = "\(key).\(name)"
            switch name {
            case "spend": spend = try y.double(v, key: path, expected: "≥ 0 (spend per period before the change)") { $0 >= 0 }
            case "spend_change": change = try y.double(v, key: path, expected: "≠ 0 (the change in spend per period)") { $0 != 0 }
            default: prior = try PriorParser.parse(try y.string(v, key: path), location: InputLocation(file: y.file, key: path))
            }
        }
        let missing = liftROIPriorKeys.filter { name in
            switch name {
            case "spend": return spend == nil
            case "spend_change": return change == nil
            default: return prior == nil
            }
        }
        guard let spend, let change, let prior else {
            throw y.error(key, node, "is missing \(missing.joined(separator: " and "))",
                          hint: "Write spend (x), spend_change (Δx) and prior, e.g. {spend: 1200, spend_change: -1080, prior: \"Gamma(mu=0.8, sigma=0.1)\"}.")
        }
        guard spend + change >= 0 else {
            throw y.error("\(key).spend_change", node, "takes spend below zero (spend \(spend) + spend_change \(change) = \(spend + change))",
                          hint: "spend_change is the change from spend, so a cut to zero is spend_change: \(-spend).")
        }
        return MixPlanConfig.LiftROIPrior(spend: spend, spendChange: change, prior: prior)
    }
}
