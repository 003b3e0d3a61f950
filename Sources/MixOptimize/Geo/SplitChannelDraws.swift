import Foundation

/// The national curves of the "historical geo split" mode: channel c spending S per period spends
/// share[g]·S in each geo g where it is live, so its response is Σ_g f[g,c](share[g]·S) and the
/// slope Σ_g share[g]·f′[g,c](share[g]·S), per draw. Carryover weights are the channel's (shared by
/// every geo in the geo model). With the history split the same way (each cell's current spend is
/// share·the channel's), the horizon response of S equals the sum of the cells' horizon responses,
/// so the national optimiser on these curves solves the split problem exactly.
struct SplitChannelDraws: ResponseDraws {
    let cells: ParametricResponseDraws
    let channelNames: [String]
    /// Per channel: (cell index, share of the channel's spend), shares summing to 1.
    let members: [[(cell: Int, share: Double)]]

    var drawCount: Int { cells.drawCount }

    func response(channel: Int, draw: Int, spend: Double) -> Double {
        responseAndSlope(channel: channel, draw: draw, spend: spend).value
    }

    func marginalResponse(channel: Int, draw: Int, spend: Double) -> Double {
        responseAndSlope(channel: channel, draw: draw, spend: spend).slope
    }

    func responseAndSlope(channel: Int, draw: Int, spend: Double) -> (value: Double, slope: Double) {
        var value = 0.0, slope = 0.0
        for m in members[channel] {
            let r = cells.channels[m.cell].evaluate(draw: draw, spend: m.share * spend)
            value += r.value
            slope += m.share * r.slope
        }
        return (value, slope)
    }

    func carryoverWeights(channel: Int, draw: Int) -> [Double] {
        cells.carryoverWeights(channel: members[channel][0].cell, draw: draw)
    }

    func isConcave(channel: Int) -> Bool {
        members[channel].allSatisfy { cells.isConcave(channel: $0.cell) }
    }
}
