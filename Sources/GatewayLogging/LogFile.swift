import Glibc

/// The open log file as the writer sees it: descriptor, size, rotation.
/// Only ever used under the writer's file lock.
struct LogFile {
    let path: String
    let mode: mode_t
    var fd: Int32 = -1
    var size: Int64 = 0
    /// Devices and pipes (`/dev/full`, `/dev/stdout`) are never rotated or chmod-ed.
    var isRegular = false
    /// A short write left a partial line: the next write starts a new line.
    var needsNewline = false

    init(path: String, mode: mode_t) {
        self.path = path
        self.mode = mode
    }

    /// Opens (creating with `mode`) for appending. Returns 0 or an errno.
    mutating func open() -> Int32 {
        var created = true
        var descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if descriptor < 0 && errno == EEXIST {
            created = false
            descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        }
        guard descriptor >= 0 else { return errno }
        if created { _ = fchmod(descriptor, mode) }  // exactly `mode`, whatever the umask
        var info = stat()
        if fstat(descriptor, &info) == 0 {
            isRegular = info.st_mode & 0o170000 == 0o100000
            size = isRegular ? Int64(info.st_size) : 0
        }
        fd = descriptor
        return 0
    }

    mutating func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    /// Shifts `path.(k)` → `path.(k+1)` down to `path` → `path.1` and opens a
    /// fresh file. Returns 0 or the errno of the first failure.
    mutating func rotate(keep: Int) -> Int32 {
        close()
        var failure: Int32 = 0
        for k in stride(from: keep - 1, through: 1, by: -1)
        where rename("\(path).\(k)", "\(path).\(k + 1)") != 0 && errno != ENOENT && failure == 0 {
            failure = errno
        }
        if rename(path, "\(path).1") != 0 && errno != ENOENT && failure == 0 { failure = errno }
        let opened = open()
        return failure != 0 ? failure : opened
    }

    /// Writes all of `bytes`, retrying on EINTR and short writes. Returns how
    /// many bytes reached the file and the errno that stopped it (0 when none).
    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) -> (written: Int, errno: Int32) {
        if needsNewline {
            var newline: UInt8 = 0x0A
            if Glibc.write(fd, &newline, 1) == 1 { needsNewline = false; size += 1 }
        }
        var offset = 0
        while offset < bytes.count {
            let r = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if r > 0 {
                offset += r
                size += Int64(r)
            } else if r < 0 && errno == EINTR {
                continue
            } else {
                let code = r < 0 ? errno : EIO
                if offset > 0 && bytes[offset - 1] != 0x0A { needsNewline = true }
                return (offset, code)
            }
        }
        return (offset, 0)
    }
}
