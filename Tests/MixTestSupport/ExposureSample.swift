import Foundation

extension Fixtures {
    /// The weekly-2ch sample with its x2 channel recast as TV bought in impressions: `tv_imps`
    /// is x2's column, `tv_spend` = tv_imps × CPU_t (cents) with CPU_t = 0.04 · (1 + 0.3 sin(2πt/52))
    /// a price that moves over the year. Written once per process into a temporary folder;
    /// returns the path of its `mixplan.yaml` (x1 in money, tv from tv_imps with tv_spend, short
    /// sampler settings for tests that need a fitted model rather than a converged one).
    public static let exposureSampleConfig: String = {
        let source = try! String(contentsOf: sample("weekly-2ch").appendingPathComponent("data.csv"), encoding: .utf8)
        var lines = source.split(separator: "\n").map(String.init)
        precondition(lines[0] == "date,x1,x2,event_1,event_2,sales", "the weekly-2ch sample's header changed")
        lines[0] = "date,x1,tv_imps,tv_spend,event_1,event_2,sales"
        for t in 1..<lines.count {
            var fields = lines[t].split(separator: ",").map(String.init)
            let imps = Double(fields[2])!
            let cpu = 0.04 * (1 + 0.3 * sin(2 * Double.pi * Double(t - 1) / 52))
            fields.insert(String((imps * cpu * 100).rounded() / 100), at: 3)
            lines[t] = fields.joined(separator: ",")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exposure-sample-\(getpid())")
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try! Data((lines.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("data.csv"))
        let yaml = """
            data:
              file: data.csv
              target: sales
              channels:
                - x1
                - {name: tv, exposure_column: tv_imps, spend_column: tv_spend, unit: impression}
              controls: [event_1, event_2]
            sampler:
              chains: 2
              warmup: 150
              draws: 100
              max_tree_depth: 7
            """
        let config = folder.appendingPathComponent("mixplan.yaml")
        try! Data(yaml.utf8).write(to: config)
        return config.path
    }()

    /// The exposure sample's impressions and spend columns, as written.
    public static func exposureSampleColumns() -> (impressions: [Double], spend: [Double]) {
        let text = try! String(contentsOfFile: URL(fileURLWithPath: exposureSampleConfig).deletingLastPathComponent()
            .appendingPathComponent("data.csv").path, encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        return (rows.map { Double($0[2])! }, rows.map { Double($0[3])! })
    }
}
