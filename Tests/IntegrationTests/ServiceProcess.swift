import Foundation
import Synchronization

/// A `portcullis` process started for a test: the real binary, on loopback,
/// with port 0 so tests can run side by side. Its stderr is collected; the
/// port is read from its "listening on HOST:PORT" line.
final class ServiceProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let stderrText = LockedText()
    private let stdoutText = LockedText()

    /// The built binary: `$PORTCULLIS_BIN`, else `.build/debug/portcullis` of this checkout.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["PORTCULLIS_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/portcullis").path
    }

    /// Starts `portcullis <arguments>` and waits (at most 10 s) until it listens.
    init(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        env["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = env
        let err = Pipe(), out = Pipe()
        process.standardError = err
        process.standardOutput = out
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
        let text = stderrText, outText = stdoutText
        err.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            text.append(data)
        }
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            outText.append(data)
        }
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        var found: Int?
        while Date() < deadline, found == nil {
            found = Self.listeningPort(in: text.value)
            if found == nil {
                if !process.isRunning { break }
                usleep(10_000)
            }
        }
        guard let found else {
            process.terminate()
            throw HarnessError("portcullis \(arguments.joined(separator: " ")) did not start: \(text.value)")
        }
        port = found
    }

    static func listeningPort(in text: String) -> Int? {
        guard let range = text.range(of: "listening on ") else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(where: { $0 == " " || $0 == "\n" }) else { return nil }
        let address = rest[..<end]
        guard let colon = address.lastIndex(of: ":") else { return nil }
        return Int(address[address.index(after: colon)...])
    }

    var stderr: String { stderrText.value }
    var stdout: String { stdoutText.value }
    var pid: Int32 { process.processIdentifier }

    func signal(_ signo: Int32) { kill(process.processIdentifier, signo) }

    /// Waits for the process to exit (at most `seconds`); returns its exit code, or nil if it is still running.
    func waitForExit(seconds: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            if waitForExit(seconds: 5) == nil { kill(process.processIdentifier, SIGKILL) }
        }
    }

    deinit { stop() }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `portcullis <arguments>` to completion and returns exit code, stdout and stderr.
func runPortcullis(_ arguments: [String], stdin: String? = nil) throws -> (code: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ServiceProcess.binary)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? input.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// Text collected from another thread.
final class LockedText: Sendable {
    private let text = Mutex<String>("")
    func append(_ data: Data) { text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
    var value: String { text.withLock { $0 } }
}
