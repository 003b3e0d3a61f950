import XCTest
import MixData

/// The JSON conventions round-trip the numbers JSON has no literal for: a plan whose marginal
/// ROAS is unbounded (+∞) is written as "inf" and must read back — `whatif --against` and the
/// geo plan reader used plain decoders that refused it.
final class MixJSONTests: XCTestCase {
    struct Row: Codable, Equatable { var b: Double; var a: Double; var c: Double }

    func testNonFiniteNumbersRoundTripAndKeysAreSorted() throws {
        let row = Row(b: .infinity, a: -.infinity, c: 1.5)
        let text = String(decoding: try MixJSON.encoder().encode(row), as: UTF8.self)
        XCTAssertTrue(text.contains("\"inf\"") && text.contains("\"-inf\""), text)
        let keys = ["\"a\"", "\"b\"", "\"c\""].map { text.range(of: $0)!.lowerBound }
        XCTAssertEqual(keys, keys.sorted(), "keys sorted: \(text)")
        XCTAssertEqual(try MixJSON.decoder().decode(Row.self, from: Data(text.utf8)), row)
        let compact = String(decoding: try MixJSON.encoder(pretty: false).encode(row), as: UTF8.self)
        XCTAssertFalse(compact.contains("\n"))
        XCTAssertEqual(try MixJSON.decoder().decode(Row.self, from: Data(compact.utf8)), row)
        XCTAssertThrowsError(try JSONDecoder().decode(Row.self, from: Data(text.utf8)), "a plain decoder refuses \"inf\"")
    }
}
