import Foundation

/// Paths of committed test inputs, found from this file's location so tests run from any
/// working directory.
enum Fixtures {
    /// The package root (the folder holding Package.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `Tests/Fixtures/<subpath>`.
    static func url(_ subpath: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(subpath)
    }
    /// A bundled sample folder under `samples/`.
    static func sample(_ name: String) -> URL {
        packageRoot.appendingPathComponent("samples").appendingPathComponent(name)
    }
    /// `../shared/posteriordb/<name>` beside the checkout.
    static func posteriordb(_ name: String) -> URL {
        packageRoot.deletingLastPathComponent().appendingPathComponent("shared/posteriordb").appendingPathComponent(name)
    }
}
