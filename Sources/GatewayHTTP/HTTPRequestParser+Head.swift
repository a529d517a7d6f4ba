extension HTTPRequestParser {
    /// Parses a complete head: `count` bytes at `p`, from the request line
    /// through the blank line. The scan already checked that every LF is
    /// preceded by CR and that the limits hold.
    func parseHead(_ p: UnsafeRawPointer, count: Int, requestLineEnd: Int,
                   fieldLines: Int) throws(HTTPParseError) -> HTTPRequestHead {
        var head = try parseRequestLine(p, requestLineEnd - 2)
        var framing = HTTPFramingRules()
        var headers = HTTPHeaders()
        headers.reserveCapacity(fieldLines)

        var i = requestLineEnd
        let end = count - 2   // the blank line's CRLF
        while i < end {
            let first = p.load(fromByteOffset: i, as: UInt8.self)
            if first == B.sp || first == B.htab {
                throw .bad(i == requestLineEnd ? "whitespace between the request line and the first header field"
                                               : "obsolete line folding (a header line starting with whitespace) is not allowed")
            }
            let nameStart = i
            while B.isTChar(p.load(fromByteOffset: i, as: UInt8.self)) { i += 1 }
            let nameEnd = i
            let stop = p.load(fromByteOffset: i, as: UInt8.self)
            guard stop == B.colon, nameEnd > nameStart else {
                if nameEnd == nameStart && stop == B.colon { throw .bad("header field with an empty name") }
                let name = Self.text(p + nameStart, nameEnd - nameStart)
                if stop == B.sp || stop == B.htab {
                    throw .bad("whitespace between header field name '\(name)' and the colon")
                }
                if stop == B.cr { throw .bad("header line '\(name)' has no colon") }
                throw .bad("invalid character \(B.describe(stop)) in header field name '\(name)'")
            }
            i += 1
            while true {
                let byte = p.load(fromByteOffset: i, as: UInt8.self)
                guard byte == B.sp || byte == B.htab else { break }
                i += 1
            }
            let valueStart = i
            var high: UInt8 = 0
            while true {
                // Eight plain bytes (SP or VCHAR) at a time; anything else byte by byte.
                while i + 8 <= count, B.arePlain(p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
                let byte = p.load(fromByteOffset: i, as: UInt8.self)
                if byte == B.cr { break }
                guard B.isFieldValueByte(byte) else {
                    throw .bad("invalid character \(B.describe(byte)) in the value of header field '\(Self.text(p + nameStart, nameEnd - nameStart))'")
                }
                high |= byte
                i += 1
            }
            var valueEnd = i
            while valueEnd > valueStart {
                let byte = p.load(fromByteOffset: valueEnd - 1, as: UInt8.self)
                guard byte == B.sp || byte == B.htab else { break }
                valueEnd -= 1
            }
            guard p.load(fromByteOffset: i + 1, as: UInt8.self) == B.lf else {
                throw .bad("bare CR in header field '\(Self.text(p + nameStart, nameEnd - nameStart))'")
            }
            i += 2

            let kind = try framing.inspect(name: p + nameStart, nameEnd - nameStart,
                                           value: p + valueStart, valueEnd - valueStart)
            if kind == .duplicateContentLength { continue }
            let name = HTTPCommonFieldNames.lookup(p + nameStart, nameEnd - nameStart)
                ?? Self.text(p + nameStart, nameEnd - nameStart)
            let value: String
            if kind == .contentLength {
                value = String(framing.contentLength ?? 0)
            } else if high < 0x80 {
                value = Self.text(p + valueStart, valueEnd - valueStart)
            } else {
                let bytes = UnsafeRawBufferPointer(start: p + valueStart, count: valueEnd - valueStart)
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw .bad("the value of header field '\(name)' is not valid UTF-8")
                }
                value = text
            }
            headers.add(name: name, value: value)
        }
        head.framing = try framing.finish(version: head.version, limits: limits)
        head.headers = headers
        return head
    }

    /// Parses `method SP target SP HTTP/d.d` from the `count` bytes at `p`.
    func parseRequestLine(_ p: UnsafeRawPointer, _ count: Int) throws(HTTPParseError) -> HTTPRequestHead {
        var i = 0
        while i < count && B.isTChar(p.load(fromByteOffset: i, as: UInt8.self)) { i += 1 }
        let methodEnd = i
        guard methodEnd > 0 else { throw .bad("the request line must start with a method token") }
        guard i < count, p.load(fromByteOffset: i, as: UInt8.self) == B.sp else {
            if i == count { throw .bad("the request line has no request target") }
            throw .bad("invalid character \(B.describe(p.load(fromByteOffset: i, as: UInt8.self))) in the method")
        }
        i += 1
        let targetStart = i
        while i < count {
            let byte = p.load(fromByteOffset: i, as: UInt8.self)
            if byte == B.sp { break }
            guard B.isTargetByte(byte) else {
                throw .bad("invalid character \(B.describe(byte)) in the request target: percent-encode it")
            }
            if byte == 0x25 {   // "%"
                guard i + 2 < count,
                      B.hexValue(p.load(fromByteOffset: i + 1, as: UInt8.self)) != nil,
                      B.hexValue(p.load(fromByteOffset: i + 2, as: UInt8.self)) != nil else {
                    throw .bad("malformed percent-escape in the request target: '%' must be followed by two hex digits")
                }
                i += 2
            }
            i += 1
        }
        let targetEnd = i
        guard targetEnd > targetStart else { throw .bad("empty request target (exactly one space between parts)") }
        guard i < count else { throw .bad("the request line has no HTTP version") }
        let version = try parseVersion(p + i + 1, count - i - 1)

        let method = Self.text(p, methodEnd)
        if method == "CONNECT" { throw HTTPParseError(.notImplemented, "CONNECT is not supported by this gateway") }
        let first = p.load(fromByteOffset: targetStart, as: UInt8.self)
        if first != 0x2F {   // "/"
            let isAsterisk = first == 0x2A && targetEnd - targetStart == 1
            guard isAsterisk && method == "OPTIONS" else {
                throw .bad(isAsterisk ? "the target '*' is only allowed with OPTIONS"
                                      : "the request target must be in origin form (start with '/')")
            }
        }
        return HTTPRequestHead(method: method, target: Self.text(p + targetStart, targetEnd - targetStart),
                               version: version)
    }

    /// Parses `HTTP/d.d`: 1.0 and 1.1 are accepted; other versions → 505.
    func parseVersion(_ p: UnsafeRawPointer, _ count: Int) throws(HTTPParseError) -> HTTPVersion {
        let b = UnsafeRawBufferPointer(start: p, count: count)
        guard count == 8, b[0] == 0x48, b[1] == 0x54, b[2] == 0x54, b[3] == 0x50, b[4] == 0x2F,
              b[5] &- 0x30 < 10, b[6] == 0x2E, b[7] &- 0x30 < 10 else {
            throw .bad("malformed HTTP version: expected 'HTTP/1.1' after a single space")
        }
        let major = Int(b[5] &- 0x30), minor = Int(b[7] &- 0x30)
        guard major == 1, minor <= 1 else {
            throw HTTPParseError(.versionNotSupported, "HTTP/\(major).\(minor) is not supported: use HTTP/1.1")
        }
        return HTTPVersion(major: 1, minor: minor)
    }

    /// The bytes as a string; callers have checked they are ASCII (or valid UTF-8).
    @inline(__always)
    static func text(_ p: UnsafeRawPointer, _ count: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(start: p, count: count), as: UTF8.self)
    }
}
