import Foundation
import Synchronization

/// A `portcullis` process started for a test: the real binary, on loopback,
/// with port 0 so tests can run side by side. Its stdout and stderr are
/// collected; the port is read from its "listening on HOST:PORT" line.
/// The process is stopped (SIGTERM, then SIGKILL) by `stop()` or on deinit.
public final class PortcullisProcess: @unchecked Sendable {
    // `process` is only started and stopped by the owning test; the output
    // buffers are behind a mutex because pipe handlers run on other threads.
    private let process = Process()
    public let port: Int
    private let stderrText = CollectedText()
    private let stdoutText = CollectedText()

    /// The checkout this file belongs to.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The built binary: `$PORTCULLIS_BIN`, else `.build/debug/portcullis` of this checkout.
    public static var binary: String {
        if let path = ProcessInfo.processInfo.environment["PORTCULLIS_BIN"], !path.isEmpty { return path }
        return repositoryRoot.appendingPathComponent(".build/debug/portcullis").path
    }

    /// Starts `portcullis <arguments>` and waits (at most `startSeconds`) until it listens.
    public init(_ arguments: [String], environment: [String: String] = [:], startSeconds: Double = 10) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw PortcullisProcessError("\(Self.binary) does not exist: run `swift build` first (make test does)")
        }
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        env["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = env
        let err = Pipe(), out = Pipe()
        process.standardError = err
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        for (pipe, text) in [(err, stderrText), (out, stdoutText)] {
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty { handle.readabilityHandler = nil; return }
                text.append(data)
            }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(startSeconds)
        var found: Int?
        while Date() < deadline, found == nil {
            found = Self.listeningPort(in: stderrText.value)
            if found == nil {
                if !process.isRunning { break }
                usleep(10_000)
            }
        }
        guard let found else {
            process.terminate()
            throw PortcullisProcessError("portcullis \(arguments.joined(separator: " ")) did not start: \(stderrText.value)")
        }
        port = found
    }

    /// The port of the first "listening on HOST:PORT" in `text`.
    public static func listeningPort(in text: String) -> Int? {
        guard let range = text.range(of: "listening on ") else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(where: { $0 == " " || $0 == "\n" }) else { return nil }
        let address = rest[..<end]
        guard let colon = address.lastIndex(of: ":") else { return nil }
        return Int(address[address.index(after: colon)...])
    }

    public var stderr: String { stderrText.value }
    public var stdout: String { stdoutText.value }
    public var isRunning: Bool { process.isRunning }
    public var pid: Int32 { process.processIdentifier }

    /// Sends `signo` (SIGHUP, SIGTERM, ...) to the process.
    public func signal(_ signo: Int32) { kill(process.processIdentifier, signo) }

    /// Waits for the process to exit (at most `seconds`); its exit code, or nil if it still runs.
    public func waitForExit(seconds: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }
}

/// A test harness failure: a process that did not start, a tool that failed.
public struct PortcullisProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Text collected from pipe handlers on other threads.
private final class CollectedText: Sendable {
    private let text = Mutex<String>("")
    func append(_ data: Data) { text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
    var value: String { text.withLock { $0 } }
}
