import COpenSSL
import GatewayStore

/// The audit log's chain hash: SHA-256 (OpenSSL EVP) over a canonical, unambiguous
/// encoding of a row's hashed fields, as 64 lowercase hex digits.
///
/// Canonical encoding, version 1 (see docs/audit.md): the ASCII label
/// `portcullis-audit-v1`, then for each of seq, ts, type, actor, client_id, org_id,
/// reason, request_id, data, prev_hash in that order: an integer as `i<decimal>;`, a
/// string as `s<byte length>:<UTF-8 bytes>`, NULL as `n`. Every field is self-delimiting,
/// so no two different rows share an encoding.
public struct AuditChainHasher: AuditHashing {
    public static let label = "portcullis-audit-v1"

    public init() {}

    public func chainHash(of record: AuditRecord) -> String {
        Self.sha256Hex(Self.canonicalEncoding(of: record))
    }

    /// The bytes that are hashed for `record`.
    public static func canonicalEncoding(of record: AuditRecord) -> [UInt8] {
        var out: [UInt8] = Array(label.utf8)
        func integer(_ value: Int64) {
            out.append(UInt8(ascii: "i"))
            out.append(contentsOf: String(value).utf8)
            out.append(UInt8(ascii: ";"))
        }
        func string(_ value: String?) {
            guard let value else {
                out.append(UInt8(ascii: "n"))
                return
            }
            out.append(UInt8(ascii: "s"))
            out.append(contentsOf: String(value.utf8.count).utf8)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: value.utf8)
        }
        integer(record.seq)
        integer(record.ts.milliseconds)
        string(record.type)
        string(record.actor)
        string(record.clientID)
        string(record.orgID)
        string(record.reason)
        string(record.requestID)
        string(record.data)
        string(record.prevHash)
        return out
    }

    /// SHA-256 of `bytes` as lowercase hex.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { raw in
            EVP_Digest(raw.baseAddress, raw.count, &digest, &length, copenssl_sha256(), nil)
        }
        precondition(ok == 1 && length == 32, "OpenSSL SHA-256 failed; the crypto library is unusable")
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
