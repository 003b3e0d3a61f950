import Foundation

/// Writing outputs so that a crash or a kill never leaves a half-written file or folder: build
/// under a temporary name in the same folder, then rename into place (rename is atomic within
/// one file system).
public enum AtomicOutput {
    /// Writes `data` to `url` via a temporary sibling and a rename.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try data.write(to: temporary)
        } catch {
            throw InputError(InputLocation(file: url.path), "cannot be written: \(reason(error)).")
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
        } catch {
            try? fm.removeItem(at: temporary)
            throw error
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

    /// Throws unless `url` is absent, an empty folder, or a folder holding `marker` (an earlier
    /// output of the same kind, e.g. a model's model.json). Replacing a folder deletes everything
    /// in it, so a slip such as `--out .` or `--out data` must fail instead of wiping a user's
    /// files; a folder that holds the current working folder is refused too.
    public static func checkReplaceable(_ url: URL, marker: String, kind: String) throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isFolder) else { return }
        let location = InputLocation(file: url.path)
        guard isFolder.boolValue else {
            throw InputError(location, "is a file, but MixPlan writes a \(kind) folder here and would replace it.",
                             hint: "Choose a new folder name for the \(kind), or move the file away first.")
        }
        let target = url.resolvingSymlinksInPath().standardizedFileURL.path
        let here = URL(fileURLWithPath: fm.currentDirectoryPath).resolvingSymlinksInPath().standardizedFileURL.path
        if here == target || here.hasPrefix(target.hasSuffix("/") ? target : target + "/") {
            throw InputError(location, "holds the current folder; writing the \(kind) here would replace it and everything in it.",
                             hint: "Choose a new folder for the \(kind), e.g. --out \(kind == "model" ? "model" : "reports").")
        }
        let contents = ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).filter { $0 != ".DS_Store" }.sorted()
        guard !contents.isEmpty, !contents.contains(marker) else { return }
        let shown = contents.prefix(3).joined(separator: ", ") + (contents.count > 3 ? ", …" : "")
        throw InputError(location, "already exists and is not a \(kind) folder (it has no \(marker), but \(contents.count) other item\(contents.count == 1 ? "" : "s"): \(shown)); writing the \(kind) here would delete them.",
                         hint: "Choose a new or empty folder, or an earlier \(kind) folder to replace.")
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
