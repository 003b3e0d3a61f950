import Foundation

/// Paths of committed test inputs, found from this file's location so tests run from any
/// working directory and need nothing outside the repository.
public enum Fixtures {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `Tests/Fixtures/<subpath>`.
    public static func url(_ subpath: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(subpath)
    }
    /// A bundled sample folder under `samples/`.
    public static func sample(_ name: String) -> URL {
        packageRoot.appendingPathComponent("samples").appendingPathComponent(name)
    }
    /// A posteriordb reference posterior committed under `Tests/Fixtures/posteriordb/<name>`
    /// (see the README there for its source and licence).
    public static func posteriordb(_ name: String) -> URL {
        url("posteriordb").appendingPathComponent(name)
    }
}
