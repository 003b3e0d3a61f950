import Foundation
import MixCharts
import MixData
import MixReport
import Mustache

/// Fuzz targets past the parsers (issue 19): what a loaded dataset is turned into for `check`
/// (its summary and warnings), chart axes and labels for arbitrary numbers (the bytes read as
/// Doubles, so NaN, ±∞, subnormals and 1e308 all occur), and report templates (the bytes split
/// into a template and partials, checked for include cycles and unknown names, then rendered). A crash, a hang or
/// an error other than the expected kinds is a finding.
enum OutputTargets {
    static func run(_ data: Data) {
        axes(data)
        templates(data)
    }

    /// `check`'s summary and warnings of a dataset the loader accepted.
    static func summary(_ loaded: LoadedData) {
        _ = loaded.summary.render(currency: "€")
        _ = DataValidation.warnings(loaded.dataset).map(\.description)
    }

    /// The input as IEEE doubles: ticks and domains for every pair, labels for every value, and
    /// an allocation chart of the first four values.
    static func axes(_ data: Data) {
        let values: [Double] = stride(from: 0, to: data.count - 7, by: 8).map { offset in
            Double(bitPattern: data[data.startIndex + offset..<data.startIndex + offset + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        guard !values.isEmpty else { return }
        for (k, pair) in stride(from: 0, to: values.count - 1, by: 2).map({ (values[$0], values[$0 + 1]) }).prefix(64).enumerated() {
            let lo = min(pair.0, pair.1), hi = max(pair.0, pair.1)
            let (ticks, step) = niceTicks(lo: lo, hi: hi, maxCount: 2 + k % 11)
            if lo.isFinite && hi.isFinite && hi > lo {
                precondition(step.isFinite && step > 0 && ticks.count <= 14, "niceTicks(\(lo), \(hi)): \(ticks.count) ticks, step \(step)")
            }
            let domain = niceDomain(lo: lo, hi: hi)
            if lo.isFinite && hi.isFinite { precondition(domain.0.isFinite && domain.1.isFinite, "niceDomain(\(lo), \(hi)) = \(domain)") }
            for format in [NumberFormat.compact, .currency("$"), .percent, .fixed(2)] {
                _ = format.format(pair.0, step: step)
            }
        }
        // Drawing costs milliseconds: one input in 64 (by length) also renders a chart.
        let amounts = values.prefix(4).map { $0.isFinite ? abs($0) : 0 }
        guard amounts.count == 4, data.count % 64 == 0 else { return }
        let bars = [AllocationBar(channel: "a", channelIndex: 0, current: amounts[0], optimal: amounts[1]),
                    AllocationBar(channel: "b", channelIndex: 1, current: amounts[2], optimal: amounts[3])]
        do {
            _ = try allocationChart(bars, size: ChartSize(width: 320, height: 200))
        } catch ChartError.invalidInput {
        } catch {
            fatalError("allocationChart threw \(error)")
        }
    }

    /// Up to four templates cut from the input at NUL bytes (report, a, b, c): a set with an
    /// include cycle must be refused; any other set that parses must render and end.
    static func templates(_ data: Data) {
        let parts = data.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false).prefix(4)
        var texts: [String: String] = [:]
        for (name, part) in zip(["report.md.mustache", "a.mustache", "b.mustache", "c.mustache"], parts) {
            guard let text = String(data: Data(part), encoding: .utf8) else { return }
            texts[name] = text
        }
        do {
            try ReportWriter.checkIncludes(texts, directory: URL(fileURLWithPath: "fuzz-templates"))
        } catch let error as InputError {
            precondition(!error.description.contains("\n"), "multi-line template error")
            return
        } catch {
            fatalError("checkIncludes threw \(error)")
        }
        var parsed: [String: MustacheTemplate] = [:]
        for (name, text) in texts {
            guard let template = try? MustacheTemplate(string: text) else { return }
            parsed[String(name.dropLast(".mustache".count))] = template
        }
        // Every name the template and its partials use must be one the report provides.
        do {
            let partials = Dictionary(uniqueKeysWithValues: texts.map { (String($0.key.dropLast(".mustache".count)), $0.value) })
            try TemplateKeyCheck.check(texts["report.md.mustache"] ?? "", file: "report.md.mustache", partials: partials,
                                       partialFile: { $0 + ".mustache" })
        } catch let error as InputError {
            precondition(!error.description.contains("\n"), "multi-line template error")
        } catch {
            fatalError("TemplateKeyCheck threw \(error)")
        }
        let library = MustacheLibrary(templates: parsed)
        let context: [String: Any] = ["target": "sales", "channels": [["name": "tv", "roas": "1.2"], ["name": "search", "roas": "0.8"]],
                                      "plan": ["ok": true], "a": "x", "b": [1, 2], "c": ["d": "e"]]
        _ = parsed["report.md"]?.render(context, library: library)
    }
}
