import Glibc
import Synchronization
import Testing
@testable import GatewayLogging

/// A clock and a notice sink the tests control.
final class Probe: Sendable {
    let now = Atomic<Int64>(0)
    let notices = Mutex<[String]>([])
    var clock: @Sendable () -> Int64 { { [self] in now.load(ordering: .relaxed) } }
    var sink: @Sendable (String) -> Void { { [self] line in notices.withLock { $0.append(line) } } }
    var lines: [String] { notices.withLock { $0 } }
}

@Suite struct LogWriterTests {
    func line(_ i: Int) -> [UInt8] { Array("{\"n\":\(i)}\n".utf8) }

    @Test func writesLinesOnFlushWithMode0640() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try LogWriter(configuration: LogWriterConfiguration(path: dir.file("access.log")), background: false)
        writer.append(line(1))
        writer.append(Array("{\"n\":2}".utf8))  // newline added
        #expect(dir.read("access.log") == "")
        writer.flush()
        #expect(dir.read("access.log") == "{\"n\":1}\n{\"n\":2}\n")
        #expect(dir.mode("access.log") == 0o640)
        #expect(writer.statistics().writtenLines == 2)
        writer.close()
        writer.append(line(3))
        #expect(writer.droppedLines == 1)
    }

    @Test func dataDirectoryLayout() throws {
        let dir = TemporaryDirectory()
        defer { _ = unlink(dir.path + "/data/logs/access.log"); rmdir(dir.path + "/data/logs"); rmdir(dir.path + "/data"); dir.remove() }
        let config = try LogWriterConfiguration.inDataDirectory(dir.path + "/data", name: "access.log")
        #expect(config.path == dir.path + "/data/logs/access.log")
        let writer = try LogWriter(configuration: config, background: false)
        writer.close()
        #expect(access(config.path, W_OK) == 0)
        #expect(throws: LogWriterError.self) {
            _ = try LogWriterConfiguration.inDataDirectory("/proc/definitely/not/here", name: "x.log")
        }
    }

    @Test func devFullCountsDropsReportsOncePerIntervalAndNeverCrashes() throws {
        let probe = Probe()
        let config = LogWriterConfiguration(path: "/dev/full", noticeIntervalNanos: 10_000_000_000)
        let writer = try LogWriter(configuration: config, background: false, clock: probe.clock, notice: probe.sink)
        for i in 0..<5 { writer.append(line(i)) }
        writer.flush()
        var stats = writer.statistics()
        #expect(stats.droppedLines == 5)
        #expect(stats.writtenLines == 0)
        #expect(stats.writeErrors >= 1)
        #expect(probe.lines.count == 1)
        #expect(probe.lines.first?.contains("dropped 5 lines") == true)
        #expect(probe.lines.first?.contains("No space left on device") == true)

        writer.append(line(6))
        writer.flush()
        #expect(probe.lines.count == 1, "a second notice within the interval")
        probe.now.store(11_000_000_000, ordering: .relaxed)
        writer.append(line(7))
        writer.flush()
        stats = writer.statistics()
        #expect(stats.droppedLines == 7)
        #expect(probe.lines.count == 2)
        #expect(probe.lines.last?.contains("dropped 2 lines") == true)
        #expect(writer.reopen())  // a device: reopened, never rotated or chmod-ed
        writer.close()
    }

    @Test func devFullWithTheWriterThread() throws {
        let probe = Probe()
        let config = LogWriterConfiguration(path: "/dev/full", flushIntervalMillis: 1, wakeThresholdBytes: 64)
        let writer = try LogWriter(configuration: config, clock: probe.clock, notice: probe.sink)
        for i in 0..<1000 { writer.append(line(i)) }
        writer.close()
        let stats = writer.statistics()
        #expect(stats.droppedLines == 1000)
        #expect(stats.writtenLines == 0)
        #expect(stats.pendingBytes == 0)
    }

    @Test func linesPastThePendingCapAreDroppedAndCounted() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let one = line(1234567)  // 14 bytes
        let config = LogWriterConfiguration(path: dir.file("a.log"), maxPendingBytes: one.count * 3)
        let writer = try LogWriter(configuration: config, background: false)
        for _ in 0..<5 { writer.append(one) }
        #expect(writer.droppedLines == 2)
        #expect(writer.statistics().droppedBytes == 2 * one.count)
        writer.flush()
        #expect(dir.read("a.log")?.split(separator: "\n").count == 3)
        writer.close()
    }

    @Test func rotatesBySizeKeepingNFiles() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let config = LogWriterConfiguration(path: dir.file("access.log"), rotateBytes: 40, keepFiles: 2)
        let writer = try LogWriter(configuration: config, background: false)
        for i in 0..<10 {
            writer.append(Array("line-\(i)-xxxxxxxxxxxx\n".utf8))  // 20 bytes
            writer.flush()
        }
        writer.close()
        #expect(dir.read("access.log") == "line-8-xxxxxxxxxxxx\nline-9-xxxxxxxxxxxx\n")
        #expect(dir.read("access.log.1") == "line-6-xxxxxxxxxxxx\nline-7-xxxxxxxxxxxx\n")
        #expect(dir.read("access.log.2") == "line-4-xxxxxxxxxxxx\nline-5-xxxxxxxxxxxx\n")
        #expect(!dir.exists("access.log.3"))
        #expect(writer.statistics().rotations == 4)
        #expect(dir.mode("access.log.1") == 0o640)
    }

    @Test func reopenFollowsAnExternalRename() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try LogWriter(configuration: LogWriterConfiguration(path: dir.file("access.log")), background: false)
        writer.append(line(1))
        writer.flush()
        #expect(rename(dir.file("access.log"), dir.file("access.log.old")) == 0)
        writer.append(line(2))
        writer.flush()  // still the renamed file: same descriptor
        writer.append(line(3))
        #expect(writer.reopen())  // pending lines go to the old file first
        writer.append(line(4))
        writer.flush()
        writer.close()
        #expect(dir.read("access.log.old") == "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n")
        #expect(dir.read("access.log") == "{\"n\":4}\n")
    }

    @Test func reopenFailureDropsUntilTheFileCanBeOpenedAgain() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let sub = dir.file("sub")
        mkdir(sub, 0o750)
        let writer = try LogWriter(configuration: LogWriterConfiguration(path: sub + "/a.log"), background: false,
                                   notice: { _ in })
        unlink(sub + "/a.log")
        rmdir(sub)
        #expect(!writer.reopen())
        writer.append(line(1))
        writer.flush()
        #expect(writer.droppedLines == 1)
        mkdir(sub, 0o750)
        writer.append(line(2))
        writer.flush()
        writer.close()
        #expect(TemporaryDirectory.read(path: sub + "/a.log") == "{\"n\":2}\n")
        unlink(sub + "/a.log")
        rmdir(sub)
    }

    @Test func openFailureNamesThePath() {
        #expect {
            _ = try LogWriter(configuration: LogWriterConfiguration(path: "/nonexistent-dir/x/access.log"))
        } throws: { error in
            "\(error)".contains("/nonexistent-dir/x/access.log") && "\(error)".contains("--data")
        }
    }

    @Test func concurrentAppendersLoseNothing() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let config = LogWriterConfiguration(path: dir.file("c.log"), flushIntervalMillis: 1, wakeThresholdBytes: 4096)
        let writer = try LogWriter(configuration: config)
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<4 {
                group.addTask {
                    for i in 0..<2000 { writer.append(Array("{\"t\":\(t),\"i\":\(i)}\n".utf8)) }
                }
            }
        }
        writer.close()
        let lines = dir.read("c.log")?.split(separator: "\n") ?? []
        #expect(lines.count == 8000)
        #expect(Set(lines).count == 8000)
        #expect(writer.statistics().writtenLines == 8000)
    }
}
