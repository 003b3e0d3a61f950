import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The list of files MixPlan wrote into an output folder (a model, a report, a weekly pack),
/// kept in the folder as `.mixplan-files`. Replacing a folder deletes everything in it, so
/// MixPlan replaces a folder only when everything in it is on this list: a user's notes, a
/// `src/` folder or an `important.csv` put there later make it refuse instead.
public enum OutputManifest {
    /// The file name of the list inside an output folder.
    public static let fileName = ".mixplan-files"

    private static let header = "# Files written by MixPlan. MixPlan replaces this folder only while it holds nothing else."

    /// Writes the list of everything now in `folder` (folders end in `/`), itself included.
    public static func write(in folder: URL) throws {
        var names = entries(in: folder).map { $0.isFolder ? $0.path + "/" : $0.path }
        names.append(fileName)
        let text = ([header] + Set(names).sorted()).joined(separator: "\n") + "\n"
        let url = folder.appendingPathComponent(fileName)
        do {
            try Data(text.utf8).write(to: url)
        } catch {
            throw InputError(InputLocation(file: url.path), "cannot be written: \((error as NSError).localizedDescription).")
        }
    }

    /// The paths (relative to `folder`) listed in its manifest, or nil when it has none.
    public static func listed(in folder: URL) -> Set<String>? {
        let url = folder.appendingPathComponent(fileName)
        guard isRegularFile(url.path), let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        var names = Set<String>()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            names.insert(String(line))
        }
        return names
    }

    /// What in `folder` MixPlan did not write: entries not on the list (a folder not on the list
    /// is one entry, not searched further). Nil when the folder has no list at all.
    public static func foreignItems(in folder: URL) -> [String]? {
        guard let listed = listed(in: folder) else { return nil }
        return entries(in: folder, descendInto: { listed.contains($0 + "/") })
            .filter { !listed.contains($0.isFolder ? $0.path + "/" : $0.path) }
            .map { $0.isFolder ? $0.path + "/" : $0.path }
    }

    /// Every entry below `folder`, depth first, found with `lstat` so a symbolic link is an entry
    /// of its own and never followed. Sub-folders are searched when `descendInto` says so.
    static func entries(in folder: URL, descendInto: (String) -> Bool = { _ in true }) -> [(path: String, isFolder: Bool)] {
        var found: [(String, Bool)] = []
        func walk(_ relative: String) {
            let absolute = relative.isEmpty ? folder.path : folder.path + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { return }
            for name in names.sorted() {
                let path = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                let isFolder = lstat(folder.path + "/" + path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
                found.append((path, isFolder))
                if isFolder && descendInto(path) { walk(path) }
            }
        }
        walk("")
        return found
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }
}
