import Foundation

/// A posterior from posteriordb (the Stan project's public posterior database) implemented as a
/// `LogDensity`, kept as a validation target: the tests and the benchmark sample these and compare
/// with the reference summaries in `Tests/Fixtures/posteriordb/<name>/reference.json`. Not used by the MMM.
public protocol ReferencePosterior: LogDensity {
    /// The posteriordb folder name, e.g. `eight_schools-eight_schools_noncentered`.
    static var posteriorName: String { get }
    /// Builds the density from the folder's `data.json`.
    init(data: PosteriorData) throws
    /// Names of the quantities `reference.json` reports (constrained scale), in order.
    var reportedNames: [String] { get }
    /// Those quantities at an unconstrained point.
    func reported(_ x: ArraySlice<Double>) -> [Double]
}

extension ReferencePosterior {
    /// Loads `<folder>/<posteriorName>/data.json`.
    public init(posteriordb folder: URL) throws {
        try self.init(data: PosteriorData(url: folder.appendingPathComponent(Self.posteriorName).appendingPathComponent("data.json")))
    }
}

/// A problem reading a posteriordb file: which file, which key, what was expected.
public struct ReferenceDataError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var key: String?
    public var expected: String

    public var description: String {
        if let key { return "\(file): key \"\(key)\" should be \(expected)." }
        return "\(file): \(expected)."
    }
}

/// The parsed `data.json` of a posterior, with typed accessors that name the file and key on error.
public struct PosteriorData {
    public let file: String
    private let object: [String: Any]

    public init(url: URL) throws {
        file = url.path
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch {
            throw ReferenceDataError(file: url.path, key: nil, expected: "a readable JSON file (\(error.localizedDescription))")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] else {
            throw ReferenceDataError(file: url.path, key: nil, expected: "a JSON object at the top level")
        }
        self.object = object
    }

    /// An integer field.
    public func int(_ key: String) throws -> Int {
        guard let n = object[key] as? NSNumber, Double(n.intValue) == n.doubleValue else {
            throw ReferenceDataError(file: file, key: key, expected: "an integer")
        }
        return n.intValue
    }

    /// A numeric array field, optionally of a required length.
    public func doubles(_ key: String, count: Int? = nil) throws -> [Double] {
        guard let array = object[key] as? [NSNumber] else {
            throw ReferenceDataError(file: file, key: key, expected: "an array of numbers")
        }
        if let count, array.count != count {
            throw ReferenceDataError(file: file, key: key, expected: "an array of \(count) numbers (found \(array.count))")
        }
        return array.map(\.doubleValue)
    }
}

/// The reference mean and sd of each reported quantity (`reference.json`).
public struct ReferenceSummary {
    public struct Entry: Equatable {
        public var mean: Double
        public var sd: Double
    }
    /// Reference draws behind the summary (10,000 for all four posteriors).
    public let draws: Int
    public let entries: [String: Entry]

    public init(posteriordb folder: URL, name: String) throws {
        let url = folder.appendingPathComponent(name).appendingPathComponent("reference.json")
        guard let bytes = try? Data(contentsOf: url),
              let root = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] else {
            throw ReferenceDataError(file: url.path, key: nil, expected: "a readable JSON object")
        }
        guard let parameters = root["parameters"] as? [String: [String: Any]] else {
            throw ReferenceDataError(file: url.path, key: "parameters", expected: "an object of parameter summaries")
        }
        var entries: [String: Entry] = [:]
        for (name, fields) in parameters {
            guard let mean = (fields["mean"] as? NSNumber)?.doubleValue, let sd = (fields["sd"] as? NSNumber)?.doubleValue else {
                throw ReferenceDataError(file: url.path, key: "parameters.\(name)", expected: "an object with numeric mean and sd")
            }
            entries[name] = Entry(mean: mean, sd: sd)
        }
        self.entries = entries
        draws = (root["draws"] as? NSNumber)?.intValue ?? 10_000
    }
}

/// The default location of the posteriordb references: `Tests/Fixtures/posteriordb` under the
/// current directory (the package root; the files are committed there).
public func defaultPosteriordbFolder() -> URL {
    URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        .appendingPathComponent("Tests/Fixtures/posteriordb")
}
