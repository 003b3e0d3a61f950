import Foundation

/// MixPlan's JSON conventions, written once for every file and printout: keys sorted and
/// indented so a file diffs cleanly from one week to the next, and the numbers JSON has no
/// literal for (an unbounded marginal ROAS is +∞) written as the strings "inf", "-inf" and
/// "nan" and read back the same way — so any plan.json or summary MixPlan writes, it can read.
public enum MixJSON {
    /// An encoder with the conventions; `pretty: false` drops the indentation (large internal
    /// files such as a geo model's response draws) but keeps the sorted keys.
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// A decoder that reads what `encoder` writes.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
