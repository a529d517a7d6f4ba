/// One step of a request as the parser reports it: the head once, body bytes
/// zero or more times, then the end.
///
/// `.body` points into the buffer handed to `HTTPRequestParser.parse` and is
/// valid only during the sink call that receives it: copy what must outlive it.
/// Chunked bodies arrive decoded (chunk framing, extensions and trailers removed).
public enum HTTPParserEvent {
    case head(HTTPRequestHead)
    case body(UnsafeRawBufferPointer)
    case end
}
