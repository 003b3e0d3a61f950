import Foundation
import MixCharts

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
        /// Charts of `ChartKind.Section.recommendation` (allocation, frontier).
        public var recommendation: [Chart]
        /// `.channels`: contributions, waterfall, ROAS, response curves, shares, ROAS prior/posterior.
        public var channels: [Chart]
        /// `.confidence`: actual against fitted, residuals.
        public var confidence: [Chart]
        /// `.appendix`: the sampler's diagnostics.
        public var appendix: [Chart]
        /// `.model`: adstock, saturation, media multiplier (time-varying models only).
        public var model: [Chart]
        /// `.calibration`: prior against posterior (calibrated models only).
        public var calibration: [Chart]
        public var other: [Chart]

        /// Every chart in reading order.
        public var all: [Chart]
        /// True when `model` is not empty (templates cannot test a list's length).
        public var hasModel: Bool

        /// Groups `files` (names such as "roas.png"; duplicates are shown once) by their
        /// `ChartKind`'s section, in `ChartKind` order.
        public init(_ files: [String], target: String, unit: String) {
            var seen = Set<String>()
            let unique = files.filter { seen.insert($0).inserted }
            let kinds = Set(unique.compactMap(ChartKind.init(fileName:)))
            func pick(_ section: ChartKind.Section) -> [Chart] {
                ChartKind.allCases.filter { $0.section == section && kinds.contains($0) }.map { Self.chart($0.fileName, target: target, unit: unit) }
            }
            recommendation = pick(.recommendation)
            channels = pick(.channels)
            confidence = pick(.confidence)
            appendix = pick(.appendix)
            model = pick(.model)
            calibration = pick(.calibration)
            other = unique.filter { ChartKind(fileName: $0) == nil }.map { Self.chart($0, target: target, unit: unit) }
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

        static func chart(_ file: String, target: String, unit: String) -> Chart {
            let text: (title: String, caption: String)
            if let kind = ChartKind(fileName: file) {
                text = kind.reportText(target: target, unit: unit)
            } else {
                let stem = (file as NSString).deletingPathExtension.replacingOccurrences(of: "-", with: " ")
                text = (stem.prefix(1).uppercased() + stem.dropFirst(), "")
            }
            // Percent-encoded so that a name with spaces still makes a working link.
            let encoded = file.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? file
            return Chart(file: file, path: "charts/" + encoded, title: text.title, caption: text.caption)
        }
    }
}
