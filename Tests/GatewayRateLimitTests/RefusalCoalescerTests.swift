import Dispatch
import Synchronization
import Testing
@testable import GatewayRateLimit

private let second: Int64 = 1_000_000_000

private final class Sink: Sendable {
    let reports = Mutex<[RefusalReport]>([])
    var all: [RefusalReport] { reports.withLock { $0 } }
    func take() -> [RefusalReport] { reports.withLock { r in defer { r = [] }; return r } }
    func coalescer(_ configuration: RefusalCoalescer.Configuration = .init()) -> RefusalCoalescer {
        RefusalCoalescer(configuration: configuration) { report in self.reports.withLock { $0.append(report) } }
    }
}

/// Wall clock = monotonic + this offset in these tests.
private let epoch: Int64 = 1_700_000_000 * second

private extension RefusalCoalescer {
    func refused(_ client: String, _ request: String, at now: Int64) {
        refused(clientID: client, orgID: "org-\(client)", requestID: request, now: now, unixNanos: epoch + now)
    }
}

@Suite struct RefusalCoalescerTests {
    @Test func firstRefusalIsReportedAtOnceOthersAreCounted() {
        let sink = Sink()
        let coalescer = sink.coalescer()
        coalescer.refused("a", "r1", at: 10 * second)
        #expect(sink.take() == [.windowOpened(clientID: "a", orgID: "org-a", windowStartUnixNanos: epoch + 10 * second,
                                              firstRequestID: "r1")])
        for i in 2...50 { coalescer.refused("a", "r\(i)", at: 10 * second + Int64(i) * 1_000_000) }
        #expect(sink.take().isEmpty)
        coalescer.flush(now: 69 * second)  // window still open
        #expect(sink.take().isEmpty)
        coalescer.flush(now: 70 * second)  // 60 s after the first refusal: closed
        #expect(sink.take() == [.counted(clientID: "a", orgID: "org-a", windowStartUnixNanos: epoch + 10 * second,
                                         additional: 49)])
        #expect(coalescer.openWindows == 0)
    }

    @Test func oneReportPerClientPerWindow() {
        let sink = Sink()
        let coalescer = sink.coalescer()
        for round in 0..<10 {
            for client in ["a", "b", "c"] { coalescer.refused(client, "\(client)\(round)", at: Int64(round) * second) }
        }
        let opened = sink.take()
        #expect(opened.count == 3)
        #expect(Set(opened.map { if case .windowOpened(let c, _, _, _) = $0 { c } else { "?" } }) == ["a", "b", "c"])
        coalescer.flush(now: 60 * second)
        let counted = sink.take()
        #expect(counted.count == 3)
        for report in counted {
            guard case .counted(_, _, let start, let additional) = report else { Issue.record("\(report)"); continue }
            #expect(start == epoch)
            #expect(additional == 9)
        }
    }

    @Test func aRefusalAfterTheWindowOpensANewOne() {
        let sink = Sink()
        let coalescer = sink.coalescer()
        coalescer.refused("a", "r1", at: 0)
        coalescer.refused("a", "r2", at: 30 * second)
        coalescer.refused("a", "r3", at: 60 * second)  // no flush in between: closes and reopens
        #expect(sink.take() == [
            .windowOpened(clientID: "a", orgID: "org-a", windowStartUnixNanos: epoch, firstRequestID: "r1"),
            .counted(clientID: "a", orgID: "org-a", windowStartUnixNanos: epoch, additional: 1),
            .windowOpened(clientID: "a", orgID: "org-a", windowStartUnixNanos: epoch + 60 * second,
                          firstRequestID: "r3"),
        ])
        coalescer.refused("a", "r4", at: 119 * second)
        #expect(sink.take().isEmpty)
    }

    @Test func windowsWithoutLaterRefusalsReportNoCount() {
        let sink = Sink()
        let coalescer = sink.coalescer()
        coalescer.refused("a", "r1", at: 0)
        _ = sink.take()
        coalescer.flush(now: 61 * second)
        #expect(sink.take().isEmpty)
        #expect(coalescer.openWindows == 0)
    }

    @Test func periodicCountsWhenConfigured() {
        let sink = Sink()
        let coalescer = sink.coalescer(.init(countReportIntervalNanos: 10 * second))
        coalescer.refused("a", "r1", at: 0)
        coalescer.refused("a", "r2", at: second)
        coalescer.refused("a", "r3", at: 2 * second)
        _ = sink.take()
        coalescer.flush(now: 5 * second)
        #expect(sink.take().isEmpty)
        coalescer.flush(now: 10 * second)
        #expect(sink.take() == [.counted(clientID: "a", orgID: "org-a", windowStartUnixNanos: epoch, additional: 2)])
        coalescer.refused("a", "r4", at: 11 * second)
        coalescer.flush(now: 15 * second)
        #expect(sink.take().isEmpty)
        coalescer.flush(now: 60 * second)
        #expect(sink.take() == [.counted(clientID: "a", orgID: "org-a", windowStartUnixNanos: epoch, additional: 1)])
    }

    @Test func flushAllReportsEverythingPending() {
        let sink = Sink()
        let coalescer = sink.coalescer()
        coalescer.refused("a", "r1", at: 0)
        coalescer.refused("a", "r2", at: 0)
        coalescer.refused("b", "r3", at: 0)
        _ = sink.take()
        coalescer.flushAll()
        #expect(sink.take() == [.counted(clientID: "a", orgID: "org-a", windowStartUnixNanos: epoch, additional: 1)])
        #expect(coalescer.openWindows == 0)
    }

    @Test func memoryIsBoundedWithoutLosingRefusals() {
        let sink = Sink()
        let coalescer = sink.coalescer(.init(maxWindows: 100, shardCount: 1))
        for i in 0..<100 {
            coalescer.refused("c\(i)", "x", at: Int64(i))
            coalescer.refused("c\(i)", "y", at: Int64(i))
        }
        _ = sink.take()
        coalescer.refused("newcomer", "z", at: 1_000)  // at the cap, nothing ended: the oldest closes early
        #expect(coalescer.openWindows == 100)
        #expect(sink.take() == [
            .counted(clientID: "c0", orgID: "org-c0", windowStartUnixNanos: epoch, additional: 1),
            .windowOpened(clientID: "newcomer", orgID: "org-newcomer", windowStartUnixNanos: epoch + 1_000,
                          firstRequestID: "z"),
        ])
        for i in 0..<10_000 { coalescer.refused("late\(i)", "w", at: 120 * second) }
        #expect(coalescer.openWindows == 100)
    }

    @Test func concurrentRefusalsAreCountedExactly() {
        let sink = Sink()
        let coalescer = sink.coalescer()
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for i in 0..<5_000 { coalescer.refused(i % 2 == 0 ? "a" : "b", "t\(thread)-\(i)", at: Int64(i)) }
        }
        coalescer.flush(now: 61 * second)
        var total = 0
        var opened = 0
        for report in sink.all {
            switch report {
            case .windowOpened: opened += 1
            case .counted(_, _, _, let additional): total += additional
            }
        }
        #expect(opened == 2)
        #expect(total == 20_000 - 2)
    }
}
