import Glibc

/// A fresh temporary directory for one test, and file helpers.
struct TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/portcullis-logging-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = created.map { String(cString: $0) } ?? "/tmp"
    }

    func file(_ name: String) -> String { path + "/" + name }

    func read(_ name: String) -> String? { TemporaryDirectory.read(path: file(name)) }

    static func read(path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: out, as: UTF8.self)
    }

    func exists(_ name: String) -> Bool { access(file(name), F_OK) == 0 }

    func mode(_ name: String) -> mode_t? {
        var info = stat()
        return stat(file(name), &info) == 0 ? info.st_mode & 0o777 : nil
    }

    func remove() {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name != "." && name != ".." { unlink(file(name)) }
            }
            closedir(dir)
        }
        rmdir(path)
    }
}
