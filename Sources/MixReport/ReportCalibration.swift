import Foundation
import MixData
import MixOptimize

extension ReportContext {
    /// The calibration section: for each calibrated channel (lift tests, or priors set per
    /// channel in the config) every adstock and saturation parameter's prior against its
    /// posterior, and every lift test against the change the model predicts for it. Nil for an
    /// uncalibrated model, so the section disappears.
    public struct CalibrationText: Sendable {
        /// "x1 (2 lift tests); x2 (priors set in the config for saturation_lambda)".
        public var channelsText: String
        /// One row per parameter of each calibrated channel, in model order.
        public var parameters: [CalibrationParameterLine]
        public var tests: [LiftTestLine]
        public var hasTests: Bool
        /// Tests whose measured change is more than 2 standard errors from the model's.
        public var disagreements: Int
        public var hasDisagreements: Bool
    }

    public struct CalibrationParameterLine: Sendable {
        public var channel: String
        /// "λ (saturation)".
        public var label: String
        /// "Gamma(alpha=3, beta=1)".
        public var prior: String
        public var fromConfig: Bool
        /// "3.00 (0.818–6.92)": mean and interval.
        public var priorText: String
        public var posteriorText: String
        /// "4.9× narrower" or "1.4× wider" (posterior interval against the prior's).
        public var narrowing: String
    }

    public struct LiftTestLine: Sendable {
        public var channel: String
        /// "2021-03-01 to 2021-05-03", or "—" when the test gives no window.
        public var window: String
        public var spend: String
        public var spendChange: String
        /// "−1,050 ± 150".
        public var measured: String
        /// "−1,222 (−1,480 to −905)": the model's change, mean and interval.
        public var model: String
        /// "+1.15 σ".
        public var gap: String
        /// |gap| ≤ 2.
        public var agrees: Bool
        public var source: String
    }

    static func calibrationText(_ summary: CalibrationSummary, format f: ReportFormat) -> CalibrationText? {
        guard !summary.isEmpty else { return nil }
        let parameters = summary.channels.flatMap { ch in
            ch.parameters.map { p in
                CalibrationParameterLine(channel: ch.name, label: p.label,
                                         prior: p.prior.spec.description + (p.replacedBy.map { ", replaced by \($0)" } ?? ""),
                                         fromConfig: p.setInConfig,
                                         priorText: p.replacedBy == nil ? ReportFormat.parameterInterval(p.prior.interval) : ReportFormat.notANumber,
                                         posteriorText: ReportFormat.parameterInterval(p.posterior),
                                         narrowing: ReportFormat.narrowing(p.narrowing))
            } + ch.effectPriors.map { e in
                // A prior on a quantity of β (ROAS, or a test's incremental return) that stands in for β's.
                CalibrationParameterLine(channel: ch.name, label: e.label, prior: e.prior.spec.description + " on the " + e.meaning,
                                         fromConfig: true,
                                         priorText: ReportFormat.parameterInterval(e.prior.interval),
                                         posteriorText: ReportFormat.parameterInterval(e.posterior),
                                         narrowing: ReportFormat.narrowing(e.narrowing))
            }
        }
        let tests = summary.channels.flatMap { ch in
            ch.liftTests.map { check -> LiftTestLine in
                let t = check.test
                let window = t.start.map { s in t.end.map { "\(s) to \($0)" } ?? "from \(s)" } ?? t.end.map { "to \($0)" } ?? "\u{2014}"
                return LiftTestLine(channel: ch.name, window: window, spend: f.money(t.spend), spendChange: f.signedMoney(t.spendChange),
                                    measured: ReportFormat.signedAmount(t.targetChange) + " ± " + ReportFormat.amount(t.standardError),
                                    model: "\(ReportFormat.signedAmount(check.modelChange.mean)) (\(ReportFormat.signedAmount(check.modelChange.lower)) to \(ReportFormat.signedAmount(check.modelChange.upper)))",
                                    gap: ReportFormat.signedRatio(check.standardisedGap) + " σ", agrees: abs(check.standardisedGap) <= 2,
                                    source: t.shownSource)
            }
        }
        let disagreements = tests.filter { !$0.agrees }.count
        return CalibrationText(channelsText: summary.channels.map { "\($0.name) (\($0.reason))" }.joined(separator: "; "),
                               parameters: parameters, tests: tests, hasTests: !tests.isEmpty,
                               disagreements: disagreements, hasDisagreements: disagreements > 0)
    }
}

extension ReportFormat {
    /// A model parameter to three significant figures ("0.218", "3.43", "12.5"), compact from
    /// 1,000 up; "∞" for an infinite mean (a prior without one).
    public static func parameter(_ x: Double) -> String {
        if x == .infinity { return "\u{221E}" }
        guard x.isFinite else { return notANumber }
        guard x != 0 else { return "0" }
        if abs(x) >= 1000 { return compact(x) }
        let decimals = min(8, max(0, 2 - Int(floor(log10(abs(x))))))
        return (isNegative(x, decimals: decimals) ? minus : "") + fixed(abs(x), decimals: decimals)
    }

    /// "3.43 (1.07–5.99)".
    public static func parameterInterval(_ i: Interval) -> String {
        "\(parameter(i.mean)) (\(parameter(i.lower))\(dash)\(parameter(i.upper)))"
    }

    /// "4.9× narrower" for a width ratio of 0.2, "1.4× wider" for 1.4.
    public static func narrowing(_ ratio: Double) -> String {
        guard ratio.isFinite, ratio > 0 else { return notANumber }
        return ratio <= 1 ? fixed(1 / ratio, decimals: 1) + "× narrower" : fixed(ratio, decimals: 1) + "× wider"
    }

    /// A target amount with thousands separators, whole from 100 up: "1,050", "12.5".
    public static func amount(_ x: Double) -> String {
        guard x.isFinite else { return notANumber }
        let decimals = abs(x) >= 100 ? 0 : abs(x) >= 10 ? 1 : 2
        return (isNegative(x, decimals: decimals) ? minus : "") + grouped(abs(x), decimals: decimals)
    }

    /// "+1,050" or "−1,050".
    public static func signedAmount(_ x: Double) -> String {
        let text = amount(x)
        if text.hasPrefix(minus) || text == notANumber { return text }
        return (text == amount(0) ? "±" : "+") + text
    }
}
