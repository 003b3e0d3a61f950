/// Facts about this build of MixPlan, recorded in every saved model and report.
public enum MixPlanInfo {
    /// Semantic version of the package.
    public static let version = "0.1.0"
}
