import Foundation
import MixData

/// `data` suite: CSV loading throughput and peak memory on a generated file.
///
/// Writes a daily CSV of ~200 MB (an absurd 1.5 M days × 12 columns, most of them unused by the
/// config) to a temporary folder, then loads 3 channels + 1 control + target with
/// `DatasetLoader`. Reports MB/s and the process's peak resident memory before and after, to
/// show that memory grows with the *kept* numbers (5 × 8 bytes per row), not with file size.
enum DataBench {
    static func run() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-bench-data-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("big.csv").path
        let rows = 1_500_000
        let header = ["date", "tv_spend", "search_spend", "social_spend", "price", "sales"]
            + (1...6).map { "\"unused, text \($0)\"" }
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            print("cannot write \(path)")
            return
        }
        var buffer = header.joined(separator: ",") + "\n"
        let start = CalendarDate(year: 1900, month: 1, day: 1)!
        for t in 0..<rows {
            let tv = Double(t % 97) * 101.25, search = Double(t % 13) * 17.5 + 1, social = Double(t % 7) * 3
            buffer += "\(start.adding(days: t)),\(tv),\(search),\(social),\(9.99 + Double(t % 5) / 100),\(20000 + tv * 1.5 + search * 3 + Double(t % 11)),"
            buffer += "\"a note, with a comma\",x,y,z,\"w\"\"q\",1234567\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
        try? handle.close()
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

        var config = MixPlanConfig()
        config.data.file = path
        config.data.channels = ["tv_spend", "search_spend", "social_spend"]
        config.data.controls = ["price"]
        let before = peakResidentMB()
        let clock = ContinuousClock()
        var periods = 0
        let elapsed = clock.measure {
            do {
                periods = try DatasetLoader(maxRows: 2_000_000).load(config).dataset.periodCount
            } catch {
                print("load failed: \(error)")
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let mb = Double(bytes) / 1_048_576
        print("file: \(String(format: "%.1f", mb)) MB, \(periods) rows × \(header.count) columns (5 kept)")
        print("load + validate: \(String(format: "%.2f", seconds)) s, \(String(format: "%.0f", mb / seconds)) MB/s")
        print("peak RSS: \(before) MB before load, \(peakResidentMB()) MB after (kept data ≈ \(periods * 5 * 8 / 1_048_576) MB)")
    }

    /// Peak resident set size of this process, in MB (Linux reports KiB, macOS bytes).
    static func peakResidentMB() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss / 1_048_576
        #endif
    }
}
