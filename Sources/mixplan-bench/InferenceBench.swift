import Foundation
import MixInference

/// NUTS on the four posteriordb reference posteriors, 4 chains × 1000 warm-up × 1000 draws each.
/// Data come from `--posteriordb=PATH` or `Tests/Fixtures/posteriordb` under the current directory (the package root).
/// Columns: gradient evaluations per wall-clock second (all chains together), total leapfrog steps
/// (warm-up included), the share of those spent in warm-up, the smallest bulk ESS over the reported
/// quantities, that ESS per second and per 1000 gradient evaluations.
func runInferenceBench() {
    let option = CommandLine.arguments.first { $0.hasPrefix("--posteriordb=") }
    let folder = option.map { URL(fileURLWithPath: String($0.dropFirst("--posteriordb=".count))) } ?? defaultPosteriordbFolder()
    print("posteriordb: \(folder.path); \(ProcessInfo.processInfo.activeProcessorCount) cores")
    print(["model", "grad/s", "leapfrogs", "warm-up %", "min ESS", "ESS/s", "ESS/1k grad", "div", "seconds"]
        .enumerated().map { $0.offset == 0 ? $0.element.padding(toLength: 40, withPad: " ", startingAt: 0) : pad($0.element, 12) }
        .joined())
    do {
        try benchModel(EightSchoolsNoncentered(posteriordb: folder), targetAcceptance: 0.9)
        try benchModel(ArK(posteriordb: folder))
        try benchModel(KidIQ(posteriordb: folder))
        // The same strongly correlated posterior (corr(β₁, β₂) ≈ −0.99) with the dense metric.
        try benchModel(KidIQ(posteriordb: folder), metric: .dense)
        try benchModel(LowDimGaussMix(posteriordb: folder))
    } catch {
        print("inference bench failed: \(error)")
    }
}

private func pad(_ s: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - s.count)) + s
}

private func benchModel<D: ReferencePosterior>(_ model: D, targetAcceptance: Double = 0.8, metric: MetricKind = .diagonal) throws {
    var settings = SamplerSettings(seed: 20_261_123)
    settings.targetAcceptance = targetAcceptance
    settings.metric = metric
    let result = try sample(model, settings: settings)
    let minESS = model.reportedNames.indices.map { k in
        Diagnostics.essBulk(result.derived { model.reported($0)[k] })
    }.min() ?? .nan
    let gradients = Double(result.gradientEvaluations)
    let cells = [
        String(format: "%.0f", gradients / result.seconds),
        "\(result.totalLeapfrogSteps)",
        String(format: "%.0f", 100 * (1 - Double(result.samplingLeapfrogSteps) / Double(result.totalLeapfrogSteps))),
        String(format: "%.0f", minESS),
        String(format: "%.0f", minESS / result.seconds),
        String(format: "%.2f", 1000 * minESS / gradients),
        "\(result.divergences)",
        String(format: "%.3f", result.seconds),
    ]
    let label = D.posteriorName + (metric == .dense ? " (dense)" : "")
    print(label.padding(toLength: 40, withPad: " ", startingAt: 0) + cells.map { pad($0, 12) }.joined())
}
