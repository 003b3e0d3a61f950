import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014) with Box–Muller normals: a tiny, fully specified
/// generator so a simulated dataset is the same bytes on every platform for a given seed; the
/// optimiser uses it for its starts and subsamples. (The sampler's `RandomStream` is a separate,
/// faster generator with independent per-chain streams.)
public struct SeededRandom {
    private var state: UInt64
    private var spareNormal: Double?

    public init(seed: UInt64) { state = seed }

    public mutating func nextUInt64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(nextUInt64() >> 11) * 0x1p-53 }

    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * uniform() }

    /// Integer uniform in lo...hi.
    public mutating func integer(_ lo: Int, _ hi: Int) -> Int { lo + Int(nextUInt64() % UInt64(hi - lo + 1)) }

    /// Standard normal by Box–Muller; the second value of each pair is kept for the next call.
    public mutating func normal() -> Double {
        if let z = spareNormal { spareNormal = nil; return z }
        let u1 = 1 - uniform()        // (0, 1]: log is finite
        let u2 = uniform()
        let r = (-2 * log(u1)).squareRoot()
        spareNormal = r * sin(2 * .pi * u2)
        return r * cos(2 * .pi * u2)
    }
}
