import Foundation

/// Runs a tool to completion, collecting its stdout and stderr together.
/// Off the hot path (SDK generation, tests); uses Foundation's `Process`.
package enum ProcessRunner {
    package struct Result: Sendable {
        package var status: Int32
        package var output: String
    }

    /// Runs `executable` with `arguments`. A relative `executable` is looked up in `PATH`.
    /// Gives up after `timeoutSeconds` (the process is terminated and status is -1).
    package static func run(_ executable: String, _ arguments: [String], directory: String? = nil,
                            environment: [String: String] = [:], timeoutSeconds: Double = 600) throws(SDKError) -> Result {
        guard let path = executable.contains("/") ? executable : which(executable) else {
            throw SDKError.missingTool(executable, fix: "it is not on PATH")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw SDKError.io("cannot run \(path): \(error.localizedDescription)")
        }
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: timer)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        let timedOut = process.terminationReason == .uncaughtSignal && !timer.isCancelled
        return Result(status: timedOut ? -1 : process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// The first executable called `name` in `PATH`.
    package static func which(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        for dir in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
