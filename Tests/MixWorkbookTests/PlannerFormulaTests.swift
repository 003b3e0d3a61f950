import MixTestSupport
import Foundation
import XCTest
import MixWorkbook

/// The Allocation sheet's live cells must give MixPlan's expected response over the stored
/// draws (MixOptimize's `HorizonResponse` on the same draws). Checked twice: by evaluating the sheet's
/// formula ourselves from the numbers stored in the named cells, and by letting LibreOffice
/// recalculate the workbook after typing new spends into the input cells.
final class PlannerFormulaTests: XCTestCase {
    /// Values stored in the file round-trip through 17 significant digits, so an independent
    /// evaluation from them agrees to ~1e-13; 1e-9 leaves room for the exp/pow rounding.
    let storedTolerance = 1e-9
    /// The acceptance bound for a spreadsheet's own recalculation: 0.1 %.
    let spreadsheetTolerance = 1e-3
    /// Hill curves with S ≪ 1 (the small unconverged fixture has draws down to S ≈ 0.04) are
    /// nearly a step at zero: a^0.04 is 0.2 at a = 1e-17, so levels that differ by rounding in
    /// the cumulative adstock weights (one ulp of 1 − W) move the response by up to ~0.1 %.
    /// Hill channels are therefore compared to 0.5 %; the other families to the bounds above.
    func tolerance(_ family: SaturationKind, _ base: Double) -> Double { family == .hill ? max(base, 5e-3) : base }

    /// Mean over draws of β·Σ m·f(a), a = (p·s + q·x₀)/scale — the sheet's formula, written out
    /// here from DESIGN.md §2 (not from `SaturationKind`) and read from the named cells
    /// (`Ch1_Beta`, and `Ch1_Lambda` or Hill's `Ch1_Kappa`, `Ch1_Slope`).
    func evaluate(_ reader: XlsxReader, channel c: Int, family: SaturationKind, spend: Double) throws -> Double {
        try Self.evaluate(reader, channel: c, family: family, spend: spend)
    }

    /// The same, for other tests of planner sheets (the geo Allocation sheet's cells are `Ch<n>_` too).
    static func evaluate(_ reader: XlsxReader, channel c: Int, family: SaturationKind, spend: Double) throws -> Double {
        let n = "Ch\(c + 1)_"
        let beta = try reader.namedValues(n + "Beta"), shape = try reader.namedValues(n + (family == .hill ? "Kappa" : family == .tanh ? "C" : "Lambda"))
        let scale = try reader.namedValues(n + "Scale")[0], current = try reader.namedValues(n + "Current")[0]
        let slope = family == .hill ? try reader.namedValues(n + "Slope") : []
        let p = try reader.namedMatrix(n + "PlanWeight"), q = try reader.namedMatrix(n + "HistoryWeight")
        let m = try reader.namedValues(n + "Periods")
        var total = 0.0
        for d in beta.indices {
            var sum = 0.0
            for k in m.indices {
                let a = (p[d][k] * spend + q[d][k] * current) / scale
                switch family {
                case .logistic: sum += m[k] * (1 - exp(-shape[d] * a)) / (1 + exp(-shape[d] * a))
                case .michaelisMenten: sum += m[k] * a / (shape[d] + a)
                case .hill: sum += m[k] * pow(a, slope[d]) / (pow(a, slope[d]) + pow(shape[d], slope[d]))
                case .tanh: sum += m[k] * tanh(a / shape[d])
                }
            }
            total += beta[d] * sum
        }
        return total / Double(beta.count)
    }

    func planner(_ r: PlanningResults) -> PlannerModel {
        let current = r.optimization.map { o in r.channelNames.map { n in o.plan.channels.first { $0.channel == n }!.currentSpendPerPeriod } }
            ?? r.model.currentSpend()
        let horizon = r.optimization.map { HorizonSettings(periods: $0.plan.periods, countCarryoverTail: $0.plan.countsCarryoverTail) }
            ?? HorizonSettings(periods: r.model.config.optimizer.periods, countCarryoverTail: r.model.config.optimizer.includeCarryover)
        return PlannerModel(draws: ParametricResponseDraws(model: r.model, maxDraws: 200), horizon: horizon, current: current)
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
                let truth = model.expectedResponse(channel: c, spend: spend)
                let mine = try evaluate(reader, channel: c, family: family, spend: spend)
                XCTAssertEqual(mine, truth, accuracy: tolerance(family, storedTolerance) * abs(truth), "\(label) channel \(c) (\(family))")
                XCTAssertEqual(try XCTUnwrap(cells["\(liveColumn(r))\(row)"]?.number), truth, accuracy: storedTolerance * abs(truth),
                               "cached value of the live cell")
                // Away from the prefilled spend too: half and double, and nothing at all.
                for s in [0, spend * 0.5, spend * 2 + 1] {
                    let t = model.expectedResponse(channel: c, spend: s)
                    XCTAssertEqual(try evaluate(reader, channel: c, family: family, spend: s), t,
                                   accuracy: tolerance(family, storedTolerance) * max(abs(t), 1e-9), "\(label) channel \(c) at \(s)")
                }
                total += truth
            }
            let totalRow = 8 + r.channelNames.count
            XCTAssertEqual(try XCTUnwrap(cells["\(liveColumn(r))\(totalRow)"]?.number), total, accuracy: storedTolerance * abs(total))
            XCTAssertEqual(Set(draws.channels.map(\.family)).count, label == "logistic" ? 1 : 2)
        }
    }

    /// The horizon terms reduce to H·f(s) when the history equals the plan and no tail is
    /// counted (HorizonSettings' own invariant), so the stored curves are the steady-state curves.
    func testTermsCollapseToTheSteadyStateCurve() {
        let r = WorkbookFixture.optimised
        let spend = r.model.currentSpend()
        let model = PlannerModel(draws: ParametricResponseDraws(model: r.model), horizon: HorizonSettings(periods: 6, countCarryoverTail: false),
                                 current: spend)
        for c in spend.indices {
            let ch = model.channels[c]
            let a = spend[c] / ch.spendScale
            let (lambda, beta) = (ch.parameters[0], ch.parameters[1])
            let f = beta.indices.reduce(0.0) { $0 + beta[$1] * (1 - exp(-lambda[$1] * a)) / (1 + exp(-lambda[$1] * a)) }
                / Double(beta.count)
            XCTAssertEqual(ch.periods.reduce(0, +), 6)
            XCTAssertEqual(model.expectedResponse(channel: c, spend: spend[c]), 6 * f, accuracy: 1e-10 * abs(f))
        }
    }

    /// LibreOffice recalculates after new spends are typed in: its numbers must equal MixPlan's
    /// point estimate at those spends within 0.1 %.
    /// Live ROAS counts only what the typed spend adds: (response − response with nothing spent,
    /// the carry-over of earlier spend) / spend over the horizon, from the sheet's own numbers;
    /// at the optimiser's spend it is the plan's ROAS (all fixture draws are stored).
    func testLiveROASLeavesOutTheCarryOverOfEarlierSpend() throws {
        for r in [WorkbookFixture.optimised, WorkbookFixture.unoptimised] {
            let url = WorkbookFixture.temporaryWorkbook("live-roas-\(r.optimization == nil ? "plain" : "plan").xlsx")
            try WorkbookWriter.write(r, chartFiles: [], to: url)
            let reader = try XlsxReader(url)
            let cells = try reader.cells("Allocation")
            let h = Double(r.optimization?.plan.periods ?? r.model.config.optimizer.periods)
            let roasColumn = r.optimization == nil ? "I" : "N"
            XCTAssertEqual(cells["\(roasColumn)7"]?.string, "Live ROAS")
            for c in r.channelNames.indices {
                let family = ParametricResponseDraws(model: r.model, maxDraws: 1).channels[c].family
                let spend = try XCTUnwrap(cells["\(inputColumn(r))\(8 + c)"]?.number)
                let added = try evaluate(reader, channel: c, family: family, spend: spend) - evaluate(reader, channel: c, family: family, spend: 0)
                let cell = try XCTUnwrap(cells["\(roasColumn)\(8 + c)"])
                let expected = spend > 0 ? added / (spend * h) : 0
                XCTAssertEqual(try XCTUnwrap(cell.number), expected, accuracy: tolerance(family, storedTolerance) * max(abs(expected), 1e-12), "channel \(c)")
                // The formula subtracts the response at zero spend, written into it as a number.
                let formula = try XCTUnwrap(cell.formula)
                let live = "(\(liveColumn(r))\(8 + c)-"
                let constant = try XCTUnwrap(formula.range(of: live).map { formula[$0.upperBound...].prefix { $0 != ")" } }, formula)
                XCTAssertEqual(try XCTUnwrap(Double(constant)), try evaluate(reader, channel: c, family: family, spend: 0),
                               accuracy: storedTolerance * max(1, abs(Double(constant) ?? 0)), formula)
                if let line = r.optimization?.plan.channels[c] {
                    XCTAssertEqual(line.roas, expected, accuracy: 1e-9 * max(abs(expected), 1e-12), "plan ROAS of channel \(c)")
                    XCTAssertGreaterThan(try XCTUnwrap(line.fromEarlierSpend), 0, "the fixture's channels carry spend over")
                }
            }
        }
    }

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
                let truth = model.expectedResponse(channel: c, spend: spends[c])
                let lo = try XCTUnwrap(out["\(liveColumn(r))\(8 + c)"]?.number, "LibreOffice's value of the live cell")
                let family = ParametricResponseDraws(model: r.model, maxDraws: 1).channels[c].family
                XCTAssertEqual(lo, truth, accuracy: tolerance(family, spreadsheetTolerance) * abs(truth), "\(label) channel \(c)")
                total += truth
            }
            let totalRef = "\(liveColumn(r))\(8 + r.channelNames.count)"
            let lo = try XCTUnwrap(out[totalRef]?.number)
            XCTAssertEqual(lo, total, accuracy: tolerance(r.optimization == nil ? .hill : .logistic, spreadsheetTolerance) * abs(total), "\(label) total")
            // The cached total (at the pre-filled spends) is far from the new one, so agreement
            // means LibreOffice recalculated rather than kept our cached values.
            XCTAssertGreaterThan(abs(total - (cells[totalRef]?.number ?? 0)), 0.02 * abs(total))
        }
    }

    /// The named columns are the posterior draws themselves, checked against the raw draws by
    /// parameter name (β in target units, the spend scale the training maximum, adstock lag-0
    /// weight 1 / Σα^l for geometric carryover). The fixtures have at most 200 draws, all stored.
    func testNamedParametersAreThePosteriorDraws() throws {
        for (label, r) in [("logistic", WorkbookFixture.optimised), ("hill + michaelis-menten", WorkbookFixture.unoptimised)] {
            let url = WorkbookFixture.temporaryWorkbook("params-\(label.prefix(4)).xlsx")
            try WorkbookWriter.write(r, chartFiles: [], to: url)
            let reader = try XlsxReader(url)
            let m = r.model
            XCTAssertLessThanOrEqual(m.drawCount, 200)
            let names = m.parameterNames
            func draws(_ parameter: String) -> [Double] {
                let p = names.firstIndex(of: parameter)!
                return (0..<m.drawCount).map { m.draw($0)[p] }
            }
            let trainT = m.dataset.periodCount - m.holdout
            let targetScale = m.dataset.target[0..<trainT].max()!
            // Stored with 17 significant digits: equal to 1e-14 relative.
            func check(_ name: String, _ expected: [Double]) throws {
                let v = try reader.namedValues(name)
                XCTAssertEqual(v.count, expected.count, name)
                for (a, b) in zip(v, expected) { XCTAssertEqual(a, b, accuracy: 1e-14 * max(1, abs(b)), "\(label) \(name)") }
            }
            for (c, channel) in m.dataset.channelNames.enumerated() {
                let n = "Ch\(c + 1)_"
                try check(n + "Beta", draws("\(channel).saturation_beta").map { $0 * targetScale })
                try check(n + "Scale", [m.dataset.spend[c][0..<trainT].max()!])
                // Each shape parameter under its own name: Ch1_Lambda, Ch1_Kappa, Ch1_Slope.
                for name in m.config.model.saturation(for: channel).parameterNames.dropLast() {
                    try check(n + name.prefix(1).uppercased() + name.dropFirst(), draws("\(channel).saturation_\(name)"))
                }
                if m.config.model.adstock(for: channel) == .geometric {
                    let lags = m.config.model.adstockMaxLag
                    // The first ramp-up term puts the lag-0 weight on the new spend.
                    let w0 = draws("\(channel).adstock_alpha").map { alpha in 1 / (0..<lags).reduce(0.0) { $0 + pow(alpha, Double($1)) } }
                    let firstTerm = try reader.namedMatrix(n + "PlanWeight").map { $0[0] }
                    for (a, b) in zip(firstTerm, w0) { XCTAssertEqual(a, b, accuracy: 1e-12) }
                    XCTAssertEqual(firstTerm.count, w0.count)
                }
            }
        }
    }
}
