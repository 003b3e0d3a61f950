import Foundation
import XCTest
import MixData

/// `AtomicOutput.checkReplaceable`: what an output folder may replace, and the refusal texts.
final class OutputReplaceTests: XCTestCase {
    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-replace-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func refusal(_ url: URL) -> String? {
        do {
            try AtomicOutput.checkReplaceable(url, marker: "model.json", kind: "model")
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testAbsentEmptyAndEarlierOutputsMayBeReplaced() throws {
        let root = try scratch()
        XCTAssertNil(refusal(root.appendingPathComponent("new")))
        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
        XCTAssertNil(refusal(empty))
        let earlier = root.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: earlier, withIntermediateDirectories: false)
        for name in ["model.json", "draws.csv", "summary.csv"] { try Data().write(to: earlier.appendingPathComponent(name)) }
        XCTAssertNil(refusal(earlier))
    }

    func testFilesOtherFoldersAndTheCurrentFolderAreRefused() throws {
        let root = try scratch()
        let file = root.appendingPathComponent("notes.txt")
        try Data("x".utf8).write(to: file)
        XCTAssertEqual(refusal(file).map { $0.contains("is a file, but MixPlan writes a model folder here") }, true)

        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: false)
        for name in ["mixplan.yaml", "data.csv", "truth.json", "notes.txt"] { try Data().write(to: data.appendingPathComponent(name)) }
        let message = try XCTUnwrap(refusal(data))
        XCTAssertTrue(message.contains("already exists and is not a model folder (it has no model.json, but 4 other items: data.csv, mixplan.yaml, notes.txt, …)"), message)
        XCTAssertTrue(message.contains(data.path), "names the path: \(message)")

        let previous = FileManager.default.currentDirectoryPath
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let inner = data.appendingPathComponent("inner")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: false)
        FileManager.default.changeCurrentDirectoryPath(inner.path)
        XCTAssertEqual(refusal(URL(fileURLWithPath: ".")).map { $0.contains("holds the current folder") }, true)
        XCTAssertEqual(refusal(URL(fileURLWithPath: "..")).map { $0.contains("holds the current folder") }, true)
    }
}
