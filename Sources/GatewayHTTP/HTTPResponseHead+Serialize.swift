extension HTTPResponseHead {
    /// Appends the status line and header section, through the blank line,
    /// to `out`: `HTTP/1.1 200 OK\r\nName: value\r\n...\r\n`.
    ///
    /// Fields are written in order, exactly as held: framing fields
    /// (`Content-Length`, `Transfer-Encoding`) are the caller's to set. A field
    /// that is not valid on the wire (see `HTTPHeaders.isValidField`) is left
    /// out, and a reason phrase holding control bytes is replaced by the
    /// standard one, so nothing can split the response. A status outside
    /// 100...999 is a programming error: it traps in debug builds and is sent
    /// as 500 otherwise.
    public func serialize(into out: inout [UInt8]) {
        serializeStatusLine(into: &out)
        HTTPWireWriter.appendFields(headers, to: &out)
        out.append(contentsOf: HTTPWireWriter.crlf)
    }

    /// Appends only the status line (`HTTP/1.1 200 OK\r\n`).
    public func serializeStatusLine(into out: inout [UInt8]) {
        HTTPWireWriter.appendVersion(version, to: &out)
        out.append(0x20)
        assert((100...999).contains(status), "HTTPResponseHead: status \(status) is not a three-digit code")
        let code = (100...999).contains(status) ? status : 500
        out.append(UInt8(code / 100) + 0x30)
        out.append(UInt8(code / 10 % 10) + 0x30)
        out.append(UInt8(code % 10) + 0x30)
        out.append(0x20)
        if let reason, HTTPHeaders.isValidFieldValue(reason) {
            HTTPWireWriter.append(reason, to: &out)
        } else {
            HTTPWireWriter.append(HTTPStatus.reason(code), to: &out)
        }
        out.append(contentsOf: HTTPWireWriter.crlf)
    }

    /// The serialised head as a new buffer.
    public var serialized: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + headers.count * 40)
        serialize(into: &out)
        return out
    }
}

extension HTTPHeaders {
    /// Appends every field valid on the wire as `Name: value\r\n` (no blank line).
    public func serializeFields(into out: inout [UInt8]) {
        HTTPWireWriter.appendFields(self, to: &out)
    }
}
