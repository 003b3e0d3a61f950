import MixTestSupport
import Foundation
import MixData
import XCTest

/// Helpers shared by the MixData tests.
enum TestSupport {
    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func temporaryFile(_ bytes: [UInt8], name: String = "test.csv") -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mixdata-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: Data(bytes)))
        return url.path
    }

    static func temporaryFile(_ text: String, name: String = "test.csv") -> String {
        temporaryFile(Array(text.utf8), name: name)
    }

    /// Every record of a file as fields, with its row number.
    static func readAll(_ path: String, chunkSize: Int = 1 << 16, maxRecordBytes: Int = 1 << 20) throws -> [(row: Int, fields: [String])] {
        var reader = try CSVReader(path: path, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
        var out: [(Int, [String])] = []
        while try reader.next() { out.append((reader.row, reader.fields)) }
        return out
    }

    /// The config the fixtures under `Tests/Fixtures/data` are written for.
    static func fixtureConfig(_ file: String, controls: [String] = ["price"]) -> MixPlanConfig {
        var config = MixPlanConfig()
        config.data.file = Fixtures.url("data/\(file)").path
        config.data.dateColumn = "date"
        config.data.target = "sales"
        config.data.channels = ["tv_spend", "search_spend"]
        config.data.controls = controls
        return config
    }

    /// The `InputError` thrown by `body`, failing the test if none (or another error) is thrown.
    static func inputError(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) -> InputError? {
        do {
            try body()
            XCTFail("expected an InputError, but nothing was thrown", file: file, line: line)
        } catch let error as InputError {
            return error
        } catch {
            XCTFail("expected an InputError, got \(error)", file: file, line: line)
        }
        return nil
    }
}
