import MixData
import MixModel

/// Range checks on numeric flags, made before any file is read, so the error names the flag the
/// user typed (`--chains`) rather than the config key the value would have overridden.
enum FlagChecks {
    /// `value` (when given) must be at least `minimum`.
    static func atLeast(_ value: Int?, _ minimum: Int, flag: String, what: String) throws {
        guard let value, value < minimum else { return }
        throw InputError(InputLocation(file: flag), "\(what) must be at least \(minimum), got \(value).")
    }

    /// `value` (when given) must lie in `range`.
    static func within(_ value: Int?, _ range: ClosedRange<Int>, flag: String, what: String) throws {
        try atLeast(value, range.lowerBound, flag: flag, what: what)
        guard let value, value > range.upperBound else { return }
        throw InputError(InputLocation(file: flag), "\(what) must be at most \(Limits.grouped(range.upperBound)), got \(Limits.grouped(value)).")
    }

    /// `--holdout` must leave the fit the periods the model needs (`ModelFitter.holdoutProblem`);
    /// checked once the data is loaded and before any sampling, and reported against the flag.
    static func holdout(_ holdout: Int, _ data: Dataset, config: MixPlanConfig) throws {
        guard let problem = ModelFitter.holdoutProblem(holdout, periods: data.periodCount, config: config) else { return }
        throw InputError(InputLocation(file: "--holdout"), problem.message + " (\(data.source))", hint: problem.hint)
    }

    /// A money amount (when given) must be a finite number ≥ 0.
    static func amount(_ value: Double?, flag: String) throws {
        guard let value, !(value.isFinite && value >= 0) else { return }
        throw InputError(InputLocation(file: flag), "expected a non-negative amount, got \(value).",
                         hint: "Give the total over the horizon as a plain number, e.g. \(flag) 50000.")
    }
}
