import Glibc

/// A map from byte strings to values for the handful of keys one level of the
/// route table or the set of local endpoints holds. Built once, read on every
/// request: a lookup compares lengths, then bytes (`memcmp`), and allocates
/// nothing — cheaper than hashing a `String` (Unicode-aware) for a few dozen
/// keys. Keys are exact bytes: no case folding, no normalisation.
struct SmallByteMap<Value> {
    private var keys: [[UInt8]] = []
    private var values: [Value] = []

    var isEmpty: Bool { keys.isEmpty }

    /// The value stored under `key` (build time).
    subscript(key: String) -> Value? {
        get { keys.firstIndex(of: Array(key.utf8)).map { values[$0] } }
        set {
            let bytes = Array(key.utf8)
            if let index = keys.firstIndex(of: bytes) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(bytes)
                values.append(newValue)
            }
        }
    }

    /// The value whose key equals `bytes`, or nil.
    func value(for bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        for index in keys.indices where keys[index].count == bytes.count {
            let equal = keys[index].withUnsafeBufferPointer { key in
                bytes.count == 0 || memcmp(key.baseAddress!, bytes.baseAddress!, bytes.count) == 0
            }
            if equal { return values[index] }
        }
        return nil
    }
}

extension SmallByteMap: Sendable where Value: Sendable {}

/// Runs `body` on the UTF-8 bytes of `text` without copying them when the
/// string stores them contiguously (native strings always do).
@inline(__always)
func withContiguousUTF8<S: StringProtocol, R>(_ text: S, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
    return Array(text.utf8).withUnsafeBufferPointer(body)
}
