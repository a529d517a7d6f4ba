#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HTTPResponseParser {
    typealias B = HTTPByteClass

    /// The length of the head at `p` through its empty line, or nil while it is
    /// incomplete (how far it was scanned is kept for the next call).
    mutating func scanHead(_ p: UnsafeRawPointer, _ count: Int) throws(HTTPParseError) -> Int? {
        if scanned > count { scanned = 0 }
        // Resume one byte early: the previous scan may have stopped right after a line's LF.
        var i = max(0, scanned - 1)
        while i < count {
            guard let found = memchr(p + i, Int32(B.lf), count - i) else { break }
            let lf = p.distance(to: UnsafeRawPointer(found))
            // An empty line: LF right after the previous LF, or after a CR that follows it.
            if lf > 0 && (p.load(fromByteOffset: lf - 1, as: UInt8.self) == B.lf
                          || (lf > 1 && p.load(fromByteOffset: lf - 1, as: UInt8.self) == B.cr
                              && p.load(fromByteOffset: lf - 2, as: UInt8.self) == B.lf)) {
                guard lf + 1 <= limits.maxHeadBytes else { throw headTooLarge() }
                scanned = 0
                return lf + 1
            }
            i = lf + 1
        }
        guard count <= limits.maxHeadBytes else { throw headTooLarge() }
        scanned = count
        return nil
    }

    private func headTooLarge() -> HTTPParseError {
        HTTPParseError(.headersTooLarge, "response head larger than \(limits.maxHeadBytes) bytes")
    }

    /// Parses a complete head of `count` bytes. Returns nil for an interim (1xx)
    /// head, which is skipped; otherwise the head, with `framing` and
    /// `keepsConnection` set.
    mutating func parseHead(_ p: UnsafeRawPointer, count: Int) throws(HTTPParseError) -> UpstreamResponseHead? {
        let lineEnd = memchr(p, Int32(B.lf), count).map { p.distance(to: UnsafeRawPointer($0)) } ?? count
        let (major, minor, status, reason) = try parseStatusLine(p, Self.trimCR(p, lineEnd))
        if status < 200 {
            guard status != 101 else {
                throw .bad("the upstream switched protocols (101) although the gateway never asks it to")
            }
            interimHeads += 1
            guard interimHeads <= limits.maxInterimResponses else {
                throw .bad("more than \(limits.maxInterimResponses) interim (1xx) responses")
            }
            return nil
        }
        var inspector = FieldInspector()
        var head: UpstreamResponseHead
        if let clean = try plainFields(p, from: lineEnd + 1, count: count, &inspector) {
            head = clean
        } else {
            inspector = FieldInspector()
            head = try rebuiltFields(p, from: lineEnd + 1, count: count, &inspector)
        }
        head.status = status
        head.reason = reason
        framing = try inspector.rules.finishResponse(status: status, toHEAD: toHEAD)
        let http11 = major == 1 && minor >= 1
        let bothFramings = inspector.rules.sawBothFramings
        keepsConnection = !inspector.close && (http11 || inspector.keepAlive) && framing != .untilClose && !bothFramings
        // RFC 9112 §6.3: Transfer-Encoding wins; the Content-Length must not be passed on.
        return bothFramings && inspector.contentLengthFields > 0 ? Self.dropping("content-length", from: head) : head
    }

    /// What the fields of one head say about framing and the connection.
    struct FieldInspector {
        var rules = HTTPFramingRules(isRequest: false)
        var close = false
        var keepAlive = false
        var contentLengthFields = 0
        var plain = true
        var count = 0

        mutating func inspect(_ p: UnsafeRawPointer, name: Int, _ nameEnd: Int, value: Int, _ valueEnd: Int,
                              limit: Int) throws(HTTPParseError) {
            count += 1
            guard count <= limit else {
                throw HTTPParseError(.headersTooLarge, "more than \(limit) fields in the response head")
            }
            var k = value
            while k + 8 <= valueEnd, B.arePlain(p.loadUnaligned(fromByteOffset: k, as: UInt64.self)) { k += 8 }
            while k < valueEnd {
                if !B.isFieldValueByte(p.load(fromByteOffset: k, as: UInt8.self)) { plain = false }
                k += 1
            }
            let kind = try rules.inspect(name: p + name, nameEnd - name, value: p + value, valueEnd - value)
            if kind == .contentLength || kind == .duplicateContentLength { contentLengthFields += 1 }
            if nameEnd - name == 10, B.equalsLowercase(p + name, 10, "connection") {
                connectionOptions(p + value, valueEnd - value)
            }
        }

        /// Reads the `close` and `keep-alive` options of a `Connection` value.
        private mutating func connectionOptions(_ p: UnsafeRawPointer, _ count: Int) {
            var i = 0
            while i < count {
                while i < count, HTTPResponseParser.isOWS(p.load(fromByteOffset: i, as: UInt8.self))
                        || p.load(fromByteOffset: i, as: UInt8.self) == 0x2C { i += 1 }
                let start = i
                while i < count, p.load(fromByteOffset: i, as: UInt8.self) != 0x2C { i += 1 }
                var end = i
                while end > start, HTTPResponseParser.isOWS(p.load(fromByteOffset: end - 1, as: UInt8.self)) { end -= 1 }
                if B.equalsLowercase(p + start, end - start, "close") { close = true }
                if B.equalsLowercase(p + start, end - start, "keep-alive") { keepAlive = true }
            }
        }
    }

    /// The common head: every field line ends with CRLF, names are tokens
    /// followed by a colon, no line is folded. Its field lines are copied to
    /// `raw` in one piece. Returns nil as soon as a line needs rebuilding.
    private func plainFields(_ p: UnsafeRawPointer, from first: Int, count: Int,
                             _ inspector: inout FieldInspector) throws(HTTPParseError) -> UpstreamResponseHead? {
        var fields: [UpstreamResponseHead.Field] = []
        fields.reserveCapacity(16)
        var i = first
        while true {
            guard let lfPointer = memchr(p + i, Int32(B.lf), count - i) else { return nil }
            let lf = p.distance(to: UnsafeRawPointer(lfPointer))
            guard lf > i, p.load(fromByteOffset: lf - 1, as: UInt8.self) == B.cr else { return nil }   // bare LF
            let end = lf - 1
            if end == i { break }   // the empty line
            var nameEnd = i
            while nameEnd < end, B.isTChar(p.load(fromByteOffset: nameEnd, as: UInt8.self)) { nameEnd += 1 }
            guard nameEnd > i, nameEnd < end, p.load(fromByteOffset: nameEnd, as: UInt8.self) == B.colon else { return nil }
            var valueStart = nameEnd + 1
            while valueStart < end, Self.isOWS(p.load(fromByteOffset: valueStart, as: UInt8.self)) { valueStart += 1 }
            var valueEnd = end
            while valueEnd > valueStart, Self.isOWS(p.load(fromByteOffset: valueEnd - 1, as: UInt8.self)) { valueEnd -= 1 }
            try inspector.inspect(p, name: i, nameEnd, value: valueStart, valueEnd, limit: limits.maxFieldCount)
            fields.append(UpstreamResponseHead.Field(line: (i - first)..<(lf + 1 - first), name: (i - first)..<(nameEnd - first),
                                                     value: (valueStart - first)..<(valueEnd - first)))
            i = lf + 1
        }
        let raw = [UInt8](UnsafeRawBufferPointer(start: p + first, count: i - first))
        return UpstreamResponseHead(status: 0, raw: raw, fields: fields, isPlain: inspector.plain)
    }

    /// Any other head, rebuilt line by line: bare LFs become CRLF, folded lines
    /// join their field with one SP, lines that are not fields are dropped,
    /// whitespace before a colon leaves the name (such heads are not plain).
    private func rebuiltFields(_ p: UnsafeRawPointer, from first: Int, count: Int,
                               _ inspector: inout FieldInspector) throws(HTTPParseError) -> UpstreamResponseHead {
        var raw: [UInt8] = []
        raw.reserveCapacity(count)
        var fields: [UpstreamResponseHead.Field] = []
        fields.reserveCapacity(16)
        var i = first
        var lineEnd = first
        while i < count {
            lineEnd = memchr(p + i, Int32(B.lf), count - i).map { p.distance(to: UnsafeRawPointer($0)) } ?? count
            let end = Self.trimCR(p, lineEnd)
            defer { i = lineEnd + 1 }
            if end == i { break }   // the empty line
            let first = p.load(fromByteOffset: i, as: UInt8.self)
            if first == B.sp || first == B.htab {
                // obs-fold: continues the previous field's value (RFC 9112 §5.2).
                guard let last = fields.last else { continue }
                inspector.plain = false
                var start = i
                while start < end, Self.isOWS(p.load(fromByteOffset: start, as: UInt8.self)) { start += 1 }
                raw.removeSubrange(last.value.upperBound..<last.line.upperBound)
                if start < end {
                    raw.append(B.sp)
                    raw.append(contentsOf: UnsafeRawBufferPointer(start: p + start, count: end - start))
                }
                let valueEnd = Self.trimmedEnd(raw, from: last.value.lowerBound)
                raw.removeSubrange(valueEnd...)
                raw.append(B.cr)
                raw.append(B.lf)
                fields[fields.count - 1].value = last.value.lowerBound..<valueEnd
                fields[fields.count - 1].line = last.line.lowerBound..<raw.count
                continue
            }
            guard let colonPointer = memchr(p + i, Int32(B.colon), end - i) else { continue }
            let colon = p.distance(to: UnsafeRawPointer(colonPointer))
            var nameEnd = colon
            while nameEnd > i, Self.isOWS(p.load(fromByteOffset: nameEnd - 1, as: UInt8.self)) { nameEnd -= 1 }
            var k = i
            while k < nameEnd, B.isTChar(p.load(fromByteOffset: k, as: UInt8.self)) { k += 1 }
            guard nameEnd > i, k == nameEnd else { continue }   // not a field name: the line is dropped
            if nameEnd != colon { inspector.plain = false }
            var valueStart = colon + 1
            while valueStart < end, Self.isOWS(p.load(fromByteOffset: valueStart, as: UInt8.self)) { valueStart += 1 }
            var valueEnd = end
            while valueEnd > valueStart, Self.isOWS(p.load(fromByteOffset: valueEnd - 1, as: UInt8.self)) { valueEnd -= 1 }
            try inspector.inspect(p, name: i, nameEnd, value: valueStart, valueEnd, limit: limits.maxFieldCount)
            let base = raw.count
            raw.append(contentsOf: UnsafeRawBufferPointer(start: p + i, count: end - i))
            raw.append(B.cr)
            raw.append(B.lf)
            fields.append(UpstreamResponseHead.Field(line: base..<raw.count, name: base..<(base + nameEnd - i),
                                                     value: (base + valueStart - i)..<(base + valueEnd - i)))
        }
        return UpstreamResponseHead(status: 0, raw: raw, fields: fields, isPlain: inspector.plain)
    }

    /// `HTTP/1.x SP 3DIGIT [SP reason]`.
    private func parseStatusLine(_ p: UnsafeRawPointer, _ end: Int) throws(HTTPParseError) -> (Int, Int, Int, String?) {
        func byte(_ k: Int) -> UInt8 { p.load(fromByteOffset: k, as: UInt8.self) }
        guard end >= 12, B.equalsLowercase(p, 5, "http/"), byte(5) &- 0x30 < 10, byte(6) == 0x2E,
              byte(7) &- 0x30 < 10, byte(8) == B.sp else {
            let shown = String(decoding: UnsafeRawBufferPointer(start: p, count: min(end, 40)), as: UTF8.self)
            throw .bad("the upstream's answer does not start with an HTTP/1.x status line: \(shown.debugDescription)")
        }
        let major = Int(byte(5) &- 0x30), minor = Int(byte(7) &- 0x30)
        guard major == 1 else { throw .bad("the upstream answered in HTTP/\(major).\(minor), not HTTP/1.x") }
        var status = 0
        for k in 9..<12 {
            let d = byte(k) &- 0x30
            guard d < 10 else { throw .bad("the upstream's status code is not three digits") }
            status = status * 10 + Int(d)
        }
        guard status >= 100 else { throw .bad("the upstream's status code \(status) is below 100") }
        var reason: String?
        if end > 12 {
            guard byte(12) == B.sp else { throw .bad("the upstream's status code is not three digits") }
            let text = UnsafeRawBufferPointer(start: p + 13, count: end - 13)
            if !text.isEmpty && text.allSatisfy(B.isFieldValueByte) { reason = String(decoding: text, as: UTF8.self) }
        }
        return (major, minor, status, reason)
    }

    /// The head without the fields of one name (`lowercase`), positions rebuilt.
    static func dropping(_ lowercase: StaticString, from head: UpstreamResponseHead) -> UpstreamResponseHead {
        var raw: [UInt8] = []
        var fields: [UpstreamResponseHead.Field] = []
        head.raw.withUnsafeBytes { bytes in
            for field in head.fields {
                let name = UnsafeRawBufferPointer(rebasing: bytes[field.name])
                if let base = name.baseAddress, B.equalsLowercase(base, name.count, lowercase) { continue }
                let shift = raw.count - field.line.lowerBound
                raw.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[field.line]))
                fields.append(UpstreamResponseHead.Field(line: (field.line.lowerBound + shift)..<(field.line.upperBound + shift),
                                                         name: (field.name.lowerBound + shift)..<(field.name.upperBound + shift),
                                                         value: (field.value.lowerBound + shift)..<(field.value.upperBound + shift)))
            }
        }
        return UpstreamResponseHead(status: head.status, reason: head.reason, raw: raw, fields: fields, isPlain: head.isPlain)
    }

    /// The end of a line's content: before its LF at `lf`, and before a CR that precedes it.
    @inline(__always)
    private static func trimCR(_ p: UnsafeRawPointer, _ lf: Int) -> Int {
        lf > 0 && p.load(fromByteOffset: lf - 1, as: UInt8.self) == B.cr ? lf - 1 : lf
    }

    private static func trimmedEnd(_ raw: [UInt8], from start: Int) -> Int {
        var end = raw.count
        while end > start, isOWS(raw[end - 1]) { end -= 1 }
        return end
    }

    @inline(__always)
    static func isOWS(_ byte: UInt8) -> Bool { byte == B.sp || byte == B.htab }
}
