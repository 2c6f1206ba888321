import FuzzDriver
import InventoryModel

// A `limit` host pattern (globs, `~regex`, `[x:y]` subscripts, `&`, `!`), evaluated against a
// fixed inventory and planned into batches as a cursor's creation does.
let inventory = try! Inventory.read(
    text: """
        bastion.example.org
        10.0.0.1
        [web]
        web[01:12].example.org
        web-canary
        [db]
        db[a:f].example.org
        10.0.0.1
        [prod:children]
        web
        db
        [edge]
        ::1
        """, format: .ini, source: "hosts.ini")
let batchSize = try! BatchSize(parsing: "1,3,25%")

runFuzzer(text: { text in
    guard let pattern = try? HostPattern(text) else { return }
    _ = try? pattern.evaluate(in: inventory)
    for order in HostOrder.allCases {
        guard
            let plan = try? RolloutPlan(
                inventory: inventory, limit: pattern, order: order, seed: text,
                batchSize: batchSize)
        else { return }
        for k in 1...max(plan.batches.batchCount, 1) { _ = plan.hostNames(inBatch: k, in: inventory) }
    }
})
