import Glibc
import Synchronization

/// The writer thread and the process-facing defaults.
extension LogWriter {
    /// `CLOCK_MONOTONIC` in nanoseconds.
    @Sendable public static func monotonicNanos() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Writes `message` and a newline to file descriptor 2.
    @Sendable public static func standardError(_ message: String) {
        var line = Array(message.utf8)
        line.append(0x0A)
        _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        var tid = pthread_t()
        let rc = pthread_create(&tid, nil, { argument in
            let writer = Unmanaged<LogWriter>.fromOpaque(argument!).takeRetainedValue()
            writer.run()
            return nil
        }, box)
        if rc == 0 {
            thread.withLock { $0 = tid }
        } else {
            Unmanaged<LogWriter>.fromOpaque(box).release()
            notice("portcullis: log \(configuration.path): cannot start the writer thread (error \(rc)); lines are "
                + "written only on flush")
        }
    }

    func wakeWriterThread() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWrite, &byte, 1)  // EAGAIN: a wake-up is already pending
    }

    private func run() {
        // A FIFO whose reader went away must give EPIPE here, not kill the process.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        var scratch = [UInt8](repeating: 0, count: 64)
        while !stopping.load(ordering: .acquiring) {
            var waiter = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
            _ = poll(&waiter, 1, Int32(configuration.flushIntervalMillis))
            while scratch.withUnsafeMutableBytes({ Glibc.read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
            if stopping.load(ordering: .acquiring) { break }
            drain(sync: false)
        }
    }
}
