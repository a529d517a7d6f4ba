import GatewayAudit
import GatewayHTTP
import GatewayStore

/// `portcullis audit verify [--anchor SEQ:HASH]` and `portcullis audit export`: the
/// hash-chained audit log of the store in `--data`.
enum AuditCommand {
    /// Prints `{"valid": true, "count", "head_seq", "head_hash"}` and exits 0 when the chain
    /// holds; otherwise prints `{"valid": false, "first_bad_seq", "reason"}`, names the
    /// first bad seq on stderr and exits 1.
    static func verify(_ args: inout Arguments) throws -> Int32 {
        let anchorText = args.value("--anchor")
        let data = args.value("--data") ?? "./data"
        try args.finish()
        var anchor: AuditAnchor?
        if let anchorText {
            let parts = anchorText.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let seq = Int64(parts[0]), seq > 0, parts[1].utf8.count == 64 else {
                throw UsageError("--anchor must be SEQ:HASH, the head_seq and head_hash of an earlier verification")
            }
            anchor = AuditAnchor(seq: seq, hash: String(parts[1]))
        }
        let store = try SQLiteStore.open(directory: data)
        switch try AuditLog(store).verify(anchor: anchor) {
        case .valid(let count, let headSeq, let headHash):
            CLIJSON.print(.object([("valid", .bool(true)), ("count", .integer(Int64(count))),
                                   ("head_seq", .integer(headSeq)), ("head_hash", .string(headHash))]))
            return 0
        case .broken(let seq, let reason):
            CLIJSON.print(.object([("valid", .bool(false)), ("first_bad_seq", .integer(seq)), ("reason", .string(reason))]))
            print("audit chain broken at seq \(seq): \(reason)", to: &standardError)
            return 1
        }
    }

    /// One JSON object per line, in `seq` order (see docs/audit.md).
    static func export(_ args: inout Arguments) throws -> Int32 {
        let data = args.value("--data") ?? "./data"
        try args.finish()
        let store = try SQLiteStore.open(directory: data)
        try AuditLog(store).export { line in print(line) }
        return 0
    }
}
