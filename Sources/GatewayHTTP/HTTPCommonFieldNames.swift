#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Spellings of the most common request field names, returned as string
/// literals so the parser neither validates nor copies them.
///
/// A name is only replaced when its bytes match a spelling here exactly
/// (case included): the parsed head keeps every name as it arrived.
enum HTTPCommonFieldNames {
    static func lookup(_ p: UnsafeRawPointer, _ count: Int) -> String? {
        @inline(__always) func eq(_ name: StaticString) -> Bool { memcmp(p, name.utf8Start, count) == 0 }
        switch count {
        case 4:
            if eq("Host") { return "Host" }
            if eq("host") { return "host" }
        case 6:
            if eq("Accept") { return "Accept" }
            if eq("Cookie") { return "Cookie" }
        case 10:
            if eq("User-Agent") { return "User-Agent" }
            if eq("Connection") { return "Connection" }
        case 12:
            if eq("Content-Type") { return "Content-Type" }
            if eq("X-Request-Id") { return "X-Request-Id" }
        case 13:
            if eq("Authorization") { return "Authorization" }
            if eq("Cache-Control") { return "Cache-Control" }
        case 14:
            if eq("Content-Length") { return "Content-Length" }
        case 15:
            if eq("Accept-Encoding") { return "Accept-Encoding" }
            if eq("Accept-Language") { return "Accept-Language" }
            if eq("X-Forwarded-For") { return "X-Forwarded-For" }
        case 17:
            if eq("Transfer-Encoding") { return "Transfer-Encoding" }
        default:
            break
        }
        return nil
    }
}
