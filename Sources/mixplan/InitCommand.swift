import ArgumentParser
import Foundation
import MixData

/// `mixplan init`: write a starter `mixplan.yaml` next to a CSV.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter mixplan.yaml for a CSV, guessing its columns.",
        discussion: """
        Reads the CSV in its own dialect (delimiter, decimal mark, thousands separator and date \
        format are detected; the config records them) and decides every column from its name \
        and its values, printing one line per column with the reason: the date column; \
        columns dropped as row indices, time counters, the date's calendar parts (year, month, \
        week, day of year), constants, duplicates or text; the channels (spend named like \
        spend, cost, budget, mdsp_… or …_s, and their numbered siblings x1_…, x2_…; \
        impressions, GRPs or mdip_… only when there is no spend); the target (named like \
        sales, revenue or conversions — never a share, rate or price — the largest when \
        several match, else the largest remaining column); the controls (the rest). Lines \
        marked CHECK are guesses to review. Writes mixplan.yaml in the CSV's folder from the \
        commented template (every other key shows its default). An existing mixplan.yaml is \
        kept unless --force is given; the file is written atomically.

        Example:
          mixplan init data/weekly.csv && mixplan check --config data/mixplan.yaml

        \(CLISupport.exitCodesHelp(one: nil))
        """
    )

    @Argument(help: "The CSV: one row per period with a header row.")
    var data: String

    @Flag(help: "Overwrite an existing mixplan.yaml.")
    var force = false

    func run() throws {
        try CLISupport.run {
            let guess = try ColumnGuess.guess(path: data)
            let folder = URL(fileURLWithPath: data).deletingLastPathComponent()
            let output = folder.appendingPathComponent("mixplan.yaml").path
            let text = ConfigTemplate.fill(ConfigTemplate.Values(guess.data))
            // The filled template must read back as what was guessed; anything else is a bug.
            let check = try ConfigLoader.parse(yaml: text, path: output)
            guard check.data == guess.data else {
                throw CLISupport.InternalError(description: "the filled template does not read back as the guessed columns")
            }
            try CLISupport.writeAtomically(text, to: output, overwrite: force)
            print("Guessed from \(data):")
            for note in guess.notes { print("  \(note)") }
            print("Wrote \(output). Review it, then run: mixplan check --config \(output)")
        }
    }
}
