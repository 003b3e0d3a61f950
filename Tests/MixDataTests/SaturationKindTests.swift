import Foundation
import XCTest
import MixData

/// A saturation family's parameter list is written once (`SaturationKind`); the count the model
/// and the rows-needed rule use is a fast copy of it, so they must agree.
final class SaturationKindTests: XCTestCase {
    func testParameterCountIsTheNamesCountWithBetaLast() {
        for kind in MixPlanConfig.SaturationKind.allCases {
            XCTAssertEqual(kind.parameterCount, kind.parameterNames.count, kind.rawValue)
            XCTAssertEqual(kind.parameterNames.last, "beta", kind.rawValue)
            XCTAssertFalse(kind.displayName.isEmpty)
        }
    }

    /// The rows-needed rule counts each channel's saturation parameters from the same list.
    func testMinimumRowsCountsSaturationParameters() throws {
        var config = MixPlanConfig()
        config.data.channels = ["tv"]
        config.model.saturation = .logistic
        let logistic = DataValidation.minimumRows(for: config).parameters
        config.model.saturation = .hill
        XCTAssertEqual(DataValidation.minimumRows(for: config).parameters - logistic, 1)
    }

    /// Each family's Excel formula, with numbers in place of the names, computes the family's
    /// own value: read by a small evaluator of the formula grammar the families use (+ − * / ^,
    /// unary minus, parentheses, EXP, TANH), written here independently of the formulas. Both
    /// sides are a handful of double operations, so they agree to 1e-12 relative.
    func testExcelFormulaComputesTheCurve() throws {
        for kind in MixPlanConfig.SaturationKind.allCases {
            for (a, p) in [(0.0, [0.7, 1.3, 2.1]), (0.4, [1.6, 0.5, 0.9]), (2.5, [0.9, 2.2, 1.4])] {
                let parameters = Array(p.prefix(kind.parameterCount))
                let names = kind.parameterNames.map { "Ch1_" + $0 }
                var text = kind.excelFormula(level: "(LEVEL)", parameters: names)
                for (name, value) in zip(names, parameters) { text = text.replacingOccurrences(of: name, with: "(\(value))") }
                text = text.replacingOccurrences(of: "LEVEL", with: "\(a)")
                var evaluator = FormulaEvaluator(text)
                let excel = try evaluator.value()
                let truth = kind.value(a, parameters: parameters)
                XCTAssertEqual(excel, truth, accuracy: 1e-12 * max(1, abs(truth)), "\(kind) at a=\(a): \(text)")
            }
        }
    }
}

/// Recursive descent over the spreadsheet formula subset above (precedence: unary minus binds
/// tighter than ^ here, as in Excel; then * /; then + −).
private struct FormulaEvaluator {
    struct Failure: Error { let message: String }
    private let chars: [Character]
    private var i = 0

    init(_ text: String) { chars = Array(text.filter { $0 != " " }) }

    mutating func value() throws -> Double {
        let v = try sum()
        guard i == chars.count else { throw Failure(message: "unread text at \(i)") }
        return v
    }

    private mutating func sum() throws -> Double {
        var v = try product()
        while i < chars.count, chars[i] == "+" || chars[i] == "-" {
            let op = chars[i]; i += 1
            let r = try product()
            v = op == "+" ? v + r : v - r
        }
        return v
    }

    private mutating func product() throws -> Double {
        var v = try power()
        while i < chars.count, chars[i] == "*" || chars[i] == "/" {
            let op = chars[i]; i += 1
            let r = try power()
            v = op == "*" ? v * r : v / r
        }
        return v
    }

    private mutating func power() throws -> Double {
        let base = try unary()
        guard i < chars.count, chars[i] == "^" else { return base }
        i += 1
        return pow(base, try unary())
    }

    private mutating func unary() throws -> Double {
        if i < chars.count, chars[i] == "-" { i += 1; return -(try unary()) }
        return try atom()
    }

    private mutating func atom() throws -> Double {
        guard i < chars.count else { throw Failure(message: "formula ends early") }
        if chars[i] == "(" {
            i += 1
            let v = try sum()
            guard i < chars.count, chars[i] == ")" else { throw Failure(message: "missing ) at \(i)") }
            i += 1
            return v
        }
        if chars[i].isLetter {
            var name = ""
            while i < chars.count, chars[i].isLetter { name.append(chars[i]); i += 1 }
            let argument = try atom()
            switch name {
            case "EXP": return exp(argument)
            case "TANH": return tanh(argument)
            default: throw Failure(message: "unknown function \(name)")
            }
        }
        var number = ""
        while i < chars.count, chars[i].isNumber || chars[i] == "." || chars[i] == "e" || (chars[i] == "-" && number.last == "e") {
            number.append(chars[i]); i += 1
        }
        guard let v = Double(number) else { throw Failure(message: "expected a number at \(i)") }
        return v
    }
}
