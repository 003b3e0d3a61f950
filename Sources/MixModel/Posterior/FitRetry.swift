import Foundation
import MixInference

/// The record of `sampler.retry`: the first fit failed the convergence gate on divergent
/// transitions alone, so the model was refitted once at a higher target acceptance (a smaller
/// step size, which removes divergences caused by the step rather than by the posterior) and the
/// refit's draws are the ones kept. Every output that shows the verdict shows this too, so a fit
/// that passed only on its second try is never shown as a plain pass.
public struct FitRetry: Sendable, Codable, Equatable {
    /// Why the first fit was refitted: its failed check, e.g. "3 divergent transitions after warm-up".
    public var reason: String
    /// The first fit's target acceptance and the refit's.
    public var firstTargetAccept: Double
    public var targetAccept: Double
    /// What the discarded first fit cost.
    public var firstSeconds: Double
    public var firstGradientEvaluations: Int

    public init(reason: String, firstTargetAccept: Double, targetAccept: Double, firstSeconds: Double, firstGradientEvaluations: Int) {
        self.reason = reason
        self.firstTargetAccept = firstTargetAccept
        self.targetAccept = targetAccept
        self.firstSeconds = firstSeconds
        self.firstGradientEvaluations = firstGradientEvaluations
    }

    /// The refit's target acceptance after a first fit at `targetAccept`: 0.95 from below it,
    /// 0.99 from below that, nil from 0.99 up (there is no useful step left).
    public static func nextTargetAccept(after targetAccept: Double) -> Double? {
        if targetAccept < 0.95 { return 0.95 }
        if targetAccept < 0.99 { return 0.99 }
        return nil
    }

    /// True when `verdict` failed on divergent transitions and on nothing else: the one failure a
    /// smaller step can cure. Any other failed check (R̂, ESS, tree depth, the baseline…) is left
    /// to the analyst, since a refit at a higher target acceptance would hide, not cure, it.
    public static func warranted(by verdict: ConvergenceVerdict) -> Bool {
        !verdict.passed && verdict.reasons.allSatisfy { $0.check == .divergences }
    }

    /// One sentence for the fit output, the report and the workbook.
    public var sentence: String {
        String(format: "Refitted once: the first fit at target acceptance %@ failed only on divergences (%@), so these results come from a second fit at %@ (sampler.retry).",
               Self.number(firstTargetAccept), reason, Self.number(targetAccept))
    }

    private static func number(_ x: Double) -> String {
        var s = String(format: "%.3f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
