import Foundation

/// Writing outputs so that a crash or a kill never leaves a half-written file or folder: build
/// under a temporary name in the same folder, then rename into place (rename is atomic within
/// one file system).
public enum AtomicOutput {
    /// Writes `data` to `url` via a temporary sibling and a rename.
    public static func write(_ data: Data, to url: URL) throws {
        try writeFile(at: url) { temporary in
            do {
                try data.write(to: temporary)
            } catch {
                throw InputError(InputLocation(file: url.path), "cannot be written: \(reason(error)).")
            }
        }
    }

    /// The one temporary-file-and-rename writer: `build` writes the whole file at the temporary
    /// sibling it is given (`.NAME.tmp-PID`), which is then renamed to `url`. If `build` throws or
    /// the rename fails, the temporary file is removed and `url` is untouched (an existing file
    /// there stays as it was). `build` turns its library's errors into ones that name `url`.
    public static func writeFile(at url: URL, _ build: (URL) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: temporary)
        do {
            try build(temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        if rename(temporary.path, url.path) != 0 {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw InputError(InputLocation(file: url.path), "cannot be written: \(why).")
        }
    }

    /// Builds a folder with `build` inside a temporary sibling, then swaps it in for `url`.
    /// If `build` throws, nothing at `url` changes and the temporary folder is removed. An
    /// existing `url` is replaced only if `checkReplaceable(url, marker:kind:)` allows it, which
    /// is checked before any work.
    public static func writeDirectory(at url: URL, marker: String, kind: String, _ build: (URL) throws -> Void) throws {
        try checkReplaceable(url, marker: marker, kind: kind)
        let fm = FileManager.default
        let parent = url.deletingLastPathComponent()
        let pid = ProcessInfo.processInfo.processIdentifier
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw InputError(InputLocation(file: parent.path), "cannot create this folder: \(reason(error)).")
        }
        let temporary = parent.appendingPathComponent(".\(url.lastPathComponent).tmp-\(pid)")
        try? fm.removeItem(at: temporary)
        do {
            try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw InputError(InputLocation(file: parent.path), "cannot write in this folder: \(reason(error)).")
        }
        do {
            try build(temporary)
            try OutputManifest.write(in: temporary)
        } catch {
            try? fm.removeItem(at: temporary)
            throw fileSystemError(error, writing: url) ?? error
        }
        let old = parent.appendingPathComponent(".\(url.lastPathComponent).old-\(pid)")
        let existed = fm.fileExists(atPath: url.path)
        if existed && rename(url.path, old.path) != 0 {
            let why = String(cString: strerror(errno))
            try? fm.removeItem(at: temporary)
            throw InputError(InputLocation(file: url.path), "cannot be replaced: \(why).")
        }
        if rename(temporary.path, url.path) != 0 {
            let why = String(cString: strerror(errno))
            if existed { _ = rename(old.path, url.path) }
            try? fm.removeItem(at: temporary)
            throw InputError(InputLocation(file: url.path), "cannot be written: \(why).")
        }
        if existed { try? fm.removeItem(at: old) }
    }

    /// Throws unless `url` is absent, an empty folder, or a folder MixPlan wrote that holds
    /// nothing else: every entry in it is on its `OutputManifest` list. Replacing a folder deletes
    /// everything in it, so a slip such as `--out .`, `--out data` or `--out /`, or a user's file
    /// put into an earlier output, must fail (naming what would be lost) instead of wiping it.
    /// `marker` names the file an output of this `kind` always has (e.g. a model's model.json),
    /// used to tell an earlier MixPlan output without a list from any other folder.
    public static func checkReplaceable(_ url: URL, marker: String, kind: String) throws {
        let fm = FileManager.default
        let location = InputLocation(file: url.path)
        if OutputManifest.isSymbolicLink(url.path) {
            throw InputError(location, "is a symbolic link; MixPlan does not replace a link or what it points at with a \(kind) folder.",
                             hint: "Give the real folder's path, or a new folder name for the \(kind).")
        }
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else {
            throw InputError(location, "is a file, but MixPlan writes a \(kind) folder here and would replace it.",
                             hint: "Choose a new folder name for the \(kind), or move the file away first.")
        }
        let newFolderHint = "Choose a new folder for the \(kind), e.g. --out \(kind == "model" ? "model" : "reports")."
        if let protected = protectedFolder(url) {
            throw InputError(location, "is \(protected); MixPlan never replaces it with a \(kind) folder.", hint: newFolderHint)
        }
        let contents = ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).filter { $0 != ".DS_Store" }.sorted()
        guard !contents.isEmpty else { return }
        func shown(_ items: [String]) -> String { items.prefix(5).joined(separator: ", ") + (items.count > 5 ? ", …" : "") }
        func items(_ n: Int) -> String { "\(n) item\(n == 1 ? "" : "s")" }
        guard let foreign = OutputManifest.foreignItems(in: url) else {
            if contents.contains(marker) {
                throw InputError(location, "holds a \(kind) without MixPlan's list of the files it wrote (\(OutputManifest.fileName)), so MixPlan cannot tell its files from yours (\(items(contents.count)): \(shown(contents))); it is not replaced.",
                                 hint: "If everything in it is an earlier \(kind), delete the folder yourself; otherwise choose a new folder.")
            }
            throw InputError(location, "already exists and is not a \(kind) folder (it has no \(marker), but \(contents.count) other item\(contents.count == 1 ? "" : "s"): \(shown(contents))); writing the \(kind) here would delete them.",
                             hint: "Choose a new or empty folder, or an earlier \(kind) folder to replace.")
        }
        guard foreign.isEmpty else {
            throw InputError(location, "is an earlier \(kind) but also holds \(items(foreign.count)) MixPlan did not write (\(shown(foreign))); replacing the folder would delete them.",
                             hint: "Move those out of the folder, or choose a new folder for the \(kind).")
        }
    }

    /// Why `url` (after resolving links) may never be an output folder, or nil: it is the root
    /// folder, the home folder, the current folder or a folder holding it. `--out .` or
    /// `--out ~` is almost always a slip, and an output folder is a folder MixPlan fills (a weekly
    /// or batch folder) or replaces (a model or report), so these are refused outright.
    public static func protectedFolder(_ url: URL) -> String? {
        let target = url.resolvingSymlinksInPath().standardizedFileURL.path
        if target == "/" { return "the root folder /" }
        let home = FileManager.default.homeDirectoryForCurrentUser.resolvingSymlinksInPath().standardizedFileURL.path
        if target == home { return "the home folder" }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath().standardizedFileURL.path
        if target == here { return "the current folder" }
        if here.hasPrefix(target + "/") { return "a folder that holds the current folder" }
        return nil
    }

    /// Throws unless `url` may be an output folder that MixPlan creates things in (see
    /// `protectedFolder`); `kind` says what it would hold, e.g. "weekly packs".
    public static func checkOutputFolder(_ url: URL, for kind: String) throws {
        guard let protected = protectedFolder(url) else { return }
        throw InputError(InputLocation(file: url.path), "is \(protected); \(kind) need a folder of their own.",
                         hint: "Give a new folder, e.g. --out reports.")
    }

    /// A failed file operation (disk full, read-only, no permission) as bad input naming `url`,
    /// so it exits 2 with what failed rather than as an internal error; nil for other errors.
    public static func fileSystemError(_ error: Error, writing url: URL) -> InputError? {
        guard !(error is InputError) else { return nil }
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return nil }
        let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : nil }
        return InputError(InputLocation(file: url.path), "cannot be written: \(underlying ?? reason(error)).",
                          hint: "Check that the disk is not full or read-only and the folder is writable.")
    }

    private static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}

/// RFC 4180 output: fields quoted only when they need it.
public enum CSVFormat {
    /// One record, without the line end.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }

    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix(" ") || text.hasSuffix(" ") else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number as the shortest text that reads back to the same Double.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
