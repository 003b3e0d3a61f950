extension ColumnGuess {
    /// An exposure column and the spend column of the same stem, as one channel named `name`.
    struct ExposurePair {
        var name: String
        var exposure: ColumnProfile
        var spend: ColumnProfile
    }

    /// Exposure columns paired with spend columns of the same stem: the name without its spend
    /// or exposure words (`mdsp_tv` and `mdip_tv` → `tv`; `tv_spend` and `tv_impressions` → `tv`).
    /// A stem shared by more than one spend or exposure column pairs nothing (the guess would be
    /// arbitrary). The channel is named by the stem unless that is another column's name
    /// (`taken`), then by its spend column.
    static func pairs(spend: [ColumnProfile], exposures: [ColumnProfile], taken: [String]) -> [ExposurePair] {
        func stems(_ columns: [ColumnProfile]) -> [String: [ColumnProfile]] {
            Dictionary(grouping: columns.compactMap { p in stem(p).map { ($0, p) } }, by: \.0).mapValues { $0.map(\.1) }
        }
        let spendByStem = stems(spend)
        return stems(exposures).compactMap { stem, found -> ExposurePair? in
            guard found.count == 1, let money = spendByStem[stem], money.count == 1 else { return nil }
            let name = taken.contains(stem) ? money[0].name : stem
            return ExposurePair(name: name, exposure: found[0], spend: money[0])
        }.sorted { $0.spend.index < $1.spend.index }
    }

    /// The name without its spend and exposure words (whole `_` words, or a trailing or leading
    /// `spend`/`cost`/`impressions` glued on as in `tvspend`); nil when nothing is left or nothing
    /// was removed.
    static func stem(_ p: ColumnProfile) -> String? {
        let marks = Set(spendWords + exposureWords)
        let kept = p.words.filter { !marks.contains(String($0)) }
        if !kept.isEmpty, kept.count < p.words.count { return kept.joined(separator: "_") }
        for glued in ["impressions", "impression", "spend", "cost", "clicks", "views", "grps", "grp"] {
            if p.key.hasSuffix(glued), p.key.count > glued.count { return String(p.key.dropLast(glued.count)) }
            if p.key.hasPrefix(glued), p.key.count > glued.count { return String(p.key.dropFirst(glued.count)) }
        }
        return nil
    }
}
