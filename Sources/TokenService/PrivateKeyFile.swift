import Glibc

/// Private signing keys on disk: `<keyDirectory>/<kid>.pem`, PKCS#8 PEM, the file mode
/// 0600 and the directory 0700, written once (never overwritten) and fsynced before the
/// store learns the key exists.
enum PrivateKeyFile {
    /// Creates `directory` (and parents) with mode 0700 when missing; tightens an existing
    /// one to 0700.
    static func prepareDirectory(_ directory: String) throws(TokenServiceError) {
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw .keyFile("cannot create the key directory \(prefix): \(String(cString: strerror(errno))); "
                    + "check that the --data directory is writable")
            }
        }
        guard chmod(directory, 0o700) == 0 else {
            throw .keyFile("cannot restrict \(directory) to mode 0700: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `pem` to `<directory>/<kid>.pem` (refusing to overwrite) and returns the
    /// absolute path.
    static func write(_ pem: String, kid: String, directory: String) throws(TokenServiceError) -> String {
        try prepareDirectory(directory)
        let path = absolute(directory) + "/" + kid + ".pem"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw .keyFile("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let bytes = Array(pem.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                unlink(path)
                throw .keyFile("cannot write \(path): \(reason)")
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw .keyFile("cannot flush \(path) to disk: \(reason)")
        }
        return path
    }

    /// The file's text, or nil when it cannot be read.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
            if out.count > 1 << 20 { return nil }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// `path` made absolute against the working directory.
    static func absolute(_ path: String) -> String {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        if trimmed.hasPrefix("/") { return trimmed }
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let found = buffer.withUnsafeMutableBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { getcwd($0.baseAddress, $0.count) != nil }
        }
        guard found, let end = buffer.firstIndex(of: 0) else { return trimmed }
        let cwd = String(decoding: buffer[..<end], as: UTF8.self)
        let relative = trimmed.hasPrefix("./") ? String(trimmed.dropFirst(2)) : trimmed
        return (cwd == "/" ? "" : cwd) + "/" + relative
    }
}
