import MixTestSupport
import MixData
import XCTest

final class CSVReaderTests: XCTestCase {
    func testQuotingEmbeddedNewlinesAndDoubledQuotes() throws {
        let path = TestSupport.temporaryFile("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n1,,\"\"\n")
        let records = try TestSupport.readAll(path)
        XCTAssertEqual(records.map(\.fields), [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "", ""]])
        // The embedded newline does not start a new spreadsheet row.
        XCTAssertEqual(records.map(\.row), [1, 2, 3])
    }

    func testBOMAndCRLFAndMissingFinalNewline() throws {
        let path = TestSupport.temporaryFile([0xEF, 0xBB, 0xBF] + Array("date,x\r\n2024-01-01,1\r\n2024-01-02,2".utf8))
        let records = try TestSupport.readAll(path)
        XCTAssertEqual(records.map(\.fields), [["date", "x"], ["2024-01-01", "1"], ["2024-01-02", "2"]])
    }

    func testBareCRLineEndsAndBlankLinesKeepSpreadsheetRowNumbers() throws {
        let path = TestSupport.temporaryFile("a,b\r1,2\r\r3,4\n\n")
        let records = try TestSupport.readAll(path)
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["1", "2"], ["3", "4"]])
        XCTAssertEqual(records.map(\.row), [1, 2, 4])
    }

    func testEveryChunkSizeGivesTheSameRecords() throws {
        // Multi-byte UTF-8, CRLF pairs, doubled quotes and BOM all straddle chunk boundaries
        // for some chunk size between 4 and 40.
        let url = Fixtures.url("data/good/bom_crlf_quoted.csv")
        let reference = try TestSupport.readAll(url.path)
        XCTAssertEqual(reference.count, 61)
        XCTAssertEqual(reference[0].fields, ["date", "tv_spend", "search, spend", "price", "sales", "notes"])
        XCTAssertEqual(reference[1].fields[5], "note \"0\",\r\nsecond line")
        let text = "name,città\n\"Zürich, CH\",\"日本\"\"語\"\r\nx,ü\n"
        let small = TestSupport.temporaryFile(text)
        let smallReference = try TestSupport.readAll(small)
        XCTAssertEqual(smallReference.map(\.fields), [["name", "città"], ["Zürich, CH", "日本\"語"], ["x", "ü"]])
        for size in 4...40 {
            XCTAssertEqual(try TestSupport.readAll(url.path, chunkSize: size).map(\.fields), reference.map(\.fields), "chunk size \(size)")
            XCTAssertEqual(try TestSupport.readAll(small, chunkSize: size).map(\.fields), smallReference.map(\.fields), "chunk size \(size)")
        }
    }

    func testInvalidUTF8NamesRowAndColumn() {
        let error = TestSupport.inputError { _ = try TestSupport.readAll(Fixtures.url("data/bad/latin1.csv").path) }
        XCTAssertEqual(error?.location.row, 8)
        XCTAssertEqual(error?.location.column, "sales")
        XCTAssertTrue(error?.message.contains("0xE9") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("UTF-8") ?? false)
    }

    func testOverlongAndSurrogateEncodingsAreRejected() {
        for bad: [UInt8] in [[0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            let path = TestSupport.temporaryFile(Array("a,b\n1,".utf8) + bad + [0x0A])
            let error = TestSupport.inputError { _ = try TestSupport.readAll(path) }
            XCTAssertEqual(error?.location.row, 2, "\(bad)")
            XCTAssertEqual(error?.location.column, "b", "\(bad)")
        }
    }

    func testBinaryGarbageIsRejected() {
        let error = TestSupport.inputError { _ = try TestSupport.readAll(Fixtures.url("data/bad/binary.csv").path) }
        XCTAssertEqual(error?.location.row, 2)
        XCTAssertTrue(error?.message.contains("does not look like UTF-8 text") ?? false, error?.message ?? "")
    }

    func testUTF16IsRejectedWithAConversionHint() {
        let error = TestSupport.inputError { _ = try TestSupport.readAll(Fixtures.url("data/bad/utf16.csv").path) }
        XCTAssertTrue(error?.message.contains("UTF-16") ?? false)
        XCTAssertNotNil(error?.hint)
    }

    func testUnterminatedQuoteNamesTheRowWhereItOpened() {
        let error = TestSupport.inputError { _ = try TestSupport.readAll(Fixtures.url("data/bad/unterminated_quote.csv").path) }
        XCTAssertEqual(error?.location.row, 11)
        XCTAssertEqual(error?.location.column, "price")
        XCTAssertTrue(error?.message.contains("never closed") ?? false)
    }

    func testTextAfterClosingQuote() {
        let error = TestSupport.inputError { _ = try TestSupport.readAll(Fixtures.url("data/bad/text_after_quote.csv").path) }
        XCTAssertEqual(error?.location.row, 4)
        XCTAssertEqual(error?.location.column, "price")
    }

    func testRecordLengthIsBounded() {
        // A file with no line breaks must not be buffered whole: the reader stops at the limit.
        let path = TestSupport.temporaryFile(String(repeating: "x", count: 5000))
        let error = TestSupport.inputError { _ = try TestSupport.readAll(path, chunkSize: 64, maxRecordBytes: 1000) }
        XCTAssertEqual(error?.location.row, 1)
        XCTAssertTrue(error?.message.contains("longer than 1000 bytes") ?? false)
    }

    func testMissingFile() {
        let error = TestSupport.inputError { _ = try CSVReader(path: "/nonexistent/data.csv") }
        XCTAssertEqual(error?.location.file, "/nonexistent/data.csv")
        XCTAssertTrue(error?.message.contains("does not exist") ?? false)
    }
}
