/// "Did you mean …?" for misspelt column names and config keys.
public enum NameSuggestion {
    /// Edit distance counting insertions, deletions, substitutions and swaps of adjacent
    /// characters (Levenshtein plus transpositions, the "optimal string alignment" distance),
    /// so the common typo "modle" is one edit from "model".
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let s = Array(a), t = Array(b)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var beforePrevious = [Int](repeating: 0, count: t.count + 1)
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...s.count {
            current[0] = i
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[t.count]
    }

    /// The candidate closest to `name` (case-insensitively), if it is close enough to be a
    /// plausible typo: at most a third of the longer name's length, and at least 1 edit allowed.
    /// Names longer than `Limits.nameLength` are neither suggested nor given a suggestion: no
    /// column or key is that long, and the distance costs the product of the two lengths (the
    /// fuzzer's CSV header of 16 KB names spent seconds here).
    public static func nearest(to name: String, in candidates: [String]) -> String? {
        guard name.utf8.count <= 4 * Limits.nameLength, name.count <= Limits.nameLength else { return nil }
        let lower = name.lowercased()
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate.utf8.count <= 4 * Limits.nameLength && candidate.count <= Limits.nameLength {
            let d = editDistance(lower, candidate.lowercased())
            if best == nil || d < best!.distance { best = (candidate, d) }
        }
        guard let best else { return nil }
        let allowed = max(1, max(name.count, best.name.count) / 3)
        return best.distance <= allowed ? best.name : nil
    }

    /// ` Did you mean "x"?` or an empty string, ready to append to a message.
    public static func didYouMean(_ name: String, in candidates: [String]) -> String? {
        nearest(to: name, in: candidates).map { "Did you mean \"\($0)\"?" }
    }
}
