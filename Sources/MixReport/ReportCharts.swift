import Foundation

extension ReportContext {
    /// One PNG the report shows, by relative path (`charts/<file>`).
    public struct Chart: Sendable {
        public var file: String
        /// `charts/<file>`, relative to the report.
        public var path: String
        public var title: String
        public var caption: String
    }

    /// The charts given to the writer, placed beside the section they illustrate. Known files
    /// appear in a fixed reading order whatever order they were passed in; files of other names
    /// go to `other` in the order given.
    public struct ChartGroups: Sendable {
        /// allocation, frontier.
        public var recommendation: [Chart]
        /// contributions, waterfall, roas, response-curves, response-overlay.
        public var channels: [Chart]
        /// actual-vs-fitted.
        public var confidence: [Chart]
        /// diagnostics (the sampler's, shown in the appendix).
        public var appendix: [Chart]
        /// adstock, saturation, media-multiplier (time-varying models only).
        public var model: [Chart]
        /// calibration (prior against posterior; calibrated models only).
        public var calibration: [Chart]
        public var other: [Chart]

        /// Every chart in reading order.
        public var all: [Chart]
        /// True when `model` is not empty (templates cannot test a list's length).
        public var hasModel: Bool

        /// Groups `files` (names such as "roas.png"; duplicates are shown once).
        public init(_ files: [String], target: String, unit: String) {
            var seen = Set<String>()
            let unique = files.filter { seen.insert($0).inserted }
            func pick(_ names: [String]) -> [Chart] {
                names.filter(unique.contains).map { Self.chart($0, target: target, unit: unit) }
            }
            recommendation = pick(["allocation.png", "frontier.png"])
            channels = pick(["contributions.png", "waterfall.png", "roas.png", "response-curves.png", "response-overlay.png"])
            confidence = pick(["actual-vs-fitted.png"])
            appendix = pick(["diagnostics.png"])
            model = pick(["adstock.png", "saturation.png", "media-multiplier.png"])
            calibration = pick(["calibration.png"])
            other = unique.filter { !Self.known.contains($0) }.map { Self.chart($0, target: target, unit: unit) }
            all = recommendation + channels + confidence + model + calibration + other + appendix
            hasModel = !model.isEmpty
        }

        /// Points every chart at its PNG's bytes as a data URI (files missing from `images`
        /// keep their link), so the HTML report is one self-contained file.
        public mutating func embed(_ images: [String: Data]) {
            func inline(_ charts: [Chart]) -> [Chart] {
                charts.map { c in
                    guard let data = images[c.file] else { return c }
                    var out = c
                    out.path = "data:image/png;base64," + data.base64EncodedString()
                    return out
                }
            }
            recommendation = inline(recommendation); channels = inline(channels); confidence = inline(confidence)
            appendix = inline(appendix); model = inline(model); calibration = inline(calibration); other = inline(other)
            all = inline(all)
        }

        static let known: Set<String> = [
            "allocation.png", "frontier.png", "contributions.png", "waterfall.png", "roas.png", "response-curves.png",
            "response-overlay.png", "actual-vs-fitted.png", "diagnostics.png", "adstock.png", "saturation.png",
            "calibration.png", "media-multiplier.png",
        ]

        static func chart(_ file: String, target: String, unit: String) -> Chart {
            let text: (title: String, caption: String)
            switch file {
            case "allocation.png":
                text = ("Allocation", "Spend per \(unit) by channel: current against recommended.")
            case "frontier.png":
                text = ("Budget frontier", "The best expected \(target) at each total budget, with its band; current spend is 100 %.")
            case "contributions.png":
                text = ("Contributions over time", "What each channel and the baseline added to \(target), \(unit) by \(unit).")
            case "waterfall.png":
                text = ("Contribution waterfall", "Total \(target) split into baseline, controls, seasonality and each channel.")
            case "roas.png":
                text = ("Return on ad spend", "ROAS per channel with its credible interval.")
            case "response-curves.png":
                text = ("Response curves", "Expected \(target) per \(unit) at each steady spend level, with bands; current and recommended spend marked.")
            case "response-overlay.png":
                text = ("Response curves together", "Every channel's mean response curve on one axis.")
            case "actual-vs-fitted.png":
                text = ("Actual against fitted", "Observed \(target) and the model's fit with its band; held-out \(unit)s, if any, are marked.")
            case "diagnostics.png":
                text = ("Sampler diagnostics", "R-hat, effective sample size and divergences of the fit.")
            case "adstock.png":
                text = ("Carry-over (adstock)", "How long each channel's effect lasts: the weight of each lag.")
            case "saturation.png":
                text = ("Saturation", "Diminishing returns of each channel on the adstocked spend.")
            case "calibration.png":
                text = ("Prior against posterior", "Each calibrated channel's parameters: the prior (grey) above the posterior, with means and intervals; the narrower the posterior, the more the data and experiments pinned it down.")
            case "media-multiplier.png":
                text = ("Media effectiveness over time", "The shared multiplier on every channel's effect (median and 94 % interval; 1 is the average over the data). Plans use its mean over the last \(unit)s, marked at the right.")
            default:
                let stem = (file as NSString).deletingPathExtension.replacingOccurrences(of: "-", with: " ")
                text = (stem.prefix(1).uppercased() + stem.dropFirst(), "")
            }
            // Percent-encoded so that a name with spaces still makes a working link.
            let encoded = file.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? file
            return Chart(file: file, path: "charts/" + encoded, title: text.title, caption: text.caption)
        }
    }
}
