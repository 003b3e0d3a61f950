import Foundation
import XCTest
import MixData

/// `AtomicOutput.checkReplaceable`: what an output folder may replace, and the refusal texts. A
/// folder is replaced only when everything in it is on the list of files MixPlan wrote there
/// (`OutputManifest`); anything else — a user's file added later, a folder without the list —
/// is refused with the names of what would be lost.
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
        try writeModel(at: earlier)
        XCTAssertNil(refusal(earlier))
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: earlier.path).contains(OutputManifest.fileName))
        // Written twice: the second write replaces the first.
        try writeModel(at: earlier)
        XCTAssertEqual(try String(contentsOf: earlier.appendingPathComponent("sub/draws.csv"), encoding: .utf8), "1\n")
    }

    /// A model folder as `ModelStore` writes it, with a sub-folder.
    func writeModel(at url: URL) throws {
        try AtomicOutput.writeDirectory(at: url, marker: "model.json", kind: "model") { dir in
            try Data("{}".utf8).write(to: dir.appendingPathComponent("model.json"))
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: false)
            try Data("1\n".utf8).write(to: dir.appendingPathComponent("sub/draws.csv"))
        }
    }

    func testAUsersFileInAnEarlierOutputIsNeverDeleted() throws {
        let root = try scratch()
        let model = root.appendingPathComponent("model")
        try writeModel(at: model)
        try Data("keep\n".utf8).write(to: model.appendingPathComponent("important.csv"))
        try FileManager.default.createDirectory(at: model.appendingPathComponent("sub/src"), withIntermediateDirectories: true)
        let message = try XCTUnwrap(refusal(model))
        XCTAssertTrue(message.contains("is an earlier model but also holds 2 items MixPlan did not write (important.csv, sub/src/)"), message)
        XCTAssertThrowsError(try writeModel(at: model))
        XCTAssertEqual(try String(contentsOf: model.appendingPathComponent("important.csv"), encoding: .utf8), "keep\n")

        // An output folder without the list (e.g. from an older MixPlan) is refused as well.
        let legacy = root.appendingPathComponent("legacy")
        try FileManager.default.createDirectory(at: legacy, withIntermediateDirectories: false)
        for name in ["model.json", "draws.csv", "notes.txt"] { try Data().write(to: legacy.appendingPathComponent(name)) }
        let old = try XCTUnwrap(refusal(legacy))
        XCTAssertTrue(old.contains("cannot tell its files from yours (3 items: draws.csv, model.json, notes.txt)"), old)
    }

    func testLinksTheRootAndTheHomeFolderAreRefused() throws {
        let root = try scratch()
        let real = root.appendingPathComponent("real")
        try writeModel(at: real)
        let link = root.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        XCTAssertEqual(refusal(link).map { $0.contains("is a symbolic link") }, true)
        XCTAssertEqual(refusal(URL(fileURLWithPath: "/")).map { $0.contains("is the root folder /") }, true)
        XCTAssertEqual(refusal(FileManager.default.homeDirectoryForCurrentUser).map { $0.contains("is the home folder") }, true)
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
        XCTAssertTrue(message.contains("already exists and is not a model folder (it has no model.json, but 4 other items: data.csv, mixplan.yaml, notes.txt, truth.json)"), message)
        XCTAssertTrue(message.contains(data.path), "names the path: \(message)")

        let previous = FileManager.default.currentDirectoryPath
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let inner = data.appendingPathComponent("inner")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: false)
        FileManager.default.changeCurrentDirectoryPath(inner.path)
        XCTAssertEqual(refusal(URL(fileURLWithPath: ".")).map { $0.contains("is the current folder") }, true)
        XCTAssertEqual(refusal(URL(fileURLWithPath: "..")).map { $0.contains("holds the current folder") }, true)
    }
}
