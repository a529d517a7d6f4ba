import GatewayHTTP

extension TestHTTPClient {
    /// Reads more bytes into the buffer; false at end of stream.
    @discardableResult
    func fill() throws(TestHTTPClientError) -> Bool {
        if peerClosed { return false }
        let bytes = try socket.receive()
        if bytes.isEmpty {
            peerClosed = true
            return false
        }
        buffer += bytes
        return true
    }

    func take(_ count: Int) -> [UInt8] {
        let out = Array(buffer[readIndex..<readIndex + count])
        readIndex += count
        return out
    }

    /// Reads one CRLF-terminated line (without the CRLF). `start` marks where
    /// the current response began, for the error's partial bytes.
    func readLine(responseStart start: Int) throws(TestHTTPClientError) -> String {
        var scanFrom = readIndex
        while true {
            if let lf = buffer[scanFrom...].firstIndex(of: 0x0A) {
                guard lf > readIndex, buffer[lf - 1] == 0x0D else {
                    throw .malformed("line ending without CR: \(String(decoding: buffer[readIndex...lf], as: UTF8.self).debugDescription)")
                }
                let line = String(decoding: buffer[readIndex..<(lf - 1)], as: UTF8.self)
                readIndex = lf + 1
                return line
            }
            scanFrom = buffer.count
            guard try fill() else { throw .closed(partial: Array(buffer[start...])) }
        }
    }

    func readExactly(_ count: Int, responseStart start: Int) throws(TestHTTPClientError) -> [UInt8] {
        while buffer.count - readIndex < count {
            guard try fill() else { throw .closed(partial: Array(buffer[start...])) }
        }
        return take(count)
    }

    func readOneResponse(requestMethod: String) throws(TestHTTPClientError) -> TestHTTPResponse {
        if readIndex > 65536 {   // drop what earlier responses used
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        let start = readIndex
        let statusLine = try readLine(responseStart: start)
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "HTTP/1.1" || parts[0] == "HTTP/1.0",
              parts[1].utf8.count == 3, let status = Int(parts[1]) else {
            throw .malformed("bad status line \(statusLine.debugDescription)")
        }
        var response = TestHTTPResponse(version: String(parts[0]), status: status,
                                        reason: parts.count > 2 ? String(parts[2]) : "")
        response.headers = try readFields(responseStart: start)

        let noBody = requestMethod == "HEAD" || HTTPStatus.forbidsBody(status)
        if noBody { return response }
        if let coding = response.headers.first(name: "Transfer-Encoding") {
            guard response.headers.tokens(name: "Transfer-Encoding").last == "chunked" else {
                throw .malformed("unsupported Transfer-Encoding \(coding)")
            }
            response.framing = .chunked
            try readChunkedBody(into: &response, responseStart: start)
        } else if let lengthText = response.headers.first(name: "Content-Length") {
            guard response.headers.values(name: "Content-Length").count == 1,
                  let length = Int(lengthText), length >= 0 else {
                throw .malformed("bad Content-Length \(response.headers.values(name: "Content-Length"))")
            }
            response.framing = .contentLength(length)
            response.body = try readExactly(length, responseStart: start)
        } else {
            response.framing = .closeDelimited
            while try fill() {}
            response.body = take(buffer.count - readIndex)
        }
        return response
    }

    func readFields(responseStart start: Int) throws(TestHTTPClientError) -> HTTPHeaders {
        var fields = HTTPHeaders()
        while true {
            let line = try readLine(responseStart: start)
            if line.isEmpty { return fields }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  HTTPHeaders.isValidFieldName(String(line[..<colon])) else {
                throw .malformed("bad header line \(line.debugDescription)")
            }
            fields.add(name: String(line[..<colon]),
                       value: String(line[line.index(after: colon)...].trimmingASCIIWhitespace()))
        }
    }

    func readChunkedBody(into response: inout TestHTTPResponse, responseStart start: Int) throws(TestHTTPClientError) {
        while true {
            let line = try readLine(responseStart: start)
            let sizeText = line.prefix { $0 != ";" }.trimmingASCIIWhitespace()
            guard !sizeText.isEmpty, let size = Int(sizeText, radix: 16), size >= 0 else {
                throw .malformed("bad chunk size line \(line.debugDescription)")
            }
            if size == 0 {
                response.trailers = try readFields(responseStart: start)
                return
            }
            response.body += try readExactly(size, responseStart: start)
            guard try readExactly(2, responseStart: start) == [0x0D, 0x0A] else {
                throw .malformed("chunk data not followed by CRLF")
            }
        }
    }
}
