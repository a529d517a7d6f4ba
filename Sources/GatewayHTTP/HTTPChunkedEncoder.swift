/// Writes a body in the chunked transfer coding (RFC 9112 §7.1).
///
/// A chunk is `size-in-hex CRLF data CRLF`; the body ends with the last chunk
/// `0 CRLF`, optional trailer fields, and CRLF. An empty chunk is never
/// written by `appendChunk` (it would end the body): only `appendLastChunk`
/// ends it.
public enum HTTPChunkedEncoder {
    /// Appends `bytes` as one chunk; appends nothing when `bytes` is empty.
    public static func appendChunk(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        appendChunkHeader(size: bytes.count, to: &out)
        out.append(contentsOf: bytes)
        out.append(contentsOf: HTTPWireWriter.crlf)
    }

    /// Appends `bytes` as one chunk; appends nothing when `bytes` is empty.
    public static func appendChunk(_ bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBytes { appendChunk($0, to: &out) }
    }

    /// Appends `size CRLF`, for callers that write the data themselves (for
    /// example with `writev`) and then `appendChunkEnd`. `size` must be > 0.
    public static func appendChunkHeader(size: Int, to out: inout [UInt8]) {
        precondition(size > 0, "HTTPChunkedEncoder: a chunk of size 0 would end the body; use appendLastChunk")
        HTTPWireWriter.appendHex(size, to: &out)
        out.append(contentsOf: HTTPWireWriter.crlf)
    }

    /// Appends the CRLF that closes a chunk's data.
    public static func appendChunkEnd(to out: inout [UInt8]) {
        out.append(contentsOf: HTTPWireWriter.crlf)
    }

    /// Appends the last chunk, the `trailers` (invalid ones left out) and the
    /// final CRLF.
    public static func appendLastChunk(trailers: HTTPHeaders = HTTPHeaders(), to out: inout [UInt8]) {
        out.append(0x30)
        out.append(0x0D)
        out.append(0x0A)
        HTTPWireWriter.appendFields(trailers, to: &out)
        out.append(contentsOf: HTTPWireWriter.crlf)
    }
}
