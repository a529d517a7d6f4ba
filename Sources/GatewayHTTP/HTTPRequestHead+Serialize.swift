extension HTTPRequestHead {
    /// Appends the request line and header section, through the blank line,
    /// to `out`: `GET /path HTTP/1.1\r\nHost: a\r\n...\r\n`.
    ///
    /// Used by clients and tests; `framing` is not consulted, so the caller
    /// sets `Content-Length` or `Transfer-Encoding` itself. Invalid fields are
    /// left out as in `HTTPResponseHead.serialize(into:)`. A method that is not
    /// a token or a target holding whitespace or control bytes is a
    /// programming error and traps.
    public func serialize(into out: inout [UInt8]) {
        precondition(HTTPHeaders.isValidFieldName(method), "HTTPRequestHead: method '\(method)' is not a token")
        precondition(!target.isEmpty && target.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F },
                     "HTTPRequestHead: target '\(target)' is empty or holds whitespace or control bytes")
        HTTPWireWriter.append(method, to: &out)
        out.append(0x20)
        HTTPWireWriter.append(target, to: &out)
        out.append(0x20)
        HTTPWireWriter.appendVersion(version, to: &out)
        out.append(contentsOf: HTTPWireWriter.crlf)
        HTTPWireWriter.appendFields(headers, to: &out)
        out.append(contentsOf: HTTPWireWriter.crlf)
    }

    /// The serialised head as a new buffer.
    public var serialized: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + target.utf8.count + headers.count * 40)
        serialize(into: &out)
        return out
    }
}
