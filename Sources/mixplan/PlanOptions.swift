import ArgumentParser
import Foundation
import MixData
import MixModel
import MixOptimize

/// Options shared by `optimize` and `whatif`: which model, and the horizon.
struct ModelOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "A model folder written by `mixplan fit` (or give --portfolio).")
    var model: String?

    @Option(parsing: .unconditional, help: "Horizon H in periods the budget covers (default: optimizer.periods of the model's config).")
    var periods: Int?

    @Flag(help: "Do not count the carryover tail after the horizon in the response.")
    var noCarryover = false

    @Flag(help: "Print machine-readable JSON instead of a table.")
    var json = false

    /// Loads the model and its response draws, and the horizon.
    func load() throws -> (FittedModel, ParametricResponseDraws, HorizonSettings) {
        guard let model else { throw InputError(InputLocation(file: "--model"), "is missing; give a model folder written by `mixplan fit`, or --portfolio M.csv --runs DIR.") }
        let fitted = try ModelStore.load(from: URL(fileURLWithPath: model))
        let draws = ParametricResponseDraws(model: fitted)
        let h = periods ?? fitted.config.optimizer.periods
        try FlagChecks.within(periods, Limits.horizon, flag: "--periods", what: "the horizon in periods")
        guard Limits.horizon.contains(h) else {
            throw InputError(InputLocation(file: "optimizer.periods"),
                             "the horizon must be \(Limits.describe(Limits.horizon)) periods, got \(Limits.grouped(h)).")
        }
        let carry = fitted.config.optimizer.includeCarryover && !noCarryover
        return (fitted, draws, HorizonSettings(periods: h, countCarryoverTail: carry))
    }
}

/// Turns the optimiser's own error into the CLI's bad-input error (exit 2).
func asInputError<T>(_ source: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as OptimizationError {
        throw InputError(InputLocation(file: source), error.description)
    }
}
