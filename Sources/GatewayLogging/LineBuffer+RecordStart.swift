extension LineBuffer {
    /// The members every log record starts with, in this order: `{"ts":…,
    /// "request_id":…,"client_id":…,"org_id":…,"method":…,"path":"` — the path
    /// masked (query secrets redacted, values PII-masked) and left open for the
    /// caller to close with `"`.
    mutating func appendRecordStart(unixNanos: Int64, requestID: String, clientID: String?, orgID: String?,
                                    method: String, target: String, masker: LogMasker) {
        append("{\"ts\":")
        appendTimestamp(unixNanos: unixNanos)
        append(",\"request_id\":")
        appendString(requestID)
        append(",\"client_id\":")
        appendStringOrNull(clientID)
        append(",\"org_id\":")
        appendStringOrNull(orgID)
        append(",\"method\":")
        appendString(method)
        append(",\"path\":\"")
        masker.appendMaskedTarget(target, escapedTo: &self)
    }
}
