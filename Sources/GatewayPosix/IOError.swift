import Glibc

/// A failed system call: which call, and the `errno` it left.
public struct IOError: Error, Sendable, CustomStringConvertible {
    public var call: String
    public var errno: Int32

    public init(_ call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    public var description: String {
        "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// The one wrapper every system call of the event loop goes through: retries
/// `EINTR`, turns `EAGAIN`/`EWOULDBLOCK` into `nil` (would block), and throws
/// a typed `IOError` for everything else.
@usableFromInline
package enum Syscall {
    @inlinable
    package static func call<T: FixedWidthInteger>(_ name: @autoclosure () -> String,
                                                   _ body: () -> T) throws(IOError) -> T? {
        while true {
            let result = body()
            if result >= 0 { return result }
            let err = Glibc.errno
            if err == EINTR { continue }
            if err == EAGAIN || err == EWOULDBLOCK { return nil }
            throw IOError(name(), errno: err)
        }
    }
}
