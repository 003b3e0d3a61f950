import Foundation
import MixInference

/// The geo-hierarchical model's log posterior on the unconstrained scale, with its hand-written
/// gradient (model and notation in `GeoStructure`).
///
/// With e[g,t] = ∂ℓ/∂μ[g,t] = (ỹ − μ)/σ_g², every gradient is a sum of dot products:
/// - a baseline coefficient's: Σ_t e[g,t]·(its regressor), then the non-centred chain rule
///   (∂/∂mean += ∂/∂b_g, ∂/∂scale += ζ_g·∂/∂b_g, ∂/∂ζ_g += scale·∂/∂b_g), or for a centred entry
///   straight to the geo's value, whose Normal(mean, scale) prior adds r/scale to ∂/∂mean,
///   −r/scale to ∂/∂value and (r² − 1)/scale to ∂/∂scale (r = (value − mean)/scale);
/// - a cell's media term is m·h_t with m = R·X/H, so with A = Σ_t e·h_t,
///   ∂ℓ/∂log R = m·A (into the ROAS block like a baseline coefficient), and for a shape or adstock parameter p (∂h_t/∂p from `Saturation` and
///   `Adstock`, the latter through sat′(a)·∂a/∂p), ∂ℓ/∂p = m·(Σ_t e·∂h_t/∂p − A·(Σ_t ∂h_t/∂p)/H),
///   the second term from the normalisation H. Under `GeoEffect.beta` the coordinate is log β and
///   m = β: ∂ℓ/∂log β = m·A and ∂ℓ/∂p = m·Σ_t e·∂h_t/∂p, without that term.
/// A centred baseline (`GeoStructure.centredBaseline`) adds −D_g·R·X/T to ∂ℓ/∂log R[g,c], with D_g =
/// ∂ℓ/∂intercept_g (under `GeoEffect.beta` also −D_g·β·(∂H/∂p)/T to each shape parameter's). Priors and log-Jacobians are added per parameter by the prior kernels. The cost is linear in
/// geos × periods × channels; the evaluation runs one geo at a time, forward then backward, so the
/// scratch it reads back (about C·3·T numbers) stays in cache; scratch space lives in the value
/// (one copy per chain), so an evaluation allocates nothing on one thread.
///
/// The geos are cut into a fixed number of parts (`partCount`: up to 8 blocks of consecutive geos),
/// each with its own scratch and gradient; the parts' sums are added in part order. With
/// `threads` > 1 the parts run on up to that many threads, for a machine with more cores than
/// chains, but only one per `cellsPerThread` geo × period × channel cells: waking a thread costs
/// tens of µs, so geo-8x156 (10 k cells, 52 µs) was slower on 2 threads (64 µs) and geo-50x208
/// (312 k cells) 1.7× faster (1.47 → 0.86 ms). Because the parts and the order of their sums are
/// fixed, the value and gradient are the same bit for bit on any number of threads, and so are
/// the draws.
public struct GeoDensity: LogDensity {
    public let structure: GeoStructure
    /// Threads one evaluation may use (1: the calling thread alone).
    public var threads = 1
    /// The work, in geo × period × channel cells, that pays for one more thread (tests set 1).
    public var cellsPerThread = 50_000
    private var workspace: Workspace
    /// One workspace per part of the geos (`partRange`), each with its own copy of the point and gradient.
    private var parts: [Workspace]

    public init(structure: GeoStructure) {
        self.structure = structure
        workspace = Workspace(structure)
        parts = (0..<Self.partCount(structure)).map { _ in Workspace(structure) }
    }

    /// Number of parts the geos are cut into: one per geo up to 8.
    static func partCount(_ s: GeoStructure) -> Int { max(1, min(s.geoCount, 8)) }

    /// The geos of part `p` of `count`: consecutive, as even as integers allow.
    static func partRange(_ p: Int, of count: Int, geos G: Int) -> Range<Int> { (G * p / count)..<(G * (p + 1) / count) }

    public var dimension: Int { structure.dimension }
    public var parameterNames: [String] { structure.parameterNames }

    public mutating func logDensity(at u: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
        if !isKnownUniquelyReferenced(&workspace) {
            workspace = Workspace(structure)
            parts = (0..<Self.partCount(structure)).map { _ in Workspace(structure) }
        }
        let ws = workspace, s = structure
        let n = ws.n, G = ws.G, T = ws.T, C = ws.C, K = ws.K
        let x = ws.natural, dxdu = ws.dxdu, gn = ws.gradNatural
        var lp = 0.0
        for i in 0..<n {
            // A centred baseline b_g: taken as the intercept until the media are known (no prior yet, dx/du = 1).
            if ws.baselineCoordinate[i] { x[i] = u[i]; dxdu[i] = 1; g[i] = 0; gn[i] = 0; continue }
            let t = ws.priors[i].constrain(u[i])
            let p = ws.priors[i].logDensity(t.x)
            lp += p.value + t.logJacobian
            g[i] = p.derivative * t.dxdu + t.dLogJacobian
            x[i] = t.x; dxdu[i] = t.dxdu; gn[i] = 0
        }
        // Centred entries: each such geo value v ~ Normal(mean, scale) replaces its listed prior.
        for block in ws.centred {
            guard let si = block.scale, let z = block.z else { continue }
            let scale = x[si]
            for geo in 0..<G {
                for j in 0..<block.count where block.centred[geo * block.count + j] {
                    let i = z + geo * block.count + j
                    if ws.baselineCoordinate[i] { continue }   // after the media, at the intercept's value
                    if ws.conditionalCoordinate[i] { continue }   // ζ_g keeps its Normal(0, 1) (GeoConditionalIntercept)
                    let r = (x[i] - x[block.mean + j]) / scale
                    lp -= ws.priors[i].logDensity(x[i]).value
                    g[i] -= ws.priors[i].logDensity(x[i]).derivative * dxdu[i]
                    lp += -0.5 * r * r - log(scale) - 0.5 * log(2 * Double.pi)
                    gn[i] -= r / scale
                    gn[block.mean + j] += r / scale
                    gn[si] += (r * r - 1) / scale
                }
            }
        }
        // Partially centred entries: ζ̃ ~ Normal(w·mean, scale^w) replaces the listed Normal(0, 1).
        for block in ws.partial { lp += GeoPartialCentring.addPriors(block, x: x, gradNatural: gn, geos: G) }
        guard lp.isFinite else { return -.infinity }

        // Each channel's shared shape, with β = 1 (the cell's scale is m = R·X/H).
        let unit = ws.unit
        for c in 0..<C {
            let ch = ws.channels[c]
            for k in 0..<ch.shapeCount { unit[c * 4 + k] = x[ch.shapeOffset + k] }
            unit[c * 4 + ch.shapeCount] = 1
        }
        // One geo at a time, forward then backward, so its columns are still in cache when they are
        // read back (a 50-geo panel's columns for all geos are several MB); part by part, each
        // into its own workspace, then the parts' sums in part order.
        let parts = self.parts, P = parts.count, sums = ws.partSums
        let evaluate = { (p: Int) in
            let part = parts[p]
            part.natural.update(from: x, count: n)
            part.gradNatural.update(repeating: 0, count: n)
            part.unit.update(from: unit, count: 4 * C)
            var sum = 0.0
            for geo in Self.partRange(p, of: P, geos: G) {
                sum += Self.addGeo(geo, ws: part, s: s)
                if !sum.isFinite { break }
            }
            sums[p] = sum
        }
        let workers = min(threads, P, max(1, G * T * C / cellsPerThread))
        if workers > 1 {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for p in stride(from: worker, to: P, by: workers) { evaluate(p) }
            }
        } else {
            for p in 0..<P { evaluate(p) }
        }
        for p in 0..<P {
            guard sums[p].isFinite else { return -.infinity }
            lp += sums[p]
            let partGradient = parts[p].gradNatural
            for i in 0..<n { gn[i] += partGradient[i] }
        }
        guard lp.isFinite else { return -.infinity }
        for i in 0..<n { g[i] += gn[i] * dxdu[i] }
        return lp
    }

    /// Geo `geo`'s terms: its mean μ[g,·] (baseline, then media per active cell), the centred
    /// baseline's shift and prior, the likelihood, and every gradient through them (into
    /// `ws.gradNatural`). Returns their log density.
    @inline(__always)
    private static func addGeo(_ geo: Int, ws: Workspace, s: GeoStructure) -> Double {
        let T = ws.T, C = ws.C, K = ws.K, F = 2 * s.fourierOrder
        let x = ws.natural, gn = ws.gradNatural, m = ws.mu, e = ws.e
        var lp = 0.0
        // Baseline (a conditional intercept is integrated out: b̄ here, the rest in the likelihood).
        let conditional = ws.conditionalGeo[geo]
        let b = conditional ? x[s.intercept.mean] : ws.pooledValue(s.intercept, 0, geo)
        for t in 0..<T { m[t] = b }
        for j in 0..<F {
            let f = ws.pooledValue(s.fourier, j, geo), basis = ws.fourier + j * T
            for t in 0..<T { m[t] += f * basis[t] }
        }
        if let tr = s.trend {
            let d = ws.pooledValue(tr, 0, geo)
            for t in 0..<T { m[t] += d * ws.trend[t] }
        }
        for k in 0..<K {
            let gamma = x[s.controlOffset + k], z = ws.controls + (geo * K + k) * T
            for t in 0..<T { m[t] += gamma * z[t] }
        }
        // Media: per active cell its adstock, saturation and m = R·X/H.
        for c in 0..<C {
            let cell = geo * C + c
            guard ws.active[cell] else { continue }
            let ch = ws.channels[c]
            let cols = ws.cellColumns + ws.cellOffset[c]
            let hCol = cols + ch.shapeCount * T
            // The cell's columns and their totals (H and the normalisation terms below).
            let totals = ws.columnTotals + c * ws.maxColumns
            ch.cellColumns(adstock: x + ch.adstockOffset, unit: ws.unit + c * 4, spend: ws.spend + cell * T, periods: T,
                           emptyWindows: ws.emptyWindows[cell], scratch: ws.cell, into: cols, totals: totals)
            let H = totals[ch.shapeCount]
            let coefficient = exp(ws.pooledValue(ch.roas, 0, geo)) * (ch.effect == .roas ? ws.spendInTargetUnits[cell] / H : 1)
            ws.coefficient[c] = coefficient
            ws.hSum[c] = H
            for t in 0..<T { m[t] += coefficient * hCol[t] }
        }
        // Centred baseline (GeoStructure.centredBaseline): intercept_g = b_g − Σ_c R·X/T, and its prior there.
        let baselineIndex = ws.baseline[geo] ? s.interceptCoordinate(geo) : -1
        if baselineIndex >= 0 {
            let i = baselineIndex
            var shift = 0.0
            for c in 0..<C where ws.active[geo * C + c] { shift += ws.coefficient[c] * ws.hSum[c] }
            shift /= Double(T)
            x[i] -= shift
            for t in 0..<T { m[t] -= shift }
            if let si = s.intercept.scale {
                let scale = x[si], r = (x[i] - x[s.intercept.mean]) / scale
                lp += -0.5 * r * r - log(scale) - 0.5 * log(2 * Double.pi)
                gn[i] -= r / scale
                gn[s.intercept.mean] += r / scale
                gn[si] += (r * r - 1) / scale
            } else {
                let p = ws.priors[i].logDensity(x[i])
                lp += p.value
                gn[i] += p.derivative
            }
        }
        // Likelihood, and e = ∂ℓ/∂μ.
        let si = s.sigmaOffset + geo, sigma = x[si], inv2 = 1 / (sigma * sigma)
        let ss = residuals(ws.y + geo * T, m, into: e, T)
        if conditional, let scale = s.intercept.scale {
            let marginal = GeoConditionalIntercept.likelihood(e, squares: ss, periods: T, sigma: sigma, scale: x[scale])
            lp += marginal.value
            gn[si] += marginal.dSigma
            gn[scale] += marginal.dScale
        } else {
            for t in 0..<T { e[t] *= inv2 }
            lp += -0.5 * ss * inv2 - Double(T) * (log(sigma) + 0.5 * log(2 * Double.pi))
            gn[si] += ss * inv2 / sigma - Double(T) / sigma
        }
        // Backward: baseline.
        sumColumns(e, columns: 1, periods: T, into: ws.dots)
        if conditional { gn[s.intercept.mean] += ws.dots[0] } else { ws.addPooled(s.intercept, 0, geo, ws.dots[0]) }
        for j in 0..<F { ws.addPooled(s.fourier, j, geo, dot(e, ws.fourier + j * T, T)) }
        if let tr = s.trend { ws.addPooled(tr, 0, geo, dot(e, ws.trend, T)) }
        for k in 0..<K { gn[s.controlOffset + k] += dot(e, ws.controls + (geo * K + k) * T, T) }
        // Backward: the centred baseline's chain rule, ∂ℓ/∂log R[g,c] gains −D_g·R·X/T (D_g = ∂ℓ/∂intercept_g, now complete);
        // under GeoEffect.beta the shift β·H/T also moves with the shape: ∂ℓ/∂p gains −D_g·β·(∂H/∂p)/T.
        if baselineIndex >= 0 {
            let d = gn[baselineIndex] / Double(T)
            for c in 0..<C where ws.active[geo * C + c] {
                let ch = ws.channels[c]
                ws.addPooled(ch.roas, 0, geo, -d * ws.coefficient[c] * ws.hSum[c])
                guard ch.effect == .beta else { continue }
                let ns = ch.shapeCount, totals = ws.columnTotals + c * ws.maxColumns
                for p in 0..<(ns + ch.adstockCount) {
                    let column = p < ns ? p : p + 1
                    let index = p < ns ? ch.shapeOffset + p : ch.adstockOffset + (p - ns)
                    gn[index] -= d * ws.coefficient[c] * totals[column]
                }
            }
        }
        // Backward: media.
        for c in 0..<C {
            guard ws.active[geo * C + c] else { continue }
            let ch = ws.channels[c]
            let ns = ch.shapeCount, np = ch.shapeCount + ch.adstockCount
            let cols = ws.cellColumns + ws.cellOffset[c]
            let mc = ws.coefficient[c], H = ws.hSum[c]
            // Σ_t e·column for every column of the cell in one pass over e.
            let dots = ws.dots, totals = ws.columnTotals + c * ws.maxColumns
            dotColumns(e, cols, columns: np + 1, periods: T, into: dots)
            let A = dots[ns]
            ws.addPooled(ch.roas, 0, geo, mc * A)
            let normalisation = ch.effect == .roas ? A / H : 0   // m = β does not divide by H
            for p in 0..<np {
                // Columns: shape 0…ns−1, h, then adstock 0…na−1.
                let column = p < ns ? p : p + 1
                let index = p < ns ? ch.shapeOffset + p : ch.adstockOffset + (p - ns)
                gn[index] += mc * (dots[column] - normalisation * totals[column])
            }
        }
        return lp
    }

    /// Scratch buffers and read-only copies of the data, allocated once per chain.
    private final class Workspace {
        let n, G, T, C, K: Int
        let natural, dxdu, gradNatural, mu, e, unit: UnsafeMutablePointer<Double>
        /// One cell's transform scratch (`GeoStructure.Channel.cellColumns`).
        let cell: GeoCellScratch
        let spend, y, controls, fourier, trend, spendInTargetUnits, coefficient, hSum, cellColumns: UnsafeMutablePointer<Double>
        /// μ, e, each channel's m and H, and the cell columns (at `cellOffset[c]`) hold the geo being evaluated.
        let cellOffset: UnsafeMutablePointer<Int>
        let active: UnsafeMutablePointer<Bool>
        /// Per cell whether its spend has a run of zeros the adstock recursion must reset on
        /// (`Adstock.hasEmptyWindow`; false lets it take the two-lane path).
        let emptyWindows: UnsafeMutablePointer<Bool>
        /// Per channel of the current geo its columns' totals (`maxColumns` apart), and scratch for one cell's dot products.
        let columnTotals, dots: UnsafeMutablePointer<Double>
        /// Per part of the geos its log-density sum (used in the evaluation's own workspace).
        let partSums: UnsafeMutablePointer<Double>
        let maxColumns: Int
        /// Per geo whether it samples the centred baseline, and per coordinate whether it is one.
        let baseline, baselineCoordinate: UnsafeMutablePointer<Bool>
        /// Per geo whether its intercept is conditional (`GeoConditionalIntercept`), and per coordinate whether it is that ζ_g.
        let conditionalGeo, conditionalCoordinate: UnsafeMutablePointer<Bool>
        let priors: UnsafeMutablePointer<PriorKernel>
        let channels: [GeoStructure.Channel]
        /// The pooled blocks with centred entries (their hierarchical prior is added per evaluation).
        let centred: [GeoStructure.Pooled]
        /// The pooled blocks with partially centred entries (`GeoPartialCentring`).
        let partial: [GeoStructure.Pooled]
        private var owned: [UnsafeMutablePointer<Double>] = []

        init(_ s: GeoStructure) {
            n = s.dimension; G = s.geoCount; T = s.periodCount; C = s.channels.count; K = s.controlNames.count
            let L = s.channels.map(\.adstock.maxLag).max() ?? 1
            var owned: [UnsafeMutablePointer<Double>] = []
            func buffer(_ count: Int) -> UnsafeMutablePointer<Double> {
                let b = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
                b.initialize(repeating: 0, count: max(count, 1))
                owned.append(b)
                return b
            }
            func copy(_ values: [Double]) -> UnsafeMutablePointer<Double> {
                let b = buffer(values.count)
                for i in values.indices { b[i] = values[i] }
                return b
            }
            natural = buffer(n); dxdu = buffer(n); gradNatural = buffer(n)
            mu = buffer(T); e = buffer(T)
            cell = GeoCellScratch(a: buffer(T), da: buffer(2 * T), w: buffer(L), dw: buffer(2 * L), slope: buffer(T), sink: buffer(T))
            unit = buffer(4 * C)
            spend = copy(s.scaledSpend); y = copy(s.scaledTarget); controls = copy(s.controls)
            fourier = copy(s.fourierBasis); trend = copy(s.trendBasis); spendInTargetUnits = copy(s.spendInTargetUnits)
            coefficient = buffer(C); hSum = buffer(C)
            cellOffset = .allocate(capacity: max(C, 1))
            active = .allocate(capacity: max(G * C, 1))
            for cell in 0..<(G * C) { active[cell] = s.active[cell] }
            var offset = 0
            for (c, ch) in s.channels.enumerated() {
                cellOffset[c] = offset
                offset += (ch.saturation.parameterCount + ch.adstockCount) * T
            }
            cellColumns = buffer(offset)
            maxColumns = s.channels.map { $0.saturation.parameterCount + $0.adstockCount }.max() ?? 1
            columnTotals = buffer(C * maxColumns); dots = buffer(maxColumns)
            partSums = buffer(GeoDensity.partCount(s))
            let empty = UnsafeMutablePointer<Bool>.allocate(capacity: max(G * C, 1))
            for geo in 0..<G {
                for (c, ch) in s.channels.enumerated() {
                    empty[geo * C + c] = Adstock.hasEmptyWindow(spend + (geo * C + c) * T, lags: ch.adstock.maxLag, periods: T)
                }
            }
            emptyWindows = empty
            // A per-geo intercept form, as a flag per geo and a flag on that geo's intercept coordinate.
            let interceptFlags = { [G, n, s] (perGeo: [Bool]) -> (UnsafeMutablePointer<Bool>, UnsafeMutablePointer<Bool>) in
                let geo = UnsafeMutablePointer<Bool>.allocate(capacity: max(G, 1))
                let coordinate = UnsafeMutablePointer<Bool>.allocate(capacity: max(n, 1))
                coordinate.initialize(repeating: false, count: max(n, 1))
                for g in 0..<G {
                    geo[g] = perGeo[g]
                    if perGeo[g] { coordinate[s.interceptCoordinate(g)] = true }
                }
                return (geo, coordinate)
            }
            (baseline, baselineCoordinate) = interceptFlags(s.centredBaseline)
            (conditionalGeo, conditionalCoordinate) = interceptFlags(s.conditionalIntercept)
            priors = .allocate(capacity: max(n, 1))
            for i in 0..<n { (priors + i).initialize(to: s.parameters[i].prior.kernel) }
            channels = s.channels
            centred = ([s.intercept, s.fourier] + (s.trend.map { [$0] } ?? []) + s.channels.map(\.roas))
                .filter { $0.scale != nil && $0.centred.contains(true) }
            partial = s.channels.map(\.roas).filter { $0.scale != nil && $0.weight.contains { $0 > 0 } }
            self.owned = owned
        }

        deinit {
            for b in owned { b.deallocate() }
            priors.deinitialize(count: n).deallocate()
            cellOffset.deallocate()
            active.deallocate()
            emptyWindows.deallocate()
            baseline.deallocate()
            baselineCoordinate.deallocate()
            conditionalGeo.deallocate()
            conditionalCoordinate.deallocate()
        }

        /// A pooled block's value for entry `j` in `geo` (`GeoStructure.Pooled.value`).
        @inline(__always)
        func pooledValue(_ block: GeoStructure.Pooled, _ j: Int, _ geo: Int) -> Double { block.value(natural, j, geo) }

        /// Adds ∂ℓ/∂(pooled value) = `d` to the block's mean, scale and ζ (natural-scale gradients).
        @inline(__always)
        func addPooled(_ block: GeoStructure.Pooled, _ j: Int, _ geo: Int, _ d: Double) {
            guard let s = block.scale, let z = block.z else { gradNatural[block.mean + j] += d; return }
            let zi = z + geo * block.count + j
            if block.centred[geo * block.count + j] { gradNatural[zi] += d; return }
            if !block.weight.isEmpty, block.weight[geo * block.count + j] > 0 {
                GeoPartialCentring.addGradient(d, mean: block.mean + j, scale: s, coordinate: zi, weight: block.weight[geo * block.count + j],
                                               x: natural, gradNatural: gradNatural)
                return
            }
            gradNatural[block.mean + j] += d
            gradNatural[s] += d * natural[zi]
            gradNatural[zi] += d * natural[s]
        }
    }
}
