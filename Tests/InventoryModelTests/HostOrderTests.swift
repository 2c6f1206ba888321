import FoundationEssentials
import InventoryModel
import Testing

@Suite("Host order and the seeded shuffle")
struct HostOrderTests {
    static let inventory = HostPatternTests.inventory

    func names(_ indices: [Int]) -> [String] { indices.map { Self.inventory.hosts.keys[$0] } }

    @Test func codableRawValuesAreAnsibles() throws {
        #expect(
            HostOrder.allCases.map(\.rawValue) == [
                "inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle",
            ])
        let data = try JSONEncoder().encode([HostOrder.reverseSorted])
        #expect(String(decoding: data, as: UTF8.self) == "[\"reverse_sorted\"]")
        #expect(try HostOrder(parsing: "reverse_inventory") == .reverseInventory)
        #expect(throws: InventoryError.self) { try HostOrder(parsing: "random") }
    }

    @Test func sortedIsPythonsSortByName() {
        let all = Array(0..<Self.inventory.hosts.count)
        // Python: sorted(names), code point order (upper case before lower case).
        let expected = [
            "Web9", "db1", "db2", "lb.example.com", "loner", "web1", "web10", "web1grouphost", "web2", "web3",
            "www.example.com", "zeta",
        ]
        #expect(names(HostOrder.sorted.apply(to: all, in: Self.inventory, seed: "")) == expected)
        #expect(names(HostOrder.reverseSorted.apply(to: all, in: Self.inventory, seed: "")) == expected.reversed())
        #expect(HostOrder.reverseInventory.apply(to: [3, 1, 2], in: Self.inventory, seed: "") == [2, 1, 3])
        #expect(HostOrder.inventory.apply(to: [3, 1, 2], in: Self.inventory, seed: "") == [3, 1, 2])
    }

    @Test func sortedComparesCodePointsNotCanonicalEquivalence() throws {
        var inv = Inventory()
        // A decomposed é: Swift's `<` compares it as the composed U+00E9 (after "z"); Python
        // compares code points, so it sorts with "e". (Inventory keys follow Swift's canonical
        // equivalence, so a composed and a decomposed é cannot both be hosts here.)
        for name in ["z", "e\u{301}", "E", "_", "10", "9"] { try inv.addHost(name) }
        let sorted = HostOrder.sorted.apply(to: Array(0..<6), in: inv, seed: "").map { inv.hosts.keys[$0] }
        // Python: sorted(["z","e\u0301","E","_","10","9"])
        let expected = ["10", "9", "E", "_", "e\u{301}", "z"]
        #expect(sorted.map { Array($0.unicodeScalars) } == expected.map { Array($0.unicodeScalars) })
    }

    /// Reference values computed from the published algorithms (an independent Python
    /// transcription of the doc comment of ``SeededShuffle``); they must never change, or
    /// stored rollouts would reorder.
    @Test func generatorVectors() {
        #expect(SeededShuffle.fnv1a64([]) == 0xcbf2_9ce4_8422_2325)
        #expect(SeededShuffle.fnv1a64(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(SeededShuffle.fnv1a64(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
        var g = SeededShuffle(state: 0)
        #expect(
            [g.next(), g.next(), g.next()] == [0xe220_a839_7b1d_cdaf, 0x6e78_9e6a_a1b9_65f4, 0x06c4_5d18_8009_454f])
    }

    @Test(arguments: [
        ("rollout-1", 10, [8, 3, 9, 6, 5, 7, 1, 0, 4, 2]),
        ("42", 10, [5, 9, 4, 3, 0, 1, 8, 6, 7, 2]),
        ("", 5, [1, 0, 4, 2, 3]),
        ("\u{E9}", 8, [0, 5, 7, 6, 3, 1, 4, 2]),
    ])
    func shuffleVectors(seed: String, count: Int, expected: [Int]) {
        var items = Array(0..<count)
        var g = SeededShuffle(seed: seed)
        g.shuffle(&items)
        #expect(items == expected)
    }

    @Test func shuffleIsAPermutationAndDependsOnTheSeed() {
        let all = Array(0..<1000)
        let a = HostOrder.shuffle.apply(to: all, in: Self.inventory, seed: "a")
        #expect(a.sorted() == all)
        #expect(a == HostOrder.shuffle.apply(to: all, in: Self.inventory, seed: "a"))
        #expect(a != HostOrder.shuffle.apply(to: all, in: Self.inventory, seed: "b"))
        // Ansible's own `shuffle` uses the global `random` module and is different on every
        // run, so there is nothing to compare with; only the seeded contract is pinned.
    }
}
