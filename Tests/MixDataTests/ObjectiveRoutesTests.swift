import XCTest
import MixData

/// The objective reaches the optimiser by two routes — `optimizer.objective` in the YAML config
/// and the `--objective` flag — through one parser, so both accept and refuse the same texts
/// with the same reason (issue 21: `mean-sd:0` passed on the command line and was refused in YAML).
final class ObjectiveRoutesTests: XCTestCase {
    private func fromYAML(_ text: String) throws -> Objective {
        try ConfigLoader.parse(yaml: "optimizer:\n  objective: \"\(text)\"\n", path: "/plans/mixplan.yaml").optimizer.objective
    }

    func testBothRoutesAcceptTheSameObjectives() throws {
        let cases: [(String, Objective)] = [
            ("mean", .mean), ("mean-sd:0", .meanMinusSD(k: 0)), ("mean-sd:1.5", .meanMinusSD(k: 1.5)),
            ("var:0.05", .valueAtRisk(q: 0.05)), ("CVaR:0.1", .conditionalValueAtRisk(q: 0.1)), (" cvar:0.2 ", .conditionalValueAtRisk(q: 0.2)),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try Objective.parse(text), expected, "flag: \(text)")
            XCTAssertEqual(try fromYAML(text), expected, "YAML: \(text)")
        }
    }

    func testBothRoutesRefuseTheSameTextsForTheSameReason() throws {
        for text in ["median", "var:1.2", "var:0", "mean-sd:-1", "cvar", "mean:3", "mean-sd:nan", "", "cvar:inf"] {
            guard case .failure(let syntax) = Objective.read(text) else { XCTFail("\(text) accepted"); continue }
            XCTAssertThrowsError(try Objective.parse(text), text) { error in
                let e = error as? InputError
                XCTAssertEqual(e?.location.file, "--objective", text)
                XCTAssertEqual(e?.message, syntax.reason + ".", text)
            }
            XCTAssertThrowsError(try fromYAML(text), text) { error in
                let e = error as? InputError
                XCTAssertEqual(e?.location.key, "optimizer.objective", text)
                XCTAssertTrue(e?.message.hasPrefix(syntax.reason) ?? false, "\(e?.message ?? "nil") for \(text)")
            }
        }
    }

    /// A fitted model's config saves the objective as its spelling and reads it back.
    func testSavedSpellingRoundTrips() throws {
        for objective in [Objective.mean, .meanMinusSD(k: 0.5), .valueAtRisk(q: 0.05), .conditionalValueAtRisk(q: 0.1)] {
            let data = try JSONEncoder().encode([objective])
            XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"\(objective.description)\"]")
            XCTAssertEqual(try JSONDecoder().decode([Objective].self, from: data), [objective])
        }
        XCTAssertThrowsError(try JSONDecoder().decode([Objective].self, from: Data("[\"median\"]".utf8)))
    }
}
