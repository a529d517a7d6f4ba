/// Size limits the request parser enforces on what it buffers and reads.
///
/// Every limit is checked on the bytes seen so far, so a peer cannot make the
/// gateway buffer more than a limit by withholding a line ending. The defaults
/// suit an API gateway: generous for real clients, small enough that one
/// connection cannot hold much memory.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Longest request line, without its CRLF. Longer → 414. Default 8 KiB.
    public var maxRequestLineBytes: Int
    /// Longest header section, counted from the first byte after the request
    /// line through the blank line that ends it. Longer → 431. Default 32 KiB.
    /// Also bounds the trailer section of a chunked body.
    public var maxHeaderBytes: Int
    /// Most header fields in one request. More → 431. Default 100.
    /// Also bounds the number of trailer fields.
    public var maxHeaderCount: Int
    /// Largest request body (declared `Content-Length` or the running total of
    /// chunk sizes). Larger → 413. Default 10 MiB.
    public var maxBodyBytes: Int
    /// Longest chunk-size line including chunk extensions, without its CRLF.
    /// Longer → 400. Default 4 KiB.
    public var maxChunkLineBytes: Int
    /// Empty lines (CRLF) skipped before a request line (RFC 9112 §2.2). More → 400.
    /// Default 8.
    public var maxLeadingEmptyLines: Int

    public init(maxRequestLineBytes: Int = 8192, maxHeaderBytes: Int = 32768, maxHeaderCount: Int = 100,
                maxBodyBytes: Int = 10 * 1024 * 1024, maxChunkLineBytes: Int = 4096,
                maxLeadingEmptyLines: Int = 8) {
        precondition(maxRequestLineBytes > 0 && maxHeaderBytes > 0 && maxHeaderCount >= 0
                     && maxBodyBytes >= 0 && maxChunkLineBytes > 0 && maxLeadingEmptyLines >= 0,
                     "HTTPParserLimits: limits must be positive")
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkLineBytes = maxChunkLineBytes
        self.maxLeadingEmptyLines = maxLeadingEmptyLines
    }
}
