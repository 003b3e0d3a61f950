import ArgumentParser
import Foundation
import MixData

/// Where each model of a portfolio stands, from its status record and its inputs today.
struct BatchModelState {
    enum State: String {
        /// Done for the inputs as they are now.
        case done
        case failed
        /// A run started and has not ended (still running, or killed).
        case running
        /// Done, but the config or data changed since: the next batch run refits it.
        case outdated
        /// Never run (or its record is gone).
        case missing
    }

    var entry: PortfolioManifest.Entry
    var state: State
    var record: BatchStatusRecord?
    /// What to tell the user beside the state (the error, what changed, …).
    var detail: String

    /// The state of every model of `manifest` in `folder`.
    static func all(_ manifest: PortfolioManifest, in folder: BatchFolder) -> [BatchModelState] {
        manifest.entries.map { entry in
            guard let record = folder.status(entry.name) else {
                return BatchModelState(entry: entry, state: .missing, record: nil, detail: "no status record: not run yet")
            }
            switch record.state {
            case .failed:
                return BatchModelState(entry: entry, state: .failed, record: record, detail: record.error ?? "failed")
            case .running:
                return BatchModelState(entry: entry, state: .running, record: record,
                                       detail: "started \(record.started) on \(record.host) (pid \(record.pid)); still running, or the job was stopped")
            case .done:
                let pack = folder.pack(entry.name).appendingPathComponent("report.md")
                guard FileManager.default.fileExists(atPath: pack.path) else {
                    return BatchModelState(entry: entry, state: .missing, record: record, detail: "the status says done but \(pack.deletingLastPathComponent().path) has no report.md")
                }
                let now = (try? ConfigLoader.load(path: entry.resolvedConfig)).flatMap { try? BatchInputs.fingerprint(config: $0) }
                if now != record.fingerprint {
                    return BatchModelState(entry: entry, state: .outdated, record: record,
                                           detail: now == nil ? "its config or data can no longer be read" : "its config or data changed since it was fitted (\(record.finished ?? record.started))")
                }
                let verdict = record.converged == false ? "fit NOT converged; " : ""
                return BatchModelState(entry: entry, state: .done, record: record, detail: verdict + (record.headline ?? ""))
            }
        }
    }
}

/// `mixplan batch status`: done / failed / missing per model.
struct BatchStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say which models of the manifest are done, failed (with the error) or missing.",
        discussion: """
        One line per model: done (for its current config and data), failed (with the error), \
        running (started and not ended: still running, or the job was killed), outdated (done, \
        but its config or data changed since; the next run refits it) or missing (never run). \
        Exit codes: 0 every model is done; 1 some are not; 2 bad input; 3 internal error.
        """
    )

    @OptionGroup var location: BatchLocation

    @Flag(help: "Print machine-readable JSON instead of a table.")
    var json = false

    func run() throws {
        var allDone = false
        try CLISupport.run {
            let manifest = try PortfolioManifest.load(path: location.manifest)
            let folder = try BatchFolder(root: URL(fileURLWithPath: location.out), create: false)
            let states = BatchModelState.all(manifest, in: folder)
            allDone = states.allSatisfy { $0.state == .done }
            if json {
                let rows = states.map { ["name": $0.entry.name, "state": $0.state.rawValue, "detail": $0.detail] }
                let encoder = MixJSON.encoder()
                print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            } else {
                let width = states.map(\.entry.name.count).max() ?? 4
                for s in states {
                    let name = s.entry.name.padding(toLength: max(width, 4), withPad: " ", startingAt: 0)
                    print("\(name)  \(s.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(s.detail)")
                }
                let counts = BatchModelState.State.allCases.compactMap { state -> String? in
                    let n = states.filter { $0.state == state }.count
                    return n > 0 ? "\(n) \(state.rawValue)" : nil
                }
                print("\(states.count) models: \(counts.joined(separator: ", "))")
            }
        }
        if !allDone { throw ExitCode(1) }
    }
}

extension BatchModelState.State: CaseIterable {}
