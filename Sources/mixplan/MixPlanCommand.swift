import ArgumentParser
import Foundation
import MixData

@main
struct MixPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mixplan",
        abstract: "Bayesian media mix modelling and budget planning.",
        discussion: """
        Examples:
          mixplan init data.csv
          mixplan check --config mixplan.yaml
          mixplan fit --config mixplan.yaml --out model
          mixplan optimize --model model --budget 120000 --periods 4
          mixplan weekly --config mixplan.yaml --out reports

        Exit codes: 0 ok; 1 ran, but with warnings: `fit` when the fit did not converge (unless \
        --allow-unconverged), `weekly` on any warning (non-convergence, data or plan warnings), \
        `check` on data warnings only with --strict; `batch` when a model of its shard failed, and \
        `batch status`/`batch collect` while some model is not done; the other commands never \
        exit 1. 2 bad input \
        or usage; 3 internal error. Each command's --help says what gives its exit 1.
        """,
        version: MixPlanInfo.version,
        subcommands: [InitCommand.self, CheckCommand.self, FitCommand.self, OptimizeCommand.self, WhatIfCommand.self, SimulateCommand.self, ConfigCommand.self, ReportCommand.self, WeeklyCommand.self, ElicitCommand.self, BatchCommand.self, ExportCommand.self]
    )

    /// Runs the command line with MixPlan's exit codes: usage errors exit 2 (not
    /// ArgumentParser's 64), bad input 2, internal errors 3.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            Foundation.exit(2)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if code.rawValue == 64 || error is ValidationError {
                FileHandle.standardError.write(Data("\(message)\n".utf8))
                Foundation.exit(2)
            }
            if code != .failure {
                FileHandle.standardError.write(Data("\(message)\n".utf8))
                Foundation.exit(code.rawValue)
            }
            FileHandle.standardError.write(Data("internal error: \(message.isEmpty ? String(describing: error) : message)\n".utf8))
            Foundation.exit(3)
        }
    }
}
