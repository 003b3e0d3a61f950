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

        Geo panels (one row per geo × week; `mixplan-bench geo-recovery`):
        \(GeoSimulationPreset.all.map { "  \($0.name): \($0.summary)" }.joined(separator: "\n"))

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
        guard SimulationPreset.named(preset) != nil || GeoSimulationPreset.named(preset) != nil else {
            throw ValidationError("Unknown preset '\(preset)'. Use one of: \(((SimulationPreset.all + SimulationPreset.recovery).map(\.name) + GeoSimulationPreset.all.map(\.name)).joined(separator: ", ")).")
        }
    }

    func run() throws {
        if let geo = GeoSimulationPreset.named(preset) {
            let output = GeoSimulation(preset: geo, seed: seed)
            try write(names: output.fileNames) { try output.write(to: $0) }
            return
        }
        let chosen = SimulationPreset.named(preset)!
        let output = Simulator(preset: chosen, seed: seed).run()
        try write(names: output.fileNames) { try output.write(to: $0) }
    }

    /// Refuses to replace files already in --out (unless --force), then writes.
    private func write(names: [String], _ body: (URL) throws -> Void) throws {
        let existing = names.filter { FileManager.default.fileExists(atPath: URL(fileURLWithPath: out).appendingPathComponent($0).path) }
        if !force && !existing.isEmpty {
            FileHandle.standardError.write(Data("mixplan simulate: '\(out)' already has \(existing.joined(separator: ", ")); not overwriting (a real dataset may be there). Pass --force to replace them, or choose another --out.\n".utf8))
            throw ExitCode(2)
        }
        do {
            try body(URL(fileURLWithPath: out))
        } catch {
            FileHandle.standardError.write(Data("mixplan simulate: cannot write to '\(out)': \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
        print("Wrote \(preset) (seed \(seed)) to \(out): \(names.joined(separator: ", "))")
    }
}
