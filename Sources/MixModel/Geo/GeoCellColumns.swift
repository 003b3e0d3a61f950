/// Scratch one cell's transforms run in (allocated once per chain by the caller): the adstocked
/// series a and its parameter derivatives da (T per adstock parameter), the adstock weights'
/// scratch w and dw (L and L per parameter), the saturation's slope, and a sink for its values.
struct GeoCellScratch {
    let a, da, w, dw, slope, sink: UnsafeMutablePointer<Double>
}

extension GeoStructure.Channel {
    /// The columns of one cell for the spend series `x`, at adstock parameters `adstock` and the
    /// shape `unit` (its parameters, then β = 1, as `Saturation.accumulate` reads them), each T
    /// long: ∂h/∂shape_k (columns 0 ..< ns), h itself (column ns) and ∂h/∂adstock_k (columns
    /// ns + 1 …, through sat′(a)·∂a/∂p), and every column's total in `totals` (so H = totals[ns]).
    /// The one place a cell's transforms and their derivatives are run: the geo density on each
    /// geo's cells, `GeoBetaShift` on a channel's reference series. Allocation-free.
    @inline(__always)
    func cellColumns(adstock p: UnsafePointer<Double>, unit: UnsafePointer<Double>, spend x: UnsafePointer<Double>,
                     periods T: Int, emptyWindows: Bool, scratch s: GeoCellScratch,
                     into cols: UnsafeMutablePointer<Double>, totals: UnsafeMutablePointer<Double>) {
        let na = adstockCount, ns = shapeCount
        let hCol = cols + ns * T
        adstock.adstock(UnsafeBufferPointer(start: p, count: na), x, periods: T, into: s.a, derivatives: s.da,
                        weightScratch: s.w, derivativeScratch: s.dw, emptyWindows: emptyWindows)
        for t in 0..<T { s.sink[t] = 0 }
        saturation.accumulate(s.a, count: T, UnsafeBufferPointer(start: unit, count: ns + 1),
                              into: s.sink, slope: s.slope, dp: cols, stride: T)
        for k in 0..<na {
            let col = hCol + (k + 1) * T, dak = s.da + k * T
            for t in 0..<T { col[t] = s.slope[t] * dak[t] }
        }
        sumColumns(cols, columns: ns + 1 + na, periods: T, into: totals)
    }
}
