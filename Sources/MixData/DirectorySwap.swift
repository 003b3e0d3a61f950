import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension AtomicOutput {
    /// Puts the folder `staged` at `destination` in one step, so that a reader (or a kill) sees
    /// either the old folder or the new one, never a missing or half-moved one. When
    /// `destination` exists, the two are exchanged (Linux `renameat2(RENAME_EXCHANGE)`) and the
    /// old content is left at `staged` for the caller to delete; on systems without an exchange
    /// it falls back to two renames, leaving a gap of one system call.
    public static func replaceDirectory(at destination: URL, with staged: URL) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: destination.path) else {
            if rename(staged.path, destination.path) != 0 {
                let why = String(cString: strerror(errno)) // before anything else can change errno
                throw InputError(InputLocation(file: destination.path), "cannot be written: \(why).")
            }
            return
        }
        if exchange(staged.path, destination.path) { return }
        // Fallback: move the old folder aside, then the new one in, then swap names back for the caller.
        let aside = staged.deletingLastPathComponent().appendingPathComponent(staged.lastPathComponent + ".old")
        guard rename(destination.path, aside.path) == 0 else {
            let why = String(cString: strerror(errno))
            throw InputError(InputLocation(file: destination.path), "cannot be replaced: \(why).")
        }
        guard rename(staged.path, destination.path) == 0 else {
            let why = String(cString: strerror(errno))
            _ = rename(aside.path, destination.path)
            throw InputError(InputLocation(file: destination.path), "cannot be replaced: \(why).")
        }
        _ = rename(aside.path, staged.path)
    }

    /// Points the symbolic link `link` at `target` (a relative name is kept relative) in one step:
    /// a new link under a temporary name, renamed over the old one.
    public static func pointLink(_ link: URL, to target: String) throws {
        let temporary = link.deletingLastPathComponent()
            .appendingPathComponent(".\(link.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        unlink(temporary.path)
        guard symlink(target, temporary.path) == 0 else {
            let why = String(cString: strerror(errno))
            throw InputError(InputLocation(file: link.path), "cannot be created: \(why).")
        }
        guard rename(temporary.path, link.path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary.path)
            throw InputError(InputLocation(file: link.path), "cannot be updated: \(why).")
        }
    }

    /// `renameat2(…, RENAME_EXCHANGE)`, looked up at run time because Swift's Glibc module
    /// does not declare it; false when unavailable or unsupported by the file system.
    private static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 2
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
        #else
        return false
        #endif
    }
}
