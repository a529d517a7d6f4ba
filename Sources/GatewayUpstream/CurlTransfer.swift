import CCurl
import GatewayHTTP
import GatewayPosix

/// One upstream call on a pooled easy handle. Lives on the transport's loop.
/// Retained by itself (through `CURLOPT_PRIVATE`) from `configure` until it
/// completes or is cancelled.
final class CurlTransfer: UpstreamCall {
    private unowned let transport: CurlMultiTransport
    private let handle: CurlEasyHandle
    private var easy: UnsafeMutableRawPointer { handle.easy }
    private var handler: UpstreamResponseHandler?
    private var retained = false
    private var finished = false

    // Response head being assembled.
    private var status = 0
    private var reason = ""
    private var rawHead: [UInt8] = []
    private var fields: [UpstreamResponseHead.Field] = []
    private var headIsPlain = true
    private var headDelivered = false
    private var receivePaused = false

    // Request body.
    private var upload: [UInt8] = []
    private var uploadStart = 0
    private var uploadFinished = true
    private var sendPaused = false
    private var notifyDrain = false

    /// High-water mark of queued request body bytes before the caller should stop reading.
    static let uploadHighWater = 256 * 1024

    init(transport: CurlMultiTransport, handle: CurlEasyHandle, handler: UpstreamResponseHandler) {
        self.transport = transport
        self.handle = handle
        self.handler = handler
    }

    /// Sets this request's options on the pooled handle. Returns false when
    /// libcurl refuses the URL.
    func configure(_ request: UpstreamRequest) -> Bool {
        let easy = handle.easy
        let me = Unmanaged.passRetained(self).toOpaque()
        retained = true
        _ = ccurl_easy_setopt_ptr(easy, CURLOPT_PRIVATE, me)
        _ = ccurl_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, me)
        _ = ccurl_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, me)
        _ = ccurl_easy_setopt_ptr(easy, CURLOPT_READDATA, me)
        _ = ccurl_easy_setopt_datacb(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        _ = ccurl_easy_setopt_datacb(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        _ = ccurl_easy_setopt_datacb(easy, CURLOPT_READFUNCTION, curlReadCallback)
        guard handle.setURL(base: request.baseURL, target: request.target) else { return false }
        _ = ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        let method = request.method
        switch request.body {
        case .none:
            uploadFinished = true
            if method == "HEAD" { _ = ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1) }
        case .length(let n):
            uploadFinished = n == 0
            _ = ccurl_easy_setopt_long(easy, CURLOPT_UPLOAD, 1)
            _ = ccurl_easy_setopt_off(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(n))
        case .streamed:
            uploadFinished = false
            _ = ccurl_easy_setopt_long(easy, CURLOPT_UPLOAD, 1)
            _ = ccurl_easy_setopt_off(easy, CURLOPT_INFILESIZE_LARGE, -1)
        }
        if method == "GET" || (method == "HEAD" && request.body == .none) {
            _ = ccurl_easy_setopt_ptr(easy, CURLOPT_CUSTOMREQUEST, nil)
        } else {
            _ = ccurl_easy_setopt_str(easy, CURLOPT_CUSTOMREQUEST, method)
        }
        handle.setTimeouts(connectMillis: request.connectTimeoutMillis, totalMillis: request.totalTimeoutMillis)
        handle.setHeaders(request.headers)
        return true
    }

    // MARK: UpstreamCall

    var pendingRequestBodyBytes: Int { upload.count - uploadStart }

    func sendBody(_ bytes: UnsafeRawBufferPointer) {
        guard !finished, !bytes.isEmpty else { return }
        upload.append(contentsOf: bytes)
        wakeSender()
    }

    func finishBody() {
        guard !finished else { return }
        uploadFinished = true
        wakeSender()
    }

    private func wakeSender() {
        guard sendPaused else { return }
        if transport.curlDepth > 0 {
            transport.loop.runSoon { [weak self] in self?.wakeSender() }
            return
        }
        sendPaused = false
        transport.setPause(easy, bitmask: receivePaused ? CURLPAUSE_RECV : CURLPAUSE_CONT)
    }

    func resumeResponse() {
        guard !finished, receivePaused else { return }
        if transport.curlDepth > 0 {
            transport.loop.runSoon { [weak self] in self?.resumeResponse() }
            return
        }
        receivePaused = false
        transport.setPause(easy, bitmask: sendPaused ? CURLPAUSE_SEND : CURLPAUSE_CONT)
    }

    func cancel() {
        guard !finished else { return }
        handler = nil
        finish()
    }

    // MARK: Completion

    func complete(_ result: CURLcode) {
        guard !finished else { return }
        let handler = self.handler
        self.handler = nil
        if result == CURLE_OK {
            if !headDelivered && status >= 200 { deliverHead(to: handler) }
            finish()
            if headDelivered {
                handler?.upstreamDidFinish()
            } else {
                handler?.upstreamDidFail(.protocolError("the upstream sent no response head"))
            }
            return
        }
        finish()
        handler?.upstreamDidFail(Self.failure(for: result))
    }

    static func failure(for code: CURLcode) -> UpstreamFailure {
        let text = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .unavailable(text)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(text)
        default:
            return .protocolError(text)
        }
    }

    private func finish() {
        finished = true
        transport.recycle(handle)
        upload = []
        if retained {
            retained = false
            Unmanaged.passUnretained(self).release()
        }
    }

    /// Gives up a transfer that never reached libcurl.
    func release() {
        finished = true
        if retained {
            retained = false
            Unmanaged.passUnretained(self).release()
        }
    }

    // MARK: libcurl callbacks

    /// One raw header line from libcurl (CRLF included), parsed on bytes:
    /// a status line starts a new head, a blank line ends it.
    fileprivate func headerLine(_ line: UnsafeRawBufferPointer) {
        var end = line.count
        while end > 0, line[end - 1] == 0x0A || line[end - 1] == 0x0D { end -= 1 }
        if end == 0 {
            // The blank line ending a head: interim (1xx) heads are skipped.
            if status >= 200 || status == 101 { deliverHead(to: handler) }
            return
        }
        if end >= 12, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
           line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/") {
            // A new head (an interim one may precede the final): start over.
            rawHead.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            // Room for a typical head at once, rather than growing by doubling.
            rawHead.reserveCapacity(1024)
            fields.reserveCapacity(16)
            headIsPlain = true
            // "HTTP/1.1 200 OK": the three digits after the first space.
            var k = 5
            while k < end, line[k] != 0x20 { k += 1 }
            var code = 0
            var digits = 0
            k += 1
            while k < end, digits < 3, line[k] &- 48 < 10 {
                code = code * 10 + Int(line[k] &- 48)
                k += 1
                digits += 1
            }
            status = digits == 3 ? code : 0
            reason = k + 1 < end ? String(decoding: UnsafeRawBufferPointer(rebasing: line[(k + 1)..<end]), as: UTF8.self) : ""
            return
        }
        if line[0] == 0x20 || line[0] == 0x09 {
            // obs-fold continuation: the head must be normalised before it is passed on.
            headIsPlain = false
            if let last = fields.last {
                let more = UnsafeRawBufferPointer(rebasing: line[0..<end])
                var extra: [UInt8] = [0x20]
                extra.append(contentsOf: more.drop { $0 == 0x20 || $0 == 0x09 })
                rawHead.removeSubrange(last.value.upperBound..<last.line.upperBound)
                rawHead.append(contentsOf: extra)
                let valueEnd = rawHead.count
                rawHead.append(0x0D)
                rawHead.append(0x0A)
                fields[fields.count - 1].value = last.value.lowerBound..<valueEnd
                fields[fields.count - 1].line = last.line.lowerBound..<rawHead.count
            }
            return
        }
        var colon = 0
        while colon < end, line[colon] != UInt8(ascii: ":") { colon += 1 }
        guard colon > 0, colon < end else { return }
        var valueStart = colon + 1
        while valueStart < end, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        var valueEnd = end
        while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        for k in 0..<end where (line[k] < 0x20 && line[k] != 0x09) || line[k] == 0x7F { headIsPlain = false }
        let base = rawHead.count
        rawHead.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[0..<end]))
        rawHead.append(0x0D)
        rawHead.append(0x0A)
        fields.append(UpstreamResponseHead.Field(line: base..<rawHead.count, name: base..<(base + colon),
                                                 value: (base + valueStart)..<(base + valueEnd)))
    }

    private func deliverHead(to handler: UpstreamResponseHandler?) {
        guard !headDelivered else { return }
        headDelivered = true
        handler?.upstreamDidReceiveHead(UpstreamResponseHead(status: status, reason: reason.isEmpty ? nil : reason,
                                                             raw: rawHead, fields: fields, isPlain: headIsPlain))
    }

    fileprivate func body(_ chunk: UnsafeRawBufferPointer) -> Int {
        if !headDelivered { deliverHead(to: handler) }
        guard let handler else { return 0 }
        if handler.upstreamDidReceiveBody(chunk) { return chunk.count }
        receivePaused = true
        return Int(ccurl_writefunc_pause())
    }

    fileprivate func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let available = upload.count - uploadStart
        if available == 0 {
            if uploadFinished { return 0 }
            sendPaused = true
            return Int(ccurl_readfunc_pause())
        }
        let n = min(available, buffer.count)
        upload.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[uploadStart..<(uploadStart + n)]))
        }
        uploadStart += n
        if uploadStart == upload.count {
            upload.removeAll(keepingCapacity: true)
            uploadStart = 0
        }
        let wasFull = notifyDrain
        if available >= Self.uploadHighWater { notifyDrain = true }
        if (wasFull || notifyDrain) && upload.count - uploadStart < Self.uploadHighWater / 4 {
            notifyDrain = false
            transport.loop.runSoon { [weak self] in self?.handler?.upstreamDidDrainRequestBody() }
        }
        return n
    }
}

private let curlHeaderCallback: ccurl_data_cb = { pointer, size, count, userdata in
    let n = size * count
    guard let userdata, let pointer else { return n }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.headerLine(UnsafeRawBufferPointer(start: pointer, count: n))
    return n
}

private let curlWriteCallback: ccurl_data_cb = { pointer, size, count, userdata in
    let n = size * count
    guard let userdata, let pointer else { return n }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.body(UnsafeRawBufferPointer(start: pointer, count: n))
}

private let curlReadCallback: ccurl_data_cb = { pointer, size, count, userdata in
    guard let userdata, let pointer else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.read(into: UnsafeMutableRawBufferPointer(start: pointer, count: size * count))
}
