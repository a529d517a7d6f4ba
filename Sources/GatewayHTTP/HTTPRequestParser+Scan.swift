#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HTTPRequestParser {
    typealias B = HTTPByteClass

    /// Finds the end of the head in `p[pos..<count]`, enforcing the head
    /// limits on what has arrived so far.
    ///
    /// Skips leading empty lines (consuming them: `pos` moves past them).
    /// Returns nil when the head is incomplete; the scan position is kept,
    /// relative to `pos`, for the next call. Otherwise returns the head's
    /// start and end (after its blank line), the end of the request line
    /// relative to the start, and the number of field lines.
    mutating func scanHead(_ p: UnsafeRawPointer, _ count: Int,
                           _ pos: inout Int) throws(HTTPParseError) -> (Int, Int, Int, Int)? {
        if scanned == 0 {
            while pos < count {
                let byte = p.load(fromByteOffset: pos, as: UInt8.self)
                if byte == B.cr {
                    guard pos + 1 < count else { return nil }
                    guard p.load(fromByteOffset: pos + 1, as: UInt8.self) == B.lf else {
                        throw .bad("bare CR before the request line: lines must end with CRLF")
                    }
                    emptyLinesSkipped += 1
                    guard emptyLinesSkipped <= limits.maxLeadingEmptyLines else {
                        throw .bad("more than \(limits.maxLeadingEmptyLines) empty lines before the request line")
                    }
                    pos += 2
                } else if byte == B.lf {
                    throw .bad("bare LF before the request line: lines must end with CRLF")
                } else {
                    break
                }
            }
            if pos == count { return nil }
        }
        let base = pos
        if scanned > count - base {
            // The caller offered fewer bytes than were scanned: start over.
            scanned = 0; lineStart = 0; requestLineEnd = -1; fieldLines = 0
        }
        var i = base + scanned
        var lineStart = base + self.lineStart
        var requestLineEnd = self.requestLineEnd < 0 ? -1 : base + self.requestLineEnd
        var fieldLines = self.fieldLines

        while i < count {
            guard let found = memchr(p + i, Int32(B.lf), count - i) else {
                i = count
                break
            }
            let lf = p.distance(to: UnsafeRawPointer(found))
            guard lf > lineStart, p.load(fromByteOffset: lf - 1, as: UInt8.self) == B.cr else {
                throw .bad(requestLineEnd < 0 ? "bare LF in the request line: lines must end with CRLF"
                                              : "bare LF in the header section: lines must end with CRLF")
            }
            let length = lf - 1 - lineStart
            if requestLineEnd < 0 {
                guard length <= limits.maxRequestLineBytes else { throw requestLineTooLong() }
                requestLineEnd = lf + 1
            } else {
                guard lf + 1 - requestLineEnd <= limits.maxHeaderBytes else { throw headersTooLarge() }
                if length == 0 {
                    resetScan()
                    return (base, lf + 1, requestLineEnd - base, fieldLines)
                }
                fieldLines += 1
                guard fieldLines <= limits.maxHeaderCount else {
                    throw HTTPParseError(.headersTooLarge, "more than \(limits.maxHeaderCount) header fields")
                }
            }
            lineStart = lf + 1
            i = lf + 1
        }

        // Incomplete: the limits hold for what is buffered.
        if requestLineEnd < 0 {
            var pending = count - lineStart
            if p.load(fromByteOffset: count - 1, as: UInt8.self) == B.cr { pending -= 1 }
            guard pending <= limits.maxRequestLineBytes else { throw requestLineTooLong() }
        } else {
            guard count - requestLineEnd <= limits.maxHeaderBytes else { throw headersTooLarge() }
        }
        scanned = count - base
        self.lineStart = lineStart - base
        self.requestLineEnd = requestLineEnd < 0 ? -1 : requestLineEnd - base
        self.fieldLines = fieldLines
        return nil
    }

    mutating func resetScan() {
        scanned = 0
        lineStart = 0
        requestLineEnd = -1
        fieldLines = 0
        emptyLinesSkipped = 0
    }

    func requestLineTooLong() -> HTTPParseError {
        HTTPParseError(.requestLineTooLong,
                       "request line longer than \(limits.maxRequestLineBytes) bytes: shorten the target")
    }

    func headersTooLarge() -> HTTPParseError {
        HTTPParseError(.headersTooLarge, "header section larger than \(limits.maxHeaderBytes) bytes")
    }
}
