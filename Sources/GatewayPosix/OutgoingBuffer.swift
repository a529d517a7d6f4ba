import CGatewayLinux
import Glibc

/// Bytes waiting to be written to a socket. Writers append to `bytes`;
/// `send(to:)` writes as much as the socket takes and keeps the rest, compacting
/// now and then so a long stream does not grow the buffer without bound.
struct OutgoingBuffer {
    enum SendResult {
        /// Everything was written.
        case drained
        /// The socket is full; wait for EPOLLOUT.
        case blocked
        /// The peer is gone or the socket failed.
        case failed
    }

    /// The unsent bytes start at `start`; append new ones at the end.
    var bytes: [UInt8] = []
    private var start = 0

    init() { bytes.reserveCapacity(4096) }

    var pending: Int { bytes.count - start }

    mutating func send(to fd: Int32) -> SendResult {
        while start < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                cgl_send(fd, buffer.baseAddress! + start, buffer.count - start)
            }
            if n > 0 {
                start += n
                continue
            }
            let err = errno
            if n < 0 && err == EINTR { continue }
            if n < 0 && (err == EAGAIN || err == EWOULDBLOCK) {
                if start > 1 << 20 {
                    bytes.removeFirst(start)
                    start = 0
                }
                return .blocked
            }
            return .failed
        }
        bytes.removeAll(keepingCapacity: bytes.capacity <= 1 << 20)
        start = 0
        return .drained
    }
}
