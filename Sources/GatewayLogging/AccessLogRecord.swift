import GatewayHTTP
import GatewayProxy

/// One line of `logs/access.log`: what happened to one request.
///
/// Encoded as one JSON object per line, fields in this order (CONTRACT §6,
/// then extensions):
///
/// | field | type | notes |
/// |---|---|---|
/// | `ts` | string | RFC 3339 UTC with milliseconds, when the request head arrived |
/// | `request_id` | string | also sent as `X-Request-Id` |
/// | `client_id`, `org_id` | string or null | the authenticated caller; null when none |
/// | `method` | string | |
/// | `path` | string | the request target, query included, masked (`LogMasker.maskTarget`) |
/// | `version` | string or null | the API version of the matched route (`v1`), or of a retired version answered with 410; null for local endpoints and unmatched paths |
/// | `status` | number | the status sent downstream |
/// | `upstream_ms` | number or null | time waiting on the upstream, 3 decimals; null when none was called |
/// | `total_ms` | number | head received → last byte sent, 3 decimals |
/// | `bytes_in`, `bytes_out` | number | request body bytes read; response body bytes sent |
/// | `remote_addr` | string | the caller's IP address |
/// | `subject` | string | only when the token names a user; PII-masked |
/// | `error` | string | only when the gateway answered with an error: the `ProxyError.Kind` |
///
/// Masking happens in `encode`, per field; the record itself holds raw values.
public struct AccessLogRecord: Sendable, Equatable {
    public var unixNanos: Int64
    public var requestID: String
    public var clientID: String?
    public var orgID: String?
    public var subject: String?
    public var method: String
    /// The raw request target (`/v1/ledger/entries?limit=5`); masked when encoded.
    public var target: String
    public var version: String?
    public var status: Int
    public var upstreamNanos: Int64?
    public var totalNanos: Int64
    public var bytesIn: Int
    public var bytesOut: Int
    public var remoteAddress: String
    public var error: String?

    public init(unixNanos: Int64, requestID: String, clientID: String? = nil, orgID: String? = nil,
                subject: String? = nil, method: String, target: String, version: String? = nil, status: Int,
                upstreamNanos: Int64? = nil, totalNanos: Int64, bytesIn: Int = 0, bytesOut: Int = 0,
                remoteAddress: String = "", error: String? = nil) {
        self.unixNanos = unixNanos
        self.requestID = requestID
        self.clientID = clientID
        self.orgID = orgID
        self.subject = subject
        self.method = method
        self.target = target
        self.version = version
        self.status = status
        self.upstreamNanos = upstreamNanos
        self.totalNanos = totalNanos
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.remoteAddress = remoteAddress
        self.error = error
    }

    /// The record of a finished request. A status of 0 falls back to the error's status.
    public init(context: ProxyContext) {
        let principal = context.principal   // one copy, not one per field
        self.init(unixNanos: context.startUnixNanos, requestID: context.requestID,
                  clientID: principal?.clientID, orgID: principal?.orgID,
                  subject: principal?.subject, method: context.head.method, target: context.head.target,
                  version: context.version,
                  status: context.status != 0 ? context.status : (context.error?.status ?? 0),
                  upstreamNanos: context.upstreamNanos, totalNanos: context.totalNanos, bytesIn: context.bytesIn,
                  bytesOut: context.bytesOut, remoteAddress: context.remoteAddress,
                  error: context.error?.kind.rawValue)
    }

    /// Appends the masked JSON line, newline included, to `out`.
    public func encode(into out: inout [UInt8], masker: LogMasker) {
        var line = LineBuffer(capacity: 320 + target.utf8.count)
        encode(into: &line, masker: masker)
        out.append(contentsOf: line.bytes)
    }

    /// The masked JSON line, newline included.
    public func line(masker: LogMasker) -> [UInt8] {
        var out: [UInt8] = []
        encode(into: &out, masker: masker)
        return out
    }

    func encode(into out: inout LineBuffer, masker: LogMasker) {
        out.appendRecordStart(unixNanos: unixNanos, requestID: requestID, clientID: clientID, orgID: orgID,
                              method: method, target: target, masker: masker)
        out.append("\",\"version\":")
        out.appendStringOrNull(version)
        out.append(",\"status\":")
        out.appendInt(status)
        out.append(",\"upstream_ms\":")
        if let upstreamNanos { out.appendMillis(nanos: upstreamNanos) } else { out.append("null") }
        out.append(",\"total_ms\":")
        out.appendMillis(nanos: totalNanos)
        out.append(",\"bytes_in\":")
        out.appendInt(bytesIn)
        out.append(",\"bytes_out\":")
        out.appendInt(bytesOut)
        out.append(",\"remote_addr\":")
        out.appendString(remoteAddress)
        if let subject {
            out.append(",\"subject\":")
            out.appendString(masker.maskText(subject))
        }
        if let error {
            out.append(",\"error\":")
            out.appendString(error)
        }
        out.append("}\n")
    }
}
