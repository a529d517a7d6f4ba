import Glibc

/// Operator-facing messages on standard error (start-up problems, refused
/// reloads, dropped log lines). Written with one `write(2)` so lines from
/// different threads never interleave.
public enum Diagnostics {
    public static func warn(_ message: String) {
        var line = Array("portcullis: \(message)\n".utf8)
        line.withUnsafeMutableBytes { _ = write(2, $0.baseAddress, $0.count) }
    }
}
