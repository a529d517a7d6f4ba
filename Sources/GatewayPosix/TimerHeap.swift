/// A min-heap of deadlines for an event loop's timers. Cancelled timers are
/// dropped lazily when they reach the top. Pure value; the loop owns the clock.
struct TimerHeap {
    struct Entry {
        var deadline: Int64
        var id: UInt64
    }

    private var heap: [Entry] = []
    private(set) var callbacks: [UInt64: () -> Void] = [:]

    var isEmpty: Bool { callbacks.isEmpty }

    /// The earliest live deadline, dropping cancelled entries on the way.
    mutating func nextDeadline() -> Int64? {
        while let top = heap.first {
            if callbacks[top.id] != nil { return top.deadline }
            popTop()
        }
        return nil
    }

    mutating func insert(deadline: Int64, id: UInt64, callback: @escaping () -> Void) {
        callbacks[id] = callback
        heap.append(Entry(deadline: deadline, id: id))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if heap[parent].deadline <= heap[i].deadline { break }
            heap.swapAt(parent, i)
            i = parent
        }
    }

    mutating func cancel(id: UInt64) {
        callbacks[id] = nil
    }

    /// Removes and returns the callbacks of every timer due at `now`, earliest first.
    mutating func popExpired(now: Int64) -> [() -> Void] {
        var due: [() -> Void] = []
        while let top = heap.first, top.deadline <= now {
            popTop()
            if let cb = callbacks.removeValue(forKey: top.id) { due.append(cb) }
        }
        return due
    }

    private mutating func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, heap[l].deadline < heap[m].deadline { m = l }
            if r < heap.count, heap[r].deadline < heap[m].deadline { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
    }
}
