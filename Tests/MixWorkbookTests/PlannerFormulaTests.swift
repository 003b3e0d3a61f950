import Foundation
import XCTest
import MixWorkbook

/// The Allocation sheet's live cells must give MixPlan's point estimate (MixOptimize's
/// `HorizonResponse` on the posterior-mean parameters). Checked twice: by evaluating the sheet's
/// formula ourselves from the numbers stored in the named cells, and by letting LibreOffice
/// recalculate the workbook after typing new spends into the input cells.
final class PlannerFormulaTests: XCTestCase {
    /// Values stored in the file round-trip through 17 significant digits, so an independent
    /// evaluation from them agrees to ~1e-13; 1e-9 leaves room for the exp/pow rounding.
    let storedTolerance = 1e-9
    /// The acceptance bound for a spreadsheet's own recalculation: 0.1 %.
    let spreadsheetTolerance = 1e-3

    /// β·Σ m·f(a), a = (p·s + q·x₀)/scale — the sheet's formula, written out here from DESIGN.md §2.
    func evaluate(_ reader: XlsxReader, channel c: Int, family: SaturationFamily, spend: Double) throws -> Double {
        let n = "Ch\(c + 1)_"
        let beta = try reader.namedValues(n + "Beta")[0], shape = try reader.namedValues(n + "Shape")[0]
        let scale = try reader.namedValues(n + "Scale")[0], current = try reader.namedValues(n + "Current")[0]
        let slope = family == .hill ? try reader.namedValues(n + "Slope")[0] : 0
        let p = try reader.namedValues(n + "PlanWeight"), q = try reader.namedValues(n + "HistoryWeight")
        let m = try reader.namedValues(n + "Periods")
        var sum = 0.0
        for k in p.indices {
            let a = (p[k] * spend + q[k] * current) / scale
            switch family {
            case .logistic: sum += m[k] * (1 - exp(-shape * a)) / (1 + exp(-shape * a))
            case .michaelisMenten: sum += m[k] * a / (shape + a)
            case .hill: sum += m[k] * pow(a, slope) / (pow(a, slope) + pow(shape, slope))
            }
        }
        return beta * sum
    }

    func planner(_ r: PlanningResults) -> PlannerModel {
        let current = r.optimization.map { o in r.channelNames.map { n in o.plan.channels.first { $0.channel == n }!.currentSpendPerPeriod } }
            ?? r.model.currentSpend()
        let horizon = r.optimization.map { HorizonSettings(periods: $0.plan.periods, countCarryoverTail: $0.plan.countsCarryoverTail) }
            ?? HorizonSettings(periods: r.model.config.optimizer.periods, countCarryoverTail: r.model.config.optimizer.includeCarryover)
        return PlannerModel(draws: ParametricResponseDraws(model: r.model), horizon: horizon, current: current)
    }

    /// Input column (0-based letter) of the Allocation sheet: H with an optimisation, C without.
    func inputColumn(_ r: PlanningResults) -> String { r.optimization == nil ? "C" : "H" }
    func liveColumn(_ r: PlanningResults) -> String { r.optimization == nil ? "D" : "I" }

    func testStoredParametersReproduceThePointEstimate() throws {
        for (label, r) in [("logistic", WorkbookFixture.optimised), ("hill + michaelis-menten", WorkbookFixture.unoptimised)] {
            let url = WorkbookFixture.temporaryWorkbook("planner-\(label.prefix(4)).xlsx")
            try WorkbookWriter.write(r, chartFiles: [], to: url)
            let reader = try XlsxReader(url)
            let cells = try reader.cells("Allocation")
            let model = planner(r)
            let draws = ParametricResponseDraws(model: r.model)
            var total = 0.0
            for c in r.channelNames.indices {
                let family = draws.channels[c].family
                let row = 8 + c
                let spend = try XCTUnwrap(cells["\(inputColumn(r))\(row)"]?.number)
                let truth = model.pointEstimate(channel: c, spend: spend)
                let mine = try evaluate(reader, channel: c, family: family, spend: spend)
                XCTAssertEqual(mine, truth, accuracy: storedTolerance * abs(truth), "\(label) channel \(c) (\(family))")
                XCTAssertEqual(try XCTUnwrap(cells["\(liveColumn(r))\(row)"]?.number), truth, accuracy: storedTolerance * abs(truth),
                               "cached value of the live cell")
                // Away from the prefilled spend too: half and double, and nothing at all.
                for s in [0, spend * 0.5, spend * 2 + 1] {
                    let t = model.pointEstimate(channel: c, spend: s)
                    XCTAssertEqual(try evaluate(reader, channel: c, family: family, spend: s), t, accuracy: storedTolerance * max(abs(t), 1e-9))
                }
                total += truth
            }
            let totalRow = 8 + r.channelNames.count
            XCTAssertEqual(try XCTUnwrap(cells["\(liveColumn(r))\(totalRow)"]?.number), total, accuracy: storedTolerance * abs(total))
            XCTAssertEqual(Set(draws.channels.map(\.family)).count, label == "logistic" ? 1 : 2)
        }
    }

    /// The horizon terms reduce to H·f(s) when the history equals the plan and no tail is
    /// counted (HorizonSettings' own invariant), so the stored curve is the steady-state curve.
    func testTermsCollapseToTheSteadyStateCurve() {
        let r = WorkbookFixture.optimised
        let draws = ParametricResponseDraws(model: r.model)
        let spend = r.model.currentSpend()
        let model = PlannerModel(draws: draws, horizon: HorizonSettings(periods: 6, countCarryoverTail: false), current: spend)
        for c in spend.indices {
            let ch = model.channels[c]
            let a = spend[c] / ch.spendScale
            let f = ch.beta * (1 - exp(-ch.shape * a)) / (1 + exp(-ch.shape * a))
            XCTAssertEqual(ch.terms.map(\.periods).reduce(0, +), 6)
            XCTAssertEqual(model.pointEstimate(channel: c, spend: spend[c]), 6 * f, accuracy: 1e-10 * abs(f))
        }
    }

    /// LibreOffice recalculates after new spends are typed in: its numbers must equal MixPlan's
    /// point estimate at those spends within 0.1 %.
    func testLibreOfficeRecalculatesThePlannerCells() throws {
        guard let soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/lib/libreoffice/program/soffice"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("SKIPPED testLibreOfficeRecalculatesThePlannerCells: soffice is not installed (apt-get install libreoffice-calc-nogui).")
            throw XCTSkip("soffice is not installed (apt-get install libreoffice-calc-nogui); planner formulas checked only by our own evaluation.")
        }
        for (label, r) in [("logistic", WorkbookFixture.optimised), ("hill", WorkbookFixture.unoptimised)] {
            let work = WorkbookFixture.temporaryWorkbook("lo-\(label)")
            try? FileManager.default.removeItem(at: work)
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let original = work.appendingPathComponent("original.xlsx")
            try WorkbookWriter.write(r, chartFiles: [], to: original)
            let model = planner(r)
            let reader = try XlsxReader(original)
            let cells = try reader.cells("Allocation")
            // New spends: 60 % of the prefilled value for the first channel, 170 % for the others,
            // plus a quarter of the channel's largest spend (so a channel idle lately moves too).
            var typed: [String: Double] = [:]
            var spends: [Double] = []
            for c in r.channelNames.indices {
                let ref = "\(inputColumn(r))\(8 + c)"
                let s = try XCTUnwrap(cells[ref]?.number) * (c == 0 ? 0.6 : 1.7) + 0.25 * model.channels[c].spendScale
                typed[ref] = s
                spends.append(s)
            }
            let edited = work.appendingPathComponent("edited.xlsx")
            try SpreadsheetTools.replaceNumbers(in: original, sheetIndex: 2, typed, writing: edited)
            let converted = try SpreadsheetTools.recalculate(edited, soffice: soffice, in: work)
            let out = try XlsxReader(converted).cells("Allocation")
            var total = 0.0
            for c in r.channelNames.indices {
                let truth = model.pointEstimate(channel: c, spend: spends[c])
                let lo = try XCTUnwrap(out["\(liveColumn(r))\(8 + c)"]?.number, "LibreOffice's value of the live cell")
                XCTAssertEqual(lo, truth, accuracy: spreadsheetTolerance * abs(truth), "\(label) channel \(c)")
                // The old cached value is far from the new one, so agreement means LibreOffice recalculated.
                XCTAssertGreaterThan(abs(truth - (cells["\(liveColumn(r))\(8 + c)"]?.number ?? 0)), 10 * spreadsheetTolerance * abs(truth))
                total += truth
            }
            let lo = try XCTUnwrap(out["\(liveColumn(r))\(8 + r.channelNames.count)"]?.number)
            XCTAssertEqual(lo, total, accuracy: spreadsheetTolerance * abs(total), "\(label) total")
        }
    }

    /// The named parameters are posterior means recomputed here from the raw draws by parameter
    /// name (β in target units, the spend scale the training maximum, adstock weights α^l / Σα^l
    /// for geometric carryover), not read back from the code that wrote them.
    func testNamedParametersArePosteriorMeansOfTheDraws() throws {
        for (label, r) in [("logistic", WorkbookFixture.optimised), ("hill + michaelis-menten", WorkbookFixture.unoptimised)] {
            let url = WorkbookFixture.temporaryWorkbook("params-\(label.prefix(4)).xlsx")
            try WorkbookWriter.write(r, chartFiles: [], to: url)
            let reader = try XlsxReader(url)
            let m = r.model
            let names = m.parameterNames
            func mean(_ parameter: String) -> Double {
                let p = names.firstIndex(of: parameter)!
                return (0..<m.drawCount).reduce(0) { $0 + m.draw($1)[p] } / Double(m.drawCount)
            }
            let trainT = m.dataset.periodCount - m.holdout
            let targetScale = m.dataset.target[0..<trainT].max()!
            // Means are sums of a few hundred draws in a different order: 1e-12 relative.
            func check(_ name: String, _ expected: Double) throws {
                let v = try reader.namedValues(name)[0]
                XCTAssertEqual(v, expected, accuracy: 1e-12 * max(1, abs(expected)), "\(label) \(name)")
            }
            for (c, channel) in m.dataset.channelNames.enumerated() {
                let n = "Ch\(c + 1)_"
                try check(n + "Beta", mean("\(channel).saturation_beta") * targetScale)
                try check(n + "Scale", m.dataset.spend[c][0..<trainT].max()!)
                switch m.config.model.saturation(for: channel) {
                case .logistic, .michaelisMenten:
                    try check(n + "Shape", mean("\(channel).saturation_lambda"))
                case .hill:
                    try check(n + "Shape", mean("\(channel).saturation_kappa"))
                    try check(n + "Slope", mean("\(channel).saturation_slope"))
                }
                if m.config.model.adstock(for: channel) == .geometric {
                    let p = names.firstIndex(of: "\(channel).adstock_alpha")!
                    let lags = m.config.model.adstockMaxLag
                    let w0 = (0..<m.drawCount).reduce(0.0) { sum, d in
                        let alpha = m.draw(d)[p]
                        return sum + 1 / (0..<lags).reduce(0.0) { $0 + pow(alpha, Double($1)) }
                    } / Double(m.drawCount)
                    // The first ramp-up term puts the lag-0 weight on the new spend.
                    XCTAssertEqual(try reader.namedValues(n + "PlanWeight")[0], w0, accuracy: 1e-12)
                }
            }
        }
    }
}
