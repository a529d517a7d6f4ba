/// Comparison of secret-derived byte strings in time that depends only on their lengths,
/// never on where they first differ.
public enum ConstantTime {
    /// `true` when `lhs` and `rhs` are equal. Lengths are not secret (a length mismatch
    /// returns at once); contents are compared without early exit.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }

    /// String form of `equals` over UTF-8 bytes.
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        equals(Array(lhs.utf8), Array(rhs.utf8))
    }
}
