import GatewayProxy

/// Writes one masked line per request to the access log, in the `logging`
/// phase (always called once, success or failure).
///
/// Encoding happens on the calling loop into a scratch buffer; the writer
/// only copies it under its lock. See `AccessLogRecord` for the fields.
public final class AccessLogFilter: ProxyFilter {
    public let writer: LogWriter
    public let masker: LogMasker

    public init(writer: LogWriter, masker: LogMasker = LogMasker()) {
        self.writer = writer
        self.masker = masker
    }

    public func logging(_ context: ProxyContext) {
        let record = AccessLogRecord(context: context)
        var line = LineBuffer(capacity: 384 + context.head.target.utf8.count)
        record.encode(into: &line, masker: masker)
        writer.append(line.bytes)
    }
}
