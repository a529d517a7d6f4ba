/// A strict, incremental HTTP/1.1 request parser (RFC 9112) for the gateway's
/// hot path.
///
/// Feed it the bytes of a connection with `parse(_:_:)`; it reports each request
/// as `.head`, zero or more `.body` slices and `.end`, and stops right after
/// `.end` so pipelined requests are taken one at a time. Bytes it does not
/// consume (an incomplete head, or the start of the next request) must be
/// offered again, with more appended, on the next call. A head is consumed only
/// once complete; while it is incomplete the parser remembers how far it has
/// scanned, so re-offering a growing head costs O(new bytes).
///
/// The parser is a plain value: no I/O, no clock, no Foundation. It allocates
/// only the strings of the head (method, target, field names and values).
///
/// ## Limits (see `HTTPParserLimits`)
/// Checked against what has arrived, before a line is complete:
/// request line > 8 KiB → 414; header section > 32 KiB or > 100 fields → 431;
/// `Content-Length` or the running total of chunk sizes > 10 MiB → 413;
/// chunk-size line (with extensions) > 4 KiB → 400; more than 8 empty lines
/// before a request line → 400. Trailers share the header limits.
///
/// ## Choices where RFC 9112 leaves room (all answered 400 unless noted)
/// - Line endings are strictly CRLF: a bare LF or a bare CR anywhere in the
///   head, a chunk line or a trailer is refused, never guessed at.
/// - Up to `maxLeadingEmptyLines` CRLFs before a request line are skipped (§2.2).
/// - Request line: exactly one SP between parts; method must be a token;
///   `CONNECT` → 501. The target must be in origin form (starts with `/`), or
///   be `*` for `OPTIONS`; absolute and authority forms are refused. Target
///   bytes are visible ASCII without `"`, `#`, `<`, `>`, `\`, and every `%` must
///   start a valid escape, so the gateway and the upstream cannot read the path
///   differently. The target is not normalised (dot segments are left as sent).
/// - Version: `HTTP/1.0` and `HTTP/1.1`; any other well-formed `HTTP/d.d` → 505.
/// - Fields: the name is a non-empty token followed directly by `:`
///   (whitespace before the colon is refused); obs-fold (a line starting with
///   SP or HTAB) is refused; values may hold HTAB, SP, VCHAR and obs-text, but
///   no other control byte (NUL, VT, CR, ...), and must be valid UTF-8 since the
///   gateway stores them as strings. Leading and trailing SP/HTAB are trimmed.
/// - `Host`: exactly one in HTTP/1.1, at most one in HTTP/1.0; its value may
///   hold only URI host and port characters.
/// - `Content-Length`: decimal digits only (no sign, no hex, ≤ 18 digits).
///   Repeated fields or list elements must all carry the same value; the head
///   then keeps a single normalised `Content-Length` field.
/// - `Transfer-Encoding`: only exactly `chunked` (letters in any case) is
///   accepted. If `chunked` is missing, or not the final coding, or appears
///   twice → 400 (§6.3: the length cannot be determined). If a final `chunked`
///   follows other codings (`gzip, chunked`) → 501: the gateway does not
///   implement them and will not forward a body it cannot frame. Together
///   with `Content-Length`, or in an HTTP/1.0 request → 400.
/// - Chunked bodies: sizes are 1–16 hex digits (no `0x`, no sign); extensions
///   (`;name=value`, BWS allowed before `;`) are skipped but validated; each
///   data block must be followed by CRLF; trailer fields are parsed and dropped.
/// - `HEAD` and `Expect` have no effect on request framing.
///
/// After a thrown error the parser is spent: every later call rethrows it.
public struct HTTPRequestParser: Sendable {
    public let limits: HTTPParserLimits

    enum State: UInt8, Sendable {
        case head, fixedBody, chunked, failed
    }

    var state: State = .head
    var failure: HTTPParseError?

    // Head scanning, in offsets relative to the first unconsumed byte.
    var scanned = 0
    var lineStart = 0
    var requestLineEnd = -1
    var fieldLines = 0
    var emptyLinesSkipped = 0

    // Body.
    var remaining = 0
    var chunked: HTTPChunkedDecoder

    public init(limits: HTTPParserLimits = .init()) {
        self.limits = limits
        chunked = HTTPChunkedDecoder(limits: Self.chunkLimits(limits))
    }

    static func chunkLimits(_ limits: HTTPParserLimits) -> HTTPChunkedDecoder.Limits {
        HTTPChunkedDecoder.Limits(maxBodyBytes: limits.maxBodyBytes, maxLineBytes: limits.maxChunkLineBytes,
                                  maxTrailerBytes: limits.maxHeaderBytes, maxTrailerFields: limits.maxHeaderCount)
    }

    /// Whether the parser is between messages: the previous request (if any)
    /// has ended and nothing of the next one has been consumed or scanned.
    public var isIdle: Bool { state == .head && scanned == 0 }

    /// Whether the parser is inside a request body (after `.head`, before `.end`).
    public var isReadingBody: Bool { state != .head && state != .failed }

    /// Parses as much of `input` as forms the current message, calling `sink`
    /// for each event; stops right after `.end`. Returns the number of bytes
    /// consumed; unconsumed bytes must be offered again (with more appended) on
    /// the next call. Throws on any protocol violation: answer `error.status`
    /// and close the connection.
    public mutating func parse(_ input: UnsafeRawBufferPointer,
                               _ sink: (HTTPParserEvent) -> Void) throws(HTTPParseError) -> Int {
        if let failure { throw failure }
        do throws(HTTPParseError) {
            return try parseMessage(input, sink)
        } catch {
            failure = error
            state = .failed
            throw error
        }
    }

    private mutating func parseMessage(_ input: UnsafeRawBufferPointer,
                                       _ sink: (HTTPParserEvent) -> Void) throws(HTTPParseError) -> Int {
        guard let base = input.baseAddress, input.count > 0 else { return 0 }
        var pos = 0
        if state == .head {
            guard let (start, end, lineEnd, fields) = try scanHead(base, input.count, &pos) else { return pos }
            let head = try parseHead(base + start, count: end - start, requestLineEnd: lineEnd, fieldLines: fields)
            sink(.head(head))
            pos = end
            switch head.framing {
            case .none, .contentLength(0):
                sink(.end)
                return pos
            case .contentLength(let length):
                state = .fixedBody
                remaining = length
            case .chunked:
                state = .chunked
                chunked = HTTPChunkedDecoder(limits: Self.chunkLimits(limits))
            }
        }
        if state == .fixedBody {
            let n = min(remaining, input.count - pos)
            if n > 0 {
                sink(.body(UnsafeRawBufferPointer(start: base + pos, count: n)))
                pos += n
                remaining -= n
            }
            if remaining == 0 {
                state = .head
                sink(.end)
            }
            return pos
        }
        let end = try chunked.decode(base, input.count, from: pos) { sink(.body($0)); return true }
        if chunked.isDone {
            state = .head
            sink(.end)
        }
        return end
    }
}
