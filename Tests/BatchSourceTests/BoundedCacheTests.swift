import Testing

@testable import BatchSource

@Suite("Bounded cache")
struct BoundedCacheTests {
    @Test("keeps entries up to its capacity, oldest out first")
    func oldestOut() {
        let cache = BoundedCache<Int, String>(capacity: 4)
        for n in 1...4 { cache.insert("v\(n)", for: n) }
        #expect((1...4).allSatisfy { cache[$0] == "v\($0)" })
        cache.insert("v5", for: 5)
        #expect(cache[1] == nil && cache[2] == "v2" && cache[5] == "v5" && cache.count == 4)
    }

    @Test("a replaced entry counts once and takes the place of the newest")
    func replace() {
        let cache = BoundedCache<Int, String>(capacity: 3)
        for n in 1...3 { cache.insert("v\(n)", for: n) }
        cache.insert("again", for: 1)
        cache.insert("v4", for: 4)
        #expect(cache[1] == "again", "1 was replaced after 2 and 3, so 2 went first")
        #expect(cache[2] == nil && cache[3] == "v3" && cache[4] == "v4")
    }

    @Test("bounded by cost: entries go until the rest fit; one over a quarter of the bound is not kept")
    func cost() {
        let cache = BoundedCache<String, Int>(capacity: 100)
        for n in 0..<8 { cache.insert(n, for: "k\(n)", cost: 20) }
        #expect(cache.count == 5, "five entries of 20 fit in 100")
        #expect(cache["k2"] == nil && cache["k3"] == 3)
        cache.insert(99, for: "big", cost: 26)
        #expect(cache["big"] == nil && cache.count == 5)
    }

    @Test("value(for:make:) makes a value once and then serves it; removed entries are made again")
    func makeOnce() throws {
        let cache = BoundedCache<Int, Int>(capacity: 8)
        var made = 0
        for _ in 0..<3 {
            _ = cache.value(for: 7) {
                made += 1; return 49
            }
        }
        #expect(made == 1 && cache[7] == 49)
        cache.removeValue(for: 7)
        _ = cache.value(for: 7) {
            made += 1; return 49
        }
        #expect(made == 2)
    }

    @Test("many inserts and removals keep it within its bound")
    func churn() {
        let cache = BoundedCache<Int, Int>(capacity: 16)
        for n in 0..<10_000 {
            cache.insert(n, for: n % 40)
            if n % 3 == 0 { cache.removeValue(for: (n + 7) % 40) }
            #expect(cache.count <= 16)
        }
    }
}
