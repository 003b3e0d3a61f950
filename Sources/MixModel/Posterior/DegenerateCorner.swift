import Foundation

/// A chain that spent its draws in a degenerate corner of one channel's response curve: a
/// saturation shape parameter collapsed towards 0 (logistic or Michaelis–Menten λ, Hill's S or
/// κ below `shapeFloor`) or a ceiling β beyond `betaCeiling` times the largest target. Such a
/// chain describes the curve by a limit (a straight line, a step) the other chains do not share,
/// and its ROAS can still look plausible (issue 26: λ ≈ 6e-11, β ≈ 4.8e9 with ROAS 0.88), so the
/// fit names it among its problems rather than leaving R-hat to hint at it.
public struct DegenerateCorner: Sendable, Codable, Equatable {
    /// 1-based chain number, as the log and reports count chains.
    public var chain: Int
    public var channel: String
    /// The parameter that left the plausible range (e.g. `social.saturation_lambda`) and its
    /// median over the chain's draws.
    public var parameter: String
    public var median: Double

    public init(chain: Int, channel: String, parameter: String, median: Double) {
        self.chain = chain
        self.channel = channel
        self.parameter = parameter
        self.median = median
    }

    /// A shape parameter whose chain median is below this is collapsed (1e-6: on scaled spend,
    /// a curve bending only at a million times the largest spend the data show).
    public static let shapeFloor = 1e-6
    /// A β whose chain median is above this is runaway (1e3 times the largest target per period).
    public static let betaCeiling = 1e3

    /// The problem phrase for the fit's list of problems.
    public var problem: String {
        String(format: "chain %d is stuck in a degenerate corner of %@'s curve (%@ median %.3g)", chain, channel, parameter, median)
    }

    /// Every (chain, channel) whose draws sit in a degenerate corner, from natural-scale draws laid
    /// out as `FittedModel.draws` (`draws[(chain·perChain + draw)·n + p]`).
    public static func find(structure s: ModelStructure, draws: [Double], chains: Int, perChain: Int) -> [DegenerateCorner] {
        let n = s.dimension
        guard perChain > 0, draws.count == chains * perChain * n else { return [] }
        var out: [DegenerateCorner] = []
        for c in 0..<chains {
            for ch in s.channels {
                let count = ch.saturation.parameterCount
                for k in 0..<count {
                    let p = ch.saturationOffset + k
                    let values = (0..<perChain).map { draws[(c * perChain + $0) * n + p] }.sorted()
                    let median = values[values.count / 2]
                    let isBeta = k == count - 1
                    let collapsed = isBeta ? median > betaCeiling : median < shapeFloor
                    if collapsed {
                        out.append(DegenerateCorner(chain: c + 1, channel: ch.name, parameter: s.parameters[p].name, median: median))
                        break
                    }
                }
            }
        }
        return out
    }
}
