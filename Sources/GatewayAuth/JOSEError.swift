import COpenSSL

/// A failure to create, import, export or use a JOSE key or document.
///
/// `message` says what was wrong and what to do about it; when OpenSSL reported
/// a reason, it is appended. Never carries key material.
public struct JOSEError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// An error for a failed OpenSSL call, with OpenSSL's own reason when it left one.
    /// Drains this thread's OpenSSL error queue.
    static func openSSL(_ what: String) -> JOSEError {
        var reason: String?
        let code = ERR_get_error()
        if code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reason = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }
        ERR_clear_error()
        return JOSEError(reason.map { "\(what) (OpenSSL: \($0))" } ?? what)
    }
}
