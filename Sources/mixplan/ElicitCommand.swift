import ArgumentParser
import Foundation
import MixData
import MixInference
import MixModel

/// `mixplan elicit`: lift tests → priors on each tested channel's saturation curve.
struct ElicitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "elicit",
        abstract: "Turn lift tests into priors for each tested channel's response curve.",
        discussion: """
        Each lift test in --tests (CSV: channel, x, delta_x, delta_y, sigma, optionally start, \
        end, name — spend per period, its change, the measured change in the target per period \
        and its standard error) pins the response curve's average slope delta_y/delta_x over \
        [x, x + delta_x]. Per tested channel a small NUTS fit in derivative space turns them into \
        a central interval of mass --mass, and a Gamma (or --family lognormal) prior is solved to \
        put that mass on it:
          model.channels.<channel>.lift_roi_prior — the incremental return of the tested spend \
        change (at the most informative test); it replaces saturation_beta and roi_prior;
          model.channels.<channel>.priors — shape priors, only when the tests cover two or more \
        different spend intervals.
        Prints prior, posterior and fitted prior per quantity (--json alike). --write edits the \
        config in place, --out writes a copy; both keep the rest of the file, mark each prior \
        with a `# mixplan elicit:` comment, and replace what an earlier run wrote. Why one test \
        pins a ridge rather than the effect or the shape: README, "Calibrating with experiments".

        Example:
          mixplan elicit --tests lift.csv --config mixplan.yaml --write

        \(CLISupport.exitCodesHelp(one: nil)) An elicitation sampler that did not converge is such a warning (on stderr).
        """
    )

    /// Family of the fitted prior for parameters on (0, ∞).
    enum Family: String, ExpressibleByArgument, CaseIterable {
        case gamma, lognormal
        var spec: PriorSpec.Family { self == .gamma ? .gamma : .logNormal }
    }

    @Option(help: "The lift-test CSV (columns channel, x, delta_x, delta_y, sigma[, start, end, name]).")
    var tests: String

    @Option(name: .shortAndLong, help: "The config naming the data (for the spend and target scales) and the model.")
    var config: String

    @Option(help: "Central mass of the posterior interval and of the fitted prior on it, in (0, 1).")
    var mass: Double = 0.95

    @Option(help: "Prior family for positive parameters: gamma or lognormal.")
    var family: Family = .gamma

    @Flag(help: "Write the priors into the config file itself.")
    var write = false

    @Option(help: "Write the config with the priors to this file instead (a .yaml or .yml name other than --config; replaced if it exists).")
    var out: String?

    @Flag(help: "Print the results as JSON instead of a table.")
    var json = false

    @Option(help: "Random seed for the sampler (default: the config's sampler.seed).")
    var seed: UInt64?

    func validate() throws {
        guard mass > 0, mass < 1 else { throw ValidationError("--mass must lie strictly between 0 and 1, e.g. 0.95; got \(mass).") }
        if write && out != nil { throw ValidationError("Give either --write (update \(config)) or --out NEW.yaml, not both.") }
        if let out {
            guard out.hasSuffix(".yaml") || out.hasSuffix(".yml") else {
                throw ValidationError("--out names the config file to write, so it must end in .yaml or .yml; got '\(out)'.")
            }
            let same = URL(fileURLWithPath: out).resolvingSymlinksInPath().standardizedFileURL
                == URL(fileURLWithPath: config).resolvingSymlinksInPath().standardizedFileURL
            if same { throw ValidationError("--out is the config itself; use --write to update \(config) in place.") }
        }
    }

    func run() throws {
        try CLISupport.run {
            let configuration = try ConfigLoader.load(path: config)
            let text = try String(contentsOfFile: config, encoding: .utf8)
            let liftTests = try LiftTestLoader.load(path: tests, dateFormat: configuration.data.dateFormat)
            guard !liftTests.isEmpty else {
                throw InputError(InputLocation(file: tests), "has a header but no tests.", hint: "Add one row per experiment.")
            }
            try checkChannels(liftTests, configuration)
            // Priors an earlier `elicit` wrote are that run's output, not independent knowledge.
            var model = configuration.model
            for (channel, keys) in ConfigPriorEditor.elicitedKeys(in: text) {
                for key in keys { model.channels[channel]?.priors[key] = nil }
            }
            if write || out != nil {
                try checkEffectPriors(Set(liftTests.map(\.channel)), model)
                try checkNotInLikelihood(liftTests, configuration)
            }
            let loaded = try DatasetLoader().load(configuration)
            let structure = try ModelStructure(dataset: loaded.dataset, model: model, configPath: config)
            var settings = PriorElicitation.Settings(seed: seed ?? configuration.sampler.seed)
            settings.mass = mass
            settings.positiveFamily = family.spec
            let results = try PriorElicitation.elicit(tests: liftTests, structure: structure, settings: settings)

            print(json ? ElicitReport.json(results, mass: mass) : ElicitReport.table(results, mass: mass))
            for r in results where !r.converged {
                let rhat = (r.parameters.map(\.rhat) + [r.incrementalReturn.rhat]).max() ?? .nan
                CLISupport.printError("warning: channel \(r.channel): the elicitation sampler did not converge (\(r.divergences) divergences, R̂ up to \(String(format: "%.3f", rhat))); treat its priors with care.")
            }
            guard let destination = write ? config : out else {
                if !json { print("\nNothing written: add --write to update \(config), or --out NEW.yaml.") }
                return
            }
            let updated = try edited(text, results)
            try AtomicOutput.write(Data(updated.utf8), to: URL(fileURLWithPath: destination))
            let written = results.reduce(0) { $0 + $1.parameters.count + 1 }
            if !json { print("\nWrote \(written) prior\(written == 1 ? "" : "s") for \(results.count) channel\(results.count == 1 ? "" : "s") to \(destination).") }
        }
    }

    /// Every test must name a channel of `data.channels`; the error names the test's row.
    private func checkChannels(_ liftTests: [LiftTest], _ configuration: MixPlanConfig) throws {
        let channels = configuration.data.channels
        for test in liftTests where !channels.contains(test.channel) {
            let row = test.source.components(separatedBy: ", row ").last.flatMap { Int($0) }
            throw InputError(InputLocation(file: tests, row: row, column: "channel"),
                             "the test is for \"\(test.channel)\", which is not in data.channels of \(config).",
                             hint: NameSuggestion.didYouMean(test.channel, in: channels) ?? "Configured channels: \(channels.joined(separator: ", ")).")
        }
    }

    /// A test already in the likelihood (`calibration.lift_tests`) must not also become a prior:
    /// the experiment would count twice and the posterior would be overconfident.
    private func checkNotInLikelihood(_ tests: [LiftTest], _ configuration: MixPlanConfig) throws {
        let used = try LiftTestLoader.load(config: configuration)
        for test in tests where used.contains(where: { same($0, test) }) {
            let file = configuration.calibration.liftTestsFile ?? "calibration.lift_tests"
            throw InputError(InputLocation(file: self.tests),
                             "\(test.source.isEmpty ? "a test" : test.source) (channel \(test.channel)) is already in \(config)'s likelihood (calibration.lift_tests: \(file)); a prior from it would count the same experiment twice.",
                             hint: "Elicit into a config without calibration.lift_tests (the prior route), or keep the tests in the likelihood and skip --write/--out.")
        }
    }

    private func same(_ a: LiftTest, _ b: LiftTest) -> Bool {
        a.channel == b.channel && a.spend == b.spend && a.spendChange == b.spendChange && a.targetChange == b.targetChange
            && a.standardError == b.standardError
    }

    /// A tested channel must not already have a prior on its effect size: the `lift_roi_prior`
    /// this run writes replaces it (an `roi_prior`, or a `saturation_beta` set by hand).
    private func checkEffectPriors(_ channels: Set<String>, _ model: MixPlanConfig.ModelSection) throws {
        for channel in channels.sorted() {
            if model.channels[channel]?.roiPrior != nil {
                throw InputError(InputLocation(file: config, key: "model.channels.\(channel).roi_prior"),
                                 "\(channel) has an roi_prior; mixplan elicit writes a lift_roi_prior, which like roi_prior stands in for the prior on the channel's effect size.",
                                 hint: "Remove the roi_prior to use the experiments, or run without --write/--out to only see the elicited priors.")
            }
            if model.prior("saturation_beta", channel: channel) != nil {
                let key = model.channels[channel]?.priors["saturation_beta"] != nil ? "model.channels.\(channel).priors.saturation_beta" : "model.priors.saturation_beta"
                throw InputError(InputLocation(file: config, key: key),
                                 "sets a prior on \(channel)'s effect size; the lift_roi_prior mixplan elicit writes replaces that prior.",
                                 hint: "Remove the saturation_beta prior (or set it per channel for the untested channels only), then run again.")
            }
        }
    }

    /// The config text with the fitted priors written in, checked by loading it back.
    private func edited(_ text: String, _ results: [PriorElicitation.Channel]) throws -> String {
        var updated = text
        for r in results {
            let count = "\(r.tests.count) test\(r.tests.count == 1 ? "" : "s")"
            let comment = "from \(tests) (\(count)), \(Self.today()), central \(ElicitReport.percent(mass)) mass on the elicited \(ElicitReport.percent(mass)) interval"
            let entries = r.parameters.map { ConfigPriorEditor.Entry(channel: r.channel, key: $0.key, prior: $0.fit.spec) }
            updated = try ConfigPriorEditor.applyElicitation(channel: r.channel, priors: entries, liftROIPrior: r.incrementalReturn.setting,
                                                             comment: comment, to: updated, file: config)
        }
        let check = try ConfigLoader.parse(yaml: updated, path: config)
        for r in results {
            for p in r.parameters where check.model.channels[r.channel]?.priors[p.key] != p.fit.spec {
                throw CLISupport.InternalError(description: "the edited config does not read back \(r.channel).\(p.key) as \(p.fit.spec)")
            }
            if check.model.channels[r.channel]?.liftROIPrior != r.incrementalReturn.setting {
                throw CLISupport.InternalError(description: "the edited config does not read back \(r.channel).lift_roi_prior as \(r.incrementalReturn.setting)")
            }
        }
        return updated
    }

    /// YYYY-MM-DD of now (UTC), or of SOURCE_DATE_EPOCH when set (reproducible output).
    static func today() -> String {
        let seconds = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init) ?? Date().timeIntervalSince1970
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}

/// The table and JSON that `mixplan elicit` prints.
enum ElicitReport {
    static func percent(_ mass: Double) -> String { Interval.percentLabel(mass) }

    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "nan" }
        return abs(x) >= 1e5 || (abs(x) < 1e-3 && x != 0) ? String(format: "%.3e", x) : String(format: "%.4g", x)
    }

    /// A spend level as the tests file gives it: whole from 100 up, else up to 4 significant digits.
    static func spend(_ x: Double) -> String { abs(x) >= 100 ? String(format: "%.0f", x) : String(format: "%.4g", x) }

    static func table(_ results: [PriorElicitation.Channel], mass: Double) -> String {
        var lines: [String] = []
        for r in results {
            if !lines.isEmpty { lines.append("") }
            lines.append("\(r.channel) — \(r.saturation.rawValue) saturation, \(r.tests.count) lift test\(r.tests.count == 1 ? "" : "s"); spend scale \(number(r.spendScale)), target scale \(number(r.targetScale))")
            let header = ["parameter", "prior before", "posterior mean", "\(percent(mass)) interval", "fitted prior", "mass"]
            var rows = [header]
            for p in r.parameters {
                rows.append([p.key, p.basePrior.description, number(p.posteriorMean), "[\(number(p.lower)), \(number(p.upper))]",
                             p.fit.spec.description, String(format: "%.4f", p.fit.achievedMass)])
            }
            let r0 = r.incrementalReturn
            rows.append(["lift_roi_prior", "(replaces saturation_beta)", number(r0.posteriorMean), "[\(number(r0.lower)), \(number(r0.upper))]",
                         r0.fit.spec.description, String(format: "%.4f", r0.fit.achievedMass)])
            let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max()! }
            for row in rows {
                lines.append("  " + row.enumerated().map { c, cell in cell + String(repeating: " ", count: widths[c] - cell.count) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
            let test = r0.test.source.isEmpty ? "" : " (\(r0.test.source))"
            lines.append("  lift_roi_prior is on r = (f(x + Δx) − f(x))/Δx at x = \(spend(r0.test.spend)), Δx = \(spend(r0.test.spendChange))\(test), target units per currency unit.")
            if !r.shapeIdentified {
                lines.append("  Shape priors kept: the tests cover one spend interval, which pins the curve's slope there (a ridge of effect and shape) but not its shape.")
            }
        }
        return lines.joined(separator: "\n")
    }

    struct ChannelJSON: Encodable {
        var channel: String
        var saturation: String
        var tests: Int
        var spend_scale: Double
        var target_scale: Double
        var converged: Bool
        var divergences: Int
        var shape_identified: Bool
        var parameters: [ParameterJSON]
        var lift_roi_prior: ReturnJSON
    }

    /// What every elicited quantity reports: its posterior and the prior fitted to it. Encoded
    /// into the enclosing object, so the JSON keeps one flat object per quantity.
    struct SummaryJSON: Encodable {
        var posterior_mean: Double
        var interval: [Double]
        var rhat: Double
        var ess_bulk: Double
        var fitted_prior: String
        var fitted_parameters: [String: Double]
        var achieved_mass: Double

        init(mean: Double, lower: Double, upper: Double, rhat: Double, essBulk: Double, fit: ConstrainedPrior.Fit) {
            posterior_mean = mean; interval = [lower, upper]; self.rhat = rhat; ess_bulk = essBulk
            fitted_prior = fit.spec.description; fitted_parameters = fit.spec.parameters; achieved_mass = fit.achievedMass
        }
    }

    struct ReturnJSON: Encodable {
        var spend: Double
        var spend_change: Double
        var test: String
        var summary: SummaryJSON

        enum CodingKeys: String, CodingKey { case spend, spend_change, test }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(spend, forKey: .spend)
            try c.encode(spend_change, forKey: .spend_change)
            try c.encode(test, forKey: .test)
            try summary.encode(to: encoder)
        }
    }

    struct ParameterJSON: Encodable {
        var key: String
        var prior_before: String
        var summary: SummaryJSON

        enum CodingKeys: String, CodingKey { case key, prior_before }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(key, forKey: .key)
            try c.encode(prior_before, forKey: .prior_before)
            try summary.encode(to: encoder)
        }
    }

    static func json(_ results: [PriorElicitation.Channel], mass: Double) -> String {
        let channels = results.map { r in
            ChannelJSON(channel: r.channel, saturation: r.saturation.rawValue, tests: r.tests.count, spend_scale: r.spendScale,
                        target_scale: r.targetScale, converged: r.converged, divergences: r.divergences,
                        shape_identified: r.shapeIdentified,
                        parameters: r.parameters.map { p in
                            ParameterJSON(key: p.key, prior_before: p.basePrior.description,
                                          summary: SummaryJSON(mean: p.posteriorMean, lower: p.lower, upper: p.upper, rhat: p.rhat,
                                                               essBulk: p.essBulk, fit: p.fit))
                        },
                        lift_roi_prior: {
                            let i = r.incrementalReturn
                            return ReturnJSON(spend: i.test.spend, spend_change: i.test.spendChange, test: i.test.source,
                                              summary: SummaryJSON(mean: i.posteriorMean, lower: i.lower, upper: i.upper, rhat: i.rhat,
                                                                   essBulk: i.essBulk, fit: i.fit))
                        }())
        }
        struct Root: Encodable { var mass: Double; var channels: [ChannelJSON] }
        let encoder = MixJSON.encoder()
        return String(decoding: (try? encoder.encode(Root(mass: mass, channels: channels))) ?? Data("{}".utf8), as: UTF8.self)
    }
}
