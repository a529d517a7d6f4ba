/// An open-addressing hash table from `String` keys to values, probed with a
/// hash the caller computed once (`KeyHash`), so a lookup costs one pass over
/// the key's bytes plus one comparison.
///
/// Linear probing over a power-of-two array of hashes (0 = empty), kept at
/// most 3/4 full; removal shifts later entries back, so there are no
/// tombstones. `filter` rebuilds the table at the size its survivors need,
/// which is how sweeps give memory back. Not thread-safe: one lives inside
/// each shard's mutex.
struct StringKeyTable<Value: Sendable>: Sendable {
    /// Key and value side by side: a hit touches one hash and one entry.
    private struct Entry: Sendable {
        var key: String
        var value: Value
    }

    private var hashes: [UInt64] = []
    private var entries: [Entry?] = []
    private(set) var count = 0

    init() {}

    /// Slots allocated (memory held, in entries).
    var capacity: Int { hashes.count }

    /// Smallest power of two ≥ 8 that holds `count` entries at 3/4 load.
    private static func capacity(for count: Int) -> Int {
        var n = 8
        while n * 3 < count * 4 { n <<= 1 }
        return n
    }

    private mutating func allocate(_ capacity: Int) {
        hashes = [UInt64](repeating: 0, count: capacity)
        entries = [Entry?](repeating: nil, count: capacity)
        count = 0
    }

    /// The slot holding `key`, if present.
    @inline(__always)
    func slot(of key: String, hash: UInt64) -> Int? {
        guard !hashes.isEmpty else { return nil }
        let mask = hashes.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let h = hashes[i]
            if h == 0 { return nil }
            if h == hash && entries[i]!.key == key { return i }
            i = (i + 1) & mask
        }
    }

    /// The value in an occupied slot, mutable in place.
    subscript(slot i: Int) -> Value {
        get { entries[i]!.value }
        _modify { yield &entries[i]!.value }
    }

    /// Occupied slots, in table order.
    var occupiedSlots: [Int] { hashes.indices.filter { hashes[$0] != 0 } }

    func value(for key: String, hash: UInt64) -> Value? {
        slot(of: key, hash: hash).map { entries[$0]!.value }
    }

    /// Inserts or replaces the value for `key`.
    mutating func set(_ value: Value, for key: String, hash: UInt64) {
        if let i = slot(of: key, hash: hash) {
            entries[i]!.value = value
            return
        }
        if (count + 1) * 4 > hashes.count * 3 { grow() }
        place(hash: hash, key: key, value: value)
    }

    private mutating func place(hash: UInt64, key: String, value: Value) {
        place(hash: hash, entry: Entry(key: key, value: value))
    }

    private mutating func place(hash: UInt64, entry: Entry) {
        let mask = hashes.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while hashes[i] != 0 { i = (i + 1) & mask }
        hashes[i] = hash
        entries[i] = entry
        count += 1
    }

    private mutating func grow() {
        let old = self
        allocate(max(8, hashes.count * 2))
        for i in old.hashes.indices where old.hashes[i] != 0 {
            place(hash: old.hashes[i], entry: old.entries[i]!)
        }
    }

    /// Empties an occupied slot and shifts the probe run after it back.
    mutating func remove(at slot: Int) {
        let mask = hashes.count - 1
        var hole = slot
        var j = slot
        while true {
            j = (j + 1) & mask
            let h = hashes[j]
            if h == 0 { break }
            let home = Int(truncatingIfNeeded: h) & mask
            // Entry j may fill the hole unless its home lies cyclically in (hole, j].
            let stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j)
            if !stays {
                hashes[hole] = h
                entries[hole] = entries[j]
                hole = j
            }
        }
        hashes[hole] = 0
        entries[hole] = nil
        count -= 1
    }

    /// Keeps the entries for which `isIncluded` is true, in a table sized for
    /// them. Returns how many were dropped; the table is untouched when none.
    @discardableResult
    mutating func filter(_ isIncluded: (Value) -> Bool) -> Int {
        let kept = hashes.indices.filter { hashes[$0] != 0 && isIncluded(entries[$0]!.value) }
        let dropped = count - kept.count
        guard dropped > 0 else { return 0 }
        let old = self
        self = StringKeyTable()
        if !kept.isEmpty { allocate(Self.capacity(for: kept.count)) }
        for i in kept { place(hash: old.hashes[i], entry: old.entries[i]!) }
        return dropped
    }
}
