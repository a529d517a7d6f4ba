import FoundationEssentials
import GatewayStore

/// One audit row rendered as a JSON object for `AuditLog.export`.
///
/// Keys in a fixed order: `seq, ts (RFC 3339 UTC, ms), ts_ms, type, actor, client_id,
/// org_id, reason, request_id, data (object), prev_hash, hash`, then `count` for a
/// coalesced `api.rate_limit_exceeded` event. Absent optional fields are `null`.
enum AuditExportLine {
    static func json(_ record: AuditRecord) -> String {
        func string(_ value: String?) -> String {
            guard let value else { return "null" }
            return quote(value)
        }
        var fields: [String] = [
            "\"seq\":\(record.seq)",
            "\"ts\":\(quote(record.ts.iso8601))",
            "\"ts_ms\":\(record.ts.milliseconds)",
            "\"type\":\(quote(record.type))",
            "\"actor\":\(quote(record.actor))",
            "\"client_id\":\(string(record.clientID))",
            "\"org_id\":\(string(record.orgID))",
            "\"reason\":\(string(record.reason))",
            "\"request_id\":\(string(record.requestID))",
            "\"data\":\(dataJSON(record.data))",
            "\"prev_hash\":\(quote(record.prevHash))",
            "\"hash\":\(quote(record.hash))",
        ]
        if let count = record.coalescedCount { fields.append("\"count\":\(count)") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The stored `data` text when it is a JSON object of strings (as the store writes it);
    /// otherwise (a damaged row) the text as a JSON string, so every line stays valid JSON.
    private static func dataJSON(_ text: String) -> String {
        let isObject = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) != nil
        return isObject ? text : quote(text)
    }

    private static func quote(_ value: String) -> String {
        StoreJSON.quote(value)
    }
}
