import Glibc

/// `print(..., to: &standardError)`.
struct StandardErrorStream: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        bytes.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

nonisolated(unsafe) var standardError = StandardErrorStream()
