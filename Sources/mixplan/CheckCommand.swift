import ArgumentParser
import Foundation
import MixData
import MixModel

/// `mixplan check`: load and validate the data, print what it holds.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a dataset and print a summary of it.",
        discussion: """
        Reads the data named by a config (--config FILE; ./mixplan.yaml when neither a config nor \
        a CSV is given), or a CSV given directly, whose \
        columns are then guessed the way `mixplan init` guesses them. Prints the periods, \
        frequency, date range, each channel's total spend and share, and any warnings about \
        suspicious data (a channel that rarely spends, spend and target on very different scales, \
        collinear or constant controls). Errors name the file, row (1-based, header = row 1) and \
        column at fault.

        Examples:
          mixplan check --config mixplan.yaml
          mixplan check exports/sales-2024.csv

        \(CLISupport.exitCodesHelp(one: "there were data warnings and --strict was given (warnings alone exit 0)"))
        """
    )

    @Argument(help: "A CSV to check with guessed columns (instead of --config).")
    var data: String?

    @Option(name: .shortAndLong, help: "The config file naming the data and its columns.")
    var config: String?

    @Flag(help: "Exit 1 when there are warnings.")
    var strict = false

    func run() throws {
        try CLISupport.run {
            let configuration: MixPlanConfig
            switch (data, config) {
            case (nil, nil) where FileManager.default.fileExists(atPath: "mixplan.yaml"):
                configuration = try ConfigLoader.load(path: "mixplan.yaml")
            case (nil, nil):
                throw InputError(InputLocation(file: "mixplan check"), "nothing to check.",
                                 hint: "Give a config (mixplan check --config mixplan.yaml) or a CSV (mixplan check data.csv).")
            case (.some, .some):
                throw InputError(InputLocation(file: "mixplan check"), "give either a CSV or --config, not both.",
                                 hint: "With --config the data file is the one the config names.")
            case (nil, .some(let path)):
                configuration = try ConfigLoader.load(path: path)
            case (.some(let csv), nil):
                let guess = try ColumnGuess.guess(path: csv)
                print("Columns guessed (as `mixplan init` would):")
                for note in guess.notes { print("  \(note)") }
                var c = MixPlanConfig()
                c.data = guess.data
                c.data.file = csv
                configuration = c
            }
            if configuration.data.geoColumn != nil {
                // A geo panel: validate it, then describe the national sums as for a national series.
                let panel = try DatasetLoader().loadPanel(configuration)
                print("geo panel: \(panel.geoCount) geos (\(panel.geoNames.prefix(8).joined(separator: ", "))\(panel.geoCount > 8 ? ", …" : "")) × \(panel.periodCount) periods"
                      + (panel.population == nil ? "; geos scaled by their mean target" : "; geos scaled by population"))
                for line in panel.inactiveDescriptions { print("note: \(line)") }
                print(DataSummary(panel.national).render(currency: configuration.report.currency))
                print("OK: no problems found.")
                return
            }
            let loaded = try DatasetLoader().load(configuration)
            print(loaded.summary.render(currency: configuration.report.currency))
            if !loaded.dialect.isPlain { print("read as: \(loaded.dialect.description)") }
            let need = DataValidation.minimumRows(for: configuration)
            let periods = loaded.dataset.periodCount
            let gp = TimeVaryingLayout.parameterCount(configuration.model.timeVarying, periods: periods)
            // The GP coefficients are tied together by their prior, so they are shown apart and do not
            // raise the periods needed.
            let functions = [gp.media > 0 ? "media multiplier" : nil, gp.intercept > 0 ? "intercept drift" : nil].compactMap { $0 }
            let basis = max(gp.media, gp.intercept) - 2
            let timeVarying = functions.isEmpty ? "" :
                " + \(gp.media + gp.intercept) time-varying (\(functions.count == 2 ? "each of the " : "the ")\(functions.joined(separator: " and "))"
                + ": a length-scale, an amplitude and \(basis) basis coefficients, tied together by a Gaussian-process prior)"
            print("model: about \(need.parameters) parameters\(timeVarying); needs ≥ \(need.rows) periods, has \(periods)")
            if loaded.warnings.isEmpty {
                print("OK: no problems found.")
                return
            }
            for warning in loaded.warnings { print("warning: \(warning)") }
            let count = loaded.warnings.count
            print("\(count) warning\(count == 1 ? "" : "s")\(strict ? " (failing because of --strict)" : "").")
            if strict { throw ExitCode(1) }
        }
    }
}
