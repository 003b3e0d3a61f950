import Foundation
import MixData
import MixInference
import MixModel
import MixOptimize
import MixResults

/// `mixplan fit` on a config with `data.geo_column`: loads the panel, samples the geo model and
/// writes MODEL_DIR/ atomically with `geo-model.json` (the marker), `summary.json` (national
/// channels, then `geos`), `summary.csv` (one row per parameter), `draws.csv` (natural scale) and
/// `panel.csv` (the rows fitted), the layout `GeoModelFolder` reads back, plus
/// `response-draws.json` (each live cell's response curves per draw, for optimize and whatif).
enum GeoFitRun {
    static let marker = GeoModelFolder.marker

    /// Fits and saves; returns the fit for the caller's verdict line. `note` (the skipped
    /// backtest's) is printed once the panel has loaded, so a refused input prints only its error.
    static func run(config cfg: MixPlanConfig, out: String, quiet: Bool, note: String? = nil) throws -> GeoFit {
        try AtomicOutput.checkReplaceable(URL(fileURLWithPath: out), marker: marker, kind: "geo model")
        let panel = try DatasetLoader().loadPanel(cfg)
        if !quiet, let note { CLISupport.printError("note: \(note)") }
        if !quiet { for line in panel.inactiveDescriptions { CLISupport.printError("note: \(line)") } }
        let bar = ProgressBar(chains: cfg.sampler.chains, enabled: !quiet && ProgressBar.terminalAttached)
        let fit = try GeoFit.fit(panel: panel, config: cfg, progress: bar.update)
        bar.finish()
        // What optimize and whatif need: each live cell's curves per draw and its current spend.
        let responses = try GeoResponseDraws(posterior: fit.posterior, panel: panel, config: cfg, converged: fit.verdict.passed).json()
        try AtomicOutput.writeDirectory(at: URL(fileURLWithPath: out), marker: marker, kind: "geo model") { dir in
            try GeoModelFolder.write(fit, config: cfg, into: dir)
            try responses.write(to: dir.appendingPathComponent(GeoResponseDraws.fileName))
        }
        if !quiet { print(render(fit)) }
        return fit
    }

    /// National channels, then each geo's ROAS per channel, then the verdict.
    static func render(_ fit: GeoFit) -> String {
        let s = fit.summary
        func iv(_ i: Interval, _ d: Int) -> String { i.text(decimals: d) }
        var lines = ["National channels (sums over \(s.geos.count) geos, per draw; mean [3 %, 97 %]):"]
        lines.append(renderColumns(["channel", "spend", "contribution", "ROAS", "marginal ROAS"],
                                   s.channels.map { [$0.name, groupedNumber($0.spend, decimals: 0), iv($0.contribution, 0), iv($0.roas, 2), iv($0.marginalRoas, 2)] }))
        lines.append("")
        lines.append("ROAS by geo (mean [3 %, 97 %]; – where the channel never spends):")
        let names = s.channels.map(\.name)
        lines.append(renderColumns(["geo"] + names, s.geos.map { geo in
            [geo.name] + names.map { n in geo.channels.first { $0.name == n }.map { iv($0.roas, 2) } ?? "–" }
        }))
        lines.append("")
        lines.append(String(format: "Fit in sample, national (%d periods): R² %.3f, MAPE %.1f %%", s.inSample.periods, s.inSample.r2, 100 * s.inSample.mape))
        lines += VerdictPrinting.lines(fit.verdict, retry: fit.retry)
        return lines.joined(separator: "\n")
    }
}
