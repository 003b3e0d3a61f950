import ArgumentParser
import MixData

@main
struct MixPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mixplan",
        abstract: "Bayesian media mix modelling and budget planning.",
        discussion: """
        Exit codes: 0 ok; 1 ran, but with warnings (non-convergence, or data warnings under --strict); \
        2 bad input or usage; 3 internal error.
        """,
        version: MixPlanInfo.version,
        subcommands: [CheckCommand.self, InitCommand.self]
    )

    /// Runs through `CLISupport.main` so usage errors exit 2, as documented above.
    static func main() { CLISupport.main(MixPlanCommand.self) }
}
