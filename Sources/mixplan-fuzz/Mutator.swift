import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast and fully determined by its seed, so input
/// number i of a run can be regenerated exactly from (seed, i).
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n (n ≥ 1); the modulo bias is irrelevant for fuzzing.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
}

/// Turns valid sample files into plausible bad ones: the mistakes spreadsheets, editors, cut-off
/// downloads and hand-edited YAML make, plus raw byte damage.
struct Mutator {
    let seeds: [Data]

    /// Tokens that sit on the parsers' decision points.
    static let tokens: [[UInt8]] = [
        ",", ";", "\t", "|", "\"", "\"\"", "\n", "\r", "\r\n", "\n\n", " ", "'", "#", ":", ": ", "- ", "  ",
        "[", "]", "{", "}", "&a ", "*a", "!!binary ", "!!str ", "---\n", "...\n", "? ", "%YAML 1.1\n", "~", "null",
        "0", "-0", "-1", "1e308", "-1e309", "1e-400", "99999999999999999999999999", "0x1p3", "1_000", "1,234.56",
        "\"1,234.56\"", "1.234,56", "NaN", "nan", "-inf", "Infinity", "#DIV/0!", "1.5.2", "--5", "+", ".", "e5",
        "2024-02-30", "2023-13-01", "0000-01-01", "9999-12-31", "1/7/2024", "13/13/2024", "2024-1-7",
        "true", "yes", "Beta(1, 3)", "HalfNormal(-1)", "Gamma(mu=0, sigma=0)", "Normal(mu=1e400, sigma=1)",
        "Betta(", "()", "data:\n", "  channels: [", "sampler:\n  chains: ", "model:\n  priors:\n    sigma: ",
        "optimizer:\n  objective: cvar:", "\u{FEFF}", "é", "😀", "\u{202E}", "\u{0}",
    ].map { Array($0.utf8) } + [[0xC3], [0xFF], [0xFE, 0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00]]

    /// Input number `index` of the run with `seed`: a seed file (or two spliced) with 1–6
    /// mutations stacked.
    func input(seed: UInt64, index: Int) -> Data {
        var rng = SplitMix64(seed: seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
        var bytes = [UInt8](seeds[rng.below(seeds.count)])
        for _ in 0..<(1 + rng.below(6)) { mutate(&bytes, &rng) }
        return Data(bytes)
    }

    private func mutate(_ b: inout [UInt8], _ rng: inout SplitMix64) {
        let at = rng.below(b.count + 1)
        switch rng.below(14) {
        case 0: // flip a bit
            if !b.isEmpty { b[rng.below(b.count)] ^= 1 << UInt8(rng.below(8)) }
        case 1: // overwrite a byte
            if !b.isEmpty { b[rng.below(b.count)] = UInt8(truncatingIfNeeded: rng.next()) }
        case 2: // truncate (a cut-off download)
            b.removeSubrange(at...)
        case 3, 4: // insert a token
            b.insert(contentsOf: Self.tokens[rng.below(Self.tokens.count)], at: at)
        case 5: // replace a run with a token
            let end = min(b.count, at + rng.below(12))
            b.replaceSubrange(at..<end, with: Self.tokens[rng.below(Self.tokens.count)])
        case 6: // delete a run
            b.removeSubrange(at..<min(b.count, at + 1 + rng.below(64)))
        case 7: // duplicate a run (repeated rows, dates, keys)
            let end = min(b.count, at + 1 + rng.below(200))
            b.insert(contentsOf: Array(b[at..<end]), at: rng.below(b.count + 1))
        case 8: // replace every occurrence of one delimiter byte by another (a different dialect)
            let from: [UInt8] = [0x2C, 0x0A, 0x3A, 0x2D, 0x2E, 0x20]
            let to: [UInt8] = [0x3B, 0x0D, 0x09, 0x2C, 0x22, 0x00]
            let f = from[rng.below(from.count)], t = to[rng.below(to.count)]
            for i in b.indices where b[i] == f { b[i] = t }
        case 9: // a long run of one byte (a huge line, a huge number, deep indentation)
            let run: [UInt8] = [0x31, 0x2C, 0x22, 0x20, 0x41, 0x0A]
            b.insert(contentsOf: [UInt8](repeating: run[rng.below(run.count)], count: 1 << (4 + rng.below(14))), at: at)
        case 10: // deep nesting for the YAML parser
            let depth = 1 << (3 + rng.below(12))
            let (open, close): (UInt8, UInt8) = rng.below(2) == 0 ? (0x5B, 0x5D) : (0x7B, 0x7D)
            b.insert(contentsOf: [UInt8](repeating: open, count: depth) + [UInt8](repeating: close, count: rng.below(2) * depth), at: at)
        case 11: // splice with another seed
            let other = [UInt8](seeds[rng.below(seeds.count)])
            let cut = rng.below(other.count + 1)
            b = Array(b[..<at]) + other[cut...]
        case 12: // swap two lines
            var lines = b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            if lines.count > 2 {
                lines.swapAt(rng.below(lines.count), rng.below(lines.count))
                b = Array(lines.joined(separator: [0x0A]))
            }
        default: // an arithmetic change to a digit (numbers, dates, counts)
            if let i = b.indices.dropFirst(rng.below(max(1, b.count))).first(where: { b[$0] >= 0x30 && b[$0] <= 0x39 }) {
                b[i] = 0x30 + UInt8(rng.below(10))
            }
        }
    }
}
