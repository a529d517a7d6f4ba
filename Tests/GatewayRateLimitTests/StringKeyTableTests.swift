import GatewayTestSupport
import Testing
@testable import GatewayRateLimit

@Suite struct StringKeyTableTests {
    @Test func setGetReplace() {
        var table = StringKeyTable<Int>()
        #expect(table.value(for: "a", hash: 11) == nil)
        table.set(1, for: "a", hash: 11)
        table.set(2, for: "a", hash: 11)
        #expect(table.value(for: "a", hash: 11) == 2)
        #expect(table.count == 1)
    }

    @Test func collidingHashesAreToldApartByKey() {
        var table = StringKeyTable<Int>()
        // Same hash, and hashes that share a home slot: one probe run.
        table.set(1, for: "a", hash: 3)
        table.set(2, for: "b", hash: 3)
        table.set(3, for: "c", hash: 3 + 8)
        #expect(table.value(for: "a", hash: 3) == 1)
        #expect(table.value(for: "b", hash: 3) == 2)
        #expect(table.value(for: "c", hash: 11) == 3)
    }

    @Test func removalShiftsTheProbeRunBack() {
        var table = StringKeyTable<Int>()
        // Home slots in an 8-slot table: 6, 6, 7, 6 → run wraps around to 0 and 1.
        table.set(1, for: "a", hash: 6)
        table.set(2, for: "b", hash: 14)
        table.set(3, for: "c", hash: 7)
        table.set(4, for: "d", hash: 22)
        #expect(table.capacity == 8)
        table.remove(at: table.slot(of: "a", hash: 6)!)
        #expect(table.value(for: "a", hash: 6) == nil)
        #expect(table.value(for: "b", hash: 14) == 2)
        #expect(table.value(for: "c", hash: 7) == 3)
        #expect(table.value(for: "d", hash: 22) == 4)
        table.remove(at: table.slot(of: "c", hash: 7)!)
        #expect(table.value(for: "b", hash: 14) == 2)
        #expect(table.value(for: "d", hash: 22) == 4)
        #expect(table.count == 2)
    }

    @Test func growsAndShrinksThroughFilter() {
        var table = StringKeyTable<Int>()
        for i in 0..<10_000 { table.set(i, for: "k\(i)", hash: KeyHash.hash("k\(i)", seed: 42)) }
        #expect(table.count == 10_000)
        #expect(table.capacity >= 10_000 * 4 / 3)
        for i in stride(from: 0, to: 10_000, by: 997) {
            #expect(table.value(for: "k\(i)", hash: KeyHash.hash("k\(i)", seed: 42)) == i)
        }
        #expect(table.filter { $0 < 10 } == 9_990)
        #expect(table.count == 10)
        #expect(table.capacity == 16)
        #expect(table.value(for: "k3", hash: KeyHash.hash("k3", seed: 42)) == 3)
        #expect(table.filter { _ in false } == 10)
        #expect(table.capacity == 0)
    }

    @Test func randomisedAgainstADictionary() {
        var table = StringKeyTable<Int>()
        var model: [String: Int] = [:]
        var rng = SplitMix(state: 7)
        for step in 0..<20_000 {
            let key = "c\(rng.next() % 500)"
            let hash = KeyHash.hash(key, seed: 1) & 0xFFFF_0000_0000_003F | 1  // few distinct homes
            if rng.next() % 3 == 0, let slot = table.slot(of: key, hash: hash) {
                table.remove(at: slot)
                model[key] = nil
            } else {
                table.set(step, for: key, hash: hash)
                model[key] = step
            }
        }
        #expect(table.count == model.count)
        for (key, value) in model {
            #expect(table.value(for: key, hash: KeyHash.hash(key, seed: 1) & 0xFFFF_0000_0000_003F | 1) == value)
        }
    }

    @Test func keyHashIsSeededAndNeverZero() {
        #expect(KeyHash.hash("client", seed: 1) != KeyHash.hash("client", seed: 2))
        #expect(KeyHash.hash("client", seed: 1) == KeyHash.hash("client", seed: 1))
        #expect(KeyHash.hash("", seed: 0) != 0)
        #expect(KeyHash.hash("abcdefgh", seed: 0) != KeyHash.hash("abcdefgh\u{0}", seed: 0))
    }
}
