import Foundation
import MixCharts
import MixData
import MixOptimize

/// The Calibration sheet, written only for a calibrated model (lift tests in the config, or
/// priors set per channel): each calibrated channel's adstock and saturation parameters with
/// prior against posterior, the lift tests against the change the model predicts for them, and
/// the calibration and response-curve charts.
extension WorkbookContent {
    static let calibrationSheetName = "Calibration"
    /// Header row of the prior-against-posterior table; its rows follow.
    static let calibrationHeaderRow = 4
    var calibrationParameterHeaders: [String] {
        ["Channel", "Parameter", "Prior", "Prior mean", "Prior \(lowerLabel)", "Prior \(upperLabel)",
         "Posterior mean", "Posterior \(lowerLabel)", "Posterior \(upperLabel)", "Posterior ÷ prior interval width", "Prior from"]
    }
    var calibrationTestHeaders: [String] {
        ["Channel", "Start", "End", "Spend before (x)", "Spend change (Δx)", "Measured change (Δy)", "Standard error (σ)",
         "Observed slope (Δy/Δx)", "Model change (mean)", "Model \(lowerLabel)", "Model \(upperLabel)", "Gap (σ)", "Source"]
    }

    /// The sheet names of this workbook: the fixed ones, with Calibration after Diagnostics
    /// when the model is calibrated.
    var sheetNames: [String] { WorkbookWriter.sheetNames(calibrated: !calibration.isEmpty, timeVarying: timeVarying != nil) }

    func writeCalibration(_ sheet: XlsxSheet, chartFiles: [URL]) throws {
        let s = style, cal = calibration
        try sheet.text(0, 0, "Calibration: prior against posterior, and lift tests", s.title)
        try sheet.text(1, 0, "Channels with lift tests or priors set in the config. Mean and \(lowerLabel)–\(upperLabel) interval; saturation parameters act on spend ÷ the channel's largest spend, and β is the ceiling as a share of the largest \(targetName).", s.note)
        try sheet.text(3, 0, "Prior against posterior", s.section)
        var r = Self.calibrationHeaderRow
        try sheet.headers(r, 0, calibrationParameterHeaders, s.header)
        try sheet.height(r, 30)
        /// One row: channel, what, prior text, prior and posterior mean and interval, narrowing, source.
        /// A replaced prior (β under an effect prior) shows as not used, without figures.
        func row(_ channel: String, _ label: String, _ prior: PriorSummary, _ posterior: Interval,
                 narrowing: Double, source: String, priorUsed: Bool = true) throws {
            r += 1
            try sheet.text(r, 0, channel, s.text)
            try sheet.text(r, 1, label, s.text)
            try sheet.text(r, 2, priorUsed ? prior.spec.description : "not used (default \(prior.spec.description))", s.text)
            let priorFigures = priorUsed ? [prior.mean, prior.lower, prior.upper] : [.nan, .nan, .nan]
            for (k, v) in (priorFigures + [posterior.mean, posterior.lower, posterior.upper]).enumerated() {
                try sheet.number(r, 3 + k, v, s.precise)
            }
            try sheet.number(r, 9, narrowing, s.ratio)
            try sheet.text(r, 10, source, s.text)
        }
        for ch in cal.channels {
            for p in ch.parameters {
                let from = p.replacedBy.map { "replaced by model.channels.\(ch.name).\($0) (below)" }
                    ?? (p.setInConfig ? "config (model.channels.\(ch.name).priors.\(p.key))" : "model default")
                try row(ch.name, p.label, p.prior, p.posterior, narrowing: p.narrowing, source: from, priorUsed: p.replacedBy == nil)
            }
            // roi_prior / lift_roi_prior: a prior on a quantity of β, which stands in for β's own.
            for e in ch.effectPriors {
                try row(ch.name, e.label, e.prior, e.posterior, narrowing: e.narrowing,
                        source: "config (model.channels.\(ch.name).\(e.key)): \(e.meaning)")
            }
        }
        r += 2
        try sheet.text(r, 0, "Lift tests", s.section)
        r += 1
        if !cal.hasLiftTests {
            try sheet.text(r, 0, "No lift tests in this model's config; the channels above are calibrated by their priors.", s.note)
        } else {
            try sheet.text(r, 0, "Per period. The model's change is f(x + Δx) − f(x) over the posterior draws; gap = (Δy − model mean) / σ, beyond ±2 the experiment and the model disagree.", s.note)
            r += 1
            try sheet.headers(r, 0, calibrationTestHeaders, s.header)
            try sheet.height(r, 30)
            let first = r + 1
            let epoch = CalendarDate(year: 1899, month: 12, day: 30)!.dayNumber
            for ch in cal.channels {
                for check in ch.liftTests {
                    r += 1
                    let t = check.test
                    try sheet.text(r, 0, ch.name, s.text)
                    for (k, date) in [t.start, t.end].enumerated() {
                        if let date { try sheet.number(r, 1 + k, Double(date.dayNumber - epoch), s.date) }
                    }
                    try sheet.number(r, 3, t.spend, s.money)
                    try sheet.number(r, 4, t.spendChange, s.money)
                    try sheet.number(r, 5, t.targetChange, s.decimal)
                    try sheet.number(r, 6, t.standardError, s.decimal)
                    try sheet.number(r, 7, t.observedSlope, s.precise)
                    try sheet.interval(r, 8, check.modelChange, s.decimal)
                    try sheet.number(r, 11, check.standardisedGap, s.ratio)
                    try sheet.text(r, 12, t.shownSource, s.note)
                }
            }
            try sheet.highlight(rows: first...r, cols: 11...11, when: .greaterThan, 2, s.caution)
            try sheet.highlight(rows: first...r, cols: 11...11, when: .lessThan, -2, s.caution)
        }
        r += 2
        for kind in [ChartKind.calibration, .responseCurves] {
            guard let file = chartFiles.first(where: { $0.lastPathComponent == kind.fileName }), let size = PNGSize(file) else { continue }
            let scale = size.width > 1400 ? 0.5 : 1
            try sheet.text(r, 0, kind == .calibration ? "Prior against posterior" : "Response curves with the lift tests", s.section)
            try sheet.image(file, r + 1, 0, scale: scale, description: "Chart " + kind.fileName)
            r += 3 + Int((Double(size.height) * scale / 20).rounded(.up))
        }
        try sheet.width(0, 0, 16)
        try sheet.width(1, 1, 15)
        try sheet.width(2, 2, 26)
        try sheet.width(3, 11, 13)
        try sheet.width(12, 12, 22)
        sheet.freeze(rows: Self.calibrationHeaderRow + 1, cols: 1)
    }
}
