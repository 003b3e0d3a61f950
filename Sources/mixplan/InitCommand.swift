import ArgumentParser
import Foundation
import MixData

/// `mixplan init`: write a starter `mixplan.yaml` next to a CSV.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter mixplan.yaml for a CSV, guessing its columns.",
        discussion: """
        Guesses the date column (every cell a date), the target (a column named like sales, \
        revenue, conversions, kpi or y), the channels (columns named like spend, cost or \
        impressions; failing that, the other numeric columns that are not 0/1 indicators or \
        named like events/prices) and the controls (the remaining numeric columns), prints what \
        it guessed, and writes mixplan.yaml in the CSV's folder from the commented template \
        (every other key shows its default). Review the guesses before fitting. An existing \
        mixplan.yaml is kept unless --force is given; the file is written atomically.

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
