import CGatewayLinux
import GatewayHTTP
import GatewayPosix
import GatewayUpstream

extension ProxyExchange {
    /// Headers a caller may never set for the upstream: the gateway's own
    /// identity and forwarding headers are replaced, not trusted.
    static func isGatewayOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 9: return name.equalsIgnoringASCIICase("Forwarded")
        case 12: return name.equalsIgnoringASCIICase("X-Request-Id")
        case 15: return name.equalsIgnoringASCIICase("X-Forwarded-For")
        case 16: return name.equalsIgnoringASCIICase("X-Forwarded-Host")
        case 17: return name.equalsIgnoringASCIICase("X-Forwarded-Proto")
        case 13...:
            var name = name
            return name.withUTF8 { ASCIICase.hasPrefix(UnsafeRawBufferPointer($0), lowercased: "x-portcullis-") }
        default: return false
        }
    }

    /// The request headers sent upstream (docs/architecture.md, "life of a request", step 5).
    func upstreamHeaders(route: RouteMatch) -> HTTPHeaders {
        let incoming = context.head.headers
        var headers = incoming.removingHopByHop()
        headers.reserveCapacity(headers.count + 8)
        let forwardAuthorization = route.upstream.forwardAuthorization
        headers.removeAll { field in
            switch field.name.utf8.count {
            case 4: return field.name.equalsIgnoringASCIICase("Host")
            case 13: return !forwardAuthorization && field.name.equalsIgnoringASCIICase("Authorization")
            case 14: return field.name.equalsIgnoringASCIICase("Content-Length")
            default: return Self.isGatewayOwned(field.name)
            }
        }
        headers.add(name: "X-Request-Id", value: context.requestID)
        headers.add(name: "X-Forwarded-For", value: context.forwardedFor)
        headers.add(name: "X-Forwarded-Proto", value: "http")
        if let host = incoming.first(name: "Host") { headers.add(name: "X-Forwarded-Host", value: host) }
        if let principal = context.principal {
            headers.add(name: "X-Portcullis-Client-Id", value: principal.clientID)
            headers.add(name: "X-Portcullis-Org-Id", value: principal.orgID)
            headers.add(name: "X-Portcullis-Scopes", value: principal.scopes.joined(separator: " "))
            if let subject = principal.subject { headers.add(name: "X-Portcullis-Subject", value: subject) }
        }
        return headers
    }

    func startUpstream() {
        guard let route = context.route else { return fail(ProxyError(.internalError, detail: "no route")) }
        var headers = upstreamHeaders(route: route)
        for filter in pipeline.filters { filter.upstreamRequestFilter(context, headers: &headers) }
        let body: UpstreamRequest.Body
        switch context.head.framing {
        case .none: body = .none
        case .contentLength(let n): body = .length(n)
        case .chunked: body = .streamed
        }
        let request = UpstreamRequest(method: context.head.method, origin: route.upstream.origin, target: context.head.target,
                                      headers: headers, body: body,
                                      connectTimeoutMillis: route.upstream.connectTimeoutMillis,
                                      totalTimeoutMillis: route.upstream.totalTimeoutMillis)
        mode = .proxying
        if context.head.expectsContinue { connection.writeContinue() }
        upstreamStart = cgl_monotonic_ns()
        call = proxyLoop.transport.start(request, handler: self)
    }

    // MARK: UpstreamResponseHandler

    func upstreamDidReceiveHead(_ upstreamHead: UpstreamResponseHead) {
        guard case .proxying = mode, !connection.isClosed else { return }
        let noBody = context.head.method == "HEAD" || HTTPStatus.forbidsBody(upstreamHead.status)
        if !upstreamHead.isPlain || pipeline.filters.contains(where: { $0.needsUpstreamResponseHead(context) }) {
            return writeStructuredHead(upstreamHead.structured, noBody: noBody)
        }
        // The common case: upstream fields are copied through as bytes, without
        // the hop-by-hop ones (and those named in `Connection`), framing fields
        // and the upstream's `X-Request-Id`; the gateway's fields follow.
        var head = HTTPResponseHead(status: upstreamHead.status, reason: upstreamHead.reason,
                                    headers: context.responseHeaders)   // X-Request-Id included
        for filter in pipeline.filters { filter.responseFilter(context, head: &head) }
        let plan = UpstreamFieldPlan(upstreamHead, dropCrossOriginFields: crossOrigin)
        let framing: ResponseFraming = noBody ? .none : plan.contentLength.map { .contentLength($0) } ?? .streamed
        context.status = head.status
        responseStarted = true
        connection.writeResponseHead(status: head.status, reason: head.reason, framing: framing) { out in
            upstreamHead.raw.withUnsafeBytes { raw in
                for (index, field) in upstreamHead.fields.enumerated() where plan.keeps(index, keepContentLength: noBody) {
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[field.line]))
                }
            }
            head.headers.serializeFields(into: &out)
        }
    }

    /// The slow path: every field as a `String`, filters see the whole head.
    private func writeStructuredHead(_ upstream: HTTPResponseHead, noBody: Bool) {
        var head = HTTPResponseHead(status: upstream.status, reason: upstream.reason,
                                    headers: upstream.headers.removingHopByHop())
        if crossOrigin { head.headers.removeAll { UpstreamFieldPlan.isCrossOriginField(Array($0.name.utf8)) } }
        head.headers.reserveCapacity(head.headers.count + context.responseHeaders.count + 4)
        for field in context.responseHeaders { head.headers.add(name: field.name, value: field.value) }
        head.headers.replaceOrAdd(name: "X-Request-Id", value: context.requestID)
        for filter in pipeline.filters { filter.responseFilter(context, head: &head) }
        let framing: ResponseFraming
        if noBody {
            framing = .none
        } else if let length = head.headers.first(name: "Content-Length").flatMap({ Int($0) }) {
            framing = .contentLength(length)
        } else {
            framing = .streamed
        }
        context.status = head.status
        responseStarted = true
        connection.writeResponseHead(head, framing: framing)
    }

    func upstreamDidReceiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard case .proxying = mode, !connection.isClosed else { return true }
        if !connection.isWritable {
            responsePaused = true
            connection.notifyWhenDrained()
            return false
        }
        for filter in pipeline.filters { filter.responseBodyFilter(context, chunk: chunk) }
        connection.writeBody(chunk)
        context.bytesOut += chunk.count
        return true
    }

    func downstreamDrained() {
        if responsePaused {
            responsePaused = false
            call?.resumeResponse()
        }
    }

    func upstreamDidFinish() {
        guard case .proxying = mode else { return }
        context.upstreamNanos = cgl_monotonic_ns() - upstreamStart
        call = nil
        mode = .answered
        connection.endResponse()
        finish()
    }

    func upstreamDidFail(_ failure: UpstreamFailure) {
        guard case .proxying = mode else { return }
        context.upstreamNanos = cgl_monotonic_ns() - upstreamStart
        call = nil
        switch failure {
        case .unavailable(let why):
            fail(ProxyError(.upstreamUnavailable, detail: "The upstream service could not be reached (\(why))."))
        case .timeout(let why):
            fail(ProxyError(.upstreamTimeout, detail: "The upstream service did not answer in time (\(why))."))
        case .protocolError(let why):
            fail(ProxyError(.upstreamProtocol, detail: "The upstream service sent a broken answer (\(why))."))
        }
    }
}
