import Foundation

/// Sampler coordinates for a pooled log β that move with the channel's shape: under
/// `GeoEffect.beta` each channel's pooled mean μ_c is sampled as
///
///     μ̃_c = μ_c + S_c(θ_c),   S_c(θ) = log(H_ref(θ) / X_ref)
///
/// where H_ref is the saturated, adstocked sum (β = 1) of the channel's reference series (its
/// per-period spend averaged over the geos where it spends) at the channel's adstock and shape θ_c,
/// and X_ref that series' spend in target units. μ̃_c is the log ROAS a geo with the reference
/// spend would have, which the data measure.
///
/// Why: the data pin down each cell's contribution β·H(θ), not β and θ apart, so in the model's
/// own coordinates log β and the shape (logistic λ, adstock α) move together along a long, curved
/// ridge — on geo-8x156 the fits took 540 leapfrog steps per draw, as PyMC-Marketing's samplers do
/// on the same model (README, *Geo panels*). Shifting μ by S_c(θ) straightens it: a move in θ now
/// carries every geo's log β along with its reference log H.
///
/// The posterior is the same: for a fixed θ the map μ̃ → μ is a shift, so the Jacobian of
/// (μ̃, θ) → (μ, θ) is triangular with ones on its diagonal and the density gains no term. Each
/// evaluation maps μ̃ to μ before `GeoDensity` and pulls the gradient back, ∂ℓ/∂θ −= ∂ℓ/∂μ·∂S/∂θ;
/// the draws are mapped back, so nothing downstream sees μ̃. ROAS-coordinate channels are untouched.
struct GeoBetaShift: Sendable {
    struct Channel: Sendable {
        let channel: GeoStructure.Channel
        /// μ_c's coordinate.
        let mean: Int
        /// θ's coordinates: the shape's parameters, then the adstock's (the order of the cell columns).
        let parameters: [Int]
        let kernels: [PriorKernel]
        /// The reference series in scaled spend, and log X_ref.
        let reference: [Double]
        let logSpend: Double
        let emptyWindows: Bool
    }

    let channels: [Channel]
    let periods: Int

    /// The shifted channels of `s`: every β-coordinate channel that spends in some geo (none when `enabled` is false).
    init(structure s: GeoStructure, enabled: Bool = true) {
        let G = s.geoCount, C = s.channels.count, T = s.periodCount
        periods = T
        guard enabled else { channels = []; return }
        channels = s.channels.indices.compactMap { c -> Channel? in
            let ch = s.channels[c]
            let geos = (0..<G).filter { s.active[$0 * C + c] }
            guard ch.effect == .beta, !geos.isEmpty, case .real = s.parameters[ch.roas.mean].prior.support else { return nil }
            var reference = [Double](repeating: 0, count: T)
            var spend = 0.0
            for g in geos {
                let cell = g * C + c
                for t in 0..<T { reference[t] += s.scaledSpend[cell * T + t] / Double(geos.count) }
                spend += s.spendInTargetUnits[cell] / Double(geos.count)
            }
            guard spend > 0 else { return nil }
            precondition(ch.shapeCount + ch.adstockCount <= Scratch.maxParameters, "channel \(ch.name) has more shape and adstock parameters than GeoBetaShift holds")
            let parameters = (0..<ch.shapeCount).map { ch.shapeOffset + $0 } + (0..<ch.adstockCount).map { ch.adstockOffset + $0 }
            let empty = reference.withUnsafeBufferPointer { Adstock.hasEmptyWindow($0.baseAddress!, lags: ch.adstock.maxLag, periods: T) }
            return Channel(channel: ch, mean: ch.roas.mean, parameters: parameters, kernels: parameters.map { s.parameters[$0].prior.kernel },
                           reference: reference, logSpend: log(spend), emptyWindows: empty)
        }
    }

    var isEmpty: Bool { channels.isEmpty }

    /// Turns each μ̃ in `u` into μ = μ̃ − S(θ(u)) and writes ∂S/∂u_θ into `scratch.slopes` (`maxParameters` apart per shifted channel).
    func toModel(_ u: UnsafeMutablePointer<Double>, scratch: Scratch) {
        for (k, c) in channels.enumerated() {
            let shift = Self.shift(c, u, periods: periods, scratch: scratch, slopes: scratch.slopes + k * Scratch.maxParameters)
            u[c.mean] -= shift
        }
    }

    /// The inverse of `toModel`: μ̃ = μ + S(θ(u)).
    func fromModel(_ u: UnsafeMutablePointer<Double>, scratch: Scratch) {
        for (k, c) in channels.enumerated() {
            u[c.mean] += Self.shift(c, u, periods: periods, scratch: scratch, slopes: scratch.slopes + k * Scratch.maxParameters)
        }
    }

    /// The chain rule of `toModel`, in place on the model's gradient `gu`: ∂ℓ/∂u_θ −= ∂ℓ/∂μ·∂S/∂u_θ
    /// (∂ℓ/∂μ̃ = ∂ℓ/∂μ, so that slot stays). Uses the slopes of the last `toModel`.
    func pullBack(_ gu: UnsafeMutablePointer<Double>, scratch: Scratch) {
        for (k, c) in channels.enumerated() {
            let d = gu[c.mean], slopes = scratch.slopes + k * Scratch.maxParameters
            for (p, i) in c.parameters.enumerated() { gu[i] -= d * slopes[p] }
        }
    }

    /// S(θ) for channel `c` at unconstrained point `u`, writing ∂S/∂u_θ into `slopes`.
    private static func shift(_ c: Channel, _ u: UnsafePointer<Double>, periods T: Int, scratch: Scratch,
                              slopes: UnsafeMutablePointer<Double>) -> Double {
        let ch = c.channel, ns = ch.shapeCount, na = ch.adstockCount
        let theta = scratch.theta, dxdu = scratch.dxdu
        for (p, i) in c.parameters.enumerated() {
            let t = c.kernels[p].constrain(u[i])
            theta[p] = t.x; dxdu[p] = t.dxdu
        }
        // The shape with β = 1 (the layout `Saturation.accumulate` reads), then the adstock's parameters.
        let unit = scratch.unit, totals = scratch.totals
        for k in 0..<ns { unit[k] = theta[k] }
        unit[ns] = 1
        c.reference.withUnsafeBufferPointer { x in
            ch.cellColumns(adstock: theta + ns, unit: unit, spend: x.baseAddress!, periods: T, emptyWindows: c.emptyWindows,
                           scratch: scratch.cell, into: scratch.columns, totals: totals)
        }
        let H = totals[ns]
        for p in 0..<(ns + na) { slopes[p] = totals[p < ns ? p : p + 1] / H * dxdu[p] }
        return log(H) - c.logSpend
    }

    /// Per-chain scratch for one channel's reference series (allocated once; an evaluation allocates nothing).
    final class Scratch {
        /// The most shape and adstock parameters a channel has (Hill's two plus a two-parameter adstock, with room).
        static let maxParameters = 6
        let theta, dxdu, unit, columns, totals, slopes: UnsafeMutablePointer<Double>
        let cell: GeoCellScratch
        private let arena = ScratchArena()

        init(_ shift: GeoBetaShift) {
            let T = max(shift.periods, 1), L = max(shift.channels.map(\.channel.adstock.maxLag).max() ?? 1, 1)
            let P = Self.maxParameters, arena = self.arena
            theta = arena.buffer(P); dxdu = arena.buffer(P); unit = arena.buffer(P)
            cell = GeoCellScratch(a: arena.buffer(T), da: arena.buffer(P * T), w: arena.buffer(L), dw: arena.buffer(P * L),
                                  slope: arena.buffer(T), sink: arena.buffer(T))
            columns = arena.buffer((P + 1) * T); totals = arena.buffer(P + 1); slopes = arena.buffer(P * max(shift.channels.count, 1))
        }
    }
}
