import Foundation
import MixData
import MixInference

/// The sampler's statistics for every kept draw (one row per chain and draw), saved in a model
/// folder as `sample_stats.csv` so an export can give ArviZ its `sample_stats` group (divergences
/// per draw, tree depth, energy for E-BFMI plots, …) without refitting.
public struct SampleStats: Sendable, Equatable {
    public static let fileName = "sample_stats.csv"
    /// The columns of `sample_stats.csv`, named as ArviZ names them.
    public static let columns = ["chain", "draw", "diverging", "tree_depth", "n_steps", "energy", "step_size", "acceptance_rate", "lp"]

    public var chains: Int
    public var drawsPerChain: Int
    /// Row `chain·drawsPerChain + draw` of each column.
    public var diverging: [Bool]
    public var treeDepth: [Int]
    /// Leapfrog steps of the transition.
    public var steps: [Int]
    public var energy: [Double]
    public var stepSize: [Double]
    public var acceptanceRate: [Double]
    /// log density at the draw on the sampler's (unconstrained) scale, Jacobian included.
    public var logDensity: [Double]

    /// The kept transitions of a run, chain-major as `SamplingResult.stats` holds them.
    public init(_ stats: [TransitionStats], chains: Int, drawsPerChain: Int) {
        precondition(stats.count == chains * drawsPerChain, "one statistics row per kept draw")
        self.init(chains: chains, drawsPerChain: drawsPerChain)
        diverging = stats.map(\.divergent)
        treeDepth = stats.map(\.treeDepth)
        steps = stats.map(\.leapfrogSteps)
        energy = stats.map(\.energy)
        stepSize = stats.map(\.stepSize)
        acceptanceRate = stats.map(\.acceptanceStat)
        logDensity = stats.map(\.logDensity)
    }

    private init(chains: Int, drawsPerChain: Int) {
        self.chains = chains
        self.drawsPerChain = drawsPerChain
        diverging = []; treeDepth = []; steps = []
        energy = []; stepSize = []; acceptanceRate = []; logDensity = []
    }

    var csv: String {
        var out = CSVFormat.record(Self.columns) + "\n"
        for i in 0..<(chains * drawsPerChain) {
            let fields = ["\(i / drawsPerChain)", "\(i % drawsPerChain)", diverging[i] ? "1" : "0", "\(treeDepth[i])", "\(steps[i])"]
                + [energy[i], stepSize[i], acceptanceRate[i], logDensity[i]].map(CSVFormat.number)
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Reads `sample_stats.csv`, checking it has one row per draw of the model, in order.
    static func read(_ url: URL, chains: Int, drawsPerChain: Int) throws -> SampleStats {
        var reader = try CSVReader(path: url.path)
        guard try reader.next(), reader.fields == columns else {
            throw InputError(InputLocation(file: url.path, row: 1), "header is not \(columns.joined(separator: ",")).")
        }
        var stats = SampleStats(chains: chains, drawsPerChain: drawsPerChain)
        while try reader.next() {
            let f = reader.fields, i = stats.diverging.count
            guard f.count == columns.count else {
                throw InputError(InputLocation(file: url.path, row: reader.row), "has \(f.count) fields, expected \(columns.count).")
            }
            func number(_ k: Int) throws -> Double {
                guard let v = Double(f[k]) else {
                    throw InputError(InputLocation(file: url.path, row: reader.row, column: columns[k]), "\"\(f[k])\" is not a number.")
                }
                return v
            }
            func whole(_ k: Int) throws -> Int {
                guard let v = Int(f[k]) else {
                    throw InputError(InputLocation(file: url.path, row: reader.row, column: columns[k]), "\"\(f[k])\" is not a whole number.")
                }
                return v
            }
            let per = max(drawsPerChain, 1)
            guard try whole(0) == i / per, try whole(1) == i % per else {
                throw InputError(InputLocation(file: url.path, row: reader.row), "expected chain \(i / per), draw \(i % per) here (rows in chain, then draw order).")
            }
            let divergent = try whole(2)
            guard divergent == 0 || divergent == 1 else {
                throw InputError(InputLocation(file: url.path, row: reader.row, column: "diverging"), "expected 0 or 1, got \(f[2]).")
            }
            stats.diverging.append(divergent == 1)
            stats.treeDepth.append(try whole(3))
            stats.steps.append(try whole(4))
            stats.energy.append(try number(5))
            stats.stepSize.append(try number(6))
            stats.acceptanceRate.append(try number(7))
            stats.logDensity.append(try number(8))
        }
        guard stats.diverging.count == chains * drawsPerChain else {
            throw InputError(InputLocation(file: url.path), "has \(stats.diverging.count) rows, expected \(chains * drawsPerChain) (chains × draws).")
        }
        return stats
    }
}
