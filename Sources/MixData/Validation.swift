/// Whole-series checks on a loaded dataset: errors that make the model unidentifiable, and
/// warnings about data that is usable but suspicious.
public enum DataValidation {
    /// The rule behind `minimumRows(for:)`, for messages.
    public static let minimumRowsRule =
        "Rule: the model has p = 1 (intercept) + per channel its adstock and saturation parameters (\(MixPlanConfig.AdstockKind.parameterCountsText); \(MixPlanConfig.SaturationKind.parameterCountsText)) + one per control + 2 × seasonality order + 1 if trend + 1 (noise σ) + 1 if Student-t; it needs at least max(2 × p, 2 × adstock_max_lag + 4) periods."

    /// How many parameters the configured model has, and the fewest periods that can identify
    /// them: at least two observations per parameter, and enough periods for the adstock window
    /// (L) to be seen twice over with a few to spare. See `minimumRowsRule`.
    public static func minimumRows(for config: MixPlanConfig) -> (parameters: Int, rows: Int) {
        let model = config.model
        var p = 1 + config.data.controls.count + 2 * max(0, model.yearlySeasonality) + (model.trend ? 1 : 0) + 1
        if model.likelihood == .studentT { p += 1 }
        for channel in config.data.channels {
            p += model.adstock(for: channel).parameterCount + model.saturation(for: channel).parameterCount
        }
        return (p, max(2 * p, 2 * model.adstockMaxLag + 4))
    }

    /// Throws for data the model cannot use: too few periods, a channel that never spends,
    /// a constant target.
    public static func validate(_ data: Dataset, config: MixPlanConfig) throws {
        let file = data.source
        let need = minimumRows(for: config)
        if data.periodCount < need.rows {
            throw InputError(InputLocation(file: file),
                             "the file has \(data.periodCount) periods, too few to identify the configured model: it has \(need.parameters) parameters and needs at least \(need.rows) periods.",
                             hint: "Add more history, or simplify the model (fewer channels or controls, lower model.yearly_seasonality, smaller model.adstock_max_lag). " + minimumRowsRule)
        }
        for (c, name) in data.channelNames.enumerated() where data.spend[c].allSatisfy({ $0 == 0 }) {
            throw InputError(InputLocation(file: file, column: name),
                             "the channel's spend is zero in every period, so its effect cannot be estimated.",
                             hint: "Remove it from data.channels.")
        }
        if let first = data.target.first, data.target.allSatisfy({ $0 == first }) {
            throw InputError(InputLocation(file: file, column: data.targetName),
                             "the target is constant (\(first) in every period); there is nothing for the model to explain.",
                             hint: "Check that data.target names the right column.")
        }
    }

    /// Suspicious but usable data: rarely active channels, spend and target on wildly different
    /// scales, and controls that are constant or (near-)perfectly collinear with another column.
    public static func warnings(_ data: Dataset) -> [DataWarning] {
        var warnings: [DataWarning] = []
        let file = data.source
        let targetMedian = median(data.target.map { abs($0) })
        for (c, channel) in data.channelNames.enumerated() {
            let name = data.exposureCosts[channel]?.exposureColumn ?? channel // the column a user can look at
            let active = data.spend[c].filter { $0 > 0 }
            let share = Double(active.count) / Double(max(1, data.periodCount))
            if share < 0.05 {
                warnings.append(DataWarning(InputLocation(file: file, column: name),
                                            "the channel spends in only \(active.count) of \(data.periodCount) periods (\(percent(share))); its effect will be poorly determined (warned below 5 %)."))
            }
            let spendMedian = median(active)
            if spendMedian > 0, targetMedian > 0 {
                let ratio = spendMedian / targetMedian
                if ratio > 1e4 || ratio < 1e-4 {
                    warnings.append(DataWarning(InputLocation(file: file, column: name),
                                                "typical spend (\(format(spendMedian))) and typical \(data.targetName) (\(format(targetMedian))) differ by a factor of \(format(ratio > 1 ? ratio : 1 / ratio)); check the units (e.g. thousands vs units) — warned beyond 10⁴."))
                }
            }
        }
        let columns = data.channelNames.enumerated().map { c, name in
            (data.exposureCosts[name]?.exposureColumn ?? name, data.exposures(channel: c) ?? data.spend[c], data.exposureCosts[name] == nil ? "spend" : "exposures")
        }
            + [(data.targetName, data.target, data.targetName)]
        for (name, values, what) in columns {
            if let outlier = outlierWarning(values, dates: data.dates, what: what) {
                warnings.append(DataWarning(InputLocation(file: file, column: name), outlier))
            }
        }
        for (k, name) in data.controlNames.enumerated() {
            let values = data.controls[k]
            if let first = values.first, values.allSatisfy({ $0 == first }) {
                warnings.append(DataWarning(InputLocation(file: file, column: name),
                                            "the control is constant (\(format(first))); it duplicates the intercept and cannot be estimated."))
                continue
            }
            let others = data.controlNames.indices.filter { $0 > k }.map { (data.controlNames[$0], data.controls[$0], "control") }
                + data.channelNames.indices.map { (data.channelNames[$0], data.spend[$0], "channel") }
            for (otherName, otherValues, role) in others {
                let r = correlation(values, otherValues)
                if abs(r) > 0.999 {
                    warnings.append(DataWarning(InputLocation(file: file, column: name),
                                                "the control is perfectly collinear with \(role) \"\(otherName)\" (correlation \(format(r))); their effects cannot be told apart — drop one (warned above |r| = 0.999)."))
                }
            }
        }
        if let scales = controlScaleWarning(data) { warnings.append(scales) }
        return warnings
    }

    /// The factor between the typical sizes of two controls beyond which `check` warns.
    public static let controlScaleRatioLimit = 100.0

    /// One warning when the controls' typical sizes (median |value|; 1 for a 0/1 column) differ
    /// by more than `controlScaleRatioLimit`, e.g. a competitor's spend in currency next to a
    /// store count and a holiday flag. The model standardises every control that is not 0/1, so
    /// the fit is not harmed; the warning is there so that units are checked.
    static func controlScaleWarning(_ data: Dataset) -> DataWarning? {
        var sizes: [(name: String, size: Double, text: String)] = []
        for (k, name) in data.controlNames.enumerated() {
            let values = data.controls[k]
            if let first = values.first, values.allSatisfy({ $0 == first }) { continue }   // warned as constant
            if values.allSatisfy({ $0 == 0 || $0 == 1 }) {
                if values.contains(1) { sizes.append((name, 1, "0/1")) }
                continue
            }
            let size = median(values.map { abs($0) })
            if size > 0 { sizes.append((name, size, "~" + format(size.magnitude >= 100 ? size.rounded() : size))) }
        }
        guard let largest = sizes.max(by: { $0.size < $1.size }), let smallest = sizes.min(by: { $0.size < $1.size }),
              largest.size / smallest.size > controlScaleRatioLimit else { return nil }
        let listed = sizes.sorted { $0.size > $1.size }.map { "\($0.name) \($0.text)" }.joined(separator: ", ")
        return DataWarning(InputLocation(file: data.source, column: largest.name),
                           "controls are on very different scales (\(listed): a factor of \(format((largest.size / smallest.size).rounded()))); the model standardises every control that is not 0/1 (z-score over the training rows), so the fit is not affected, but check the units (warned beyond a factor of \(Int(controlScaleRatioLimit))).")
    }

    /// Values at least this many times their column's median are reported as likely typos.
    public static let outlierFactor = 1_000.0

    /// A value `outlierFactor`× the median of the column's positive values (a spend of 1e15 typed
    /// for 1500): it would dominate the fit and flatten that channel's estimated return.
    static func outlierWarning(_ values: [Double], dates: [CalendarDate], what: String) -> String? {
        let typical = median(values.filter { $0 > 0 })
        guard typical > 0 else { return nil }
        let far = values.indices.filter { values[$0] >= outlierFactor * typical }
        guard let first = far.max(by: { values[$0] < values[$1] }) else { return nil }
        let more = far.count > 1 ? " (and \(far.count - 1) more period\(far.count == 2 ? "" : "s") beyond that)" : ""
        let times = values[first] / typical
        let factor = times < 1e6 ? format(times.rounded()) : String(format: "%.3g", times)
        return "the \(what) in the period of \(dates[first]) (\(format(values[first]))) is \(factor)× the column's median (\(format(typical)))\(more); is it a typo? (warned at \(Int(outlierFactor))× the median)."
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Pearson correlation; 0 when either series is constant.
    static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        guard x.count == y.count, x.count > 1 else { return 0 }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return 0 }
        return sxy / (sxx * syy).squareRoot()
    }

    static func percent(_ share: Double) -> String { NumberText.percent(share) }

    static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        if abs(v) >= 1e15 { return String(format: "%g", v) }
        let rounded = (v * 1000).rounded() / 1000
        return rounded == 0 ? String(v) : String(rounded)
    }
}
