import ArgumentParser
import Foundation
import MixData

/// What every subcommand shares: mapping errors to the documented exit codes, writing to
/// stderr, and writing output files atomically.
enum CLISupport {
    /// A command's exit codes for its `--help`: `one` says what gives that command exit 1 (it
    /// must match the code); nil for a command that never exits 1, whose warnings exit 0.
    static func exitCodesHelp(one: String?) -> String {
        let middle = one.map { "1 \($0); " } ?? ""
        let never = one == nil ? " This command never exits 1: any warning it prints leaves the exit code 0." : ""
        return "Exit codes: 0 ok; \(middle)2 bad input or usage (the message says which file, row, column or key); "
            + "3 internal error.\(never)"
    }

    /// Runs a command body. An `InputError` is printed to stderr as `error: …` and exits 2;
    /// any other error (a bug) is printed as `internal error: …` and exits 3. Exit codes and
    /// argument-parser errors thrown by the body pass through unchanged.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as InputError {
            printError("error: \(error)")
            throw ExitCode(2)
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            printError("internal error: \(error) — please report this with the command you ran.")
            throw ExitCode(3)
        }
    }

    /// A broken invariant inside MixPlan (exit 3), as opposed to bad input (exit 2).
    struct InternalError: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes a line to standard error.
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Writes `text` to `path` via a temporary file in the same folder and a rename, so a crash
    /// never leaves a half-written file. Overwrites only when `overwrite` is true.
    static func writeAtomically(_ text: String, to path: String, overwrite: Bool) throws {
        let url = URL(fileURLWithPath: path)
        if !overwrite && FileManager.default.fileExists(atPath: path) {
            throw InputError(InputLocation(file: path), "already exists; not overwriting it.",
                             hint: "Pass --force to replace it.")
        }
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8)) else {
            throw InputError(InputLocation(file: folder.path), "cannot write a file in this folder (check permissions).")
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw InputError(InputLocation(file: path), "could not be written: \(reason).")
        }
    }
}
