/// The largest inputs MixPlan accepts, in one place: beyond them a run would exhaust memory, take
/// days, or overflow, so they are refused up front with an error naming the key, flag or file
/// (README, "Limits"). Each bound is far above any sensible use.
public enum Limits {
    /// `sampler.chains` / `--chains`.
    public static let chains = 1...256
    /// `sampler.warmup` / `--warmup`: warm-up iterations per chain.
    public static let warmup = 0...100_000
    /// `sampler.draws` / `--draws`: kept draws per chain.
    public static let draws = 1...100_000
    /// Kept draws over all chains (chains × draws): the draws are held in memory and written to
    /// draws.csv, so 1,000,000 is about 300 MB for a model of 40 parameters.
    public static let totalDraws = 1_000_000
    /// `optimizer.periods` / `--periods`: the planning horizon, in periods of the data.
    public static let horizon = 1...1_000
    /// Rows (periods) in a dataset: ≈ 11 years of daily or 77 years of weekly data.
    public static let periods = 4_000
    /// Channels and controls in a dataset, each.
    public static let columns = 100
    /// Bytes in a config file. The fully documented `Templates/mixplan.yaml` is under 9 KB; the
    /// YAML library's time grows with the number of nodes (128 KiB of `a: 1` lines, all
    /// duplicates, took 0.75 s to reject, 64 KiB 0.65 s, on 2 cores shared with other builds), so
    /// this bound keeps every rejection well under a second.
    public static let configBytes = 64 << 10
    /// Characters in one config value or key (a path may be 4,096 bytes long on Linux). Values
    /// are quoted in error messages and parsed as priors, dates and paths; nothing longer is
    /// meaningful.
    public static let configValueLength = 4_096
    /// Characters in a column name (target, channel, control, date): Excel's cell and sheet
    /// limits, and every chart and report line, need names of a readable length.
    public static let nameLength = 255

    /// Why `chains` × `draws` is too many kept draws, or nil.
    public static func totalDrawsProblem(chains: Int, draws: Int) -> (message: String, hint: String)? {
        let (total, overflow) = chains.multipliedReportingOverflow(by: draws)
        guard overflow || total > totalDraws else { return nil }
        return ("asks for \(grouped(chains)) chains × \(grouped(draws)) draws; at most \(grouped(totalDraws)) kept draws in all are supported",
                "Fewer draws per chain are enough: 1,000 per chain over 4 chains gives a reliable fit.")
    }

    /// "from A to B" for an error message.
    public static func describe(_ range: ClosedRange<Int>) -> String {
        "from \(grouped(range.lowerBound)) to \(grouped(range.upperBound))"
    }

    /// 100000 → "100,000".
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
