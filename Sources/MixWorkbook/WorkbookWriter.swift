import Foundation
import MixOptimize

/// Writes the planner's Excel workbook: Summary, Allocation (with live planner cells), Response
/// curves, Contributions, Frontier, Scenarios, Diagnostics, Calibration (calibrated models only),
/// Charts and the Planner model sheet that holds the parameters the live cells read.
public enum WorkbookWriter {
    /// Sheet names, in order; a calibrated model's workbook also has "Calibration" after
    /// "Diagnostics" (see `sheetNames(for:)`).
    public static let sheetNames = ["Summary", "Allocation", "Response curves", "Contributions", "Frontier",
                                    "Scenarios", "Diagnostics", "Charts", "Planner model"]

    /// The sheets the workbook for `results` has, in order.
    public static func sheetNames(for results: PlanningResults) -> [String] {
        sheetNames(calibrated: !results.calibration.isEmpty, timeVarying: TimeVaryingTable(model: results.model) != nil)
    }

    /// …with "Time-varying" after "Contributions" for a time-varying model.
    static func sheetNames(calibrated: Bool, timeVarying: Bool = false) -> [String] {
        var names = sheetNames
        if calibrated, let i = names.firstIndex(of: "Diagnostics") { names.insert(WorkbookContent.calibrationSheetName, at: i + 1) }
        if timeVarying, let i = names.firstIndex(of: "Contributions") { names.insert(WorkbookContent.timeVaryingSheetName, at: i + 1) }
        return names
    }

    /// Writes the workbook for `results` to `url`, embedding the PNG files in `chartFiles` on the
    /// Charts sheet. The file is built under a temporary sibling name and renamed into place, so
    /// a failure never leaves a partial workbook (an existing file at `url` stays untouched).
    ///
    /// Errors: `InputError` for what the user can fix (a chart file missing or not a PNG, a
    /// folder that cannot be written); `WorkbookError` when libxlsxwriter refuses a call.
    public static func write(_ results: PlanningResults, chartFiles: [URL], to url: URL) throws {
        for file in chartFiles where PNGSize(file) == nil {
            throw InputError(InputLocation(file: file.path), "is missing or is not a PNG file; the workbook's Charts sheet needs it.")
        }
        let content = try WorkbookContent(results)
        try XlsxWorkbook.writeAtomically(to: url) { book in try content.build(book, chartFiles: chartFiles) }
    }
}

/// Everything the sheets share: the results, the palette, the planner model and the plan the
/// Allocation sheet starts from.
struct WorkbookContent {
    let results: PlanningResults
    let style: WorkbookStyle
    let planner: PlannerModel
    /// The optimiser's plan, if it ran.
    let plan: PlanSummary?
    /// Spend per period the planner cells start with: the optimum, else current spend.
    let prefill: [Double]
    /// Horizon response per channel and in total at `prefill`: the optimiser's distribution, or
    /// (without an optimisation) the posterior's at current spend.
    let channelIntervals: [Interval]
    let totalInterval: Interval
    /// Per-period spend limits: those the optimiser used (carried in its plan), else — with no
    /// plan, or a plan saved before plans carried them — the config's defaults (±relative bound,
    /// fixed channels held).
    let bounds: [(lower: Double, upper: Double)]
    let lowerLabel: String
    let upperLabel: String
    /// Prior against posterior and lift tests (empty for an uncalibrated model: no sheet).
    let calibration: CalibrationSummary
    /// m[t] and the intercept drift per period (nil for a static model: no sheet).
    let timeVarying: TimeVaryingTable?

    /// Posterior draws stored for the live planner cells (evenly spread over all draws): enough
    /// that their mean is within a few per cent of the all-draw mean, small enough for a light file.
    static let plannerDraws = 200

    init(_ results: PlanningResults) throws {
        self.results = results
        style = WorkbookStyle(currency: results.currency)
        let model = results.model
        let names = results.channelNames
        let horizon: HorizonSettings
        let current: [Double]
        if let optimization = results.optimization {
            let p = optimization.plan
            var lines: [ChannelPlan] = []
            for name in names {
                guard let line = p.channels.first(where: { $0.channel == name }) else {
                    throw WorkbookError(file: "workbook", location: "optimisation result",
                                        reason: "the plan has no line for channel \"\(name)\" of the model (plan channels: \(p.channels.map(\.channel).joined(separator: ", "))).")
                }
                lines.append(line)
            }
            horizon = HorizonSettings(periods: p.periods, countCarryoverTail: p.countsCarryoverTail)
            current = lines.map(\.currentSpendPerPeriod)
            prefill = lines.map(\.spendPerPeriod)
            channelIntervals = lines.map(\.response)
            totalInterval = p.response
            plan = p
        } else {
            horizon = HorizonSettings(periods: max(1, model.config.optimizer.periods),
                                      countCarryoverTail: model.config.optimizer.includeCarryover)
            current = model.currentSpend()
            prefill = current
            let response = HorizonResponse(draws: ParametricResponseDraws(model: model), settings: horizon, history: current)
            let mass = model.config.report.intervalMass
            channelIntervals = names.indices.map { Interval(draws: response.channelDraws($0, spend: current[$0]), mass: mass) }
            totalInterval = Interval(draws: response.totals(current), mass: mass)
            plan = nil
        }
        planner = PlannerModel(draws: ParametricResponseDraws(model: model, maxDraws: Self.plannerDraws), horizon: horizon, current: current)
        let relative = model.config.optimizer.relativeBound
        let fixed = Set(model.config.optimizer.fixed)
        let lines = results.optimization?.plan.channels ?? []
        bounds = names.indices.map { c in
            if let line = lines.first(where: { $0.channel == names[c] }), let lo = line.lowerBound, let hi = line.upperBound { return (lo, hi) }
            return fixed.contains(names[c]) ? (current[c], current[c]) : (max(0, current[c] * (1 - relative)), current[c] * (1 + relative))
        }
        let mass = model.config.report.intervalMass
        lowerLabel = Interval.percentLabel((1 - mass) / 2)
        upperLabel = Interval.percentLabel(1 - (1 - mass) / 2)
        calibration = results.calibration
        timeVarying = TimeVaryingTable(model: model)
    }

    var targetName: String { results.model.dataset.targetName }

    /// "over the 4-period horizon, including carryover after it".
    var horizonPhrase: String {
        let h = planner.horizon
        return "over the \(h.periods)-period horizon" + (h.countCarryoverTail ? ", including the carryover after it" : "")
    }

    func build(_ book: XlsxWorkbook, chartFiles: [URL]) throws {
        let names = sheetNames
        var sheets: [String: XlsxSheet] = [:]
        for n in names { sheets[n] = try book.addSheet(n) }
        try writeSummary(sheets["Summary"]!)
        try writeAllocation(sheets["Allocation"]!, book: book)
        try writeCurves(sheets["Response curves"]!, book: book)
        try writeContributions(sheets["Contributions"]!, book: book)
        try writeFrontier(sheets["Frontier"]!, book: book)
        try writeScenarios(sheets["Scenarios"]!)
        try writeDiagnostics(sheets["Diagnostics"]!)
        if let sheet = sheets[Self.calibrationSheetName] { try writeCalibration(sheet, chartFiles: chartFiles) }
        if let sheet = sheets[Self.timeVaryingSheetName], let table = timeVarying { try writeTimeVarying(sheet, table) }
        try writeCharts(sheets["Charts"]!, files: chartFiles)
        try writePlannerModel(sheets["Planner model"]!, book: book)
        sheets["Summary"]!.activate()
        let data = results.model.dataset
        let created = Date(timeIntervalSince1970: Double(data.dates.last!.dayNumber - CalendarDate(year: 1970, month: 1, day: 1)!.dayNumber) * 86_400)
        try book.setProperties(title: "MixPlan workbook", subject: "Media mix model and budget plan",
                               comments: "Written by MixPlan \(MixPlanInfo.version)", created: created)
    }
}

/// Width and height in pixels of a PNG file, from its IHDR chunk; nil when the file is missing
/// or not a PNG.
func PNGSize(_ url: URL) -> (width: Int, height: Int)? {
    guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
    defer { try? handle.close() }
    guard let head = try? handle.read(upToCount: 24), head.count == 24 else { return nil }
    let bytes = [UInt8](head)
    guard bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
    func be(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (be(16), be(20))
}
