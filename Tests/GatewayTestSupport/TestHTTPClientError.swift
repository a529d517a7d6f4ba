/// What went wrong talking to a server under test. Each case says what was
/// expected, so a failing test explains itself.
public enum TestHTTPClientError: Error, CustomStringConvertible {
    /// Could not resolve or connect.
    case connect(String)
    /// The peer sent nothing (or accepted nothing) within the timeout.
    case timeout(String)
    /// The peer closed the connection before a complete response; `partial`
    /// holds the bytes received for it.
    case closed(partial: [UInt8])
    /// The response broke HTTP/1.1 syntax.
    case malformed(String)
    /// A socket call failed.
    case io(String)

    public var description: String {
        switch self {
        case .connect(let m): "connect: \(m)"
        case .timeout(let m): "timeout: \(m)"
        case .closed(let partial):
            "connection closed before a complete response (\(partial.count) bytes: \(String(decoding: partial.prefix(200), as: UTF8.self).debugDescription))"
        case .malformed(let m): "malformed response: \(m)"
        case .io(let m): "I/O: \(m)"
        }
    }
}
