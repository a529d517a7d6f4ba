import Glibc

/// How a `LogWriter` writes one log file.
///
/// Defaults: 8 MiB of pending lines at most, a flush every 50 ms (or as soon
/// as 256 KiB are pending), rotation at 100 MiB keeping 5 old files
/// (`access.log.1` newest … `access.log.5` oldest), files created with mode
/// 0640, one stderr notice per 10 s while lines are being dropped.
public struct LogWriterConfiguration: Sendable {
    /// The file written (`DIR/logs/access.log`).
    public var path: String
    /// Pending bytes beyond which new lines are dropped and counted.
    public var maxPendingBytes: Int
    /// How often the writer thread flushes.
    public var flushIntervalMillis: Int
    /// Pending bytes that wake the writer thread before the interval ends.
    public var wakeThresholdBytes: Int
    /// Size at which the file is rotated; 0 never rotates (external logrotate + `reopen()`).
    public var rotateBytes: Int64
    /// Rotated files kept (`path.1` … `path.N`); at least 1.
    public var keepFiles: Int
    /// Minimum time between two stderr notices about dropped lines or write errors.
    public var noticeIntervalNanos: Int64
    /// Permission bits of files the writer creates.
    public var fileMode: mode_t

    public init(path: String, maxPendingBytes: Int = 8 << 20, flushIntervalMillis: Int = 50,
                wakeThresholdBytes: Int = 256 << 10, rotateBytes: Int64 = 100 << 20, keepFiles: Int = 5,
                noticeIntervalNanos: Int64 = 10_000_000_000, fileMode: mode_t = 0o640) {
        self.path = path
        self.maxPendingBytes = maxPendingBytes
        self.flushIntervalMillis = flushIntervalMillis
        self.wakeThresholdBytes = wakeThresholdBytes
        self.rotateBytes = rotateBytes
        self.keepFiles = max(1, keepFiles)
        self.noticeIntervalNanos = noticeIntervalNanos
        self.fileMode = fileMode
    }

    /// `DIR/logs/NAME`, creating `DIR` and `DIR/logs` (mode 0750) when missing.
    ///
    /// - Throws: `LogWriterError` naming the directory that could not be created.
    public static func inDataDirectory(_ directory: String, name: String) throws(LogWriterError) -> LogWriterConfiguration {
        let logs = (directory.hasSuffix("/") ? String(directory.dropLast()) : directory) + "/logs"
        for dir in [directory, logs] where mkdir(dir, 0o750) != 0 && errno != EEXIST {
            throw LogWriterError(path: dir, errno: errno, action: "create the log directory")
        }
        return LogWriterConfiguration(path: logs + "/" + name)
    }
}

/// A log file or directory the writer could not set up.
public struct LogWriterError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var errno: Int32
    var action: String

    init(path: String, errno: Int32, action: String) {
        self.path = path
        self.errno = errno
        self.action = action
    }

    public var description: String {
        "cannot \(action) \(path): \(String(cString: strerror(errno))) — check that the directory exists and the "
            + "gateway's user may write to it (--data DIR)"
    }
}
