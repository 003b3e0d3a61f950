import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opening a file a user named (data, config, plan, template) so that it cannot hang a run: it
/// must be a regular file, and it is opened non-blocking, so a FIFO, a terminal or a device is
/// refused instead of waiting forever for a writer (which would hold the weekly lock).
public enum InputFile {
    /// An open handle on the regular file `path`; `what` says what the file is for in errors
    /// (e.g. "data file").
    public static func open(_ path: String, what: String) throws -> FileHandle {
        let location = InputLocation(file: path)
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let failure = errno
            if failure == ENOENT {
                throw InputError(location, "the \(what) does not exist.",
                                 hint: "Check the path (relative paths in a config are resolved against the config's folder).")
            }
            throw InputError(location, "the \(what) cannot be opened for reading: \(String(cString: strerror(failure))).")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            let kind = info.st_mode & S_IFMT
            close(fd)
            let found = kind == S_IFDIR ? "a folder" : kind == S_IFIFO ? "a named pipe (FIFO)" : "not a regular file"
            throw InputError(location, "cannot be read as the \(what): it is \(found), not a regular file.")
        }
        // Reads of a regular file never block; clear the flag so reads behave as usual.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// The whole content of the regular file `path`, refusing one over `limit` bytes.
    public static func contents(_ path: String, what: String, limit: Int = 16 << 20) throws -> Data {
        let handle = try open(path, what: what)
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            guard data.count <= limit else {
                throw InputError(InputLocation(file: path), "is larger than \(Limits.grouped(limit)) bytes, the most a \(what) may have.")
            }
            return data
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(InputLocation(file: path), "the \(what) cannot be read: \((error as NSError).localizedDescription).")
        }
    }
}
