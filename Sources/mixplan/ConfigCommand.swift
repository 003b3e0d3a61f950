import ArgumentParser
import Foundation
import MixData

/// `mixplan config --show`: the effective settings of a run and where each came from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the effective settings (flags > config file > defaults) and where each came from.",
        discussion: """
        Reads the config as `mixplan weekly` would, applies the same override flags, and prints \
        every setting with its value and its source: `flag --budget`, `config FILE`, or `default`. \
        Use it to see what a scheduled run will actually do before it runs.

        Example:
          mixplan config --show --config mixplan.yaml --draws 2000

        \(CLISupport.exitCodesHelp(one: nil))
        """
    )

    @Option(name: .shortAndLong, help: "The config file (see `mixplan init`).")
    var config: String = "mixplan.yaml"

    @Flag(help: "Print the effective settings (the default action; accepted for clarity).")
    var show = false

    @OptionGroup(title: "Overrides")
    var overrides: RunOverrides

    func run() throws {
        try CLISupport.run {
            var cfg = try ConfigLoader.load(path: config)
            let flags = try overrides.apply(to: &cfg)
            let settings = EffectiveSettings(config: cfg, fileKeys: EffectiveSettings.keys(inConfigAt: config), flags: flags)
            print(settings.render())
        }
    }
}
