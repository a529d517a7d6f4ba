import Glibc
import Synchronization

/// The sink of one log file: appends never block an event loop, a dedicated
/// writer thread moves lines to disk.
///
/// - `append` copies a line into an in-memory buffer under a `Mutex` (a
///   memcpy; the lock is never held across I/O). Past `maxPendingBytes`
///   (default 8 MiB) new lines are dropped and counted, so a stuck disk costs
///   memory up to the cap and nothing more.
/// - The writer thread swaps the buffer out every `flushIntervalMillis`
///   (default 50 ms), or sooner once `wakeThresholdBytes` are pending, and
///   writes it. A failed or short write (ENOSPC, EIO, …) drops the unwritten
///   lines, counts them and the error, and is reported on stderr at most once
///   per `noticeIntervalNanos`; the gateway keeps serving. A partial line left
///   by a short write is terminated before the next write.
/// - Rotation by size (`rotateBytes`, default 100 MiB; `keepFiles` old files).
///   `reopen()` reopens the path for external logrotate (SIGUSR1).
/// - `flush()` drains and fsyncs on the calling thread; `close()` stops the
///   thread, drains, fsyncs and closes. Call `close()` at shutdown: the thread
///   keeps the writer alive until then.
///
/// Counters (`statistics()`, `droppedLines`, `writeErrors`) are atomics, for
/// /metrics.
public final class LogWriter: Sendable {
    /// Counters for /metrics and tests.
    public struct Statistics: Sendable, Equatable {
        public var writtenLines = 0
        public var writtenBytes = 0
        public var droppedLines = 0
        public var droppedBytes = 0
        public var writeErrors = 0
        public var rotations = 0
        public var pendingBytes = 0
    }

    struct Pending {
        var buffer: [UInt8] = []
        var lines = 0
        var wakeRequested = false
        var closed = false
    }

    struct FileState {
        var file: LogFile
        var spare: [UInt8] = []
        var lastErrno: Int32 = 0
        var lastNoticeNanos: Int64?
        var reportedDroppedLines = 0
        var reportedDroppedBytes = 0
        var reportedErrors = 0
    }

    public let configuration: LogWriterConfiguration
    private let pending = Mutex(Pending())
    private let file: Mutex<FileState>
    private let clock: @Sendable () -> Int64
    let notice: @Sendable (String) -> Void
    let wakeRead: Int32
    let wakeWrite: Int32
    let thread = Mutex<pthread_t?>(nil)
    let stopping = Atomic<Bool>(false)

    private let writtenLinesCount = Atomic<Int>(0)
    private let writtenBytesCount = Atomic<Int>(0)
    private let droppedLinesCount = Atomic<Int>(0)
    private let droppedBytesCount = Atomic<Int>(0)
    private let writeErrorsCount = Atomic<Int>(0)
    private let rotationsCount = Atomic<Int>(0)

    /// Opens the file and, with `background`, starts the writer thread.
    ///
    /// - Parameters:
    ///   - background: false writes nothing until `flush()` (tests, one-shot tools).
    ///   - clock: monotonic nanoseconds, for the notice interval.
    ///   - notice: where drop/error reports go (default: one line on stderr).
    /// - Throws: `LogWriterError` when the file cannot be opened.
    public init(configuration: LogWriterConfiguration, background: Bool = true,
                clock: @escaping @Sendable () -> Int64 = LogWriter.monotonicNanos,
                notice: @escaping @Sendable (String) -> Void = LogWriter.standardError) throws(LogWriterError) {
        self.configuration = configuration
        self.clock = clock
        self.notice = notice
        var logFile = LogFile(path: configuration.path, mode: configuration.fileMode)
        let code = logFile.open()
        guard code == 0 else { throw LogWriterError(path: configuration.path, errno: code, action: "open log file") }
        file = Mutex(FileState(file: logFile))
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        if background { start() }
    }

    deinit {
        file.withLock { $0.file.close() }
        if wakeRead >= 0 { _ = Glibc.close(wakeRead) }
        if wakeWrite >= 0 { _ = Glibc.close(wakeWrite) }
    }

    // MARK: appending

    /// Queues one or more complete lines (a missing final newline is added).
    /// Never blocks on I/O; drops and counts the lines when the buffer is full
    /// or the writer is closed.
    public func append(_ line: UnsafeBufferPointer<UInt8>) {
        guard !line.isEmpty else { return }
        var lines = Self.countNewlines(line)
        let terminated = line[line.count - 1] == 0x0A
        if !terminated { lines += 1 }
        let size = line.count + (terminated ? 0 : 1)
        let limit = configuration.maxPendingBytes, threshold = configuration.wakeThresholdBytes
        let (accepted, wake) = pending.withLock { p -> (Bool, Bool) in
            guard !p.closed, p.buffer.count + size <= limit else { return (false, false) }
            p.buffer.append(contentsOf: line)
            if !terminated { p.buffer.append(0x0A) }
            p.lines += lines
            guard !p.wakeRequested, p.buffer.count >= threshold else { return (true, false) }
            p.wakeRequested = true
            return (true, true)
        }
        if !accepted {
            droppedLinesCount.add(lines, ordering: .relaxed)
            droppedBytesCount.add(size, ordering: .relaxed)
        }
        if wake { wakeWriterThread() }
    }

    /// Newlines in `bytes`, found with memchr (vectorised in libc).
    static func countNewlines(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard var p = bytes.baseAddress.map(UnsafeRawPointer.init) else { return 0 }
        let end = p + bytes.count
        var lines = 0
        while p < end, let hit = memchr(p, 0x0A, end - p) {
            lines += 1
            p = UnsafeRawPointer(hit) + 1
        }
        return lines
    }

    public func append(_ line: [UInt8]) {
        line.withUnsafeBufferPointer { append($0) }
    }

    // MARK: counters

    public var droppedLines: Int { droppedLinesCount.load(ordering: .relaxed) }
    public var writeErrors: Int { writeErrorsCount.load(ordering: .relaxed) }

    public func statistics() -> Statistics {
        Statistics(writtenLines: writtenLinesCount.load(ordering: .relaxed),
                   writtenBytes: writtenBytesCount.load(ordering: .relaxed),
                   droppedLines: droppedLinesCount.load(ordering: .relaxed),
                   droppedBytes: droppedBytesCount.load(ordering: .relaxed),
                   writeErrors: writeErrorsCount.load(ordering: .relaxed),
                   rotations: rotationsCount.load(ordering: .relaxed),
                   pendingBytes: pending.withLock { $0.buffer.count })
    }

    // MARK: flushing

    /// Writes everything pending and fsyncs, on the calling thread.
    public func flush() { drain(sync: true) }

    /// Reopens the path (after an external rotation); pending lines go to the
    /// new file. Returns false when it could not be opened (lines are then
    /// dropped and counted until a later drain manages to open it).
    @discardableResult
    public func reopen() -> Bool {
        drain(sync: false)
        return file.withLock { state in
            state.file.close()
            let code = state.file.open()
            if code != 0 { record(error: code, in: &state) }
            return code == 0
        }
    }

    /// Stops the writer thread, drains, fsyncs and closes the file. Later
    /// appends are dropped and counted. Idempotent.
    public func close() {
        stopping.store(true, ordering: .releasing)
        if let tid = thread.withLock({ t -> pthread_t? in defer { t = nil }; return t }) {
            wakeWriterThread()
            _ = pthread_join(tid, nil)
        }
        pending.withLock { $0.closed = true }
        drain(sync: true)
        file.withLock { $0.file.close() }
    }

    /// Moves pending lines to the file (one swap under the append lock).
    func drain(sync: Bool) {
        file.withLock { state in
            let lines = pending.withLock { p -> Int in
                swap(&p.buffer, &state.spare)
                p.wakeRequested = false
                defer { p.lines = 0 }
                return p.lines
            }
            if !state.spare.isEmpty {
                write(lines: lines, state: &state)
                if state.spare.capacity > 4 * configuration.wakeThresholdBytes {
                    state.spare = []
                } else {
                    state.spare.removeAll(keepingCapacity: true)
                }
            }
            if sync, state.file.fd >= 0, state.file.isRegular, fsync(state.file.fd) != 0 {
                record(error: errno, in: &state)
            }
            reportIfDue(&state)
        }
    }

    private func write(lines: Int, state: inout FileState) {
        let count = state.spare.count
        if state.file.fd < 0 {
            let code = state.file.open()
            if code != 0 {
                record(error: code, in: &state)
                drop(lines: lines, bytes: count)
                return
            }
        }
        let rotateAt = configuration.rotateBytes
        if state.file.isRegular, rotateAt > 0, state.file.size > 0, state.file.size + Int64(count) > rotateAt {
            rotationsCount.add(1, ordering: .relaxed)
            let code = state.file.rotate(keep: configuration.keepFiles)
            if code != 0 { record(error: code, in: &state) }
            if state.file.fd < 0 {
                drop(lines: lines, bytes: count)
                return
            }
        }
        let (written, code) = state.spare.withUnsafeBufferPointer { state.file.write($0) }
        writtenBytesCount.add(written, ordering: .relaxed)
        guard code != 0 else {
            writtenLinesCount.add(lines, ordering: .relaxed)
            return
        }
        record(error: code, in: &state)
        let lost = state.spare.withUnsafeBufferPointer { Self.countNewlines(UnsafeBufferPointer(rebasing: $0[written...])) }
        writtenLinesCount.add(lines - lost, ordering: .relaxed)
        drop(lines: lost, bytes: count - written)
    }

    private func drop(lines: Int, bytes: Int) {
        droppedLinesCount.add(lines, ordering: .relaxed)
        droppedBytesCount.add(bytes, ordering: .relaxed)
    }

    private func record(error code: Int32, in state: inout FileState) {
        writeErrorsCount.add(1, ordering: .relaxed)
        state.lastErrno = code
    }

    /// One stderr line per interval while lines are dropped or writes fail.
    private func reportIfDue(_ state: inout FileState) {
        let lines = droppedLines, bytes = droppedBytesCount.load(ordering: .relaxed), errors = writeErrors
        guard lines != state.reportedDroppedLines || errors != state.reportedErrors else { return }
        let now = clock()
        if let last = state.lastNoticeNanos, now - last < configuration.noticeIntervalNanos { return }
        var message = "portcullis: log \(configuration.path): dropped \(lines - state.reportedDroppedLines) lines "
            + "(\(bytes - state.reportedDroppedBytes) bytes), \(errors - state.reportedErrors) write errors"
        if state.lastErrno != 0 { message += " (last: \(String(cString: strerror(state.lastErrno))))" }
        message += " since the last report; requests are still served"
        notice(message)
        state.lastNoticeNanos = now
        state.reportedDroppedLines = lines
        state.reportedDroppedBytes = bytes
        state.reportedErrors = errors
    }
}
