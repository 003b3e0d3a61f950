import ArgumentParser
import Foundation
import MixData
import MixExport
import MixModel

/// `mixplan export`: a saved model in another tool's format.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a saved model for other tools (ArviZ InferenceData as netCDF).",
        discussion: """
        --format netcdf writes an ArviZ InferenceData file that `arviz.from_netcdf` opens: \
        groups posterior (chain, draw, and channel/control dimensions with their names), \
        sample_stats (diverging, tree_depth, n_steps, energy, step_size, acceptance_rate, lp), \
        observed_data (y: the target over the training dates) and constant_data (spend by date \
        and channel, controls by date and control; when a channel is measured in exposures, \
        media by date and channel (its exposures, money for the others), money by date and \
        channel, cost_per_unit, media_unit and cost_basis by channel instead of spend). Models fitted before per-draw sampler \
        statistics were kept (no sample_stats.csv in the folder) export without sample_stats; \
        refit to get them. The file is written under a temporary name and renamed when \
        complete; an existing file is replaced only with --force.

        Examples:
          mixplan export --model model --format netcdf --out model.nc
          python -c "import arviz as az; print(az.summary(az.from_netcdf('model.nc')))"

        \(CLISupport.exitCodesHelp(one: nil))
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case netcdf
    }

    @Option(name: .shortAndLong, help: "A model folder written by `mixplan fit` (or a weekly pack's model/).")
    var model: String

    @Option(help: "The output format: netcdf (ArviZ InferenceData).")
    var format: Format = .netcdf

    @Option(name: .shortAndLong, help: "The file to write (e.g. model.nc).")
    var out: String

    @Flag(help: "Replace --out if it exists.")
    var force = false

    func run() throws {
        try CLISupport.run {
            let url = URL(fileURLWithPath: out)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder) {
                if isFolder.boolValue {
                    throw InputError(InputLocation(file: out), "is a folder; --out names the .nc file to write.")
                }
                if !force {
                    throw InputError(InputLocation(file: out), "already exists; not overwriting it.", hint: "Pass --force to replace it.")
                }
            }
            let fitted = try ModelStore.load(from: URL(fileURLWithPath: model))
            try InferenceDataExport.write(fitted, to: url)
            let stats = fitted.sampleStats == nil ? " (no sample_stats: the model folder predates them; refit to include them)" : ""
            print("InferenceData written to \(out)\(stats)")
        }
    }
}
