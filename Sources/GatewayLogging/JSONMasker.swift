/// Masks a JSON document with a tolerant tokenizer: invalid, truncated or
/// mixed input is still masked, never passed through raw.
///
/// - Object keys that `SecretKeys` names: their value — string, number,
///   literal, object, array, or whatever bytes follow up to the next `,`, `}`
///   or `]` at the same depth — becomes `"[redacted]"`. Unquoted keys
///   (`{password: "x"}`) count too.
/// - Every other string (escapes decoded first, so `\u0040` cannot hide an
///   address) goes through the `TextMasker`, which also catches secrets in
///   embedded text or doubly encoded JSON; keys go through the `PIIMasker`.
/// - Numbers and literals go through the `PIIMasker`; a masked number is
///   written as a string (`4111111111111111` → `"[card ****1111]"`).
/// - Bytes that are not JSON (`password=x&user=y` declared as JSON) go
///   through the `TextMasker`.
///
/// Unchanged tokens are copied byte for byte.
struct JSONMasker: Sendable {
    var text: TextMasker

    func append(_ buf: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let n = buf.count
        var objects: [Bool] = []  // container stack: true for an object
        var expectKey = false
        var secretPending = false
        var i = 0
        while i < n {
            let b = buf[i]
            if ByteClass.isSpace(b) { out.append(b); i += 1; continue }
            if secretPending && b != UInt8(ascii: ":") && b != UInt8(ascii: ",") && b != UInt8(ascii: "}")
                && b != UInt8(ascii: "]") {
                i = Self.endOfValue(buf, from: i, stopAtDelimiter: true)
                out.append("\"[redacted]\"")
                secretPending = false
                continue
            }
            let opens = b == UInt8(ascii: "{") || b == UInt8(ascii: "[")
            if objects.isEmpty && !opens {
                // Outside any document: text, up to a line that opens one.
                var end = i + 1
                while end < n, !(buf[end - 1] == 0x0A && (buf[end] == UInt8(ascii: "{") || buf[end] == UInt8(ascii: "["))) {
                    end += 1
                }
                text.append(UnsafeBufferPointer(rebasing: buf[i..<end]), to: &out)
                i = end
                continue
            }
            switch b {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                objects.append(b == UInt8(ascii: "{"))
                expectKey = b == UInt8(ascii: "{")
                out.append(b)
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                objects.removeLast()
                expectKey = false
                secretPending = false
                out.append(b)
                i += 1
            case UInt8(ascii: ":"):
                expectKey = false
                out.append(b)
                i += 1
            case UInt8(ascii: ","):
                secretPending = false
                expectKey = objects.last == true
                out.append(b)
                i += 1
            case UInt8(ascii: "\""):
                let isKey = expectKey && objects.last == true
                i = string(buf, at: i, isKey: isKey, secretKey: &secretPending, to: &out)
                if isKey { expectKey = false }
            default:
                let isKey = expectKey && objects.last == true
                i = literal(buf, at: i, isKey: isKey, secretKey: &secretPending, to: &out)
                if isKey { expectKey = false }
            }
        }
    }

    /// A string token starting at the quote `at`; returns the offset after it.
    private func string(_ buf: UnsafeBufferPointer<UInt8>, at start: Int, isKey: Bool, secretKey: inout Bool,
                        to out: inout [UInt8]) -> Int {
        let n = buf.count
        var j = start + 1
        var escaped = false
        while j < n, buf[j] != UInt8(ascii: "\"") {
            if buf[j] == UInt8(ascii: "\\") { escaped = true; j += 1 }
            j += 1
        }
        let contentEnd = min(j, n)
        let terminated = j < n
        let end = terminated ? j + 1 : n
        let raw = UnsafeBufferPointer(rebasing: buf[(start + 1)..<contentEnd])
        let decoded: [UInt8]? = escaped ? JSONStringCodec.decode(raw) : nil
        if isKey {
            secretKey = decoded.map { d in d.withUnsafeBufferPointer { text.keys.isSecret($0) } } ?? text.keys.isSecret(raw)
        }
        out.append(UInt8(ascii: "\""))
        if let decoded {
            var masked: [UInt8] = []
            let changed = decoded.withUnsafeBufferPointer { d in
                isKey ? text.pii.append(d, to: &masked) : text.append(d, to: &masked)
            }
            if changed { JSONStringCodec.appendEscaped(masked, to: &out) } else { out.append(contentsOf: raw) }
        } else if isKey {
            text.pii.append(raw, to: &out)
        } else {
            text.append(raw, to: &out)
        }
        if terminated { out.append(UInt8(ascii: "\"")) }
        return end
    }

    /// A number, literal or bare word starting at `at`; returns the offset after it.
    private func literal(_ buf: UnsafeBufferPointer<UInt8>, at start: Int, isKey: Bool, secretKey: inout Bool,
                         to out: inout [UInt8]) -> Int {
        let n = buf.count
        var j = start
        while j < n, ByteClass.isAlnum(buf[j]) || buf[j] == UInt8(ascii: "-") || buf[j] == UInt8(ascii: "+")
                || buf[j] == UInt8(ascii: ".") || buf[j] == UInt8(ascii: "_") {
            j += 1
        }
        if j == start {
            // A byte JSON has no use for here: mask it with what follows up to the next structural byte.
            j += 1
            while j < n, !Self.isStructural(buf[j]) { j += 1 }
            text.append(UnsafeBufferPointer(rebasing: buf[start..<j]), to: &out)
            return j
        }
        let token = UnsafeBufferPointer(rebasing: buf[start..<j])
        if isKey { secretKey = text.keys.isSecret(token) }
        var next = j
        while next < n, buf[next] == 0x20 { next += 1 }
        if !isKey, next < n, !Self.isStructural(buf[next]), !ByteClass.isSpace(buf[next]) {
            // `key=value` or words inside a document: treat the run as text.
            while j < n, !Self.isStructural(buf[j]) { j += 1 }
            text.append(UnsafeBufferPointer(rebasing: buf[start..<j]), to: &out)
            return j
        }
        var masked: [UInt8] = []
        if text.pii.append(token, to: &masked) {
            JSONStringCodec.appendQuoted(masked, to: &out)
        } else {
            out.append(contentsOf: token)
        }
        return j
    }

    @inline(__always) static func isStructural(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "{") || b == UInt8(ascii: "}") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]")
            || b == UInt8(ascii: ",") || b == UInt8(ascii: ":") || b == UInt8(ascii: "\"")
    }

    /// The end of the value starting at `from`: past its matching bracket, or
    /// (with `stopAtDelimiter`) at the first `,`, `}` or `]` outside strings and
    /// nested containers; the end of input when there is none.
    static func endOfValue(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, stopAtDelimiter: Bool) -> Int {
        let n = buf.count
        var depth = 0
        var j = start
        while j < n {
            let c = buf[j]
            if c == UInt8(ascii: "\"") {
                j += 1
                while j < n, buf[j] != UInt8(ascii: "\"") { j += buf[j] == UInt8(ascii: "\\") ? 2 : 1 }
                j += 1
                if depth == 0 && !stopAtDelimiter { return min(j, n) }
                continue
            }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                if depth == 0 { return j }
                depth -= 1
                if depth == 0 && !stopAtDelimiter { return j + 1 }
            } else if c == UInt8(ascii: ","), depth == 0, stopAtDelimiter {
                return j
            }
            j += 1
        }
        return n
    }
}
