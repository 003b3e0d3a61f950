import Foundation
import MixData

/// How the optimiser evaluates an `Objective` (declared and parsed in MixData) on the joint
/// posterior draws of the total horizon response (so correlation between channels is respected).
extension Objective {
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
