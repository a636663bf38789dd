/// Treu's own version, as `treu --version` prints it (the API document has its own, for the
/// contract). Raised with each release.
public enum TreuVersion {
    public static let current = "0.5.0"
}
