/// The version every binary and the `status` method report.
public enum SmoothTaskVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
