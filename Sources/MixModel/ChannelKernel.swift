/// One channel's transforms and parameter offsets as plain values, for the hot loops of the log
/// density and its calibration terms (no reference counting, no array lookups).
struct ChannelKernel {
    var adstock: Adstock
    var adstockCount: Int
    var adstockOffset: Int
    var saturation: Saturation
    var saturationCount: Int
    var saturationOffset: Int
    /// r of `ModelStructure.ChannelLayout.effectReference`, or NaN when β is sampled directly.
    var effectReference: Double
    /// r₀ of `effectReferenceStart`, or NaN when the reference is a single level.
    var effectReferenceStart: Double
    /// Whether the channel's spend has L or more zero periods in a row (`Adstock.hasEmptyWindow`).
    var emptyWindows = true

    init(_ ch: ModelStructure.ChannelLayout) {
        adstock = ch.adstock
        adstockCount = ch.adstock.parameterNames.count
        adstockOffset = ch.adstockOffset
        saturation = ch.saturation
        saturationCount = ch.saturation.parameterCount
        saturationOffset = ch.saturationOffset
        effectReference = ch.effectReference ?? .nan
        effectReferenceStart = ch.effectReferenceStart ?? .nan
    }
}
