/// An ordered list of HTTP header fields.
///
/// Names keep the case they arrived with; every lookup compares names
/// case-insensitively (ASCII), as RFC 9110 §5.1 requires. Duplicates are kept
/// in order, so a field list round-trips unchanged.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One header field.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public private(set) var fields: [Field]

    public init() { fields = [] }

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// Reserves room for `capacity` fields, so a parser that knows the count
    /// appends without reallocating.
    public mutating func reserveCapacity(_ capacity: Int) {
        fields.reserveCapacity(capacity)
    }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// Appends a field, keeping any existing fields of the same name.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field called `name` and appends one with `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field called `name` (case-insensitive).
    public mutating func remove(name: String) {
        fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    public mutating func removeAll(where shouldRemove: (Field) throws -> Bool) rethrows {
        try fields.removeAll(where: shouldRemove)
    }

    /// The value of the first field called `name`, if any.
    public func first(name: String) -> String? {
        for field in fields where field.name.equalsIgnoringASCIICase(name) {
            return field.value
        }
        return nil
    }

    /// The values of every field called `name`, in order.
    public func values(name: String) -> [String] {
        fields.compactMap { $0.name.equalsIgnoringASCIICase(name) ? $0.value : nil }
    }

    public func contains(name: String) -> Bool { first(name: name) != nil }

    /// Comma-separated list elements of every field called `name`, trimmed and
    /// lower-cased (RFC 9110 §5.6.1): `Connection: keep-alive, Upgrade` → `["keep-alive", "upgrade"]`.
    public func tokens(name: String) -> [String] {
        var out: [String] = []
        for field in fields where field.name.equalsIgnoringASCIICase(name) {
            var token: [UInt8] = []
            func flush() {
                while token.last == 0x20 || token.last == 0x09 { token.removeLast() }
                if !token.isEmpty { out.append(String(decoding: token, as: UTF8.self)) }
                token.removeAll(keepingCapacity: true)
            }
            for byte in field.value.utf8 {
                if byte == UInt8(ascii: ",") {
                    flush()
                } else if !(token.isEmpty && (byte == 0x20 || byte == 0x09)) {
                    token.append(ASCIICase.lower(byte))
                }
            }
            flush()
        }
        return out
    }

    public var description: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }
}

extension StringProtocol {
    /// ASCII case-insensitive equality, without allocating. Compares the
    /// UTF-8 bytes directly when both sides are contiguous (native strings).
    @inlinable
    public func equalsIgnoringASCIICase<S: StringProtocol>(_ other: S) -> Bool {
        let a = self.utf8, b = other.utf8
        guard a.count == b.count else { return false }
        if let fast = a.withContiguousStorageIfAvailable({ x in
            b.withContiguousStorageIfAvailable { y in ASCIICase.equal(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) }
        }), let result = fast {
            return result
        }
        var i = a.startIndex, j = b.startIndex
        while i != a.endIndex {
            if ASCIICase.lower(a[i]) != ASCIICase.lower(b[j]) { return false }
            a.formIndex(after: &i)
            b.formIndex(after: &j)
        }
        return true
    }

    /// The string with ASCII letters lower-cased; other bytes unchanged.
    public func lowercasedASCII() -> String {
        String(decoding: self.utf8.map { $0 &- 65 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// The string without leading and trailing spaces and horizontal tabs.
    public func trimmingASCIIWhitespace() -> Substring {
        let s = Substring(self)
        var start = s.startIndex, end = s.endIndex
        while start < end, s[start] == " " || s[start] == "\t" { start = s.index(after: start) }
        while end > start {
            let before = s.index(before: end)
            guard s[before] == " " || s[before] == "\t" else { break }
            end = before
        }
        return s[start..<end]
    }
}

/// Byte-level ASCII case folding for header names and tokens.
public enum ASCIICase {
    @inlinable @inline(__always)
    public static func lower(_ byte: UInt8) -> UInt8 { byte &- 65 < 26 ? byte | 0x20 : byte }

    /// Equal lengths assumed by callers that checked them; unequal lengths are unequal.
    @inlinable
    public static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        for k in 0..<a.count where lower(a[k]) != lower(b[k]) { return false }
        return true
    }

    /// Whether `bytes` starts with the lower-case ASCII `prefix`, ignoring case.
    @inlinable
    public static func hasPrefix(_ bytes: UnsafeRawBufferPointer, lowercased prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard bytes.count >= n else { return false }
        let p = prefix.utf8Start
        for k in 0..<n where lower(bytes[k]) != p[k] { return false }
        return true
    }
}
