@testable import GatewayPosix
import Testing

@Suite struct TimerHeapTests {
    @Test func popsDueTimersInDeadlineOrderAndSkipsCancelledOnes() {
        var heap = TimerHeap()
        var fired: [Int] = []
        nonisolated(unsafe) var log: [Int] = []
        for (id, deadline) in [(1, 50), (2, 10), (3, 30), (4, 20), (5, 40)] {
            heap.insert(deadline: Int64(deadline), id: UInt64(id)) { log.append(id) }
        }
        heap.cancel(id: 4)
        #expect(heap.nextDeadline() == 10)
        for cb in heap.popExpired(now: 35) { cb() }
        fired = log
        #expect(fired == [2, 3])
        #expect(heap.nextDeadline() == 40)
        for cb in heap.popExpired(now: 100) { cb() }
        #expect(log == [2, 3, 5, 1])
        #expect(heap.isEmpty)
    }
}
