import MixTestSupport
import Foundation
import MixData
import XCTest

/// The in-memory entry points (used by the fuzzer, and by anything that already holds the
/// bytes) behave exactly like the file ones: same records, same dataset, same errors.
final class InMemoryInputTests: XCTestCase {
    private func records(_ reader: inout CSVReader) throws -> [[String]] {
        var out: [[String]] = []
        while try reader.next() { out.append(reader.fields + ["row \(reader.row)"]) }
        return out
    }

    func testReaderFromMemoryMatchesReaderFromFileAtEveryChunkSize() throws {
        let url = Fixtures.url("data/good/bom_crlf_quoted.csv")
        let data = try Data(contentsOf: url)
        var fromFile = try CSVReader(path: url.path)
        let expected = try records(&fromFile)
        XCTAssertEqual(expected.count, 61)
        // Chunk sizes 4 and 7 put chunk ends inside the BOM, quoted fields and CRLF pairs.
        for chunk in [4, 7, 64, 1 << 16] {
            var fromMemory = CSVReader(data: data, name: url.path, chunkSize: chunk)
            XCTAssertEqual(try records(&fromMemory), expected, "chunk size \(chunk)")
        }
        // A slice of a larger buffer (non-zero start index) reads the same.
        let padded = Data([0x41, 0x42]) + data
        var fromSlice = CSVReader(data: padded.dropFirst(2), name: url.path, chunkSize: 5)
        XCTAssertEqual(try records(&fromSlice), expected)
    }

    func testDatasetFromMemoryEqualsDatasetFromFile() throws {
        let config = TestSupport.fixtureConfig("good/weekly.csv")
        let fromFile = try DatasetLoader().load(config).dataset
        let bytes = try Data(contentsOf: URL(fileURLWithPath: config.resolvedDataPath))
        let fromMemory = try DatasetLoader().load(data: bytes, name: "upload.csv", config: config).dataset
        XCTAssertEqual(fromMemory.dates, fromFile.dates)
        XCTAssertEqual(fromMemory.spend, fromFile.spend)
        XCTAssertEqual(fromMemory.controls, fromFile.controls)
        XCTAssertEqual(fromMemory.target, fromFile.target)
        XCTAssertEqual(fromMemory.source, "upload.csv")
    }

    func testErrorsFromMemoryNameTheGivenNameAndRow() throws {
        let config = TestSupport.fixtureConfig("bad/gap.csv")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: config.resolvedDataPath))
        let fileError = TestSupport.inputError { _ = try DatasetLoader().load(config) }
        let memoryError = TestSupport.inputError { _ = try DatasetLoader().load(data: bytes, name: "upload.csv", config: config) }
        XCTAssertEqual(memoryError?.location.file, "upload.csv")
        XCTAssertEqual(memoryError?.location.row, fileError?.location.row)
        XCTAssertEqual(memoryError?.message, fileError?.message)
    }

    func testConfigFromBytesEqualsConfigFromFile() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("samples/weekly-5ch/mixplan.yaml").path
        let fromFile = try ConfigLoader.load(path: path)
        let fromBytes = try ConfigLoader.parse(data: try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
        XCTAssertEqual(fromBytes, fromFile)
        let notText = TestSupport.inputError { _ = try ConfigLoader.parse(data: Data([0x64, 0x3A, 0xFF, 0xFE]), path: "c.yaml") }
        XCTAssertEqual(notText?.description, "c.yaml: the config file is not valid UTF-8 text.")
    }

    func testMessagesStayOneLineWhateverTheInputHolds() throws {
        // A quoted date cell holding a line break: the message quotes it escaped.
        let csv = "date,tv,sales\n\"2023-01-02\nx\",1,2\n"
        var config = MixPlanConfig()
        config.data.channels = ["tv"]
        let error = TestSupport.inputError { _ = try DatasetLoader().load(data: Data(csv.utf8), name: "d.csv", config: config) }
        let text = try XCTUnwrap(error).description
        XCTAssertFalse(text.contains("\n"), text)
        XCTAssertTrue(text.contains("\"2023-01-02\\nx\" is not a valid date"), text)
        // A long multi-line YAML value where a mapping belongs is cut and escaped.
        let yaml = "data: |\n" + String(repeating: "  line of text\n", count: 50)
        let yamlError = TestSupport.inputError { _ = try ConfigLoader.parse(yaml: yaml, path: "c.yaml") }
        let yamlText = try XCTUnwrap(yamlError).description
        XCTAssertFalse(yamlText.contains("\n"), yamlText)
        XCTAssertLessThan(yamlText.count, 200, yamlText)
        XCTAssertEqual(InputError(InputLocation(file: "f"), "a\tb\u{1}c\r").description, "f: a\\tb\\u{1}c\\r")
    }
}
