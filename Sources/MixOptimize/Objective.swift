import Foundation

/// What "best" means for an allocation, evaluated on the joint posterior draws of the total
/// horizon response (so correlation between channels is respected).
public enum Objective: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Expected total response (mean over draws).
    case mean
    /// Mean − k·sd of the total response (population sd over draws).
    case meanMinusSD(k: Double)
    /// Lower q-quantile of the total response (value at risk), linearly interpolated between
    /// order statistics at position (D − 1)·q.
    case valueAtRisk(q: Double)
    /// Mean of the worst q share of draws: (1/(qD))·[Σ_{i<⌊qD⌋} t₍ᵢ₎ + (qD − ⌊qD⌋)·t₍⌊qD⌋₎].
    case conditionalValueAtRisk(q: Double)

    /// The CLI spelling: `mean`, `mean-sd:K`, `var:Q`, `cvar:Q`.
    public var description: String {
        switch self {
        case .mean: return "mean"
        case .meanMinusSD(let k): return "mean-sd:\(k)"
        case .valueAtRisk(let q): return "var:\(q)"
        case .conditionalValueAtRisk(let q): return "cvar:\(q)"
        }
    }

    /// True for the mean, whose value is a sum over channels (the DP and KKT solvers rely on it).
    public var isSeparable: Bool { self == .mean }

    /// Parses `mean | mean-sd:K | var:Q | cvar:Q` (K ≥ 0, 0 < Q < 1).
    public static func parse(_ text: String) throws -> Objective {
        let where_ = InputLocation(file: "--objective")
        let parts = text.trimmingCharacters(in: .whitespaces).lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        let expected = "expected mean, mean-sd:K (K ≥ 0), var:Q or cvar:Q (0 < Q < 1), e.g. cvar:0.05"
        guard let kind = parts.first else { throw InputError(where_, "empty objective; \(expected).") }
        func number() throws -> Double {
            guard parts.count == 2, let x = Double(parts[1].trimmingCharacters(in: .whitespaces)), x.isFinite else {
                throw InputError(where_, "\"\(text)\" needs a number after the colon; \(expected).")
            }
            return x
        }
        switch kind {
        case "mean":
            guard parts.count == 1 else { throw InputError(where_, "\"\(text)\": mean takes no parameter; \(expected).") }
            return .mean
        case "mean-sd":
            let k = try number()
            guard k >= 0 else { throw InputError(where_, "\"\(text)\": K must be ≥ 0; \(expected).") }
            return .meanMinusSD(k: k)
        case "var", "cvar":
            let q = try number()
            guard q > 0, q < 1 else { throw InputError(where_, "\"\(text)\": Q must lie strictly between 0 and 1; \(expected).") }
            return kind == "var" ? .valueAtRisk(q: q) : .conditionalValueAtRisk(q: q)
        default:
            throw InputError(where_, "unknown objective \"\(text)\"; \(expected).")
        }
    }

    /// The objective's value on per-draw totals.
    public func value(_ totals: [Double]) -> Double {
        var scratch = [Double](repeating: 0, count: totals.count)
        var order = [Int](repeating: 0, count: totals.count)
        return evaluate(totals, weights: nil, scratch: &scratch, order: &order)
    }

    /// Value, and when `weights` is given its (super)gradient with respect to each draw's total:
    /// the gradient in spend of channel c is Σ_d weights[d]·∂t_d/∂s_c. `order` is workspace.
    func evaluate(_ t: [Double], weights: UnsafeMutableBufferPointer<Double>?, scratch: inout [Double], order: inout [Int]) -> Double {
        let n = t.count
        let dn = Double(n)
        switch self {
        case .mean:
            let m = t.reduce(0, +) / dn
            if let w = weights { for d in 0..<n { w[d] = 1 / dn } }
            return m
        case .meanMinusSD(let k):
            let m = t.reduce(0, +) / dn
            var ss = 0.0
            for x in t { ss += (x - m) * (x - m) }
            let sd = (ss / dn).squareRoot()
            if let w = weights {
                for d in 0..<n { w[d] = 1 / dn - (sd > 0 ? k * (t[d] - m) / (dn * sd) : 0) }
            }
            return m - k * sd
        case .valueAtRisk(let q) where weights == nil:
            // Value only: selection in O(D) instead of a sort (the exchange search's inner loop).
            for d in 0..<n { scratch[d] = t[d] }
            let h = Double(n - 1) * q
            let i = min(Int(h.rounded(.down)), n - 1)
            let f = h - Double(i)
            let xi = Objective.select(&scratch, i)
            var next = xi
            if i + 1 < n { next = scratch[(i + 1)..<n].min()! }
            return (1 - f) * xi + f * next
        case .conditionalValueAtRisk(let q) where weights == nil:
            for d in 0..<n { scratch[d] = t[d] }
            let tail = q * dn
            let whole = min(Int(tail.rounded(.down)), n)
            var sum = 0.0
            if whole < n {
                let xk = Objective.select(&scratch, whole)
                for i in 0..<whole { sum += scratch[i] }
                sum += (tail - Double(whole)) * xk
            } else {
                sum = scratch.reduce(0, +)
            }
            return sum / tail
        case .valueAtRisk(let q):
            sortOrder(t, &order)
            let h = Double(n - 1) * q
            let i = min(Int(h.rounded(.down)), n - 1)
            let f = h - Double(i)
            let j = min(i + 1, n - 1)
            if let w = weights {
                for d in 0..<n { w[d] = 0 }
                w[order[i]] += 1 - f
                w[order[j]] += f
            }
            return (1 - f) * t[order[i]] + f * t[order[j]]
        case .conditionalValueAtRisk(let q):
            sortOrder(t, &order)
            let tail = q * dn
            let whole = min(Int(tail.rounded(.down)), n)
            let frac = tail - Double(whole)
            var sum = 0.0
            if let w = weights { for d in 0..<n { w[d] = 0 } }
            for i in 0..<whole {
                sum += t[order[i]]
                weights?[order[i]] = 1 / tail
            }
            if frac > 0, whole < n {
                sum += frac * t[order[whole]]
                weights?[order[whole]] = frac / tail
            }
            return sum / tail
        }
    }

    /// Rearranges `a` so that a[k] is the k-th smallest, everything before it ≤ a[k] and
    /// everything after ≥ a[k] (quickselect, median-of-three pivots; deterministic).
    static func select(_ a: inout [Double], _ k: Int) -> Double {
        a.withUnsafeMutableBufferPointer { x in
            var lo = 0, hi = x.count - 1
            while hi > lo {
                let mid = lo + (hi - lo) / 2
                if x[mid] < x[lo] { x.swapAt(mid, lo) }
                if x[hi] < x[lo] { x.swapAt(hi, lo) }
                if x[hi] < x[mid] { x.swapAt(hi, mid) }
                let pivot = x[mid]
                var i = lo, j = hi
                while i <= j {
                    while x[i] < pivot { i += 1 }
                    while x[j] > pivot { j -= 1 }
                    if i <= j { x.swapAt(i, j); i += 1; j -= 1 }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { break }
            }
            return x[k]
        }
    }

    private func sortOrder(_ t: [Double], _ order: inout [Int]) {
        for d in 0..<t.count { order[d] = d }
        order.sort { t[$0] < t[$1] || (t[$0] == t[$1] && $0 < $1) }
    }
}
