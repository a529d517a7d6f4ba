import GatewayHTTP
import GatewayUpstream

/// Which fields of an upstream response head pass through to the caller, and
/// the upstream's `Content-Length`, decided on bytes.
///
/// Dropped: hop-by-hop fields and every field named in `Connection` (RFC 9110
/// §7.6.1), `Transfer-Encoding` and `Content-Length` (the connection frames
/// the answer itself; `Content-Length` is kept for bodiless answers such as
/// HEAD), `X-Request-Id` (the gateway's own id replaces it), and when the
/// gateway answers a cross-origin request itself, `Access-Control-*`.
struct UpstreamFieldPlan {
    /// One flag per field: bit `i` of the inline word for the first 64 fields
    /// (no allocation for any ordinary head), the arrays beyond that.
    private struct Flags {
        private var bits: UInt64 = 0
        private var more: [Bool] = []
        init(count: Int) { if count > 64 { more = Array(repeating: false, count: count - 64) } }
        subscript(index: Int) -> Bool {
            get { index < 64 ? bits & (1 << UInt64(index)) != 0 : more[index - 64] }
            set {
                if index < 64 {
                    if newValue { bits |= 1 << UInt64(index) } else { bits &= ~(1 << UInt64(index)) }
                } else {
                    more[index - 64] = newValue
                }
            }
        }
    }
    private var dropped: Flags
    private var isContentLength: Flags
    private(set) var contentLength: Int?

    init(_ head: UpstreamResponseHead, dropCrossOriginFields: Bool = false) {
        dropped = Flags(count: head.fields.count)
        isContentLength = dropped
        var connectionTokens: [[UInt8]] = []
        head.raw.withUnsafeBytes { raw in
            for (index, field) in head.fields.enumerated() {
                let name = UnsafeRawBufferPointer(rebasing: raw[field.name])
                if name.count == 10, Self.equal(name, "connection") {
                    let value = UnsafeRawBufferPointer(rebasing: raw[field.value])
                    // The usual values name no other field: nothing to split.
                    if !Self.equal(value, "keep-alive") && !Self.equal(value, "close") {
                        Self.tokens(value, into: &connectionTokens)
                    }
                }
                if name.count == 14, Self.equal(name, "content-length") {
                    isContentLength[index] = true
                    contentLength = Self.decimal(UnsafeRawBufferPointer(rebasing: raw[field.value]))
                    continue
                }
                if HTTPHeaders.isHopByHop(nameBytes: name) || (name.count == 12 && Self.equal(name, "x-request-id"))
                    || (dropCrossOriginFields && Self.isCrossOriginField(name)) {
                    dropped[index] = true
                }
            }
            guard !connectionTokens.isEmpty else { return }
            for (index, field) in head.fields.enumerated() where !dropped[index] && !isContentLength[index] {
                let name = UnsafeRawBufferPointer(rebasing: raw[field.name])
                if connectionTokens.contains(where: { token in token.withUnsafeBytes { ASCIICase.equal(name, $0) } }) {
                    dropped[index] = true
                }
            }
        }
    }

    /// An `Access-Control-*` field name (any case).
    static func isCrossOriginField<Name: Collection<UInt8>>(_ name: Name) -> Bool {
        let prefix = "access-control-".utf8
        return name.count > prefix.count && zip(name, prefix).allSatisfy { ASCIICase.lower($0) == $1 }
    }

    func keeps(_ index: Int, keepContentLength: Bool) -> Bool {
        if isContentLength[index] { return keepContentLength }
        return !dropped[index]
    }

    private static func equal(_ bytes: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        ASCIICase.hasPrefix(bytes, lowercased: lower) && bytes.count == lower.utf8CodeUnitCount
    }

    private static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte &- 48 < 10 else { return nil }
            value = value * 10 + Int(byte &- 48)
        }
        return value
    }

    /// Comma-separated tokens, trimmed and lower-cased.
    private static func tokens(_ value: UnsafeRawBufferPointer, into out: inout [[UInt8]]) {
        var token: [UInt8] = []
        func flush() {
            while token.last == 0x20 || token.last == 0x09 { token.removeLast() }
            if !token.isEmpty { out.append(token) }
            token.removeAll()
        }
        for byte in value {
            if byte == UInt8(ascii: ",") {
                flush()
            } else if !(token.isEmpty && (byte == 0x20 || byte == 0x09)) {
                token.append(ASCIICase.lower(byte))
            }
        }
        flush()
    }
}
