import ArgumentParser
import Foundation
import MixModel

/// `mixplan simulate`: writes a dataset with known true parameters, for testing recovery.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate a dataset from the MixPlan model with known true parameters.",
        discussion: """
        Writes data.csv, truth.json (true parameters on the model's scale, scaling constants and \
        true per-channel contributions) and mixplan.yaml into --out. Same preset and seed give the \
        same bytes.

        Presets:
        \(SimulationPreset.all.map { "  \($0.name): \($0.summary)" }.joined(separator: "\n"))

        Recovery-benchmark families (`mixplan-bench recovery`):
        \(SimulationPreset.recovery.map { "  \($0.name): \($0.summary)" }.joined(separator: "\n"))

        Example:
          mixplan simulate --preset weekly-5ch --seed 1 --out sim && mixplan fit --config sim/mixplan.yaml --out sim/model
        """
    )

    @Option(name: .long, help: "Preset name (see Presets above).")
    var preset: String

    @Option(name: .long, help: "Random seed (non-negative integer).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Output directory (created if missing).")
    var out: String

    @Flag(help: "Replace files of the same names already in --out (otherwise they are kept and nothing is written).")
    var force = false

    func validate() throws {
        guard SimulationPreset.named(preset) != nil else {
            throw ValidationError("Unknown preset '\(preset)'. Use one of: \((SimulationPreset.all + SimulationPreset.recovery).map(\.name).joined(separator: ", ")).")
        }
    }

    func run() throws {
        let chosen = SimulationPreset.named(preset)!
        let output = Simulator(preset: chosen, seed: seed).run()
        let existing = output.fileNames.filter { FileManager.default.fileExists(atPath: URL(fileURLWithPath: out).appendingPathComponent($0).path) }
        if !force && !existing.isEmpty {
            FileHandle.standardError.write(Data("mixplan simulate: '\(out)' already has \(existing.joined(separator: ", ")); not overwriting (a real dataset may be there). Pass --force to replace them, or choose another --out.\n".utf8))
            throw ExitCode(2)
        }
        do {
            try output.write(to: URL(fileURLWithPath: out))
        } catch {
            FileHandle.standardError.write(Data("mixplan simulate: cannot write to '\(out)': \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
        print("Wrote \(chosen.name) (seed \(seed)) to \(out): \(output.fileNames.joined(separator: ", "))")
    }
}
