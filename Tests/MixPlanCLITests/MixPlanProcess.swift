import Foundation
import XCTest

/// Runs the built `mixplan` executable as a user would, capturing its output and exit status.
struct MixPlanProcess {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The run was stopped after the time limit given to `run` (a hang).
        var timedOut = false
    }

    /// The `mixplan` binary built beside this test bundle (same configuration: debug or release).
    static var executable: URL {
        let bundleDir = Bundle(for: Marker.self).bundleURL.deletingLastPathComponent()
        for dir in [bundleDir, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("mixplan")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return bundleDir.appendingPathComponent("mixplan")
    }

    /// Runs `mixplan ARGS` in `directory` (default: a fresh temporary folder) with stdin closed;
    /// a run longer than `timeLimit` seconds is killed and reported as `timedOut`.
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
                    timeLimit: Double? = nil) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stopped = TimeoutFlag()
        if let timeLimit {
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit) {
                if process.isRunning { stopped.set(); kill(pid, SIGKILL) }
            }
        }
        // Read both pipes before waiting so a chatty child cannot block on a full pipe.
        var outData = Data(), errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self),
                      timedOut: stopped.isSet)
    }

    private final class TimeoutFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.lock(); value = true; lock.unlock() }
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    }

    /// A new empty temporary folder, removed when the test ends.
    static func temporaryDirectory(for test: XCTestCase) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    private final class Marker {}
}
