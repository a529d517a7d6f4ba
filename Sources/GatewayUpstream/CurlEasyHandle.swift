import CCurl
import GatewayHTTP
import Glibc

/// A pooled libcurl easy handle with what it can keep between requests: the
/// options every transfer shares (set once), the last timeouts, and buffers
/// for the request header list, so building a request allocates nothing once the
/// buffers have grown to their working size.
final class CurlEasyHandle {
    let easy: UnsafeMutableRawPointer
    private var connectTimeout = -1
    private var totalTimeout = -1

    private var url: UnsafeMutablePointer<UInt8>
    private var urlCapacity: Int
    private var lines: UnsafeMutablePointer<UInt8>
    private var linesCapacity: Int
    private var nodes: UnsafeMutablePointer<curl_slist>
    private var nodesCapacity: Int

    /// - Parameters: closeSocket, context: libcurl's close callback for the
    ///   connections this handle opens, and its argument (the transport).
    init(closeSocket: ccurl_closesocket_cb, context: UnsafeMutableRawPointer) {
        easy = curl_easy_init()!
        urlCapacity = 512
        url = .allocate(capacity: urlCapacity)
        linesCapacity = 2048
        lines = .allocate(capacity: linesCapacity)
        nodesCapacity = 32
        nodes = .allocate(capacity: nodesCapacity)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_str(easy, CURLOPT_NOPROXY, "*")
        _ = ccurl_easy_setopt_long(easy, CURLOPT_DNS_CACHE_TIMEOUT, -1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_PATH_AS_IS, 1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_HTTP_CONTENT_DECODING, 0)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_HTTP_TRANSFER_DECODING, 1)
        _ = ccurl_easy_setopt_closesocketcb(easy, closeSocket)
        _ = ccurl_easy_setopt_ptr(easy, CURLOPT_CLOSESOCKETDATA, context)
    }

    deinit {
        curl_easy_cleanup(easy)
        url.deallocate()
        lines.deallocate()
        nodes.deallocate()
    }

    /// Points the handle at `base + target`, byte for byte. (A parsed URL handle,
    /// `CURLOPT_CURLU`, would be cheaper but normalises percent-escapes in the
    /// query, and the path and query must reach the upstream unchanged.)
    func setURL(base: String, target: String) -> Bool {
        var base = base, target = target
        let length = base.utf8.count + target.utf8.count
        if length + 1 > urlCapacity {
            url.deallocate()
            urlCapacity = max(length + 1, urlCapacity * 2)
            url = .allocate(capacity: urlCapacity)
        }
        let url = self.url, baseLength = base.utf8.count
        base.withUTF8 { if let bytes = $0.baseAddress { url.update(from: bytes, count: $0.count) } }
        target.withUTF8 { if let bytes = $0.baseAddress { (url + baseLength).update(from: bytes, count: $0.count) } }
        url[length] = 0
        // libcurl copies the string.
        return url.withMemoryRebound(to: CChar.self, capacity: length + 1) {
            ccurl_easy_setopt_str(easy, CURLOPT_URL, $0) == CURLE_OK
        }
    }

    func setTimeouts(connectMillis: Int, totalMillis: Int) {
        if connectMillis != connectTimeout {
            connectTimeout = connectMillis
            _ = ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, connectMillis)
        }
        if totalMillis != totalTimeout {
            totalTimeout = totalMillis
            _ = ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, totalMillis)
        }
    }

    /// Builds the request header list in the handle's own buffers and hands it to
    /// libcurl. `Host`, `Content-Length`, `Transfer-Encoding` and `Expect` are the
    /// transport's; libcurl's defaults for `Expect` and `Accept` are suppressed.
    /// A field whose value holds CR, LF or NUL would split the request: it is
    /// never sent. One pass over the fields, on raw bytes, into local pointers.
    func setHeaders(_ headers: HTTPHeaders) {
        headers.fields.withUnsafeBufferPointer { fields in   // fields borrowed, not copied
            var bytes = 16  // "Expect:" and "Accept:" with their NULs
            for i in fields.indices { bytes += fields[i].name.utf8.count + fields[i].value.utf8.count + 3 }
            reserve(lineBytes: bytes, nodes: fields.count + 2)
            let lines = self.lines, nodes = self.nodes
            var offset = 0, index = 0
            var sawAccept = false

            for i in fields.indices where !Self.isTransportOwned(fields[i].name) {
                let start = offset
                let nameLength = Self.copy(fields[i].name, to: lines + offset, refusingLineBreaks: false)
                offset += nameLength
                let safe: Bool
                if fields[i].value.isEmpty {
                    // "Name;" is libcurl's way to send a header with an empty value.
                    lines[offset] = UInt8(ascii: ";")
                    offset += 1
                    safe = true
                } else {
                    lines[offset] = UInt8(ascii: ":")
                    lines[offset + 1] = UInt8(ascii: " ")
                    offset += 2
                    let valueLength = Self.copy(fields[i].value, to: lines + offset, refusingLineBreaks: true)
                    safe = valueLength >= 0
                    offset += max(valueLength, 0)
                }
                guard safe else {
                    offset = start  // drop what was written of this field
                    continue
                }
                if nameLength == 6, fields[i].name.equalsIgnoringASCIICase("Accept") { sawAccept = true }
                Self.terminate(lines, &offset, start: start, nodes, &index)
            }
            for text: StaticString in sawAccept ? ["Expect:"] : ["Expect:", "Accept:"] {
                let start = offset
                (lines + offset).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
                offset += text.utf8CodeUnitCount
                Self.terminate(lines, &offset, start: start, nodes, &index)
            }
        }
        _ = ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, nodes)
    }

    /// Copies `text`'s UTF-8 to `target` and returns the byte count, or -1 when
    /// `refusingLineBreaks` and it holds CR, LF or NUL (what is written then is garbage).
    @inline(__always)
    private static func copy(_ text: String, to target: UnsafeMutablePointer<UInt8>, refusingLineBreaks: Bool) -> Int {
        func copy<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int {
            var i = 0
            for byte in bytes {
                if refusingLineBreaks && (byte == 0x0D || byte == 0x0A || byte == 0) { return -1 }
                target[i] = byte
                i += 1
            }
            return i
        }
        return text.utf8.withContiguousStorageIfAvailable { copy($0) } ?? copy(text.utf8)
    }

    /// Ends the line that began at `start` with a NUL and links its node after the previous one.
    @inline(__always)
    private static func terminate(_ lines: UnsafeMutablePointer<UInt8>, _ offset: inout Int, start: Int,
                                  _ nodes: UnsafeMutablePointer<curl_slist>, _ index: inout Int) {
        lines[offset] = 0
        offset += 1
        nodes[index] = curl_slist(data: UnsafeMutableRawPointer(lines + start).assumingMemoryBound(to: CChar.self),
                                  next: nil)
        if index > 0 { nodes[index - 1].next = nodes + index }
        index += 1
    }

    private func reserve(lineBytes: Int, nodes count: Int) {
        if lineBytes > linesCapacity {
            lines.deallocate()
            linesCapacity = max(lineBytes, linesCapacity * 2)
            lines = .allocate(capacity: linesCapacity)
        }
        if count > nodesCapacity {
            nodes.deallocate()
            nodesCapacity = max(count, nodesCapacity * 2)
            nodes = .allocate(capacity: nodesCapacity)
        }
    }

    private static func isTransportOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: name.equalsIgnoringASCIICase("Host")
        case 6: name.equalsIgnoringASCIICase("Expect")
        case 14: name.equalsIgnoringASCIICase("Content-Length")
        case 17: name.equalsIgnoringASCIICase("Transfer-Encoding")
        default: false
        }
    }
}
